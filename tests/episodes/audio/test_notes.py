"""episodes.audio.notes: what a file holds, in one line for editors. Pure, no database."""

import dataclasses
import io

from episodes.audio.id3 import Picture
from episodes.audio.notes import describe_audio
from episodes.audio.reading import read_audio
from episodes.audio.tones import tone_mp3


def test_it_describes_a_plain_mp3():
    info = read_audio(io.BytesIO(tone_mp3(2.0, bitrate=64)), name="tone.mp3")
    assert describe_audio(info) == "MPEG-1 Layer III, 64 kbit/s CBR, 44.1 kHz, mono"


def test_it_lists_the_tags_and_the_cover_it_found():
    info = read_audio(io.BytesIO(tone_mp3(2.0)), name="tone.mp3")
    tagged = dataclasses.replace(
        info, title="Home", artist="", album="Bytes", cover=Picture(b"x" * 1234, "image/png", 3)
    )
    assert describe_audio(tagged).endswith(
        '; tags: title "Home", album "Bytes"; cover art 1,234 bytes (image/png)'
    )


def test_an_m4a_says_so_and_counts_its_channels():
    info = read_audio(io.BytesIO(tone_mp3(2.0)), name="tone.mp3")
    m4a = dataclasses.replace(info, mpeg_version=None, layer=None, channels=6, bitrate=128000)
    assert describe_audio(m4a) == "AAC in M4A, 128 kbit/s CBR, 44.1 kHz, 6 channels"
