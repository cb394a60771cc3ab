"""episodes.audio.reading, .id3 and .frames: pure, no database.

Ground truth for lengths comes from MP3s encoded here with LAME from a known
number of PCM samples; the real files in ../shared/data carry the facts their
upstream tests assert.
"""

import io
import math
import struct
from array import array
from functools import cache
from pathlib import Path

import lameenc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mutagen.mp3 import MP3

from episodes.audio.frames import find_first_frame, parse_header
from episodes.audio.reading import (
    AudioError,
    count_mp3_frames,
    read_audio,
)
from tests.conftest import SHARED_DATA

DATA = SHARED_DATA / "mp3"
needs_data = pytest.mark.usefixtures("shared_data")  # skips without it, fails in strict mode
# LAME adds its encoder delay and pads the last frame: up to ~0.08 s beyond the PCM.
REAL_LENGTH_TOLERANCE = 0.5
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


# --- material -------------------------------------------------------------------------------


@cache
def encode(seconds: int, *, vbr: bool = False, rate: int = 44100, kbps: int = 64) -> bytes:
    """Encode `seconds` of a tone (loud and quiet in turn, so VBR frames vary) with LAME."""
    encoder = lameenc.Encoder()
    encoder.set_in_sample_rate(rate)
    encoder.set_channels(1)
    encoder.set_quality(7)
    if vbr:
        encoder.set_vbr(4)
        encoder.set_vbr_quality(2)
    else:
        encoder.set_bit_rate(kbps)
    return bytes(encoder.encode(tone(seconds, rate)) + encoder.flush())


