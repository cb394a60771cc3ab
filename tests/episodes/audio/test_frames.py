"""episodes.audio.frames: MPEG frames counted where headers cannot be trusted. Pure, no database."""

import io

import pytest

from episodes.audio.frames import count_mp3_frames, find_first_frame, id3v2_end, parse_header
from episodes.audio.tones import tone_mp3

# MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, no padding, joint stereo.
HEADER = bytes([0xFF, 0xFB, 0x90, 0x64])
ID3_TAG = b"ID3\x04\x00\x00\x00\x00\x00\x0a" + bytes(10)  # a 10-byte body


def test_it_reads_a_frame_header():
    header = parse_header(HEADER)
    assert (header.version, header.layer, header.bitrate, header.sample_rate) == (
        1,
        3,
        128000,
        44100,
    )
    assert (header.length, header.samples) == (417, 1152)


@pytest.mark.parametrize("data", [b"\x00\x00\x00\x00", b"ID3\x04", bytes([0xFF, 0xFB, 0xF0, 0])])
def test_it_refuses_what_is_no_frame_header(data):
    assert parse_header(data) is None


def test_it_steps_over_an_id3_tag_to_the_first_frame():
    data = io.BytesIO(ID3_TAG + tone_mp3(1.0))
    assert id3v2_end(data) == 20
    offset, header = find_first_frame(data, 20, len(data.getvalue()))
    assert offset >= 20 and header.sample_rate == 44100


def test_counting_frames_gives_the_length_and_sees_a_cut_off_upload():
    whole = tone_mp3(5.0, bitrate=64)
    scan = count_mp3_frames(io.BytesIO(whole))
    assert scan.duration == pytest.approx(5.0, abs=0.1) and not scan.cut_off
    cut = count_mp3_frames(io.BytesIO(whole[: len(whole) // 2 + 7]))
    assert cut.duration == pytest.approx(2.5, abs=0.2) and cut.cut_off
