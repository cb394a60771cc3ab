"""Full-text search on both backends: SQLite FTS5 by default, PostgreSQL with -m postgres."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from episodes import search
from episodes.models import ProcessingStatus
from tests.factories import (
    EpisodeFactory,
    SegmentFactory,
    ShowFactory,
    ShowNoteLinkFactory,
    TranscriptFactory,
    published_episode,
)

pytestmark = pytest.mark.django_db

HOSTILE_QUERIES = [
    '"', '""', '"unbalanced', "'", "a'b", "NEAR(a b)", "python NEAR python", "AND", "OR",
    "NOT", "python AND", "AND OR NOT", "*", "py*", "^python", "title:python", "body:x",
    "(", ")", "((((", "-python", "+python", "python -", "!@#$%^&*()", "...", ";", "--",
    "'; DROP TABLE search_document; --", "\\", "\x00", "py\x00thon", "\ue000python\ue001",
    "a" * 10_000, "python " * 2_000, "日本語のテキスト", "Привет мир", "مرحبا", "🎙️🐍",
    "e\u0301", "\u200b", " ", "", "_", "__init__", "NEAR/3", "{python}", "[python]",
    "<script>alert(1)</script>", "%", "%%", "?", "&q=1", "python:", ":", "x" * 300,
]  # fmt: skip


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request) -> str:
    if connection.vendor != request.param:
        pytest.skip(f"needs the {request.param} backend; this run uses {connection.vendor}")
    return request.param


@pytest.fixture
def show():
    return ShowFactory(slug="main")


def transcript_with(episode, lines: list[tuple[float, str]]):
    transcript = TranscriptFactory(episode=episode, status=ProcessingStatus.READY)
    for position, (start, text) in enumerate(lines):
        SegmentFactory(transcript=transcript, position=position, start=start, text=text)
    search.index_transcript(transcript)
    return transcript


@pytest.fixture
def indexed(show, tone):
    episode = published_episode(
        tone, show=show, number=1, slug="one", title="Scripting a masterpiece",
        show_notes="We discuss **Playwright** for web automation.",
    )  # fmt: skip
    ShowNoteLinkFactory(episode=episode, title="Hypothesis property testing")
    search.index_episode(episode)
    transcript_with(
        episode,
        [
            (0.0, "Hello and welcome to the show."),
            (754.4, "Kubernetes clusters are fun & <b>bold</b>."),
            (800.0, "Platform as a service is neat."),
        ],
    )
    return episode


def test_query_terms_drop_syntax_and_keep_words() -> None:
    assert search.query_terms('python AND "web" NEAR(x*)') == ["python", "and", "web", "near", "x"]
    assert search.query_terms("!!! ... ''") == []
    assert search.query_terms("日本語 テキスト") == ["日本語", "テキスト"]
    assert len(search.query_terms(" ".join(f"w{i}" for i in range(100)))) == search.MAX_TERMS


def test_fts5_expression_quotes_every_term() -> None:
    assert search.fts5_expression(["near", "and"]) == '"near" "and"'


def test_highlight_escapes_text_and_marks_matches() -> None:
    start, end = search.MARK_START, search.MARK_END
    snippet = f"a <b>&amp; {start}word{end} {end}x{start}y"
    assert search.highlight(snippet) == "a &lt;b&gt;&amp;amp; <mark>word</mark> x<mark>y</mark>"


def test_a_transcript_hit_has_its_time_and_highlighted_snippet(backend, show, indexed) -> None:
    hits = search.search(show, "kubernetes")
    assert [(h.kind, h.episode_id, int(h.start)) for h in hits] == [("segment", indexed.pk, 754)]
    html = search.highlight(hits[0].snippet)
    assert "<mark>Kubernetes</mark>" in html
    # Text that looks like markup is shown escaped (SQLite) or dropped by ts_headline (PostgreSQL).
    assert "bold" in html and "<b>" not in html


@pytest.mark.parametrize("query", ["masterpiece", "playwright", "hypothesis"])
def test_titles_notes_and_link_titles_are_found(backend, show, indexed, query) -> None:
    hits = search.search(show, query)
    assert [(h.kind, h.episode_id) for h in hits] == [("episode", indexed.pk)]


def test_stemming_finds_other_forms(backend, show, indexed) -> None:
    assert search.search(show, "cluster")


def test_every_word_must_match(backend, show, indexed) -> None:
    assert len(search.search(show, "platform service")) == 1
    assert search.search(show, "platform kubernetes") == []


def test_title_matches_rank_above_passing_mentions(backend, show, tone, indexed) -> None:
    other = published_episode(tone, show=show, number=2, slug="two", title="Kubernetes special")
    search.index_episode(other)
    hits = search.search(show, "kubernetes")
    assert hits[0].episode_id == other.pk


def test_drafts_and_scheduled_episodes_are_not_found(backend, show, tone) -> None:
    draft = EpisodeFactory(show=show, number=5, title="Zebra draft")
    scheduled = published_episode(
        tone,
        show=show,
        number=6,
        title="Zebra later",
        publish_at=timezone.now() + dt.timedelta(hours=1),
    )
    for episode in (draft, scheduled):
        search.index_episode(episode)
        transcript_with(episode, [(1.0, "zebra crossing")])
    assert search.search(show, "zebra") == []


def test_a_scheduled_episode_appears_at_its_time_without_reindexing(backend, show, tone) -> None:
    scheduled = published_episode(
        tone, show=show, number=6, title="Okapi", publish_at=timezone.now() + dt.timedelta(hours=1)
    )
    search.index_episode(scheduled)
    assert search.search(show, "okapi") == []
    scheduled.publish_at = timezone.now() - dt.timedelta(seconds=1)
    scheduled.save()
    assert len(search.search(show, "okapi")) == 1


def test_a_transcript_that_is_not_ready_is_not_found(backend, show, indexed) -> None:
    # Never built successfully (a failed rebuild of a good one keeps serving that one).
    indexed.transcripts.update(status=ProcessingStatus.FAILED, good_build_at=None)
    assert search.search(show, "kubernetes") == []


def test_other_shows_are_not_searched(backend, show, tone, indexed) -> None:
    other = ShowFactory(slug="other", is_default=False)
    assert search.search(other, "kubernetes") == []


def test_reindexing_replaces_old_text(backend, show, indexed) -> None:
    indexed.title = "Totally renamed"
    indexed.save()
    search.index_episode(indexed)
    assert search.search(show, "masterpiece") == []
    assert len(search.search(show, "renamed")) == 1


def test_rebuilding_a_transcript_reindexes_it(backend, show, indexed) -> None:
    from transcripts.parsing import parse
    from transcripts.services import store_segments

    transcript = indexed.transcripts.get()
    parsed = parse("00:42 Quokkas are happy.\n")
    store_segments(transcript=transcript, parsed=parsed)
    assert search.search(show, "kubernetes") == []
    assert [int(h.start) for h in search.search(show, "quokkas")] == [42]


def test_paging_through_results(backend, show, tone) -> None:
    episode = published_episode(tone, show=show, number=9, slug="nine")
    transcript_with(episode, [(float(i), f"walrus number {i}") for i in range(25)])
    first = search.search(show, "walrus", limit=20)
    second = search.search(show, "walrus", offset=20, limit=20)
    assert len(first) == 20 and len(second) == 5
    assert not {h.start for h in first} & {h.start for h in second}


@pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=range(len(HOSTILE_QUERIES)))
def test_any_query_gives_results_or_nothing_never_an_error(backend, show, indexed, query) -> None:
    hits = search.search(show, query)
    assert isinstance(hits, list)


@pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=range(len(HOSTILE_QUERIES)))
def test_the_search_page_answers_any_query(backend, client, show, indexed, query) -> None:
    response = client.get("/search", {"q": query.replace("\x00", "")})
    assert response.status_code == 200


def test_the_search_page_survives_a_nul_byte_in_the_url(backend, client, show, indexed) -> None:
    assert client.get("/search?q=py%00thon&page=%00").status_code == 200


def test_the_search_page_links_a_hit_to_its_moment(backend, client, show, indexed) -> None:
    body = client.get("/search", {"q": "kubernetes"}).content.decode()
    assert f'href="{indexed.get_absolute_url()}?t=754#player" data-t="754"' in body
    assert "<mark>Kubernetes</mark>" in body
    assert "<b>bold" not in body


def test_the_search_page_says_when_nothing_matched(backend, client, show, indexed) -> None:
    body = client.get("/search", {"q": "xylophone"}).content.decode()
    assert "Nothing found for “xylophone”" in body


def test_the_search_page_pages_ten_episodes_at_a_time(backend, client, show, tone) -> None:
    for number in range(1, 13):
        episode = published_episode(tone, show=show, number=number, slug=f"e{number}")
        transcript_with(episode, [(1.0, f"walrus number {number}")])
    first = client.get("/search", {"q": "walrus"}).content.decode()
    assert "More results" in first and first.count('<li class="result">') == 10
    assert "12 episodes found." in first
    second = client.get("/search", {"q": "walrus", "page": "2"}).content.decode()
    assert second.count('<li class="result">') == 2 and "Previous results" in second


def test_very_common_words_rank_a_bounded_number_of_transcript_lines(backend, show, tone):
    episode = published_episode(tone, show=show, number=9, slug="nine")
    transcript_with(episode, [(float(i), f"walrus number {i}") for i in range(12)])
    hits = search.search(show, "walrus", limit=20, candidates=5)
    starts = [int(h.start) for h in hits]
    assert {h.episode_id for h in hits} == {episode.pk}
    assert len(set(starts)) == 5 and set(starts) <= set(range(12)), starts
    assert starts == sorted(starts), "equal scores keep the order the lines were indexed in"
    if backend == "sqlite":  # the newest lines are the ones ranked (PostgreSQL: any five)
        assert starts == [7, 8, 9, 10, 11]


def test_a_line_saying_the_word_more_often_ranks_first(backend, show, tone):
    episode = published_episode(tone, show=show, number=9, slug="nine")
    transcript_with(
        episode,
        [
            (1.0, "a walrus went past the boat with friends on a grey morning"),
            (2.0, "walrus, walrus and one more walrus"),
            (3.0, "the keeper fed the walrus"),
        ],
    )
    hits = search.search(show, "walrus")
    assert [h.start for h in hits][:1] == [2.0] and len(hits) == 3


def test_a_title_hit_ranks_first_even_when_the_cap_applies(backend, show, tone):
    other = published_episode(tone, show=show, number=9, slug="nine")
    transcript_with(other, [(float(i), f"walrus number {i}") for i in range(12)])
    titled = published_episode(tone, show=show, number=10, slug="ten", title="All about walrus")
    search.index_episode(titled)  # indexed before the transcript lines below
    later = published_episode(tone, show=show, number=11, slug="eleven")
    transcript_with(later, [(float(i), f"walrus again {i}") for i in range(12)])
    hits = search.search(show, "walrus", limit=3, candidates=5)
    assert (hits[0].kind, hits[0].episode_id) == ("episode", titled.pk)


def test_another_shows_matches_do_not_use_up_the_cap(backend, show, tone):
    mine = published_episode(tone, show=show, number=1, slug="one")
    transcript_with(mine, [(1.0, "walrus in my show")])
    elsewhere = published_episode(tone, show=ShowFactory(slug="other"), number=1, slug="one")
    transcript_with(elsewhere, [(float(i), f"walrus elsewhere {i}") for i in range(12)])
    hits = search.search(show, "walrus", candidates=5)
    assert [(h.episode_id, h.start) for h in hits] == [(mine.pk, 1.0)]


def test_the_rebuild_command_indexes_existing_content(backend, show, tone) -> None:
    from django.core.management import call_command

    episode = published_episode(tone, show=show, number=4, title="Pangolin facts")
    transcript = TranscriptFactory(episode=episode)
    SegmentFactory(transcript=transcript, start=12.0, text="armadillo talk")
    assert search.search(show, "pangolin") == []
    call_command("rebuild_search_index", verbosity=0)
    assert len(search.search(show, "pangolin")) == 1
    assert [int(h.start) for h in search.search(show, "armadillo")] == [12]
