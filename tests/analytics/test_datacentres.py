"""PODCAST_DATACENTRE_RANGES: requests from listed networks are flagged before hashing, never counted."""

import io
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from analytics import aggregation
from analytics.datacentres import datacentre_networks
from analytics.models import DailyDownloads, DailyRequests
from tests.conftest import ROOT

from .test_recording import OVERCAST, get


@pytest.fixture
def listed(settings, tmp_path):
    path = tmp_path / "datacentres.txt"
    path.write_text("3.5.140.0/22 AMAZON\n2600:1f00::/24 AMAZON\n")
    settings.PODCAST_DATACENTRE_RANGES = str(path)
    return path


def test_a_download_from_a_listed_network_is_a_datacentre_request_not_a_download(
    client, episode, listed
):
    get(client, episode.download_url(), ip="3.5.141.9")
    get(client, episode.download_url(), ip="2600:1f00:12::5")
    get(client, episode.download_url(), ip="203.0.113.5")  # a listener at home
    aggregation.aggregate_pending()
    assert sum(DailyDownloads.objects.values_list("downloads", flat=True)) == 1
    kinds = dict(DailyRequests.objects.values_list("client_kind", "requests"))
    assert kinds == {"datacentre": 2, "app": 1}


def test_without_a_list_nothing_is_flagged(client, episode, settings):
    settings.PODCAST_DATACENTRE_RANGES = ""
    get(client, episode.download_url(), ip="3.5.141.9")
    aggregation.aggregate_pending()
    assert sum(DailyDownloads.objects.values_list("downloads", flat=True)) == 1


def test_an_access_log_line_from_a_listed_network_is_flagged_too(listed, tmp_path, episode):
    log = tmp_path / "access.log"
    line = '{ip} - - [30/Nov/2026:10:00:00 +0000] "GET {path} HTTP/1.1" 200 {size} "-" "{ua}"\n'
    log.write_text(
        "".join(
            line.format(ip=ip, path=episode.download_url(), size=episode.audio_size, ua=OVERCAST)
            for ip in ("3.5.140.1", "198.51.100.3")
        )
    )
    call_command("import_access_log", "--format", "combined", str(log), stdout=io.StringIO())
    kinds = dict(DailyRequests.objects.values_list("client_kind", "requests"))
    assert kinds == {"datacentre": 1, "app": 1}
    assert sum(DailyDownloads.objects.values_list("downloads", flat=True)) == 1


def test_a_malformed_list_is_refused_naming_the_line(settings, tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("3.5.140.0/22\nAMAZON 3.5.140.0/22\n")
    settings.PODCAST_DATACENTRE_RANGES = str(path)
    with pytest.raises(ImproperlyConfigured, match="line 2: 'AMAZON' is not an IP network"):
        datacentre_networks()


def test_a_process_does_not_start_with_a_missing_list(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "1", "PODCAST_DATA_DIR": str(tmp_path)}
    env["PODCAST_DATACENTRE_RANGES"] = str(tmp_path / "nope.txt")
    done = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode != 0
    assert "PODCAST_DATACENTRE_RANGES=" in done.stderr and "No such file" in done.stderr