def tone(seconds: int, rate: int) -> bytes:
    step = 2 * math.pi * 440 / rate
    second = array("h", (int(12000 * math.sin(step * i)) for i in range(rate)))
    quiet = array("h", (v // 64 for v in second))
    return b"".join((second if s % 3 else quiet).tobytes() for s in range(seconds))


def with_xing(stream: bytes, *, frames: int | None = None, kind: bytes = b"Xing") -> bytes:
    """Put a Xing/Info frame in front of `stream`, as LAME does when it writes to a file."""
    head = stream[:4]
    header = parse_header(head)
    side_info = 17 if header.channels == 1 else 32
    audio_frames = count_mp3_frames(io.BytesIO(stream)).frames
    body = kind + struct.pack(">III", 3, frames or audio_frames, len(stream) + header.length)
    frame = head + bytes(side_info) + body
    return frame.ljust(header.length, b"\0") + stream


def read(data: bytes, **kwargs):
    return read_audio(io.BytesIO(data), **kwargs)


# --- lengths of generated files -------------------------------------------------------------


@pytest.mark.parametrize("count_frames", [None, True])
@pytest.mark.parametrize(
    "seconds, vbr, rate",
    [(20, True, 44100), (30, False, 44100), (20, True, 22050), (12, True, 11025)],
)
def test_it_reads_the_real_length_of_a_file_without_a_vbr_header(seconds, vbr, rate, count_frames):
    info = read(encode(seconds, vbr=vbr, rate=rate), count_frames=count_frames)
    assert info.frames_counted
    assert info.duration == pytest.approx(seconds, abs=REAL_LENGTH_TOLERANCE)
    assert info.vbr is vbr


def test_it_notes_that_mutagens_guess_for_a_vbr_file_without_a_header_was_wrong():
    mutagen_guess = MP3(io.BytesIO(encode(20, vbr=True))).info.length
    info = read(encode(20, vbr=True))
    assert abs(mutagen_guess - 20) > 3  # the bug this module exists for
    assert info.header_duration == mutagen_guess
    assert "no VBR header" in info.notes[0]
    # The average, not the first frame's (which made mutagen's guess).
    assert info.bitrate == pytest.approx(info.size * 8 / info.duration, rel=0.02)


def test_it_trusts_a_sound_xing_header_without_counting_the_frames():
    info = read(with_xing(encode(20, vbr=True)))
    assert not info.frames_counted
    assert info.duration == pytest.approx(20, abs=REAL_LENGTH_TOLERANCE)
    assert info.notes == ()


@pytest.mark.parametrize("count_frames", [None, True])
def test_it_counts_the_frames_of_a_truncated_upload_and_says_so(count_frames):
    whole = with_xing(encode(40), kind=b"Info")
    info = read(whole[: len(whole) // 2], count_frames=count_frames)
    assert info.frames_counted
    assert info.duration == pytest.approx(20, abs=REAL_LENGTH_TOLERANCE)
    assert info.header_duration == pytest.approx(40, abs=REAL_LENGTH_TOLERANCE)
    assert info.notes == (
        "the file ends after 20 s but its header promises 40 s: truncated upload?",
    )


@pytest.mark.parametrize("count_frames", [None, True])
def test_it_counts_the_frames_when_the_xing_header_doubles_their_number(count_frames):
    stream = encode(20, vbr=True)
    frames = count_mp3_frames(io.BytesIO(stream)).frames
    info = read(with_xing(stream, frames=2 * frames), count_frames=count_frames)
    assert info.duration == pytest.approx(20, abs=REAL_LENGTH_TOLERANCE)
    assert info.header_duration == pytest.approx(40, abs=REAL_LENGTH_TOLERANCE)
    assert "truncated upload?" in info.notes[0]


def test_it_takes_the_header_at_its_word_when_told_not_to_count():
    info = read(encode(20, vbr=True), count_frames=False)
    assert not info.frames_counted
    assert info.duration == info.header_duration


def test_it_steps_over_damage_between_frames():
    stream = encode(20)
    middle = len(stream) // 2
    damaged = stream[:middle] + b"\x00\xff\xfe" * 3000 + stream[middle:]
    info = read(damaged)
    assert info.duration == pytest.approx(20, abs=REAL_LENGTH_TOLERANCE)
    assert "damaged data between frames were skipped" in info.notes[-1]


def test_it_ignores_id3v1_ape_and_lyrics_trailers():
    item = struct.pack("<II", 5, 0) + b"Title\0hello"
    ape = item + b"APETAGEX" + struct.pack("<IIII8x", 2000, len(item) + 32, 1, 0)
    lyrics = b"LYRICSBEGININD0000210"
    lyrics += b"%06dLYRICS200" % len(lyrics)
    id3v1 = b"TAG" + bytes(125)
    stream = encode(10)
    plain = count_mp3_frames(io.BytesIO(stream))
    tagged = count_mp3_frames(io.BytesIO(stream + ape + lyrics + id3v1))
    assert (tagged.frames, tagged.tail_bytes, tagged.skipped_bytes) == (plain.frames, 0, 0)


# --- the frame scanner ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "header, version, layer, bitrate, rate, length, samples",
    [
        ("FFFB9064", 1, 3, 128000, 44100, 417, 1152),
        ("FFFB9264", 1, 3, 128000, 44100, 418, 1152),  # padding byte
        ("FFF38064", 2, 3, 64000, 22050, 208, 576),
        ("FFE31844", 2.5, 3, 8000, 8000, 72, 576),
        ("FFFD9400", 1, 2, 160000, 48000, 480, 1152),
        ("FFF5E400", 2, 2, 160000, 24000, 960, 1152),
        ("FFFFE400", 1, 1, 448000, 48000, 448, 384),
        ("FFFFE600", 1, 1, 448000, 48000, 452, 384),  # Layer I pads by a 4-byte slot
    ],
)
def test_it_computes_frame_lengths_for_every_mpeg_version_and_layer(
    header, version, layer, bitrate, rate, length, samples
):
    parsed = parse_header(bytes.fromhex(header))
    assert (parsed.version, parsed.layer, parsed.bitrate) == (version, layer, bitrate)
    assert (parsed.sample_rate, parsed.length, parsed.samples) == (rate, length, samples)


@pytest.mark.parametrize(
    "header",
    [
        "FFEB9064",  # reserved MPEG version
        "FFF99064",  # reserved layer
        "FFFBF064",  # forbidden bitrate index
        "FFFB0064",  # free format: no length in the header
        "FFFB9C64",  # reserved sample rate
        "FFF15080",  # ADTS AAC
        "00000000",
        "FFFB",  # too short
    ],
)
def test_it_refuses_headers_that_are_reserved_free_format_or_aac(header):
    assert parse_header(bytes.fromhex(header)) is None


def test_it_adds_up_files_joined_with_cat_even_at_different_rates_and_with_tags():
    tag = b"ID3\x04\x00\x00" + bytes((0, 0, 1, 0)) + bytes(128)
    joined = tag + encode(10) + tag + encode(5, rate=22050, kbps=32) + tag + encode(3, kbps=128)
    scan = count_mp3_frames(io.BytesIO(joined))
    assert scan.duration == pytest.approx(18, abs=REAL_LENGTH_TOLERANCE)
    assert (scan.skipped_bytes, scan.tail_bytes, scan.vbr) == (0, 0, True)


def test_it_counts_frames_after_an_id3v2_tag():
    stream = encode(5)
    tag = b"ID3\x04\x00\x00" + bytes((0, 0, 8, 0)) + b"\xff" * 1024  # stray syncs inside the tag
    scan = count_mp3_frames(io.BytesIO(tag + stream))
    assert scan.frames == count_mp3_frames(io.BytesIO(stream)).frames
    assert scan.first_offset == len(tag)
    assert (scan.frames, scan.duration, scan.audio_bytes)[2] == len(stream)


def test_it_does_not_count_a_frame_the_file_cuts_off():
    stream = encode(5)
    whole = count_mp3_frames(io.BytesIO(stream))
    cut = count_mp3_frames(io.BytesIO(stream[:-10]))
    assert (cut.frames, cut.cut_off) == (whole.frames - 1, True)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cut=st.integers(min_value=0, max_value=len(encode(3))))
def test_it_never_counts_more_than_the_bytes_hold(cut):
    scan = count_mp3_frames(io.BytesIO(encode(3)[:cut]))
    assert 0 <= scan.audio_bytes <= cut
    assert scan.duration <= 3.1


def test_it_finds_no_frame_in_text_or_zeros():
    for data in (b"hello " * 1000, bytes(10000)):
        assert find_first_frame(io.BytesIO(data), 0, len(data)) is None
        assert count_mp3_frames(io.BytesIO(data)).frames == 0


# --- files that cannot be used --------------------------------------------------------------


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "the file is empty"),
        (
            b"just some text, not audio\n" * 100,
            "no MPEG audio frame found: this is not an MP3 file",
        ),
        (bytes(5000), "no MPEG audio frame found: this is not an MP3 file"),
        (b"ID3\x03\0\0\0\0\0\x10" + bytes(16) + bytes(100), "this is not an MP3 file"),
    ],
)
def test_it_explains_why_a_file_holds_no_usable_audio(data, message):
    with pytest.raises(AudioError, match=message):
        read(data)


