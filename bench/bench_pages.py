"""Episode page throughput against WhiteNoise serving a static file of the same size.

Both run in this process through their WSGI callables, so the ratio compares
the work each does per request, not a network stack.
"""

import statistics
import tempfile
from pathlib import Path

import bench_site
from bench_site import call, timed

REQUESTS = 400


def setup_django(data_dir: str) -> None:
    """bench_site's setup (migrate, collectstatic with DEBUG off), then the demo shows."""
    bench_site.setup_django(data_dir, None)
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)


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
    ours = timed(django_app, path, REQUESTS)
    static = timed(static_app, "/s/episode.html", REQUESTS)
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
