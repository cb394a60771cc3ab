import datetime as dt
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from episodes.models import Episode
from tests.conftest import ROOT, subprocess_env
from tests.episodes.test_admin_views import queued_tasks
from tests.factories import ShowFactory
from transcripts.models import Transcript


def add_episode(*args: str) -> str:
    out = StringIO()
    call_command("add_episode", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def show(db):
    """The show add_episode adds to when none is named."""
    return ShowFactory(slug="main")


@pytest.fixture
def mp3_file(tmp_path, tone) -> Path:
    path = tmp_path / "episode.mp3"
    path.write_bytes(tone)
    return path


def test_it_creates_a_draft_and_queues_the_audio(
    show, mp3_file, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        out = add_episode("--number", "7", "--title", "Seven things", "--audio", str(mp3_file))
    episode = Episode.objects.get(number=7)
    assert (episode.title, episode.slug, episode.publish_at) == (
        "Seven things",
        "seven-things",
        None,
    )
    assert episode.audio_status == "pending"
    assert episode.audio_upload.name.endswith(".mp3")
    # Besides the feed and page invalidations; the page art is made from the MP3's cover.
    assert queued_tasks(callbacks) == ["extract_audio_metadata", "make_episode_page_art"]
    assert "Created episode #7 'Seven things'" in out and "draft" in out


def test_it_updates_the_same_episode_by_show_and_number(show, mp3_file, tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text("# Notes\n\n- [A link](https://example.org/)\n")
    add_episode("--number", "3", "--title", "First title", "--audio", str(mp3_file))
    out = add_episode(
        "--number",
        "3",
        "--title",
        "Second title",
        "--audio",
        str(mp3_file),
        "--notes",
        str(notes),
        "--publish-at",
        "2030-01-01T09:00:00+00:00",
    )
    episode = Episode.objects.get()
    assert episode.title == "Second title"
    assert "A link" in episode.show_notes
    assert '<a href="https://example.org/"' in episode.show_notes_html  # stored for the pages
    assert episode.is_scheduled()
    assert "Updated episode #3" in out and "scheduled for 2030-01-01T09:00:00+00:00" in out


def test_it_keeps_the_transcript_file_for_the_worker(show, mp3_file, tmp_path):
    transcript = tmp_path / "t.txt"
    transcript.write_text("00:00 Hello there.\n")
    add_episode(
        "--number", "1", "--title", "T", "--audio", str(mp3_file), "--transcript", str(transcript)
    )
    stored = Transcript.objects.get()
    assert stored.status == "pending"
    assert stored.source_file.read() == b"00:00 Hello there.\n"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--audio", "/nonexistent.mp3"], "--audio /nonexistent.mp3: no such file"),
        (["--audio", "{text}"], "not an MP3 or M4A file (checked by content)"),
        (["--audio", "{empty}"], "the file is empty"),
        (
            ["--audio", "{mp3}", "--recorded", "yesterday"],
            "--recorded 'yesterday': expected a date",
        ),
        (["--audio", "{mp3}", "--publish-at", "soon"], "--publish-at 'soon': expected an ISO time"),
        (["--audio", "{mp3}", "--show", "nope"], "no show 'nope' (known shows: main)"),
        (["--audio", "{mp3}", "--notes", "/missing.md"], "--notes /missing.md: no such file"),
        (
            ["--audio", "{mp3}", "--transcript", "/missing.vtt"],
            "--transcript /missing.vtt: no such file",
        ),
        (
            ["--audio", "{mp3}", "--publish", "--publish-at", "2030-01-01T09:00:00+00:00"],
            "argument --publish-at: not allowed with argument --publish",
        ),
        (["--audio", "{mp3}", "--transcript", "{binary}"], "it is not a text file"),
    ],
)
def test_bad_input_gets_a_clear_message_and_creates_nothing(
    show, tmp_path, mp3_file, extra, message
):
    text, empty = tmp_path / "notes.txt", tmp_path / "empty.mp3"
    text.write_text("not audio at all")
    empty.write_bytes(b"")
    binary = tmp_path / "transcript.vtt"
    binary.write_bytes(b"WEBVTT\n\x00\x01\x02")
    args = [a.format(text=text, empty=empty, mp3=mp3_file, binary=binary) for a in extra]
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        add_episode("--number", "1", "--title", "T", *args)
    assert not Episode.objects.exists()
    assert not Transcript.objects.exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--transcript", "/missing.vtt"], "CommandError: --transcript /missing.vtt: no such file"),
        (
            ["--publish", "--publish-at", "2030-01-01T09:00:00+00:00"],
            "error: argument --publish-at: not allowed with argument --publish",
        ),
    ],
    ids=["missing-transcript", "publish-twice"],
)
def test_bad_input_exits_non_zero_from_the_command_line(
    transactional_db, show, media_root, mp3_file, extra, message
):
    command = [sys.executable, "manage.py", "add_episode", "--number", "1", "--title", "T"]
    result = subprocess.run(
        [*command, "--audio", str(mp3_file), *extra],
        cwd=ROOT, env=subprocess_env(media_root), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not Episode.objects.exists()


def test_publish_makes_the_episode_public_from_now(show, mp3_file):
    before = timezone.now()
    out = add_episode("--number", "5", "--title", "Now", "--audio", str(mp3_file), "--publish")
    episode = Episode.objects.get(number=5)
    assert before <= episode.publish_at <= timezone.now()
    assert not episode.is_scheduled()
    assert f"published at {episode.publish_at.isoformat()}" in out
    assert "(public once the audio is ready)" in out
    assert not Episode.objects.published().exists(), "no served audio until the worker reads it"


def test_updating_by_show_and_number_keeps_the_guid(show, mp3_file):
    ShowFactory(slug="other", is_default=False)
    add_episode("--number", "9", "--title", "First", "--audio", str(mp3_file))
    first = Episode.objects.get(show=show, number=9)
    add_episode("--number", "9", "--title", "Second", "--audio", str(mp3_file), "--publish")
    add_episode(
        "--number", "9", "--title", "Elsewhere", "--audio", str(mp3_file), "--show", "other"
    )
    again = Episode.objects.get(show=show, number=9)
    assert (again.pk, again.guid) == (first.pk, first.guid)
    assert (again.title, again.slug) == ("Second", "second")
    other = Episode.objects.get(show__slug="other", number=9)
    assert other.guid != first.guid, "the same number in another show is another episode"


def test_publish_at_in_the_past_publishes_with_that_date(show, mp3_file):
    add_episode("--number", "2", "--title", "T", "--audio", str(mp3_file),
                "--publish-at", "2020-05-01T09:00:00")  # fmt: skip
    episode = Episode.objects.get()
    assert episode.publish_at == dt.datetime(2020, 5, 1, 9, tzinfo=dt.UTC)


def test_wait_gives_up_with_a_hint_when_no_worker_runs(show, mp3_file):
    with pytest.raises(CommandError, match="is a Celery worker running"):
        add_episode(
            "--number", "1", "--title", "T", "--audio", str(mp3_file), "--wait", "--timeout", "0.5"
        )
