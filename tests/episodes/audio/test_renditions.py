"""The Opus rendition (pure, PyAV): as long as the MP3, its integrity string its own bytes."""

import base64
import hashlib
from pathlib import Path

import pytest

from episodes.audio.renditions import RenditionError, encode_opus, media_duration, sri_sha384
from episodes.audio.tones import tone_mp3


@pytest.fixture(scope="module")
def mp3(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("opus") / "tone.mp3"
    path.write_bytes(tone_mp3(12.0))
    return path


def test_the_opus_copy_lasts_as_long_as_the_mp3(mp3, tmp_path):
    rendition = encode_opus(mp3, tmp_path / "tone.opus")
    assert abs(media_duration(tmp_path / "tone.opus") - media_duration(mp3)) < 1.0
    assert abs(rendition.duration - 12.0) < 1.0
    assert rendition.size == (tmp_path / "tone.opus").stat().st_size
    assert 30_000 < rendition.bitrate < 120_000
    assert (tmp_path / "tone.opus").read_bytes()[:4] == b"OggS"


def test_the_integrity_string_is_the_sri_sha384_of_the_bytes(mp3, tmp_path):
    rendition = encode_opus(mp3, tmp_path / "tone.opus")
    digest = hashlib.sha384((tmp_path / "tone.opus").read_bytes()).digest()
    assert rendition.integrity == "sha384-" + base64.b64encode(digest).decode()
    with (tmp_path / "tone.opus").open("rb") as encoded:
        assert sri_sha384(encoded) == rendition.integrity


@pytest.mark.parametrize("data", [b"", b"ID3" + b"\0" * 400, b"not audio at all" * 100])
def test_input_that_is_not_audio_is_refused_in_words_and_leaves_no_file(tmp_path, data):
    (tmp_path / "bad.mp3").write_bytes(data)
    with pytest.raises(RenditionError, match="could not be read"):
        encode_opus(tmp_path / "bad.mp3", tmp_path / "bad.opus")
    assert not (tmp_path / "bad.opus").exists()
