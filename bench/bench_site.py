"""The public site: page throughput and full-text search at 1,000 hours of transcripts.

Pages: the episode and transcript pages through Django's WSGI callable, against
WhiteNoise serving a static file of the same bytes (same process, same run), on
the embedded SQLite default and on PostgreSQL (a temporary database on
127.0.0.1, dropped afterwards).

Search: about 9 million words of generated transcripts (1,000 one-hour episodes,
a seeded 50,000-word vocabulary drawn with a Zipf-like law, so some words are
rare and some very common), indexed through index_transcript(); p50 and p95 of
episodes.search.search() for rare and common words against a plain LIKE scan
over the segment table.

Each part runs in a process of its own (Django configures one database per
process). Prints rows `name<TAB>value<TAB>unit<TAB>note`.
"""

import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
REQUESTS = 300
SEARCH_RUNS = 5
Row = tuple[str, float, str, str]


# -- setup ---------------------------------------------------------------------------


def setup_django(data_dir: str, database_url: str | None) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="podcast.settings",
        SECRET_KEY="bench-secret-key",
        DEBUG="0",
        PODCAST_DATA_DIR=data_dir,
        ALLOWED_HOSTS="testserver,127.0.0.1",
        # Every request builds its page: the figure is the page's cost, not a cache hit.
        PODCAST_PAGE_CACHE_SECONDS="0",
    )
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # DEBUG off as in production: pages link the hashed names from the manifest.
    call_command("collectstatic", interactive=False, verbosity=0)


def percentile(samples: list[float], pct: int) -> float:
    return statistics.quantiles(samples, n=100)[pct - 1] if len(samples) > 1 else samples[0]


# -- pages -------------------------------------------------------------------------


def call(app, path: str) -> bytes:
    from wsgiref.util import setup_testing_defaults

    environ = {"PATH_INFO": path, "REQUEST_METHOD": "GET", "HTTP_HOST": "testserver"}
    setup_testing_defaults(environ)
    captured = {}

    def start_response(status, headers, exc_info=None):
        captured["status"] = status

    body = b"".join(app(environ, start_response))
    assert captured["status"].startswith("200"), (path, captured["status"])
    return body


def timed(app, path: str, requests: int = REQUESTS) -> list[float]:
    call(app, path)  # warm caches and templates
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        call(app, path)
        samples.append(time.perf_counter() - started)
    return samples


def measure_page(label: str, db: str, django_app, path: str, static_dir: Path) -> list[Row]:
    from whitenoise import WhiteNoise

    page = call(django_app, path)
    (static_dir / f"{label}.html").write_bytes(page)
    static_app = WhiteNoise(None, root=str(static_dir), prefix="/s/")
    ours, static = timed(django_app, path), timed(static_app, f"/s/{label}.html")
    ours_rps, static_rps = len(ours) / sum(ours), len(static) / sum(static)
    note = f"in-process WSGI, {len(page)} bytes, {db}"
    return [
        (f"{label}_page_rps_{db}", round(ours_rps), "req/s", note),
        (f"{label}_page_p95_{db}", round(percentile(ours, 95) * 1000, 2), "ms", note),
        (
            f"{label}_static_same_size_rps_{db}",
            round(static_rps),
            "req/s",
            "WhiteNoise, same bytes",
        ),
        (f"{label}_page_ratio_{db}", round(ours_rps / static_rps, 3), "x", "ours / static"),
    ]


def pages_part(db: str) -> list[Row]:
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application

    from episodes.models import Episode

    call_command("load_demo", verbosity=0)
    app = get_wsgi_application()
    episode = (
        Episode.objects.published().filter(transcripts__status="ready").order_by("number").first()
    )
    static_dir = Path(tempfile.mkdtemp(prefix="bench-site-static-"))
    rows = measure_page("episode", db, app, episode.get_absolute_url(), static_dir)
    return rows + measure_page("transcript", db, app, episode.transcript_url(), static_dir)


# -- search ------------------------------------------------------------------------

VOCABULARY = 50_000
WORDS_PER_HOUR = 9_000
WORDS_PER_SEGMENT = 15
RARE_RANKS = range(20_000, 20_040)
COMMON_RANKS = range(0, 10)


def vocabulary(rng: random.Random) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    words: dict[str, None] = {}
    while len(words) < VOCABULARY:
        words["".join(rng.choices(letters, k=rng.randint(4, 10)))] = None
    return list(words)


def zipf_weights() -> list[float]:
    cumulative, total = [], 0.0
    for rank in range(1, VOCABULARY + 1):
        total += 1 / rank**1.07
        cumulative.append(total)
    return cumulative


def build_corpus(hours: int) -> tuple[list[str], float]:
    """Create `hours` one-hour published episodes with transcripts, indexed; returns words, secs."""
    from django.db import transaction
    from django.utils import timezone

    from episodes.models import Episode, Show
    from episodes.search import index_transcript
    from transcripts.models import Segment, Transcript

    rng = random.Random(20260203)
    words, weights = vocabulary(rng), zipf_weights()
    show = Show.objects.create(title="Bench", slug="bench", is_default=True, description="x")
    published = timezone.now() - timezone.timedelta(days=1)
    started = time.perf_counter()
    per_episode = WORDS_PER_HOUR // WORDS_PER_SEGMENT
    for number in range(1, hours + 1):
        with transaction.atomic():
            episode = Episode.objects.create(
                show=show, number=number, title=f"Episode {number}", slug=f"e{number}",
                publish_at=published, audio="audio/bench.mp3",
            )  # fmt: skip
            transcript = Transcript.objects.create(
                episode=episode, status="ready", good_build_at=published
            )
            drawn = rng.choices(words, cum_weights=weights, k=per_episode * WORDS_PER_SEGMENT)
            Segment.objects.bulk_create(
                Segment(
                    transcript=transcript,
                    position=i,
                    start=i * 6.0,
                    text=" ".join(drawn[i * WORDS_PER_SEGMENT : (i + 1) * WORDS_PER_SEGMENT]),
                )  # fmt: skip
                for i in range(per_episode)
            )
            index_transcript(transcript)
    return words, time.perf_counter() - started


