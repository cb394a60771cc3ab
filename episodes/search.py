"""Full-text search over episode titles, show notes, link titles and transcripts.

SQLite FTS5 on the embedded default, a stored tsvector with a GIN index on
PostgreSQL (tables made by migration 0002). The index holds every episode and
transcript whatever its state; what is public is decided at query time against
Episode.objects.public(), so a scheduled episode turns up at its time
without reindexing.

The code that changes content keeps the index current:
- index_episode(episode) after an episode's title, notes or links change;
- index_transcript(transcript) after a transcript's segments are rebuilt.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from transcripts.models import Transcript

from .models import Episode, Show

# Private-use characters mark matches in snippets; they are stripped from indexed
# text so content can never forge a highlight, and become <mark> after escaping.
MARK_START, MARK_END = "\ue000", "\ue001"
MAX_QUERY_CHARS = 500
MAX_TERMS = 12
WORD = re.compile(r"\w+")
MARKDOWN_URL = re.compile(r"\]\([^)]*\)|<?https?://\S+")
EPISODE, SEGMENT = "episode", "segment"


@dataclass(frozen=True)
class Hit:
    kind: str
    episode_id: int
    start: float | None
    snippet: str  # plain text with MARK_START / MARK_END around matches


def query_terms(query: str) -> list[str]:
    """The words of a user's query; operators, quotes and punctuation are dropped."""
    words = WORD.findall(query[:MAX_QUERY_CHARS])
    return [w for w in dict.fromkeys(w.lower() for w in words) if w.strip("_")][:MAX_TERMS]


def fts5_expression(terms: list[str]) -> str:
    """Every term quoted, so FTS5 reads none of them as syntax (AND, NEAR, *, column:)."""
    return " ".join('"' + term.replace('"', "") + '"' for term in terms)


def clean_text(text: str) -> str:
    return text.replace("\x00", "").replace(MARK_START, "").replace(MARK_END, "")


def highlight(snippet: str) -> SafeString:
    """Escape a snippet, then turn its match markers into balanced <mark> elements."""
    parts, open_ = [], False
    for piece in re.split(f"([{MARK_START}{MARK_END}])", snippet):
        if piece == MARK_START and not open_:
            parts.append("<mark>")
            open_ = True
        elif piece == MARK_END and open_:
            parts.append("</mark>")
            open_ = False
        elif piece not in (MARK_START, MARK_END):
            parts.append(escape(piece))
    if open_:
        parts.append("</mark>")
    return mark_safe("".join(parts))  # every piece of text was escaped above


def episode_document(episode: Episode) -> tuple[str, str]:
    links = [f"{link.title}\n{link.description}" for link in episode.links.all()]
    notes = MARKDOWN_URL.sub("]", episode.show_notes)
    body = "\n".join([episode.summary, notes, *links])
    return clean_text(episode.title), clean_text(body)


def index_episode(episode: Episode) -> None:
    """Replace the episode's own row (title, summary, notes, link titles) in the index."""
    title, body = episode_document(episode)
    rows = [(EPISODE, episode.pk, episode.pk, None, title, body)]
    with transaction.atomic():
        replace_rows(EPISODE, episode.pk, rows)


def index_transcript(transcript: Transcript) -> None:
    """Replace a transcript's rows in the index: one per segment, with its start time."""
    segments = transcript.segments.values_list("start", "text")
    rows = [
        (SEGMENT, transcript.pk, transcript.episode_id, start, "", clean_text(text))
        for start, text in segments.iterator(chunk_size=2000)
    ]
    with transaction.atomic():
        replace_rows(SEGMENT, transcript.pk, rows)


def remove_transcript(transcript_id: int) -> None:
    with transaction.atomic():
        replace_rows(SEGMENT, transcript_id, [])


def remove_episode(episode_id: int, transcript_ids: Iterable[int]) -> None:
    """Drop a deleted episode's rows and its transcripts' rows from the index."""
    with transaction.atomic():
        replace_rows(EPISODE, episode_id, [])
        for transcript_id in transcript_ids:
            replace_rows(SEGMENT, transcript_id, [])


