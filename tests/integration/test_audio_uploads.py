"""Real MP3s from other projects' test suites, uploaded through the admin, read by a real worker."""

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from episodes.models import Episode
from tests.factories import ShowFactory
from tests.formdata import admin_form_data
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.integration


@dataclass(frozen=True)
class Expected:
    status: str
    phrase: str = ""  # in the error or the notes an editor reads
    duration: float | None = None  # seconds, within 0.05
    bitrate_kbps: int | None = None
    sample_rate: int | None = None
    chapters: tuple[str, ...] = ()


# Every MP3 in ../shared/data/mp3. Durations are what the frames decode to; the upstream
# facts in shared/data/README.md (3.77 s, 2.052 s, 3.68475 s, 61.7 s by the header ...)
# differ where those tests read the header or count the encoder's padding.
CASES = {
    "mutagen/silence-44-s.mp3": Expected("ready", "Layer III, 32 kbit/s CBR", 3.74, 32, 44100),
    "mutagen/xing.mp3": Expected("ready", "", 2.04, 32, 44100),
    "mutagen/silence-44-s-mpeg2.mp3": Expected("ready", "MPEG-2 Layer III", 3.68, 18, 24000),
    "mutagen/bad-xing.mp3": Expected("ready", "truncated upload?", 0.10, 148, 44100),
    "mutagen/lame.mp3": Expected("ready", "VBR", 0.06, 128, 44100),
    "mutagen/no-tags.mp3": Expected("ready", "VBR", 0.06, 160, 44100),
    "mutagen/id3v22-test.mp3": Expected("ready", 'title "cosmic american"', 0.13, 160, 44100),
    "mutagen/too-short.mp3": Expected("failed", "too short to use"),
    "mutagen/emptyfile.mp3": Expected("failed", "the file is empty"),
    "music-metadata/chapters.mp3": Expected(
        "ready",
        "3 chapters read from the file",
        2.0,
        47,
        16000,
        ("Introduction", "New chapter", "Chapter 1"),
    ),
    "music-metadata/incomplete.mp3": Expected("ready", "truncated upload?", 49.24, 64, 22050),
    "music-metadata/id3v2.4.mp3": Expected("ready", "cover art 80,938 bytes", 0.73, 128, 44100),
    "music-metadata/silence-2s-16000_no-tags.CBR-128.mp3": Expected("ready", "", 2.0, 128, 16000),
    "mp3-parser/id3v2.3-chap-iso-8859-1.mp3": Expected(
        "ready", "2 chapters read from the file", 6.06, 128, 44100, ("Chapter 1", "Title")
    ),
}


def upload_through_admin(client, episode: Episode, name: str, data: bytes) -> None:
    url = reverse("admin:episodes_episode_change", args=[episode.pk])
    form = admin_form_data(client.get(url).content.decode())
    form["new_audio"] = SimpleUploadedFile(name.rsplit("/", 1)[-1], data, "audio/mpeg")
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]


def test_every_real_mp3_ends_in_the_right_state(worker_factory, admin_client, shared_data):
    assert sorted(CASES) == sorted(
        str(path.relative_to(shared_data / "mp3")) for path in (shared_data / "mp3").rglob("*.mp3")
    ), "every real MP3 has its expected outcome here"
    worker_factory(settings.CELERY_BROKER_URL)
    show = ShowFactory(slug="main")
    episodes = {}
    for number, name in enumerate(CASES, start=1):
        episode = Episode.objects.create(
            show=show, number=number, title=f"T{number}", slug=f"t{number}"
        )
        upload_through_admin(admin_client, episode, name, (shared_data / "mp3" / name).read_bytes())
        episodes[name] = episode
    for name, expected in CASES.items():
        episode = episodes[name]
        assert wait_for(
            lambda e=episode: e.refresh_from_db() or e.audio_status in ("ready", "failed")
        )
        check(episode, expected, (shared_data / "mp3" / name).stat().st_size, name)
        # The editor can save the form again as the worker left it.
        url = reverse("admin:episodes_episode_change", args=[episode.pk])
        form = admin_form_data(admin_client.get(url).content.decode())
        assert admin_client.post(url, form).status_code == 302, name


def check(episode: Episode, expected: Expected, size: int, name: str) -> None:
    assert episode.audio_status == expected.status, (name, episode.audio_error)
    assert episode.audio_upload, "the uploaded file is kept in every case"
    assert episode.audio_upload.size == size
    assert expected.phrase in f"{episode.audio_error}\n{episode.audio_notes}", name
    if expected.status == "failed":
        assert not episode.audio and episode.audio_duration is None, name
        return
    assert episode.audio_duration == pytest.approx(expected.duration, abs=0.05), name
    assert episode.audio_size == size and episode.audio_mime_type == "audio/mpeg", name
    assert round(episode.audio_bitrate / 1000) == expected.bitrate_kbps, name
    assert (episode.audio_sample_rate, episode.audio_channels) == (expected.sample_rate, 2), name
    assert tuple(c.title for c in episode.chapters.all()) == expected.chapters, name


def test_an_empty_file_is_kept_and_the_editor_told_at_once(admin_client, transactional_db):
    show = ShowFactory(slug="main")
    episode = Episode.objects.create(show=show, number=1, title="T", slug="t")
    url = reverse("admin:episodes_episode_change", args=[episode.pk])
    form = admin_form_data(admin_client.get(url).content.decode())
    form["new_audio"] = SimpleUploadedFile("empty.mp3", b"", "audio/mpeg")
    response = admin_client.post(url, form, follow=True)
    assert "empty.mp3 is empty" in " ".join(str(m) for m in response.context["messages"])
    episode.refresh_from_db()
    assert episode.audio_upload and episode.audio_status == "pending"
