"""episodes.chapters: JSON chapters 1.2, written and read. Pure, no database."""

import json

import pytest

from episodes.chapters import ChapterEntry, chapters_json, read_chapters_json

ENTRIES = [
    ChapterEntry(95.5, "Second", url="https://example.com/", end=180.0),
    ChapterEntry(0.0, "Intro", img="https://example.com/intro.png", toc=False),
]


def test_it_writes_chapters_in_start_order_with_only_the_keys_that_say_something():
    document = json.loads(chapters_json(ENTRIES))
    assert document["version"] == "1.2.0"
    assert document["chapters"] == [
        {"startTime": 0.0, "title": "Intro", "img": "https://example.com/intro.png", "toc": False},
        {"startTime": 95.5, "title": "Second", "url": "https://example.com/", "endTime": 180.0},
    ]


def test_what_it_writes_it_reads_back():
    assert read_chapters_json(chapters_json(ENTRIES)) == tuple(
        sorted(ENTRIES, key=lambda e: e.start)
    )


@pytest.mark.parametrize(
    ("data", "error"),
    [(b"{not json", "not JSON"), (b'{"version": "1.2.0"}', 'no "chapters" list'), (b"[]", "no")],
)
def test_it_says_what_is_wrong_with_a_document(data, error):
    with pytest.raises(ValueError, match=error):
        read_chapters_json(data)