def replace_rows(kind: str, source_id: int, rows: list[tuple]) -> None:
    if connection.vendor == "sqlite":
        sqlite_replace(kind, source_id, rows)
    elif connection.vendor == "postgresql":
        postgres_replace(kind, source_id, rows)


def sqlite_replace(kind: str, source_id: int, rows: list[tuple]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM search_document WHERE rowid IN "
            "(SELECT id FROM search_meta WHERE kind = %s AND source_id = %s)",
            [kind, source_id],
        )
        cursor.execute(
            "DELETE FROM search_meta WHERE kind = %s AND source_id = %s", [kind, source_id]
        )
        sqlite_insert(cursor, rows)


def sqlite_insert(cursor, rows: Iterable[tuple]) -> None:
    # Ids are handed out here so both tables share them; the caller's transaction
    # (IMMEDIATE on our SQLite settings) holds the write lock meanwhile.
    rows = list(rows)
    cursor.execute("SELECT coalesce(max(id), 0) FROM search_meta")
    first = cursor.fetchone()[0] + 1
    ids = range(first, first + len(rows))
    cursor.executemany(
        "INSERT INTO search_meta (id, kind, source_id, episode_id, segment_start) "
        "VALUES (%s, %s, %s, %s, %s)",
        [(i, *row[:4]) for i, row in zip(ids, rows, strict=True)],
    )
    cursor.executemany(
        "INSERT INTO search_document (rowid, title, body) VALUES (%s, %s, %s)",
        [(i, *row[4:]) for i, row in zip(ids, rows, strict=True)],
    )


def postgres_replace(kind: str, source_id: int, rows: list[tuple]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM search_document WHERE kind = %s AND source_id = %s", [kind, source_id]
        )
        cursor.executemany(
            "INSERT INTO search_document (kind, source_id, episode_id, segment_start, title, body)"
            " VALUES (%s, %s, %s, %s, %s, %s)",
            rows,
        )


def public_filters(show: Show) -> tuple[str, list]:
    """SQL restricting rows to published episodes of the show and their ready transcripts."""
    episodes = Episode.objects.public().filter(show=show).order_by().values("id")
    transcripts = Transcript.objects.servable().filter(episode__in=episodes).order_by().values("id")
    episodes_sql, episodes_params = episodes.query.sql_with_params()
    transcripts_sql, transcripts_params = transcripts.query.sql_with_params()
    sql = (
        f"m.episode_id IN ({episodes_sql}) AND "
        f"(m.kind = '{EPISODE}' OR m.source_id IN ({transcripts_sql}))"
    )
    return sql, [*episodes_params, *transcripts_params]


# Ranking costs a few microseconds per matching row, so a very common word would
# cost seconds at 1,000 hours; beyond this many transcript lines only some are
# ranked (the most recently indexed on SQLite), which keeps the worst case bounded.
# Episode rows (titles, notes, links) are few and always ranked, so a title hit
# is never lost to the cap.
RANK_CANDIDATES = 5000


def search(
    show: Show, query: str, *, offset: int = 0, limit: int = 20, candidates: int = RANK_CANDIDATES
) -> list[Hit]:
    """The best hits for a query among the show's published episodes, best first."""
    terms = query_terms(query)
    if not terms:
        return []
    if connection.vendor == "sqlite":
        return sqlite_search(show, terms, offset, limit, candidates)
    if connection.vendor == "postgresql":
        return postgres_search(show, terms, offset, limit, candidates)
    return []


def sqlite_search(
    show: Show, terms: list[str], offset: int, limit: int, candidates: int
) -> list[Hit]:
    match = fts5_expression(terms)
    where, params = public_filters(show)
    with connection.cursor() as cursor:
        since = sqlite_candidate_floor(cursor, match, where, params, candidates)
        # Rank first and fetch snippets only for the page: snippet() on every match
        # of a common word would cost far more than the ranking itself. Two ranked
        # sets: the rows from the floor up (a rowid range FTS5 walks cheaply) and the
        # episode rows below it (few); an OR of the two would rank every match.
        above = sqlite_ranked("search_document.rowid >= %s", where)
        below = sqlite_ranked(
            "search_document.rowid IN "
            f"(SELECT id FROM search_meta WHERE kind = '{EPISODE}' AND id < %s)",
            where,
        )
        cursor.execute(
            f"SELECT id, kind, episode_id, segment_start FROM ({above} UNION ALL {below}) "
            "ORDER BY score, id LIMIT %s OFFSET %s",
            [match, since, *params, match, since, *params, limit, offset],
        )
        top = cursor.fetchall()
        snippets = sqlite_snippets(cursor, match, [row[0] for row in top])
    return [Hit(kind, ep, start, snippets.get(rowid, "")) for rowid, kind, ep, start in top]


