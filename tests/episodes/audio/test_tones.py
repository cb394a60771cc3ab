"""episodes.audio.tones: the test tones every audio test starts from. Pure, no database."""

import io

import pytest

from episodes.audio.reading import read_audio
from episodes.audio.tones import tone_mp3, tone_pcm


@pytest.mark.parametrize(("seconds", "rate"), [(1.0, 44100), (0.5, 22050)])
def test_the_pcm_holds_one_16_bit_sample_per_tick(seconds, rate):
    assert len(tone_pcm(seconds, sample_rate=rate)) == int(seconds * rate) * 2


@pytest.mark.parametrize(("seconds", "bitrate"), [(3.0, 64), (10.0, 128)])
def test_the_mp3_lasts_what_was_asked_at_its_bitrate(seconds, bitrate):
    info = read_audio(io.BytesIO(tone_mp3(seconds, bitrate=bitrate)), name="tone.mp3")
    assert info.duration == pytest.approx(seconds, abs=0.1)
    assert (info.bitrate, info.channels, info.vbr) == (bitrate * 1000, 1, False)
