"""episodes.chapters: JSON chapters 1.2, written and read. Pure, no database."""

import json

import pytest

from episodes.chapters import ChapterEntry, chapters_json, read_chapters_json


def test_the_spec_example_reads_with_every_chapter(shared_data):
    path = shared_data / "chapters/rssblue/podcast-namespace-chapters.github-example.json"
    document = json.loads(path.read_bytes())
    entries = read_chapters_json(path.read_bytes())
    assert [e.start for e in entries] == [float(c["startTime"]) for c in document["chapters"]]
    assert [e.title for e in entries] == [c.get("title", "") for c in document["chapters"]]


def test_an_empty_chapters_list_reads_as_none(shared_data):
    path = shared_data / "chapters/rssblue/podcast-namespace-chapters.empty.json"
    assert read_chapters_json(path.read_bytes()) == ()


def test_what_we_write_reads_back():
    entries = (
        ChapterEntry(0, "Intro"),
        ChapterEntry(61.5, "Picks", url="https://example.com", end=120.0, toc=False),
    )
    assert read_chapters_json(chapters_json(entries)) == entries


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"<html>", "not JSON"),
        (b'{"version": "1.2.0"}', 'no "chapters" list'),
        (b"[1, 2]", 'no "chapters" list'),
        (b"\xff\xfe", "not JSON"),
    ],
)
def test_a_document_that_is_no_chapters_says_why(data, says):
    with pytest.raises(ValueError, match=says):
        read_chapters_json(data)


def test_entries_without_a_numeric_start_are_left_out():
    data = b'{"chapters": [{"startTime": "5", "title": "x"}, {"startTime": 7, "title": "y"}]}'
    assert [e.title for e in read_chapters_json(data)] == ["y"]


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