def sqlite_ranked(rows: str, where: str) -> str:
    """The matches among `rows` that `where` lets through, with their bm25 score."""
    return (
        "SELECT search_document.rowid AS id, m.kind, m.episode_id, m.segment_start, "
        "bm25(search_document, 10.0, 1.0) AS score "
        "FROM search_document CROSS JOIN search_meta m ON m.id = search_document.rowid "
        f"WHERE search_document MATCH %s AND {rows} AND {where}"
    )


def sqlite_candidate_floor(cursor, match: str, where: str, params: list, candidates: int) -> int:
    """The lowest rowid worth ranking: all of them unless the show has very many matches."""
    cursor.execute(
        "SELECT search_document.rowid FROM search_document "
        "CROSS JOIN search_meta m ON m.id = search_document.rowid "
        f"WHERE search_document MATCH %s AND {where} "
        "ORDER BY search_document.rowid DESC LIMIT 1 OFFSET %s",
        [match, *params, candidates - 1],
    )
    row = cursor.fetchone()
    return row[0] if row else 0


def sqlite_snippets(cursor, match: str, rowids: list[int]) -> dict[int, str]:
    if not rowids:
        return {}
    marks = ", ".join(["%s"] * len(rowids))
    cursor.execute(
        "SELECT rowid, snippet(search_document, -1, %s, %s, '…', 24) FROM search_document "
        f"WHERE search_document MATCH %s AND rowid IN ({marks})",
        [MARK_START, MARK_END, match, *rowids],
    )
    return dict(cursor.fetchall())


POSTGRES_HEADLINE = f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=30, MinWords=12"


def postgres_search(
    show: Show, terms: list[str], offset: int, limit: int, candidates: int
) -> list[Hit]:
    where, params = public_filters(show)
    # As on SQLite, every episode row and at most `candidates` transcript lines are
    # ranked (any of them: a GIN scan has no order), and ts_headline runs on the
    # page of hits only.
    columns = "m.id, m.kind, m.episode_id, m.segment_start, m.title, m.body, m.document"
    sql = (
        "WITH q AS (SELECT plainto_tsquery('english', %s) AS query), "
        f"candidates AS ((SELECT {columns} FROM search_document m, q "
        f"WHERE m.document @@ q.query AND m.kind = '{EPISODE}' AND {where}) UNION ALL "
        f"(SELECT {columns} FROM search_document m, q "
        f"WHERE m.document @@ q.query AND m.kind = '{SEGMENT}' AND {where} LIMIT %s)), "
        "top AS (SELECT c.*, ts_rank(c.document, q.query) AS score FROM candidates c, q "
        "ORDER BY score DESC, c.id LIMIT %s OFFSET %s) "
        "SELECT top.kind, top.episode_id, top.segment_start, "
        "ts_headline('english', CASE WHEN top.kind = 'episode' THEN top.title || ': ' "
        "ELSE '' END || top.body, q.query, %s) "
        "FROM top, q ORDER BY top.score DESC, top.id"
    )
    args = [" ".join(terms), *params, *params, candidates, limit, offset, POSTGRES_HEADLINE]
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        return [Hit(*row) for row in cursor.fetchall()]


def rebuild_index() -> tuple[int, int]:
    """Index every episode and every ready transcript again; returns how many of each."""
    episodes = Episode.objects.prefetch_related("links")
    transcripts = Transcript.objects.servable()
    for episode in episodes:
        index_episode(episode)
    for transcript in transcripts:
        index_transcript(transcript)
    return episodes.count(), transcripts.count()
