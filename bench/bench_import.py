"""Import a 500-item real feed (Giant Bombcast) with its audio from a local old host.

Two phases, as in production: the command reads the feed and creates 500 drafts;
then each item's files are fetched and read (the worker task's body, called in
this process so the figure is the work, not the broker). The baseline, in the
same run, is the editor's path for the same MP3s: store an upload and read it
with the same audio pipeline. The ratio says what fetching over HTTP (through
the SSRF checks) and the import's own work cost per episode on top.
"""

import time
from pathlib import Path

import django_env

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
ITEMS = 500


def first_items(feed: bytes, count: int) -> bytes:
    end = 0
    for _ in range(count):
        end = feed.index(b"</item>", end) + len(b"</item>")
    return feed[:end] + b"\n</channel>\n</rss>\n"


def row(name: str, value: float, unit: str, note: str = "") -> None:
    print(f"{name}\t{value:.2f}\t{unit}\t{note}")


def main() -> None:
    if not SHARED.is_dir():
        print(f"import\tskipped\t\tneeds {SHARED}")
        return
    django_env.setup_django("bench-import-", PODCAST_IMPORT_ALLOWED_NETWORKS="127.0.0.0/8")
    from django.core.files.base import ContentFile

    from episodes.importing import media
    from episodes.importing.services import import_feed, plan_import
    from episodes.models import Episode, ProcessingStatus, Show
    from episodes.services import process_audio, store_audio_upload
    from tests.episodes.importing.feedhost import FeedHost

    host = FeedHost(SHARED)
    feed = first_items((SHARED / "feeds/rss-parser/giantbomb-podcast.rss").read_bytes(), ITEMS)
    url = host.serve(feed)

    started = time.perf_counter()
    plan, _ = plan_import(url=url)
    feed_import = import_feed(plan=plan)
    drafts = time.perf_counter() - started
    assert feed_import.created == ITEMS, feed_import.report

    started = time.perf_counter()
    for item_id in feed_import.items.values_list("pk", flat=True):
        media.fetch_item_files(imported_id=item_id)
    files = time.perf_counter() - started
    ready = Episode.objects.filter(audio_status=ProcessingStatus.READY).count()
    assert ready == ITEMS, f"{ready} of {ITEMS} ready"

    # Baseline: the same MP3s uploaded by an editor and read by the same pipeline.
    show = Show.objects.create(title="Baseline", slug="baseline", description="b")
    episodes = [
        Episode.objects.create(show=show, number=n, title=f"E{n}", slug=f"e{n}")
        for n in range(1, ITEMS + 1)
    ]
    mp3s = [answer.body for answer in host.mp3s]
    started = time.perf_counter()
    for n, episode in enumerate(episodes):
        upload = ContentFile(mp3s[n % len(mp3s)], name="upload.mp3")
        store_audio_upload(episode=episode, upload=upload)
        process_audio(episode_id=episode.pk)
    baseline = time.perf_counter() - started
    host.close()

    per_episode = (drafts + files) / ITEMS * 1000
    row(
        "import: read feed + 500 drafts", drafts, "s", f"{drafts / ITEMS * 1000:.1f} ms per episode"
    )
    row(
        "import: fetch + read audio (worker part)",
        files,
        "s",
        f"{files / ITEMS * 1000:.1f} ms per episode",
    )
    row("import: per episode, all in", per_episode, "ms", f"{ITEMS} items, local old host")
    row("baseline: editor upload + read, per episode", baseline / ITEMS * 1000, "ms", "same MP3s")
    row("import / upload per episode", per_episode / (baseline / ITEMS * 1000), "x", "")


if __name__ == "__main__":
    main()
