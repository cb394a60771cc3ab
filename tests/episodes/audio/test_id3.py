"""episodes.audio.id3.tags_match: pure, no database."""

from dataclasses import replace
from pathlib import Path

import pytest

from episodes.audio.id3 import Chapter, Picture, Tags, tags_match, write_tags
from episodes.audio.tones import tone_mp3

JPEG = b"\xff\xd8\xff\xe0" + bytes(64)
TAGS = Tags(
    title="Tagged",
    show="The Show",
    episode_number=7,
    date="2026-03-04",
    artist="Host",
    cover=Picture(JPEG, "image/jpeg", 3),
    chapters=(
        Chapter(0.0, None, "Intro", "https://example.com/intro"),
        Chapter(2.5, None, "Middle"),
    ),
)


CHANGES = [
    "title",
    "show",
    "number",
    "date",
    "artist",
    "no-cover",
    "other-cover",
    "fewer-chapters",
    "chapter-title",
    "chapter-start",
    "chapter-url",
    "chapter-end",
]


@pytest.fixture(scope="module")
def mp3_bytes() -> bytes:
    return tone_mp3(4.0)


@pytest.fixture
def tagged(tmp_path: Path, mp3_bytes: bytes) -> Path:
    path = tmp_path / "tagged.mp3"
    path.write_bytes(mp3_bytes)
    write_tags(path, TAGS)
    return path


def test_an_untagged_file_does_not_match(tmp_path: Path, mp3_bytes: bytes) -> None:
    path = tmp_path / "plain.mp3"
    path.write_bytes(mp3_bytes)
    assert not tags_match(path, TAGS)


def test_the_tags_just_written_match(tagged: Path) -> None:
    assert tags_match(tagged, TAGS)


@pytest.mark.parametrize(
    "changed",
    [
        replace(TAGS, title="Other"),
        replace(TAGS, show="Other show"),
        replace(TAGS, episode_number=8),
        replace(TAGS, date="2026-03-05"),
        replace(TAGS, artist=""),
        replace(TAGS, cover=None),
        replace(TAGS, cover=Picture(JPEG + b"x", "image/jpeg", 3)),
        replace(TAGS, chapters=TAGS.chapters[:1]),
        replace(TAGS, chapters=(TAGS.chapters[0], replace(TAGS.chapters[1], title="Later"))),
        replace(TAGS, chapters=(TAGS.chapters[0], replace(TAGS.chapters[1], start=3.0))),
        replace(TAGS, chapters=(replace(TAGS.chapters[0], url=""), TAGS.chapters[1])),
        replace(TAGS, chapters=(replace(TAGS.chapters[0], end=1.0), TAGS.chapters[1])),
    ],
    ids=CHANGES,
)
def test_any_difference_is_noticed(tagged: Path, changed: Tags) -> None:
    assert not tags_match(tagged, changed)


def test_a_given_chapter_end_is_compared(tmp_path: Path, mp3_bytes: bytes) -> None:
    tags = replace(TAGS, chapters=(Chapter(0.0, 1.5, "Intro"), Chapter(2.5, None, "Middle")))
    path = tmp_path / "ends.mp3"
    path.write_bytes(mp3_bytes)
    write_tags(path, tags)
    assert tags_match(path, tags)
