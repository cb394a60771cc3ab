"""Moving a show here from its feed: read and plan, then create the episodes as drafts.

The feed is fetched and read in the caller's process (the command or the admin request),
so a dry run and its report need no worker; each item's files (audio, chapters,
transcript, artwork) are fetched by the worker, one task per item (media.py).
"""

import logging
import uuid
from types import ModuleType

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from episodes.categories import parse_category
from episodes.languages import language_problem
from episodes.models import (
    Episode,
    EpisodePerson,
    FundingLink,
    Person,
    Role,
    Show,
    ShowHost,
    ShowNoteLink,
)
from episodes.services import record_episode_change
from episodes.showlinks import link_problem, show_note_link
from episodes.shownotes import Item
from episodes.uploads import ascii_slug
from podcast.queue import enqueue

from .fetching import FetchError, Limits, Policy, fetch_bytes
from .models import FeedImport, ImportedEpisode
from .planning import ImportRefused, Plan, make_plan, ownership_problem
from .reading import FeedChannel, FeedError, FeedItem, HostileFeed, read_feed

log = logging.getLogger(__name__)

FEED_MAX_BYTES = 50 * 1024 * 1024

__all__ = ["ImportRefused", "import_feed", "plan_import", "publish_import"]


def policy() -> Policy:
    return Policy.from_cidrs(settings.PODCAST_IMPORT_ALLOWED_NETWORKS)


def celery_tasks() -> ModuleType:
    """The importer's Celery tasks, imported late because tasks.py imports this module.

    The one import inside a function in this package: the services <-> tasks cycle.
    """
    from . import tasks

    return tasks


def plan_import(
    *, url: str, show_slug: str = "", limit: int | None = None
) -> tuple[Plan, Show | None]:
    """Fetch and read the feed and say what an import would do; ImportRefused says why not."""
    try:
        fetched, data = fetch_bytes(url, limits=Limits(FEED_MAX_BYTES), policy=policy())
        read = read_feed(data, fetched.url)
    except (FetchError, FeedError, HostileFeed) as error:
        raise ImportRefused(str(error)) from None
    slug = show_slug or show_slug_for(read.channel)
    show = Show.objects.filter(slug=slug).first()
    episodes = Episode.objects.filter(show=show) if show else Episode.objects.none()
    known = set(episodes.exclude(imported_guid="").values_list("imported_guid", flat=True))
    known |= {str(guid) for guid in episodes.values_list("guid", flat=True)}
    taken = set(episodes.values_list("number", flat=True))
    plan = make_plan(read, url=url, known_guids=known, taken_numbers=taken, limit=limit)
    return plan, show


def import_feed(
    *,
    plan: Plan,
    show_slug: str = "",
    user=None,
    user_email: str = "",
    i_own_this_feed: bool = False,
    publish: bool = False,
    update: bool = False,
) -> FeedImport:
    """Create the show (if new) and the plan's episodes as drafts; the worker fetches their files."""
    channel = plan.feed.channel
    if problem := ownership_problem(
        channel, user_email=user_email, i_own_this_feed=i_own_this_feed
    ):
        raise ImportRefused(problem)
    if channel.locked:
        log.warning(
            "import of locked feed %s by %s (%s)",
            plan.url,
            user_email or "the command line",
            "--i-own-this-feed" if i_own_this_feed else "owner email matches",
        )
    try:
        return create_import(plan, show_slug, user, publish, update, i_own_this_feed)
    except IntegrityError:
        # The unique guid (or number) per show: another import of the feed got there first.
        raise ImportRefused(
            "Another import into this show ran at the same time and created some of these "
            "episodes; run it again: it adds only what is still missing."
        ) from None


def create_import(plan: Plan, show_slug: str, user, publish: bool, update: bool, i_own: bool):
    channel = plan.feed.channel
    with transaction.atomic():
        show, show_notes = upsert_show(channel, plan, show_slug)
        feed_import = FeedImport.objects.create(
            show=show,
            url=plan.url,
            requested_by=user,
            publish=publish,
            owner_override=i_own and channel.locked,
            found=len(plan.feed.items),
        )
        others: dict[str, None] = {}
        for item in plan.new:
            others.update(dict.fromkeys(create_episode(feed_import, item, plan.numbers[item.guid])))
        updated = update_existing(show, plan.existing) if update else 0
        feed_import.created = len(plan.new)
        feed_import.report = "\n".join(
            plan.summary() + show_notes + [f"Updated: {updated}."] * update + people_note(others)
        )
        feed_import.save(update_fields=["created", "report"])
        if channel.artwork and not show.artwork:
            enqueue(celery_tasks().fetch_show_artwork, feed_import.pk, channel.artwork)
    return feed_import


def people_note(others: dict[str, None]) -> list[str]:
    if not others:
        return []
    roles = ", ".join(Role.values)
    return [f"Persons not kept as people (their role is none of {roles}): {', '.join(others)}."]