# --- real files -----------------------------------------------------------------------------


@needs_data
@pytest.mark.parametrize(
    "path, duration, tolerance, bitrate, version, rate, channels, vbr",
    [
        ("mutagen/silence-44-s.mp3", 3.77, 0.05, 32000, 1, 44100, 2, False),
        ("mutagen/xing.mp3", 2.052, 0.05, 32000, 1, 44100, 2, False),
        ("mutagen/silence-44-s-mpeg2.mp3", 3.68475, 0.001, None, 2, 24000, 2, True),
        ("music-metadata/id3v2.4.mp3", 0.73, 0.01, 128000, 1, 44100, 2, False),
        ("music-metadata/incomplete.mp3", 49.24, 0.01, 64000, 2, 22050, 2, False),
        (
            "music-metadata/silence-2s-16000_no-tags.CBR-128.mp3",
            2.0,
            0.01,
            128000,
            2,
            16000,
            2,
            False,
        ),
    ],
)
def test_it_reads_the_facts_upstream_tests_assert_about_real_mp3s(
    path, duration, tolerance, bitrate, version, rate, channels, vbr
):
    with open(DATA / path, "rb") as fileobj:
        info = read_audio(fileobj, name=Path(path).name)
    assert info.duration == pytest.approx(duration, abs=tolerance)
    assert (info.mpeg_version, info.layer, info.sample_rate) == (version, 3, rate)
    assert (info.channels, info.vbr, info.mime_type) == (channels, vbr, "audio/mpeg")
    assert bitrate is None or info.bitrate == bitrate


