"""Episode page throughput against WhiteNoise serving a static file of the same size.

Both run in this process through their WSGI callables, so the ratio compares
the work each does per request, not a network stack.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUESTS = 400


def setup_django(data_dir: str) -> None:
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
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # DEBUG off as in production: pages link the hashed names from the manifest.
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("load_demo", verbosity=0)


def environ_for(path: str) -> dict:
    from wsgiref.util import setup_testing_defaults

    environ = {"PATH_INFO": path, "REQUEST_METHOD": "GET", "HTTP_HOST": "testserver"}
    setup_testing_defaults(environ)
    return environ


def call(app, path: str) -> bytes:
    captured = {}

    def start_response(status, headers, exc_info=None):
        captured["status"] = status

    body = b"".join(app(environ_for(path), start_response))
    assert captured["status"].startswith("200"), (path, captured["status"])
    return body


def timed(app, path: str) -> list[float]:
    call(app, path)  # warm caches and templates
    samples = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        call(app, path)
        samples.append(time.perf_counter() - started)
    return samples


def run() -> list[tuple[str, float, str, str]]:
    data_dir = tempfile.mkdtemp(prefix="bench-pages-")
    setup_django(data_dir)
    from django.core.wsgi import get_wsgi_application
    from whitenoise import WhiteNoise

    from episodes.models import Episode

    django_app = get_wsgi_application()
    path = Episode.objects.published().order_by("number").first().get_absolute_url()
    page = call(django_app, path)
    static_dir = Path(data_dir) / "static-copy"
    static_dir.mkdir()
    (static_dir / "episode.html").write_bytes(page)
    static_app = WhiteNoise(None, root=str(static_dir), prefix="/s/")
    ours, static = timed(django_app, path), timed(static_app, "/s/episode.html")
    ours_rps, static_rps = len(ours) / sum(ours), len(static) / sum(static)
    p95 = statistics.quantiles(ours, n=20)[-1] * 1000
    return [
        (
            "episode_page_rps",
            round(ours_rps),
            "req/s",
            f"in-process WSGI, {len(page)} bytes, SQLite",
        ),
        ("episode_page_p95", round(p95, 2), "ms", "in-process WSGI"),
        ("static_same_size_rps", round(static_rps), "req/s", "WhiteNoise, same bytes"),
        ("episode_page_ratio", round(ours_rps / static_rps, 3), "x", "ours / WhiteNoise static"),
    ]


if __name__ == "__main__":
    for row in run():
        print("\t".join(str(cell) for cell in row))
