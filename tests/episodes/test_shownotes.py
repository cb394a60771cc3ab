"""The show-notes reader: picks, Extras, Joke and leftover lines, on real and made-up notes."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from episodes.shownotes import ShowNotes, parse_show_notes, split_lines


def real_notes(shared_data: Path, number: str) -> str:
    return (shared_data / "transcripts" / "pythonbytes" / f"{number}.md").read_text()


def nonblank(lines: list[str]) -> list[str]:
    return [line for line in lines if line.strip()]


def assert_every_line_kept_once(text: str) -> ShowNotes:
    """Each non-blank line is in exactly one pick, section or the leftover, with its text."""
    notes = parse_show_notes(text)
    lines = split_lines(text)
    owners: dict[int, object] = {}

    def claim(first: int, last: int, owner: object) -> None:
        for number in range(first, last + 1):
            if lines[number - 1].strip():
                assert number not in owners, f"line {number} is in two places"
                owners[number] = owner

    for item in notes.items:
        claim(item.line, item.end_line, item)
        body = lines[item.line : item.end_line]  # below the heading, to its last line
        while body and not body[0].strip():
            body.pop(0)
        assert item.description == "\n".join(body)
    for name, span, text_of in (
        ("extras", notes.extras_lines, notes.extras),
        ("joke", notes.joke_lines, notes.joke),
    ):
        if span is None:
            assert text_of == ""
            continue
        claim(*span, name)
        assert_section_keeps_its_lines(text_of, lines[span[0] - 1], lines[span[0] : span[1]])
    for number, line in notes.leftover:
        assert line == lines[number - 1]
        claim(number, number, "leftover")
    assert set(owners) == {n for n, line in enumerate(lines, start=1) if line.strip()}
    return notes


def assert_section_keeps_its_lines(section: str, heading: str, body: list[str]) -> None:
    """The section's text is the rest of its heading line, then its body lines verbatim."""
    kept, expected = nonblank(section.split("\n")), nonblank(body)
    assert kept[len(kept) - len(expected) :] == expected
    extra = kept[: len(kept) - len(expected)]
    assert len(extra) <= 1 and all(heading.rstrip().endswith(line.strip()) for line in extra)


# --- the real notes ---------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["001", "203", "300"])
def test_it_keeps_every_line_of_the_real_notes_exactly_once(shared_data, number):
    text = real_notes(shared_data, number)
    assert parse_show_notes(text).items, "real notes have picks whose lines are checked"
    assert_every_line_kept_once(text)


def test_it_finds_six_picks_with_their_pickers_in_episode_203(shared_data):
    notes = parse_show_notes(real_notes(shared_data, "203"))
    assert [(i.position, i.picked_by) for i in notes.items] == [
        (1, "Michael"),
        (2, "Brian"),
        (3, "Michael"),
        (4, "Brian"),
        (5, "Michael"),
        (6, "Brian"),
    ]


@pytest.mark.parametrize(
    ("position", "title", "url"),
    [
        (
            1,
            "Introducing DigitalOcean App Platform",
            "https://www.digitalocean.com/blog/introducing-digitalocean-app-platform-"
            "reimagining-paas-to-make-it-simpler-for-you-to-build-deploy-and-scale-apps",
        ),
        (
            2,
            "Announcing Playwright for Python",
            "https://devblogs.microsoft.com/python/"
            "announcing-playwright-for-python-reliable-end-to-end-testing-for-the-web/",
        ),
        (
            3,
            "Asynchronously Opening and Closing Files in asyncio",
            "https://nullprogram.com/blog/2020/09/04/",
        ),
        (
            4,
            "Excel: Why using Microsoft's tool caused Covid-19 results to be lost",
            "https://www.bbc.com/news/technology-54423988",
        ),
        (5, "locust.io", "https://locust.io/"),
        (6, "Fixing Hacktoberfest", ""),
    ],
)
def test_it_reads_plain_titles_and_urls_of_the_picks_in_episode_203(
    shared_data, position, title, url
):
    item = parse_show_notes(real_notes(shared_data, "203")).items[position - 1]
    assert (item.title, item.url) == (title, url)