@needs_data
def test_it_reads_title_and_front_cover_of_an_id3v24_file():
    with open(DATA / "music-metadata/id3v2.4.mp3", "rb") as fileobj:
        info = read_audio(fileobj)
    assert info.title == "Home"
    assert (len(info.cover.data), info.cover.mime, info.cover.picture_type) == (
        80938,
        "image/jpeg",
        3,
    )


@needs_data
def test_it_tells_an_editor_that_incomplete_mp3_is_a_truncated_download():
    with open(DATA / "music-metadata/incomplete.mp3", "rb") as fileobj:
        info = read_audio(fileobj)
    assert info.frames_counted
    assert info.header_duration == pytest.approx(61.7, abs=0.1)
    assert info.notes == (
        "the file has no VBR header, so its length was estimated at 62 s; its frames hold 49 s,"
        " which is used",
        "the last 99 KB of the file hold no audio: truncated upload?",
    )


@needs_data
@pytest.mark.parametrize("count_frames", [None, True])
def test_it_counts_the_frames_behind_a_xing_header_that_says_zero(count_frames):
    with open(DATA / "mutagen/bad-xing.mp3", "rb") as fileobj:
        info = read_audio(fileobj, count_frames=count_frames)
    assert info.header_duration == 0
    assert info.duration == pytest.approx(0.1045, abs=0.001)
    assert info.notes[0] == "the Xing header gives no length: 0.104 s counted from the frames"
    assert "truncated upload?" in info.notes[1]


@needs_data
@pytest.mark.parametrize(
    "path, count_frames, message",
    [
        ("mutagen/bad-xing.mp3", False, "lasts 0 s"),
        ("mutagen/emptyfile.mp3", None, "^the file is empty$"),
        ("mutagen/too-short.mp3", None, "^the file holds only 0.026 s of MPEG audio: too short"),
    ],
)
def test_it_never_reports_zero_seconds_nor_mutagens_bare_errors(path, count_frames, message):
    with open(DATA / path, "rb") as fileobj, pytest.raises(AudioError, match=message):
        read_audio(fileobj, count_frames=count_frames)


@needs_data
def test_it_reads_chapters_in_table_of_contents_order_with_urls_and_images():
    with open(DATA / "music-metadata/chapters.mp3", "rb") as fileobj:
        info = read_audio(fileobj)
    first, *_, last = info.chapters
    assert [c.title for c in info.chapters] == ["Introduction", "New chapter", "Chapter 1"]
    assert (first.start, first.end, first.url) == (
        0,
        1.0,
        "https://github.com/Borewit/music-metadata",
    )
    assert (len(first.image), first.image_mime) == (689, "image/jpeg")
    assert (last.start, last.end, info.duration) == (2.0, 2.025, 2.0)
    assert info.notes == ('chapter 3 ("Chapter 1") ends at 2.025 s, after the audio ends at 2 s',)


@needs_data
def test_it_orders_chapters_by_start_when_there_is_no_table_of_contents():
    with open(DATA / "mp3-parser/id3v2.3-chap-iso-8859-1.mp3", "rb") as fileobj:
        info = read_audio(fileobj)
    assert [(c.start, c.end, c.title) for c in info.chapters] == [(0, 1.0, ""), (1.0, 2.0, "Title")]


def test_the_audio_modules_stay_pure_without_django():
    import subprocess
    import sys

    code = (
        "import sys, episodes.audio.reading, episodes.audio.notes, episodes.audio.frames, "
        "episodes.audio.id3, episodes.audio.mp4; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
