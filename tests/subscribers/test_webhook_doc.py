"""docs/webhook.md's worked examples, run as written (openssl and curl; Python) against a live server."""

import json
import re
import shutil
import subprocess
import sys

import pytest

from subscribers.models import Subscriber
from subscribers.signatures import signature
from tests.conftest import ROOT
from tests.factories import ShowFactory
from tests.missing import missing

DOC = (ROOT / "docs" / "webhook.md").read_text()


def fenced(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC, re.S)


def test_the_documented_signature_is_what_the_site_computes():
    [script] = fenced("sh")
    body = re.search(r"BODY='(.*)'", script).group(1).encode()
    documented = re.search(r"the signature is\s+`([0-9a-f]{64})`", DOC).group(1)
    assert signature("whsec-example", 1800000000, body) == documented


@pytest.mark.django_db(transaction=True)
def test_the_shell_example_creates_a_subscriber(live_server, settings):
    if not (shutil.which("openssl") and shutil.which("curl")):
        missing("needs openssl and curl to run the documented example")
    settings.PODCAST_SUBSCRIBER_WEBHOOK_SECRET = "whsec-example"
    ShowFactory(slug="main")
    [script] = fenced("sh")
    result = subprocess.run(
        ["sh", "-c", script], env={"SITE": live_server.url, "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert json.loads(result.stdout)["ok"] is True, result.stdout + result.stderr
    ann = Subscriber.objects.get(email="ann@example.com")
    assert ann.external_id == "sub_42" and ann.is_active()
    # Then the Python example, as written but for the server's address: it renews.
    [snippet] = fenced("python")
    snippet = snippet.replace("http://127.0.0.1:8000", live_server.url)
    ran = subprocess.run(
        [sys.executable, "-c", snippet], capture_output=True, text=True, timeout=30
    )
    assert json.loads(ran.stdout)["event"] == "renew", ran.stdout + ran.stderr
    ann.refresh_from_db()
    assert ann.expires_at.year == 2028
