"""Importing show notes into an episode's links, by the service and from the admin."""

from pathlib import Path

import pytest
from django.db import IntegrityError
from django.urls import reverse

from episodes.forms import EpisodeAdminForm
from episodes.models import EpisodePerson, Person, ShowHost, ShowNoteLink
from episodes.showlinks import import_show_notes
from tests.factories import EpisodeFactory, PersonFactory, ShowNoteLinkFactory
from tests.formdata import change_form_data
from tests.refusals import refuse_inserts

pytestmark = pytest.mark.django_db

NOTES = """\
# Python Bytes 999

**Michael #1:** [**First pick**](https://one.example/)

- a bullet
    - a nested bullet

**Brian #2:** ****[**Second pick**](https://two.example/)

- another bullet

**Extras**

- something

**Joke:** [**Funny**](https://joke.example/)
"""


def real_notes(shared_data: Path, number: str) -> str:
    return (shared_data / "transcripts" / "pythonbytes" / f"{number}.md").read_text()


def stored_links(episode) -> list[tuple]:
    return list(
        ShowNoteLink.objects.filter(episode=episode).values_list(
            "position", "title", "url", "description", "picked_by__name"
        )
    )


def test_it_stores_each_pick_as_a_link_with_its_position_bullets_and_picker():
    episode = EpisodeFactory(show_notes="")
    report = import_show_notes(episode=episode, markdown_text=NOTES)
    episode.refresh_from_db()
    assert episode.show_notes == NOTES and "First pick" in episode.show_notes_html
    assert stored_links(episode) == [
        (1, "First pick", "https://one.example/", "- a bullet\n    - a nested bullet", "Michael"),
        (2, "Second pick", "https://two.example/", "- another bullet", "Brian"),
    ]
    assert report.links == 2
    assert report.new_people == ("Brian", "Michael")


def test_it_stores_the_five_linked_picks_of_episode_203_and_reports_the_one_without_a_link(
    shared_data,
):
    episode = EpisodeFactory()
    report = import_show_notes(episode=episode, markdown_text=real_notes(shared_data, "203"))
    links = stored_links(episode)
    assert [(position, picker) for position, _, _, _, picker in links] == [
        (1, "Michael"),
        (2, "Brian"),
        (3, "Michael"),
        (4, "Brian"),
        (5, "Michael"),
    ]
    assert report.skipped == ('Brian #6 "Fixing Hacktoberfest": no link on its heading line',)
    assert "Stored 5 links." in report.summary()
    assert "Not stored: Brian #6" in report.summary()


@pytest.mark.parametrize(
    ("number", "pickers"),
    [
        ("001", [None] * 6),
        ("300", ["Michael", "Seth", "Brian", "Michael", "Seth"]),
    ],
)
def test_it_stores_the_linked_picks_of_the_other_real_notes(shared_data, number, pickers):
    episode = EpisodeFactory()
    import_show_notes(episode=episode, markdown_text=real_notes(shared_data, number))
    assert [picker for *_, picker in stored_links(episode)] == pickers


def test_it_links_a_picker_to_the_show_host_with_that_first_name_instead_of_a_new_person():
    episode = EpisodeFactory()
    michael = PersonFactory(name="Michael Kennedy", slug="michael-kennedy")
    ShowHost.objects.create(show=episode.show, person=michael)
    import_show_notes(episode=episode, markdown_text=NOTES)
    assert ShowNoteLink.objects.get(episode=episode, position=1).picked_by == michael
    assert not Person.objects.filter(slug="michael").exists()


def test_it_links_a_guest_pick_to_the_person_credited_on_the_episode():
    episode = EpisodeFactory()
    seth = PersonFactory(name="Seth Larson", slug="seth-larson")
    EpisodePerson.objects.create(episode=episode, person=seth)
    text = "**Seth #3:** [**Trust stores**](https://seth.example/)\n"
    report = import_show_notes(episode=episode, markdown_text=text)
    assert ShowNoteLink.objects.get(episode=episode).picked_by == seth
    assert report.new_people == ()


def test_it_reuses_a_person_whose_slug_is_the_pickers_name():
    brian = PersonFactory(name="Brian", slug="brian")
    episode = EpisodeFactory()
    import_show_notes(episode=episode, markdown_text=NOTES)
    assert ShowNoteLink.objects.get(episode=episode, position=2).picked_by == brian


