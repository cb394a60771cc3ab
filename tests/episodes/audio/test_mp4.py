"""episodes.audio.mp4 and sniffing: M4A files' type, tags and chapters. Pure, no database."""

import io
import struct

import pytest
from mutagen.mp4 import MP4

from episodes.audio.mp4 import mp4_tags
from episodes.audio.reading import (
    Picture,
    read_audio,
    sniff_audio_type,
)
from tests.episodes.audio.test_reading import PNG, encode, read


def test_nero_chapters_end_where_the_next_starts_and_the_last_at_the_end():
    mp4 = MP4(io.BytesIO(m4a(60.0, chapters=((0.0, "Intro"), (20.0, "Main")))))
    tags = mp4_tags(mp4, 60.0)
    assert [(c.start, c.end, c.title) for c in tags.chapters] == [
        (0.0, 20.0, "Intro"),
        (20.0, 60.0, "Main"),
    ]


def test_a_file_without_tags_gives_empty_values():
    tags = mp4_tags(MP4(io.BytesIO(m4a(5.0))), 5.0)
    assert (tags.title, tags.artist, tags.cover, tags.chapters) == ("", "", None, ())


# --- sniffing and M4A -----------------------------------------------------------------------


def ftyp(major: bytes, *compatible: bytes) -> bytes:
    body = major + b"\0\0\0\0" + b"".join(compatible)
    return struct.pack(">I", 8 + len(body)) + b"ftyp" + body + bytes(32)


@pytest.mark.parametrize(
    "head, kind",
    [
        (b"ID3\x04\x00\x00\x00\x00\x00\x00", "audio/mpeg"),
        (bytes.fromhex("FFFB9064") + bytes(60), "audio/mpeg"),
        (bytes.fromhex("FFF38064") + bytes(60), "audio/mpeg"),
        (ftyp(b"M4A ", b"M4A ", b"isom"), "audio/mp4"),
        (ftyp(b"mp42", b"mp42", b"isom"), "audio/mp4"),
        (ftyp(b"qt  ", b"qt  "), None),
        (bytes.fromhex("FFF15080") + bytes(60), None),  # ADTS AAC
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", None),
        (b"OggS\x00\x02", None),
        (b"fLaC\x00\x00\x00\x22", None),
        (b"<html>", None),
        (b"", None),
    ],
)
def test_it_sniffs_the_audio_type_from_content_not_name(head, kind):
    assert sniff_audio_type(head) == kind


def atom(kind: bytes, *parts: bytes) -> bytes:
    body = b"".join(parts)
    return struct.pack(">I4s", 8 + len(body), kind) + body


def full_atom(kind: bytes, body: bytes) -> bytes:
    return atom(kind, bytes(4) + body)


def m4a(seconds: float, chapters: tuple[tuple[float, str], ...] = (), rate: int = 44100) -> bytes:
    """The atoms mutagen needs to describe an AAC track; the samples themselves are absent."""
    mvhd = full_atom(b"mvhd", struct.pack(">IIII", 0, 0, 1000, int(seconds * 1000)) + bytes(80))
    mdhd = full_atom(b"mdhd", struct.pack(">IIIIHH", 0, 0, rate, int(seconds * rate), 0x55C4, 0))
    hdlr = full_atom(b"hdlr", struct.pack(">I4s12s", 0, b"soun", b"") + b"SoundHandler\0")
    config = bytes([0x05, 2, 0x12, 0x10])  # AAC LC, 44.1 kHz, stereo
    decoder = bytes([0x40, 0x15, 0, 0, 0]) + struct.pack(">II", 128000, 128000) + config
    es = struct.pack(">HB", 0, 0) + bytes([0x04, len(decoder)]) + decoder + bytes([0x06, 1, 2])
    esds = full_atom(b"esds", bytes([0x03, len(es)]) + es)
    entry = (
        bytes(6) + struct.pack(">H", 1) + bytes(8) + struct.pack(">HHHHI", 2, 16, 0, 0, rate << 16)
    )
    stsd = full_atom(b"stsd", struct.pack(">I", 1) + atom(b"mp4a", entry, esds))
    trak = atom(b"trak", atom(b"mdia", mdhd, hdlr, atom(b"minf", atom(b"stbl", stsd))))
    marks = b"".join(
        struct.pack(">QB", round(start * 10_000_000), len(title)) + title.encode()
        for start, title in chapters
    )
    chpl = atom(b"chpl", b"\x01\0\0\0" + bytes(4) + bytes([len(chapters)]) + marks)
    moov = atom(b"moov", mvhd, trak, atom(b"udta", chpl) if chapters else b"")
    return atom(b"ftyp", b"M4A \0\0\0\0M4A isom") + moov + atom(b"mdat", bytes(100))


def test_it_reads_an_m4a_file_with_its_tags_cover_and_chapters(tmp_path):
    from mutagen.mp4 import MP4, MP4Cover

    path = tmp_path / "episode.m4a"
    path.write_bytes(m4a(754.5, chapters=((0, "Intro"), (60.25, "Main"))))
    tagged = MP4(path)
    tagged.add_tags()
    tagged.tags.update({"\xa9nam": ["Episode 7"], "\xa9ART": ["Hosts"], "\xa9alb": ["Show"]})
    tagged.tags["covr"] = [MP4Cover(PNG, MP4Cover.FORMAT_PNG)]
    tagged.save()
    with open(path, "rb") as fileobj:
        info = read_audio(fileobj, name="episode.m4a")
    assert (info.duration, info.mime_type, info.sample_rate, info.channels) == (
        754.5,
        "audio/x-m4a",
        44100,
        2,
    )
    assert (info.title, info.artist, info.album) == ("Episode 7", "Hosts", "Show")
    assert (info.mpeg_version, info.layer, info.frames_counted) == (None, None, False)
    assert info.cover == Picture(PNG, "image/png", 3)
    assert [(c.start, c.end, c.title) for c in info.chapters] == [
        (0, 60.25, "Intro"),
        (60.25, 754.5, "Main"),
    ]
    assert info.notes == ()


@pytest.mark.parametrize(
    "data, name, note",
    [
        (
            m4a(10),
            "episode.mp3",
            "the file is named .mp3 but holds M4A (AAC) audio: rename it to .m4a",
        ),
        (encode(3), "episode.m4a", "the file is named .m4a but holds MP3 audio: rename it to .mp3"),
    ],
)
def test_it_notes_an_extension_that_contradicts_the_content(data, name, note):
    assert note in read(data, name=name).notes
