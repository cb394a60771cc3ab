"""Show-note links from pythonbytes.fm-style notes: the import workflow and its report."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from .models import Episode, Person, ShowNoteLink
from .shownotes import Item, ShowNotes, parse_show_notes


@dataclass(frozen=True)
class ShowNotesReport:
    """What an import recognised in the notes and what it stored."""

    notes: ShowNotes
    links: int = 0
    skipped: tuple[str, ...] = ()  # picks not stored as links, each with the reason
    new_people: tuple[str, ...] = ()
    filled_show_notes: bool = False

    def summary(self) -> str:
        parts = [f"Show notes: {self.notes.summary()}."]
        if self.links:
            parts.append(f"Stored {self.links} link{'' if self.links == 1 else 's'}.")
        else:
            parts.append("No link to store: the episode's links were left as they were.")
        if self.skipped:
            parts.append(f"Not stored: {'; '.join(self.skipped)}.")
        if self.new_people:
            parts.append(f"New people: {', '.join(self.new_people)}.")
        if self.filled_show_notes:
            parts.append("The pasted Markdown became the episode's show notes.")
        return " ".join(parts)


def import_show_notes(*, episode: Episode, markdown_text: str) -> ShowNotesReport:
    """Replace the episode's show-note links with the picks found in pythonbytes.fm-style notes.

    The Markdown stays what the episode page renders: it fills ``show_notes`` only when those
    are empty and never overwrites an editor's notes; the links are a structured index beside
    them. Notes without a storable pick leave the existing links alone, so a stray paste
    cannot wipe them. Recompute and overwrite: the same notes give the same links and people.
    """
    notes = parse_show_notes(markdown_text)
    storable = [item for item in notes.items if not link_problem(item)]
    skipped = tuple(f"{pick_label(i)}: {link_problem(i)}" for i in notes.items if link_problem(i))
    with transaction.atomic():
        # The row lock makes a second import of the same episode wait for the first.
        locked = Episode.objects.select_for_update().get(pk=episode.pk)
        new_people: tuple[str, ...] = ()
        if storable:
            people, new_people = pickers(episode=locked, names={i.picked_by for i in storable})
            locked.links.all().delete()
            ShowNoteLink.objects.bulk_create(
                show_note_link(locked, item, people.get(item.picked_by)) for item in storable
            )
        filled = fill_empty_show_notes(locked, markdown_text)
    if filled:
        episode.show_notes, episode.show_notes_html = locked.show_notes, locked.show_notes_html
    return ShowNotesReport(notes, len(storable), skipped, new_people, filled)


def link_problem(item: Item) -> str:
    """Why a pick cannot be a ShowNoteLink row, or "" when it can."""
    if not item.title:
        return "no title"
    if not item.url:
        return "no link on its heading line"
    try:
        ShowNoteLink._meta.get_field("url").run_validators(item.url)
    except ValidationError:
        return f"{item.url[:80]} is not an http(s) URL of at most 1000 characters"
    return ""


def pick_label(item: Item) -> str:
    title = f' "{item.title}"' if item.title else ""
    return f"{item.picked_by} #{item.position}{title}".strip()


def show_note_link(episode: Episode, item: Item, person: Person | None) -> ShowNoteLink:
    title_length = ShowNoteLink._meta.get_field("title").max_length
    return ShowNoteLink(
        episode=episode,
        position=item.position,
        title=item.title[:title_length],
        url=item.url,
        description=item.description,
        picked_by=person,
    )


def pickers(*, episode: Episode, names: set[str]) -> tuple[dict[str, Person], tuple[str, ...]]:
    """The Person for each picker name, and the names of those created for the purpose.

    "Michael" is first looked for among the show's hosts and the episode's people (by full or
    first name) so that a host entered as "Michael Kennedy" is not doubled by a new "Michael".
    """
    known = list(
        Person.objects.filter(Q(shows_hosted__show=episode.show_id) | Q(credits__episode=episode))
        .distinct()
        .order_by("pk")
    )
    people, created = {}, []
    for name in sorted(name for name in names if name):
        person = matching_person(name, known)
        slug = slugify(name)[: Person._meta.get_field("slug").max_length].strip("-")
        if person is None and slug:
            person, is_new = Person.objects.get_or_create(slug=slug, defaults={"name": name})
            created += [name] if is_new else []
        if person is not None:
            people[name] = person
    return people, tuple(created)


def matching_person(name: str, known: list[Person]) -> Person | None:
    """The one known person with this full name, else with this first name; None if unsure."""
    wanted = name.casefold()
    by_name = [p for p in known if p.name.casefold() == wanted]
    by_first_name = [p for p in known if p.name.casefold().split()[:1] == [wanted]]
    for matches in (by_name, by_first_name):
        if len(matches) == 1:
            return matches[0]
    return None


def fill_empty_show_notes(episode: Episode, markdown_text: str) -> bool:
    if episode.show_notes.strip() or not markdown_text.strip():
        return False
    episode.show_notes = markdown_text
    episode.save(update_fields=["show_notes", "show_notes_html", "updated_at"])
    return True