def upsert_show(channel: FeedChannel, plan: Plan, show_slug: str) -> tuple[Show, list[str]]:
    slug = show_slug or show_slug_for(channel)
    show = Show.objects.filter(slug=slug).first()
    if show is not None:
        return show, [f"Into the existing show {show.slug!r}."]
    notes = []
    language = channel.language.replace("_", "-")
    if problem := language_problem(language):
        notes.append(f"Language {channel.language!r}: {problem}; set to en.")
        language = "en"
    categories = []
    for category in channel.categories:
        try:
            parse_category(category)
            categories.append(category)
        except ValueError as error:
            notes.append(f"Category {category!r} left out: {error}")
    show = Show(
        title=channel.title[:200] or slug,
        slug=slug,
        description=channel.description or channel.title,
        language=language[:16],
        author=channel.author[:200],
        owner_name=channel.owner_name[:200],
        owner_email=channel.owner_email if "@" in channel.owner_email else "",
        website=fits(channel.link, Show._meta.get_field("website")),
        categories=categories,
        explicit=channel.explicit,
        show_type=channel.show_type,
        locked=channel.locked,
        imported_from=plan.url,
        podcast_guid=kept_podcast_guid(channel, notes),
    )
    show.save()
    FundingLink.objects.bulk_create(
        FundingLink(show=show, url=url, label=(label or "Support the show")[:128], position=i)
        for i, (url, label) in enumerate(channel.funding)
        if fits(url, FundingLink._meta.get_field("url"))
    )
    for position, feed_person in enumerate(channel.persons):
        ShowHost.objects.get_or_create(
            show=show,
            person=person_for(feed_person),
            defaults={"role": role_of(feed_person.role, Role.HOST), "position": position},
        )
    return show, [
        f"Created the show {show.slug!r} (its pages list no episode until they are published)."
    ] + notes


def show_slug_for(channel: FeedChannel) -> str:
    limit = Show._meta.get_field("slug").max_length
    return ascii_slug(channel.title, fallback="imported-show")[:limit].strip("-")


def fits(url: str, field) -> str:
    """The URL if it fits the field; a cut URL would lead nowhere."""
    return url if len(url) <= field.max_length else ""


def kept_podcast_guid(channel: FeedChannel, notes: list[str]) -> uuid.UUID | None:
    """The feed's podcast:guid, kept: apps and the Podcast Index know the show by it."""
    if not channel.podcast_guid:
        return None  # Show.save() computes one from our feed URL
    try:
        return uuid.UUID(channel.podcast_guid)
    except ValueError:
        notes.append(f"podcast:guid {channel.podcast_guid!r} is not a UUID: a new one was made.")
        return None


def create_episode(feed_import: FeedImport, item: FeedItem, number: int) -> list[str]:
    """Create a draft episode and its download; the persons it did not keep, in words."""
    show = feed_import.show
    episode = Episode(
        show=show,
        number=number,
        title=item.title[:200],
        slug=ascii_slug(item.title, fallback=f"episode-{number}")[:100],
        summary=item.summary,
        show_notes=item.notes_html,
        imported_guid=item.guid,
        explicit=item.explicit or show.explicit,
        season=item.season if item.season and item.season < 32768 else None,
        episode_type=item.episode_type,
    )
    episode.save()
    store_links(episode, item)
    # Our people are the cast (Role); a cover-art designer is not a guest.
    cast = [p for p in item.persons if p.role in Role.values]
    for position, feed_person in enumerate(cast):
        EpisodePerson.objects.get_or_create(
            episode=episode,
            person=person_for(feed_person),
            defaults={"role": feed_person.role, "position": position},
        )
    others = [f"{p.name} ({p.role})" for p in item.persons if p.role not in Role.values]
    imported = ImportedEpisode.objects.create(
        feed_import=feed_import,
        episode=episode,
        enclosure_url=fits(item.enclosure_url, ImportedEpisode._meta.get_field("enclosure_url")),
        image_url=fits(item.image, ImportedEpisode._meta.get_field("image_url")),
        chapters_url=fits(item.chapters_url, ImportedEpisode._meta.get_field("chapters_url")),
        transcripts=[
            {"url": t.url, "type": t.type, "language": t.language} for t in item.transcripts
        ],
        published_at=item.published,
    )
    enqueue(celery_tasks().fetch_imported_episode, imported.pk)
    return others


def store_links(episode: Episode, item: FeedItem) -> None:
    """The notes' links become show-note links, checked as the show-notes import checks them."""
    picks = [Item(i, "", text, url, "", 0) for i, (text, url) in enumerate(item.links, 1)]
    ShowNoteLink.objects.bulk_create(
        show_note_link(episode, pick, None) for pick in picks if not link_problem(pick)
    )


def update_existing(show: Show, items: tuple[FeedItem, ...]) -> int:
    """--update: titles, summaries and notes of matched episodes follow the feed again."""
    count = 0
    for item in items:
        episode = Episode.objects.filter(show=show, imported_guid=item.guid).first()
        if episode is None:
            continue
        episode.title, episode.summary = item.title[:200], item.summary
        episode.show_notes = item.notes_html
        episode.save(
            update_fields=["title", "summary", "show_notes", "show_notes_html", "updated_at"]
        )
        count += 1
    return count


def person_for(feed_person) -> Person:
    slug = slugify(feed_person.name)[:50].strip("-") or f"person-{uuid.uuid4().hex[:8]}"
    person, _ = Person.objects.get_or_create(
        slug=slug,
        defaults={
            "name": feed_person.name[:200],
            "url": short_url(feed_person.href),
            "image_url": short_url(feed_person.img),
        },
    )
    return person


def short_url(url: str) -> str:
    """An http(s) URL that fits a URLField of 200 characters, else "" (cut, it would break)."""
    return url if url.startswith(("http://", "https://")) and len(url) <= 200 else ""


def role_of(role: str, default: str) -> str:
    return role if role in Role.values else default


def publish_import(*, feed_import: FeedImport) -> int:
    """Publish each episode of the import whose audio is ready, dated as the old feed dated it."""
    published = 0
    items = feed_import.items.select_related("episode", "episode__show")
    for item in items.filter(episode__publish_at=None).exclude(episode__audio=""):
        publish_item(item, record_episode_change)
        published += 1
    return published


def publish_item(item: ImportedEpisode, record_episode_change) -> None:
    episode = item.episode
    episode.publish_at = item.published_at or timezone.now()
    episode.save(update_fields=["publish_at", "updated_at"])
    record_episode_change(episode=episode)
