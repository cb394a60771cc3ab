"""`manage.py add_episode --wait` with a real worker process doing the work."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from episodes.models import Episode
from tests.factories import ShowFactory
from transcripts.models import Transcript

pytestmark = pytest.mark.integration


def add_episode(*args: str) -> str:
    out = StringIO()
    call_command("add_episode", *args, "--wait", "--timeout", "90", stdout=out)
    return out.getvalue()


def test_wait_reports_what_the_worker_made_of_audio_and_transcript(worker_factory, tmp_path, tone):
    worker_factory(settings.CELERY_BROKER_URL)
    ShowFactory(slug="main")
    audio, transcript = tmp_path / "204.mp3", tmp_path / "204.txt"
    audio.write_bytes(tone)
    transcript.write_text("00:00 Hello there.\n\n00:01 Hello back.\n")
    out = add_episode("--number", "204", "--title", "Scripted", "--audio", str(audio),
                      "--transcript", str(transcript), "--publish")  # fmt: skip
    episode = Episode.objects.get(number=204)
    assert episode.audio_status == "ready" and episode in Episode.objects.published()
    # The served URL may carry ?v=2 once the worker has also written the ID3 tags.
    assert "Audio ready: 2.0 s, " in out and "served at /episodes/download/204/scripted.mp3" in out
    assert "Transcript ready: text: read 2 lines, made 2 segments" in out
    transcript_row = Transcript.objects.get(episode=episode)
    assert transcript_row.status == "ready"
    texts = list(transcript_row.segments.values_list("text", flat=True))
    assert texts == ["Hello there.", "Hello back."]


def test_wait_exits_non_zero_with_the_workers_reason(worker_factory, tmp_path: Path):
    worker_factory(settings.CELERY_BROKER_URL)
    ShowFactory(slug="main")
    audio = tmp_path / "fake.mp3"
    audio.write_bytes(b"ID3" + b"\x00" * 2000)  # looks like an MP3 to the sniffer, holds no audio
    with pytest.raises(CommandError, match="audio failed: ") as failure:
        add_episode("--number", "1", "--title", "T", "--audio", str(audio))
    episode = Episode.objects.get(number=1)
    assert episode.audio_status == "failed"
    assert episode.audio_error in str(failure.value)