def bulk_load_postgres(hours: int) -> tuple[list[str], float]:
    """Load as a bulk import would: the GIN index built once after the rows, not per insert."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX search_document_gin")
    words, seconds = build_corpus(hours)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
        cursor.execute("CREATE INDEX search_document_gin ON search_document USING gin (document)")
        cursor.execute("ANALYZE")  # what autovacuum would do after a bulk load
    return words, seconds + time.perf_counter() - started


def time_queries(run, terms: list[str]) -> list[float]:
    samples = []
    for term in terms:
        run(term)  # warm
        for _ in range(SEARCH_RUNS):
            started = time.perf_counter()
            run(term)
            samples.append(time.perf_counter() - started)
    return samples


def like_scan(term: str) -> list:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, transcript_id, start FROM transcripts_segment WHERE text LIKE %s LIMIT 21",
            [f"%{term}%"],
        )
        return cursor.fetchall()


def search_part(db: str, hours: int) -> list[Row]:
    from episodes import search
    from episodes.models import Show

    if db == "postgres":
        words, build_seconds = bulk_load_postgres(hours)
    else:
        words, build_seconds = build_corpus(hours)
    show = Show.objects.get(slug="bench")
    total_words = hours * (WORDS_PER_HOUR // WORDS_PER_SEGMENT) * WORDS_PER_SEGMENT
    rows: list[Row] = [
        (f"search_build_{db}", round(build_seconds, 1), "s",
         f"{hours} h, {total_words / 1e6:.1f}M words: segments + index_transcript()"),
    ]  # fmt: skip
    for kind, ranks in (("rare", RARE_RANKS), ("common", COMMON_RANKS)):
        terms = [words[rank] for rank in ranks]
        hits = [len(search.search(show, t, limit=21)) for t in terms]
        ours = time_queries(lambda t: search.search(show, t, limit=21), terms)
        like = time_queries(like_scan, terms)
        note = f"{len(terms)} words x {SEARCH_RUNS}, first page of 20, {min(hits)}-{max(hits)} hits"
        rows += [
            (f"search_{kind}_p50_{db}", round(percentile(ours, 50) * 1000, 2), "ms", note),
            (f"search_{kind}_p95_{db}", round(percentile(ours, 95) * 1000, 2), "ms", "ranked"),
            (f"like_{kind}_p50_{db}", round(percentile(like, 50) * 1000, 2), "ms",
             "LIKE '%word%' LIMIT 21: unranked, no publish filter"),
            (f"like_{kind}_p95_{db}", round(percentile(like, 95) * 1000, 2), "ms", ""),
            (f"search_{kind}_ratio_{db}", round(percentile(ours, 50) / percentile(like, 50), 3),
             "x", "search p50 / LIKE p50 (below 1: search faster)"),
        ]  # fmt: skip
    return rows


# -- parts in their own processes ------------------------------------------------------


def run_part(part: str, db: str, hours: int = 0) -> None:
    data_dir = tempfile.mkdtemp(prefix="bench-site-")
    database_url = None
    if db == "postgres":
        database_url = create_pg_database()
    try:
        setup_django(data_dir, database_url)
        rows = pages_part(db) if part == "pages" else search_part(db, hours)
        for row in rows:
            print("\t".join(str(cell) for cell in row), flush=True)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
        if database_url:
            from django.db import connections

            connections.close_all()
            drop_pg_database(database_url.rsplit("/", 1)[1])


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
        conn.execute(sql)


def create_pg_database() -> str:
    name = f"bench_site_{os.getpid()}"
    pg_admin(f'CREATE DATABASE "{name}"')
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def drop_pg_database(name: str) -> None:
    pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_available() -> bool:
    try:
        pg_admin("SELECT 1")
        return True
    except Exception:  # noqa: BLE001 - any failure means "not here"
        return False


def subprocess_rows(*args: str, timeout: int = 900) -> list[Row]:
    result = subprocess.run(
        [sys.executable, __file__, *args], cwd=ROOT, capture_output=True, text=True,
        timeout=timeout,
    )  # fmt: skip
    if result.returncode != 0:
        tail = " | ".join(result.stderr.strip().splitlines()[-3:])
        return [(f"bench_site_{'_'.join(args)}", float("nan"), "", f"FAILED: {tail}")]
    return [tuple(line.split("\t")) for line in result.stdout.splitlines() if line.count("\t") == 3]


def run() -> list[Row]:
    hours = int(os.environ.get("BENCH_SEARCH_HOURS", "1000"))
    pg_hours = int(os.environ.get("BENCH_SEARCH_PG_HOURS", str(hours)))
    rows = subprocess_rows("pages", "sqlite")
    rows += subprocess_rows("search", "sqlite", str(hours))
    if not postgres_available():
        return rows + [("postgres", float("nan"), "", f"skipped: no PostgreSQL at {PG_ADMIN_URL}")]
    rows += subprocess_rows("pages", "postgres")
    return rows + subprocess_rows("search", "postgres", str(pg_hours))


if __name__ == "__main__":
    if len(sys.argv) > 1:
        run_part(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 0)
    else:
        for row in run():
            print("\t".join(str(cell) for cell in row), flush=True)
