"""The search page groups hits per episode: title and notes matches first, moments in time order."""

import re

import pytest

from episodes import search
from episodes.models import ProcessingStatus
from episodes.searchpage import plain_snippet
from tests.factories import SegmentFactory, ShowFactory, TranscriptFactory, published_episode

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def show():
    return ShowFactory(slug="main", is_default=True)


def transcript_with(episode, lines):
    transcript = TranscriptFactory(episode=episode, status=ProcessingStatus.READY)
    for position, (start, text) in enumerate(lines):
        SegmentFactory(transcript=transcript, position=position, start=start, text=text)
    search.index_transcript(transcript)


@pytest.fixture
def two_episodes(show, tone):
    talk = published_episode(tone, show=show, number=1, slug="talk", title="Lots of talk")
    transcript_with(talk, [(float(60 - i * 7), f"the walrus again, line {i}") for i in range(7)])
    about = published_episode(
        tone, show=show, number=2, slug="about", title="Sea mammals",
        show_notes="**Walrus** facts, from [a zoo](https://zoo.example/).",
    )  # fmt: skip
    search.index_episode(about)
    transcript_with(about, [(30.0, "a walrus said hello")])
    return talk, about


def results(body: str) -> list[str]:
    return re.findall(r'<li class="result">.*?<h2><a href="[^"]*">([^<]*)</a>', body, re.S)


def test_hits_are_grouped_per_episode_title_and_notes_matches_first(client, two_episodes) -> None:
    body = client.get("/search", {"q": "walrus"}).content.decode()
    assert results(body) == ["#2: Sea mammals", "#1: Lots of talk"]
    assert "2 hits" in body and "7 hits" in body
    talk = body[body.index("#1: Lots of talk") :]
    stamps = re.findall(r'class="stamp" href="/episodes/show/1/talk\?t=(\d+)#player"', talk)
    assert stamps == ["18", "25", "32", "39", "46"]  # time order, five shown
    assert "2 more in the transcript" in talk


def test_notes_snippets_are_plain_text(client, two_episodes) -> None:
    body = client.get("/search", {"q": "walrus"}).content.decode()
    about = body[body.index("#2: Sea mammals") : body.index("#1: Lots of talk")]
    assert "<mark>Walrus</mark> facts, from a zoo" in about
    assert "**" not in about and "[a zoo]" not in about


def test_the_search_page_has_one_search_box(client, two_episodes) -> None:
    body = client.get("/search", {"q": "walrus"}).content.decode()
    assert body.count('type="search"') == 1


@pytest.mark.parametrize(
    ("snippet", "plain"),
    [("**Bold** and __under__", "Bold and under"), ("see [the docs]", "see the docs"),
     ("## Heading\n- item", "Heading item"), ("`code` here", "code here"), ("C# rocks", "C# rocks")],
)  # fmt: skip
def test_plain_snippet_drops_markdown_syntax(snippet, plain) -> None:
    assert plain_snippet(snippet) == plain
