"""episodes.shownotes: each heading form of a pick, the extras and the joke, and lines that are not picks."""

import pytest

from episodes.shownotes import parse_show_notes

# --- the heading forms ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "**Michael #1:** [**Title**](https://a.example/)",
            ("Michael", 1, "Title", "https://a.example/"),
        ),
        (
            "**Brian #2:** ****[**Title**](https://a.example/)",
            ("Brian", 2, "Title", "https://a.example/"),
        ),
        ("**Brian #6:** **Fixing Hacktoberfest**", ("Brian", 6, "Fixing Hacktoberfest", "")),
        (
            "**Seth #3:**  [**Title**](https://a.example/)",
            ("Seth", 3, "Title", "https://a.example/"),
        ),
        (
            "**Michael #4**: [Title](https://a.example/)",
            ("Michael", 4, "Title", "https://a.example/"),
        ),
        (
            "### **Brian #5:** [Title](https://a.example/)",
            ("Brian", 5, "Title", "https://a.example/"),
        ),
        (
            "**Seth  Larson #3:** [ Title ]( https://a.example/ )",
            ("Seth Larson", 3, "Title", "https://a.example/"),
        ),
        (
            "**Michael #1:** [**First**](https://one.example/) and [Second](https://two.example/)",
            ("Michael", 1, "First", "https://one.example/"),
        ),
        (
            "**Brian #2:** [Wiki](https://en.wikipedia.org/wiki/Python_(language))",
            ("Brian", 2, "Wiki", "https://en.wikipedia.org/wiki/Python_(language)"),
        ),
        (
            "**Brian #2:** [**safety-db** via github](https://a.example/)",
            ("Brian", 2, "safety-db via github", "https://a.example/"),
        ),
        ("**Brian #2:** __jinja_partials__", ("Brian", 2, "jinja_partials", "")),
        ("**Brian #2:**", ("Brian", 2, "", "")),
    ],
)
def test_it_reads_picker_position_title_and_url_from_each_heading_form(line, expected):
    (item,) = parse_show_notes(line + "\n\n- a bullet\n").items
    assert (item.picked_by, item.position, item.title, item.url) == expected
    assert item.description == "- a bullet"


@pytest.mark.parametrize(
    "line",
    [
        "Michael #1: [Title](https://a.example/)",  # not bold: prose, not a pick
        "- **Michael #1:** [Title](https://a.example/)",  # a bullet
        "## Episode 203",
        "**#1:** [Title](https://a.example/)",  # nobody named
        "**Michael #12345:** too long a number",
    ],
)
def test_it_does_not_take_these_lines_for_picks(line):
    notes = parse_show_notes(f"**Brian #1:** [A](https://a.example/)\n\n## Other\n{line}\n")
    assert len(notes.items) == 1
    assert notes.leftover[-1] == (4, line)


@pytest.mark.parametrize(
    ("line", "extras", "joke"),
    [
        ("**Extras**", "after", ""),
        ("**Extras:**", "after", ""),
        ("**Extras** ", "after", ""),
        ("Extras:", "after", ""),
        ("Extras", "after", ""),
        ("## Extras", "after", ""),
        ("**Joke:** [**Dev**](https://a.example/)", "", "[**Dev**](https://a.example/)\nafter"),
        ("Joke: More paintings", "", "More paintings\nafter"),
        ("**Joke**", "", "after"),
    ],
)
def test_it_recognises_each_form_of_the_extras_and_joke_headings(line, extras, joke):
    notes = parse_show_notes(f"**Brian #1:** [A](https://a.example/)\n- b\n\n{line}\nafter\n")
    assert (notes.extras, notes.joke) == (extras, joke)
    assert notes.items[0].description == "- b"


@pytest.mark.parametrize(
    "line",
    ["Extras are fun this week", "Jokes aside, this is serious", "**Extras are bold"],
)
def test_prose_that_starts_with_extras_or_joke_stays_in_the_pick(line):
    notes = parse_show_notes(f"**Brian #1:** [A](https://a.example/)\n{line}\n")
    assert notes.items[0].description == line
    assert notes.extras_lines is None and notes.joke_lines is None
