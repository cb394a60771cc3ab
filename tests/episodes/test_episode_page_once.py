"""The episode page says each thing once: summary, notes, links, pickers, chapter times."""

import re

import pytest
from django.test import Client

from episodes.models import Role
from episodes.showlinks import import_show_notes
from tests.factories import (
    ChapterFactory,
    PersonFactory,
    ShowFactory,
    ShowNoteLinkFactory,
    published_episode,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

# pythonbytes.fm-style notes: the summary first, then each pick with its description.
NOTES = """We talk about scripts and tests.

**Michael #1:** [Playwright](https://playwright.dev/)

- Drives browsers from Python.

**Brian #2:** [pytest](https://pytest.org/)

- The test runner.
"""


def main(page: str) -> str:
    """The page's visible content, without the meta tags that repeat the summary."""
    return page[page.index('<main id="main">') : page.index("</main>")]


@pytest.fixture
def episode(tone):
    show = ShowFactory(slug="main", title="Bytes Show", is_default=True)
    michael = PersonFactory(name="Michael Kennedy", slug="michael-kennedy")
    show.hosts.create(person=michael, role=Role.HOST)
    episode = published_episode(
        tone, show=show, number=7, title="Scripting things", slug="scripting-things",
        summary="We talk about scripts and tests.", show_notes=NOTES,
    )  # fmt: skip
    return episode


def test_imported_notes_show_the_summary_and_each_link_once(client: Client, episode) -> None:
    import_show_notes(episode=episode, markdown_text=NOTES)
    assert episode.links.count() == 2
    body = main(client.get(episode.get_absolute_url()).content.decode())
    assert body.count("We talk about scripts and tests.") == 1
    assert body.count('href="https://playwright.dev/"') == 1
    assert body.count("Drives browsers from Python.") == 1
    assert "Links from the show" not in body


def test_a_link_the_notes_lack_is_still_listed(client: Client, episode) -> None:
    ShowNoteLinkFactory(episode=episode, title="Extra", url="https://example.com/extra")
    body = client.get(episode.get_absolute_url()).content.decode()
    assert "Links from the show" in body and body.count('href="https://example.com/extra"') == 1


def test_imported_pickers_link_to_real_people_or_to_nobody(client: Client, episode) -> None:
    ShowNoteLinkFactory(episode=episode, url="https://a.example/", picked_by=None)
    import_show_notes(episode=episode, markdown_text=NOTES.replace("https://", "https://x."))
    body = client.get(episode.get_absolute_url()).content.decode()
    # "Michael" is the host Michael Kennedy; "Brian" is nobody on this show: no link.
    assert 'picked by <a href="/people/michael-kennedy">Michael Kennedy</a>' in body
    assert "picked by Brian</span>" in body
    for href in set(re.findall(r'href="(/people/[^"]+)"', body)):
        assert client.get(href).status_code == 200, href


@pytest.mark.parametrize(("start", "shown", "target"), [(2.5, "0:02", 2), (2.99, "0:02", 2),
                                                      (754.0, "12:34", 754)])  # fmt: skip
def test_a_chapter_seeks_to_the_second_it_shows(client: Client, episode, start, shown, target):
    ChapterFactory(episode=episode, start=start, title="A chapter")
    body = client.get(episode.get_absolute_url()).content.decode()
    assert f'href="?t={target}#player" data-t="{target}"><time>{shown}</time> A chapter' in body