def test_it_keeps_nested_bullets_and_code_blocks_of_a_pick_verbatim_in_episode_203(shared_data):
    items = parse_show_notes(real_notes(shared_data, "203")).items
    assert items[1].description.startswith(
        "- [playwright-python](https://github.com/microsoft/playwright-python)\n"
    )
    assert "\t- automatically waits for the UI to be ready\n" in items[1].description
    assert "            def thread_open():\n" in items[2].description
    assert items[2].description.endswith("- [aiofile](https://pypi.org/project/aiofile/) package ")


def test_it_reads_the_extras_with_each_hosts_sub_heading_and_the_joke_of_episode_203(shared_data):
    notes = parse_show_notes(real_notes(shared_data, "203"))
    assert notes.extras.startswith("Michael:\n\n- PyCascades 2021")
    assert notes.joke.startswith("More Classical Programmer Paintings\n\n- [“Delivering a feature")
    assert notes.leftover == (
        (1, "# Python Bytes 203"),
        (2, "Sponsored by DataDog: [pythonbytes.fm/datadog](https://pythonbytes.fm/datadog)"),
    )


def test_it_reads_guest_picks_and_links_with_doubled_spaces_in_episode_300(shared_data):
    items = parse_show_notes(real_notes(shared_data, "300")).items
    assert [i.picked_by for i in items] == ["Brian", "Michael", "Seth", "Brian", "Michael", "Seth"]
    assert (items[0].title, items[0].url) == ("Test your packages and wheels", "")
    assert (items[1].title, items[1].url) == (
        "The Jupyter+git problem is now solved",
        "https://www.fast.ai/2022/08/25/jupyter-git/",
    )


def test_it_reads_three_people_in_the_extras_and_a_linked_joke_in_episode_300(shared_data):
    notes = parse_show_notes(real_notes(shared_data, "300"))
    for person in ("Brian: ", "Michael:", "Seth: "):
        assert f"\n{person}\n" in f"\n{notes.extras}\n"
    assert notes.joke == (
        "[**Dev just after work**](https://twitter.com/iamsegunajibola/status/1564996116550242305)"
    )
    assert [number for number, _ in notes.leftover] == [1, 3, 5]


def test_it_reads_the_older_news_items_of_episode_1_as_picks_by_nobody(shared_data):
    notes = parse_show_notes(real_notes(shared_data, "001"))
    assert [(i.position, i.picked_by, i.title) for i in notes.items] == [
        (1, "", "PyData DC 2016 videos are out"),
        (2, "", "easyargs"),
        (3, "", "safety-db via github"),
        (4, "", "fast-style-transfer"),
        (5, "", "pip 9.0 is out!"),
        (6, "", "What does Reddit think about the new MBP?"),
    ]
    assert notes.items[1].url == "https://github.com/stedmeister/easyargs"
    assert notes.extras.startswith("### Brian\n- Episode 24")
    assert notes.extras.endswith("\t- Python at StackOverflow - Martijn Pieters")
    assert [number for number, _ in notes.leftover] == [1, 3]


@pytest.mark.parametrize(
    ("number", "summary"),
    [
        (
            "001",
            "recognised 6 items (no picker 6), Extras; 2 lines left as plain notes (lines 1, 3)",
        ),
        (
            "203",
            "recognised 6 items (Michael 3, Brian 3), Extras, Joke; "
            "2 lines left as plain notes (lines 1-2)",
        ),
        (
            "300",
            "recognised 6 items (Brian 2, Michael 2, Seth 2), Extras, Joke; "
            "3 lines left as plain notes (lines 1, 3, 5)",
        ),
    ],
)
def test_its_summary_says_what_was_recognised_in_the_real_notes(shared_data, number, summary):
    assert parse_show_notes(real_notes(shared_data, number)).summary() == summary


# --- sections and boundaries ------------------------------------------------------------------


