"""add_subscriber, revoke_subscriber and add_episode --premium, as a script runs them."""

import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from episodes.models import Episode
from subscribers.models import Subscriber
from tests.conftest import ROOT, subprocess_env
from tests.factories import with_served_audio
from tests.subscribers.conftest import local

pytestmark = pytest.mark.django_db


def command(name: str, *args: str) -> str:
    out = StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


def test_add_subscriber_prints_a_working_feed_url_last(show, premium_episode):
    out = command("add_subscriber", "--show", "main", "--email", "ann@example.com", "--name", "Ann")
    url = out.strip().splitlines()[-1]
    subscriber = Subscriber.objects.get(email="ann@example.com")
    assert subscriber.name == "Ann" and subscriber.source == "command"
    assert url.endswith(f"/feeds/{subscriber.token}/rss")
    feed = Client().get(local(url))
    assert feed.status_code == 200 and b"Members only bonus" in feed.content


def test_add_subscriber_with_an_expiry_covers_that_whole_day(show):
    out = command("add_subscriber", "--show", "main", "--email", "ann@example.com",
                  "--expires", "2099-12-31")  # fmt: skip
    subscriber = Subscriber.objects.get()
    assert subscriber.expires_at.date().isoformat() in ("2099-12-31", "2100-01-01")
    assert subscriber.is_active() and "until 2099-12-31" in out


def test_adding_a_revoked_subscriber_again_gives_a_new_feed_url(show, subscriber):
    old = subscriber.token
    subscriber.revoke()
    out = command("add_subscriber", "--show", "main", "--email", subscriber.email)
    subscriber.refresh_from_db()
    assert subscriber.is_active() and subscriber.token != old
    assert out.strip().splitlines()[-1].endswith(f"/feeds/{subscriber.token}/rss")
    assert Client().get(f"/feeds/{old}/rss").status_code == 404


def test_revoke_subscriber_makes_the_feed_gone(show, subscriber, public_episode):
    assert Client().get(f"/feeds/{subscriber.token}/rss").status_code == 200
    out = command("revoke_subscriber", "--show", "main", "--email", "ann@example.com")
    assert "410 Gone" in out
    assert Client().get(f"/feeds/{subscriber.token}/rss").status_code == 410


@pytest.mark.parametrize(
    ("name", "args", "message"),
    [
        ("add_subscriber", ["--show", "nope", "--email", "a@example.com"], "no show 'nope'"),
        ("add_subscriber", ["--show", "main", "--email", "not-an-email"], "not an email"),
        ("add_subscriber", ["--show", "main", "--email", "a@example.com", "--expires", "2001-01-01"],
         "that day is past"),
        ("add_subscriber", ["--show", "main", "--email", "a@example.com", "--expires", "soon"],
         "YYYY-MM-DD"),
        ("revoke_subscriber", ["--show", "main", "--email", "who@example.com"], "no subscriber"),
    ],
)  # fmt: skip
def test_bad_input_gets_a_clear_message(show, name, args, message):
    with pytest.raises(CommandError, match=message):
        command(name, *args)
    assert not Subscriber.objects.exists()


def test_a_bad_show_exits_non_zero_from_the_command_line(show, media_root):
    args = ["add_subscriber", "--show", "nope", "--email", "a@example.com"]
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=subprocess_env(media_root),
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode != 0 and "no show 'nope'" in result.stderr


def test_add_episode_premium_reaches_subscribers_only(show, subscriber, tone, tmp_path):
    audio = tmp_path / "bonus.mp3"
    audio.write_bytes(tone)
    out = command("add_episode", "--show", "main", "--number", "7", "--title", "Extra",
                  "--audio", str(audio), "--publish", "--premium")  # fmt: skip
    assert "for subscribers only" in out
    episode = Episode.objects.get(number=7)
    assert episode.premium
    with_served_audio(episode, tone)  # as the worker does
    assert b"Extra" in Client().get(f"/feeds/{subscriber.token}/rss").content
    assert b"Extra" not in Client().get("/episodes/rss").content
    assert Client().get(episode.get_absolute_url()).status_code == 404
