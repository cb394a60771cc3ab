"""manage.py import_access_log: CDN and storage logs counted by the rules the download view uses.

The logs under logs/ are in the real formats (nginx/Apache combined with the
Range header logged after the user agent, CloudFront standard, S3 server
access); $path, $key, $size and $last stand for the test episode's URL,
stored file name, size and last byte.
"""

import datetime as dt
import gzip
import io
import shutil
from pathlib import Path
from string import Template

import pytest
from django.core.management import CommandError, call_command

from analytics import counting
from analytics.models import DailyDownloads, DailyRequests, Event, ImportedLog

from .test_recording import downloads

LOGS = Path(__file__).with_name("logs")
DAY = dt.date(2026, 11, 30)


@pytest.fixture
def log(tmp_path, episode):
    """The fixture log `name`, filled in for the test episode, written under tmp_path."""

    def write(name: str, target: str | None = None) -> Path:
        text = Template((LOGS / name).read_text()).substitute(
            path=episode.download_url(),
            key=episode.audio.name,
            size=episode.audio_size,
            last=episode.audio_size - 1,
        )
        path = tmp_path / (target or name)
        path.write_text(text)
        return path

    return write


def run(fmt: str, *paths: Path) -> tuple[str, str, bool]:
    """stdout, stderr and whether the command failed."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_access_log", "--format", fmt, *map(str, paths), stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue() + str(error), True
    return out.getvalue(), err.getvalue(), False


def test_the_fixture_ranges_straddle_the_episodes_threshold(episode):
    needed = counting.threshold(episode.audio_size, 90.0, 64_000)
    assert 300_000 < needed <= 600_000  # one 300 kB range is short of a download, two are one


def test_a_combined_log_counts_downloads_by_the_iab_rules_and_lists_the_bad_line(log, episode):
    path = log("access.log")
    out, err, failed = run("combined", path)
    # Overcast (its second full GET the same day adds nothing) and the iPhone whose
    # probe is ignored and whose two ranges add up; not the bot, the HEAD, the 304,
    # nor AntennaPod's two ranges the log does not locate (taken as overlapping).
    assert downloads() == 2
    assert DailyDownloads.objects.get(client="Overcast").day == DAY
    assert failed and f"{path}:8: not in the combined format" in err
    assert "1 line(s) could not be read" in err
    assert f"{path}: 12 line(s), 0 counted before, 12 read;" in out
    assert "9 audio request(s) recorded, 2 download(s) counted, 1 unreadable" in out
    assert "1 not an episode's audio" in out and "1 HEAD, not recorded (as live)" in out
    requests = dict(DailyRequests.objects.values_list("client_kind", "requests"))
    assert requests == {"app": 5, "library": 3, "bot": 1}  # the 304 is a request too


def test_importing_the_same_file_again_counts_nothing_more(log):
    path = log("access.log")
    run("combined", path)
    events = Event.objects.count()
    out, _, _ = run("combined", path)
    assert downloads() == 2 and Event.objects.count() == events
    assert "12 line(s), 12 counted before, 0 read; 0 audio request(s) recorded" in out


def test_a_copy_or_a_gzipped_copy_is_recognised_as_the_same_log(log, tmp_path):
    path = log("access.log")
    run("combined", path)
    copy = tmp_path / "elsewhere.log"
    shutil.copy(path, copy)
    packed = tmp_path / "access.log.1.gz"
    packed.write_bytes(gzip.compress(path.read_bytes()))
    out, _, _ = run("combined", copy, packed)
    assert downloads() == 2
    assert out.count("12 counted before, 0 read") == 2


def test_a_log_that_grew_is_read_on_from_where_the_last_import_stopped(log, episode):
    path = log("access.log")
    run("combined", path)
    later = (
        f'192.0.2.44 - - [30/Nov/2026:18:00:00 +0000] "GET {episode.download_url()} HTTP/1.1" '
        f'200 {episode.audio_size} "-" "Spotify/8.9.10 Android/34 (SM-S918B)"\n'
    )
    with path.open("a") as file:
        file.write(later)
    out, _, failed = run("combined", path)
    assert not failed  # the bad line 8 was reported by the first import, not read again
    assert "13 line(s), 12 counted before, 1 read; 1 audio request(s) recorded, 1 download" in out
    assert downloads() == 3


def test_a_cloudfront_log_keys_ipv6_by_its_64_and_uses_the_logged_ranges(log):
    path = log("cloudfront.log")
    out, err, failed = run("cloudfront", path)
    # The iPhone's two ranges from two addresses of one /64 make one download; the
    # aborted Pocket Casts GET (250 kB) does not; the double-encoded bingbot is a bot.
    assert downloads() == 1
    assert DailyDownloads.objects.get().client == "AppleCoreMedia"
    assert failed and f"{path}:8: 4 tab-separated values, the #Fields line names 33" in err
    assert "5 audio request(s) recorded, 1 download(s) counted" in out
    assert "2 blank or comment" in out


def test_an_s3_access_log_finds_the_episode_by_its_object_key(log):
    path = log("s3.log")
    out, err, failed = run("s3", path)
    # Overcast's GET, Spotify's full GET after its two-byte probe; not python-requests.
    assert downloads() == 2
    assert set(DailyDownloads.objects.values_list("client", flat=True)) == {"Overcast", "Spotify"}
    assert failed and f"{path}:6: not in the S3 server access log format" in err
    assert "4 audio request(s) recorded, 2 download(s) counted" in out


def test_the_files_of_one_run_share_a_past_days_listeners(log, episode, tmp_path):
    """A CDN writes many files a day: a listener's ranges in two files still add up."""
    lines = log("access.log").read_text().splitlines(keepends=True)
    first, second = tmp_path / "a.log", tmp_path / "b.log"
    first.write_text("".join(lines[:3]))  # the probe and the first 300 kB
    second.write_text(lines[3])  # the next 300 kB
    run("combined", first, second)
    assert downloads(client="AppleCoreMedia") == 1
    assert ImportedLog.objects.count() == 2


def test_a_missing_file_is_refused_before_anything_is_read(db, tmp_path):
    out, err, failed = run("combined", tmp_path / "nope.log")
    assert failed and "no such file" in err
    assert not ImportedLog.objects.exists()
