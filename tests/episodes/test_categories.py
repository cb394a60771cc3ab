"""episodes.categories: Apple's category list. Pure, no database."""

import pytest

from episodes.categories import parse_category


@pytest.mark.parametrize(
    ("value", "parsed"),
    [
        ("Technology", ("Technology", "")),
        ("Education > How To", ("Education", "How To")),
        ("  TV & Film  >  Film Reviews ", ("TV & Film", "Film Reviews")),
    ],
)
def test_it_splits_a_category_apple_lists(value, parsed):
    assert parse_category(value) == parsed


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("Tech", "'Tech' is not an Apple Podcasts category"),
        ("Technology > Gadgets", "'Gadgets' is not a subcategory of 'Technology'"),
        ("technology", "'technology' is not an Apple Podcasts category"),
    ],
)
def test_it_refuses_what_apple_does_not_list(value, error):
    with pytest.raises(ValueError, match=error):
        parse_category(value)
