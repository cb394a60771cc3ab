"""episodes.languages: ISO 639-1 codes for the feed's <language>. Pure, no database."""

import pytest

from episodes.languages import language_problem


@pytest.mark.parametrize("tag", ["en", "en-us", "EN-GB", "pt-br", " de "])
def test_it_accepts_codes_apple_reads(tag):
    assert language_problem(tag) == ""


@pytest.mark.parametrize(
    ("tag", "problem"),
    [
        ("english", "'english' is not a language code such as en or en-us"),
        ("xx", "'xx' is not an ISO 639-1 language code"),
        ("", "'' is not a language code such as en or en-us"),
        ("en_US", "'en_US' is not a language code such as en or en-us"),
    ],
)
def test_it_says_why_a_code_would_be_refused(tag, problem):
    assert language_problem(tag) == problem