def test_importing_the_same_notes_twice_gives_the_same_links_and_no_new_people():
    episode = EpisodeFactory()
    import_show_notes(episode=episode, markdown_text=NOTES)
    first, people = stored_links(episode), Person.objects.count()
    report = import_show_notes(episode=episode, markdown_text=NOTES)
    assert stored_links(episode) == first
    assert Person.objects.count() == people
    assert report.new_people == ()


def test_it_replaces_the_episodes_links_and_leaves_other_episodes_alone():
    episode, other = EpisodeFactory(), EpisodeFactory()
    ShowNoteLinkFactory(episode=episode, title="Hand-made")
    kept = ShowNoteLinkFactory(episode=other, title="Elsewhere")
    import_show_notes(episode=episode, markdown_text=NOTES)
    assert [title for _, title, *_ in stored_links(episode)] == ["First pick", "Second pick"]
    assert list(ShowNoteLink.objects.filter(episode=other)) == [kept]


def test_a_failed_import_leaves_the_previous_links_in_place():
    episode = EpisodeFactory()
    ShowNoteLinkFactory(episode=episode, title="Hand-made")
    # The database refuses the second new link, after the old ones were deleted in the
    # same transaction: a real failure at the process boundary, no code patched.
    refuse_inserts(ShowNoteLink._meta.db_table, "title", "Second pick")
    with pytest.raises(IntegrityError):
        import_show_notes(episode=episode, markdown_text=NOTES)
    assert [title for _, title, *_ in stored_links(episode)] == ["Hand-made"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Just a paragraph of notes.",
        "**Brian #6:** **Fixing Hacktoberfest**\n- no link anywhere\n",
        "**Brian #1:** [Bad](javascript:alert(1))\n",
    ],
)
def test_notes_without_a_storable_pick_leave_the_links_alone(text):
    episode = EpisodeFactory()
    link = ShowNoteLinkFactory(episode=episode)
    report = import_show_notes(episode=episode, markdown_text=text)
    assert list(ShowNoteLink.objects.filter(episode=episode)) == [link]
    assert "left as they were" in report.summary()


def test_a_pick_whose_url_is_not_http_is_reported_and_not_stored():
    text = NOTES + "\n**Brian #3:** [Bad](javascript:alert(1))\n"
    report = import_show_notes(episode=EpisodeFactory(), markdown_text=text)
    assert report.links == 2
    assert report.skipped == (
        'Brian #3 "Bad": javascript:alert(1) is not an http(s) URL of at most 1000 characters',
    )


def test_it_fills_empty_show_notes_with_the_pasted_markdown():
    episode = EpisodeFactory(show_notes="")
    report = import_show_notes(episode=episode, markdown_text=NOTES)
    episode.refresh_from_db()
    assert episode.show_notes == NOTES
    assert report.filled_show_notes


def test_it_never_overwrites_show_notes_an_editor_wrote():
    episode = EpisodeFactory(show_notes="Written by hand.")
    report = import_show_notes(episode=episode, markdown_text=NOTES)
    episode.refresh_from_db()
    assert episode.show_notes == "Written by hand."
    assert not report.filled_show_notes


# --- the admin checkbox -----------------------------------------------------------------------


def test_the_episode_form_offers_the_show_notes_import_unticked():
    field = EpisodeAdminForm.base_fields["import_show_notes"]
    assert field.label == "Import show-note links from the notes Markdown"
    assert not field.required and not field.initial


@pytest.mark.parametrize(("ticked", "titles"), [(True, ["First pick", "Second pick"]), (False, [])])
def test_ticking_the_import_on_the_change_page_stores_the_links_and_says_what_it_found(
    admin_client, ticked, titles
):
    episode = EpisodeFactory(show_notes=NOTES)
    url = reverse("admin:episodes_episode_change", args=[episode.pk])
    data = change_form_data(admin_client.get(url)) | {"_save": "Save"}
    if ticked:
        data["import_show_notes"] = "on"
    response = admin_client.post(url, data, follow=True)
    assert response.redirect_chain, "the form was refused; nothing was saved"
    assert [title for _, title, *_ in stored_links(episode)] == titles
    messages = [str(m) for m in response.context["messages"]]
    assert any("recognised 2 items (Michael 1, Brian 1)" in m for m in messages) == ticked