def test_a_heading_ends_a_pick_and_its_lines_are_left_as_plain_notes():
    notes = parse_show_notes("**Brian #1:** [A](https://a.example/)\n- b\n## Sponsors\nThanks\n")
    assert notes.items[0].description == "- b"
    assert notes.leftover == ((3, "## Sponsors"), (4, "Thanks"))


def test_sub_headings_stay_inside_a_hash_extras_section_until_a_heading_of_its_level():
    text = "## Extras\n### Brian\n- one\n### Michael\n- two\n## Links\n- three\n"
    notes = parse_show_notes(text)
    assert notes.extras == "### Brian\n- one\n### Michael\n- two"
    assert notes.extras_lines == (1, 5)
    assert notes.leftover == ((6, "## Links"), (7, "- three"))


def test_a_code_block_may_hold_comment_lines_and_section_words_without_ending_the_pick():
    text = (
        "**Brian #1:** [A](https://a.example/)\n"
        "```\n# a comment\n**Michael #2:** not a pick\nExtras:\n```\n"
        "- after the code\n"
    )
    notes = parse_show_notes(text)
    assert len(notes.items) == 1
    assert notes.items[0].description.endswith("```\n- after the code")
    assert notes.extras_lines is None


def test_a_second_extras_heading_is_left_as_plain_notes_not_merged():
    notes = parse_show_notes(
        "Extras:\n- one\n**Brian #1:** [A](https://a.example/)\nExtras:\n- two\n"
    )
    assert notes.extras == "- one"
    assert notes.leftover == ((4, "Extras:"), (5, "- two"))


def test_link_only_lines_are_picks_only_in_notes_without_any_picker():
    older = parse_show_notes(
        "[**One**](https://one.example/)\n- a\n\n[Two](https://two.example/)\n"
    )
    assert [(i.position, i.title, i.description) for i in older.items] == [
        (1, "One", "- a"),
        (2, "Two", ""),
    ]
    newer = parse_show_notes(
        "[Watch](https://v.example/)\n\n**Brian #1:** [A](https://a.example/)\n"
    )
    assert len(newer.items) == 1
    assert newer.leftover == ((1, "[Watch](https://v.example/)"),)


def test_windows_line_endings_are_read_like_unix_ones():
    notes = parse_show_notes("**Brian #1:** [A](https://a.example/)\r\n- b\r\n- c\r\n")
    assert notes.items[0].description == "- b\n- c"


@pytest.mark.parametrize(
    ("text", "summary"),
    [
        ("", "recognised no items; nothing left as plain notes"),
        ("just words", "recognised no items; 1 line left as plain notes (line 1)"),
        (
            "**Brian #1:** [A](https://a.example/)\nExtras:\n- x\n",
            "recognised 1 item (Brian 1), Extras; nothing left as plain notes",
        ),
        (
            "a\nb\n\nc\n**Brian #1:** x\n**Seth #2:** y\n**Brian #3:** z\nJoke: j\n",
            "recognised 3 items (Brian 2, Seth 1), Joke; "
            "3 lines left as plain notes (lines 1-2, 4)",
        ),
    ],
)
def test_its_summary_counts_picks_per_picker_and_names_the_leftover_lines(text, summary):
    assert parse_show_notes(text).summary() == summary


# --- never lose a line ------------------------------------------------------------------------

FRAGMENTS = [
    "**Michael #1:** ",
    "**Brian #2:**",
    "****",
    "[**Title**](https://a.example/x)",
    "[t](u)",
    "Extras:",
    "**Extras**",
    "## Extras",
    "**Joke:** ",
    "Joke:",
    "# ",
    "### Brian",
    "```",
    "~~~",
    "- ",
    "\t- ",
    "  ",
    "\r",
    "Michael:",
    "words",
    "#3",
]
markdownish_lines = st.lists(
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=4).map("".join),
    max_size=25,
).map("\n".join)


@given(markdownish_lines)
def test_every_line_of_markdown_like_text_is_kept_exactly_once(text):
    assert_every_line_kept_once(text)


@given(st.text())
def test_every_line_of_any_text_is_kept_exactly_once(text):
    assert_every_line_kept_once(text)
