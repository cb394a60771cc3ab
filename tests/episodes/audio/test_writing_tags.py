"""episodes.audio.id3.write_tags through read_audio: tags, covers and chapters written and read back. Pure."""

import shutil
from pathlib import Path

import pytest
from mutagen.id3 import ID3, TCON, CTOCFlags

from episodes.audio.reading import (
    AudioError,
    Chapter,
    Picture,
    Tags,
    read_audio,
    write_tags,
)
from tests.episodes.audio.test_reading import (
    DATA,
    PNG,
    REAL_LENGTH_TOLERANCE,
    encode,
    needs_data,
    read,
)

# --- writing tags ---------------------------------------------------------------------------


CHAPTERS = (
    Chapter(0.0, None, "Hello", url="https://example.com/a"),
    Chapter(4.321, 9.0, "Middle", image=PNG, image_mime="image/png"),
    Chapter(9.0, None, "End"),
)
TAGS = Tags(
    title="Why tests",
    show="Python Bytes",
    episode_number=42,
    date="2024-05-01",
    artist="Michael and Brian",
    comment="Show notes at https://pythonbytes.fm/42",
    cover=Picture(PNG, "image/png", 3),
    chapters=CHAPTERS,
)


@pytest.fixture
def mp3_path(tmp_path) -> Path:
    path = tmp_path / "episode.mp3"
    path.write_bytes(encode(12))
    return path


def test_it_writes_tags_that_read_audio_reads_back(mp3_path):
    write_tags(mp3_path, TAGS)
    with open(mp3_path, "rb") as fileobj:
        info = read_audio(fileobj)
    assert (info.title, info.album, info.artist, info.comment) == (
        "Why tests",
        "Python Bytes",
        "Michael and Brian",
        "Show notes at https://pythonbytes.fm/42",
    )
    assert info.cover == Picture(PNG, "image/png", 3)
    got = [(c.title, c.url, round(c.start * 1000), c.image) for c in info.chapters]
    want = [(c.title, c.url, round(c.start * 1000), c.image) for c in CHAPTERS]
    assert got == want
    assert [c.end for c in info.chapters] == [4.321, 9.0, pytest.approx(info.duration, abs=0.001)]
    assert info.duration == pytest.approx(12, abs=REAL_LENGTH_TOLERANCE)


@pytest.mark.parametrize(
    ("damage", "says"),
    [
        (b"ID3\x05", "ID3v2.5 not supported"),  # a version no reader knows
        (b"ID3\x04\x00\x0f", "invalid flags"),  # flag bits ID3v2.4 does not define
    ],
)
def test_a_damaged_id3_tag_costs_the_tags_not_the_audio(mp3_path, damage, says):
    write_tags(mp3_path, TAGS)
    tagged = mp3_path.read_bytes()
    assert tagged.startswith(b"ID3\x04")
    clean = read(tagged)
    info = read(damage + tagged[len(damage) :])
    assert (info.duration, info.bitrate, info.size) == (clean.duration, clean.bitrate, clean.size)
    assert (info.title, info.album, info.cover, info.chapters) == ("", "", None, ())
    assert info.notes[0].startswith("the ID3 tag is damaged and was ignored (")
    assert says in info.notes[0]


def test_it_writes_frames_that_mutagen_and_podcast_apps_understand(mp3_path):
    write_tags(mp3_path, TAGS)
    id3 = ID3(mp3_path)
    assert id3.version == (2, 4, 0)
    assert [str(id3[k]) for k in ("TIT2", "TALB", "TRCK", "TDRC")] == [
        "Why tests",
        "Python Bytes",
        "42",
        "2024-05-01",
    ]
    assert [p.type for p in id3.getall("APIC")] == [3]
    (toc,) = id3.getall("CTOC")
    assert toc.flags == CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED
    chaps = {c.element_id: c for c in id3.getall("CHAP")}
    assert sorted(chaps) == toc.child_element_ids == ["chp0", "chp1", "chp2"]
    assert [chaps[i].start_time for i in toc.child_element_ids] == [0, 4321, 9000]
    assert str(chaps["chp0"].sub_frames["TIT2"]) == "Hello"
    assert chaps["chp0"].sub_frames.getall("WXXX")[0].url == "https://example.com/a"


def test_it_replaces_its_own_frames_and_keeps_the_others_when_run_twice(mp3_path):
    write_tags(mp3_path, TAGS)
    id3 = ID3(mp3_path)
    id3.add(TCON(encoding=3, text=["Podcast"]))
    id3.save()
    write_tags(mp3_path, Tags("New", "Show", 43, "2024-05-02", chapters=CHAPTERS[:1]))
    id3 = ID3(mp3_path)
    assert (str(id3["TIT2"]), str(id3["TCON"])) == ("New", "Podcast")
    assert (len(id3.getall("CHAP")), id3.getall("APIC"), id3.getall("COMM")) == (1, [], [])


@needs_data
def test_it_rewrites_the_chapters_of_a_real_file(tmp_path):
    path = tmp_path / "chapters.mp3"
    shutil.copyfile(DATA / "music-metadata/chapters.mp3", path)
    write_tags(path, TAGS)
    with open(path, "rb") as fileobj:
        info = read_audio(fileobj)
    assert [c.title for c in info.chapters] == ["Hello", "Middle", "End"]
    assert info.artist == "Michael and Brian"


@pytest.mark.parametrize(
    "data, tags, error",
    [
        (b"not audio" * 100, TAGS, AudioError),
        (None, Tags("T", "S", 1, "May 1st"), ValueError),
    ],
)
def test_it_refuses_to_tag_what_is_not_an_mp3_or_a_date_that_is_not_iso(
    tmp_path, data, tags, error
):
    path = tmp_path / "x.mp3"
    path.write_bytes(data if data is not None else encode(3))
    with pytest.raises(error):
        write_tags(path, tags)
