"""episodes.importing.planning: which items are new, their numbers, who may import. Pure."""

import datetime as dt

import pytest

from episodes.importing.planning import assign_numbers, ownership_problem
from episodes.importing.reading import FeedChannel, FeedItem

DAY = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


def item(guid: str, number: int | None, days: int) -> FeedItem:
    return FeedItem(
        guid=guid, guid_from="guid", title=f"Item {guid}", number=number, season=None,
        episode_type="full", published=DAY + dt.timedelta(days=days), summary="", notes_html="",
        links=(), enclosure_url="", enclosure_type="", enclosure_length=0, image="",
        explicit=False, chapters_url="", transcripts=(), persons=(),
    )  # fmt: skip


def channel(*, locked: bool, owner: str = "", email: str = "") -> FeedChannel:
    return FeedChannel(
        title="Show", description="", language="en", link="", author="", owner_name="",
        owner_email=email, artwork="", categories=(), explicit=False, show_type="episodic",
        podcast_guid="", locked=locked, locked_owner=owner, new_feed_url="", funding=(),
        persons=(),
    )  # fmt: skip


def test_an_item_keeps_its_own_number_where_it_is_free():
    numbers, notes = assign_numbers([item("a", 7, 0), item("b", 8, 1)], taken={1, 2})
    assert numbers == {"a": 7, "b": 8} and notes == []


def test_taken_or_missing_numbers_follow_the_last_oldest_first():
    items = [item("new", None, 5), item("clash", 2, 3), item("old", None, 1)]
    numbers, notes = assign_numbers(items, taken={1, 2})
    assert numbers == {"old": 3, "clash": 4, "new": 5}
    assert notes == ["Item 'Item clash' says episode 2, which is taken: it is number 4 here."]


@pytest.mark.parametrize(
    ("feed", "email", "owns", "allowed"),
    [
        (channel(locked=False), "", False, True),
        (channel(locked=True, owner="Me@Example.com"), "me@example.com", False, True),
        (channel(locked=True, email="me@example.com"), "me@example.com", False, True),
        (channel(locked=True, owner="me@example.com"), "you@example.com", False, False),
        (channel(locked=True, owner="me@example.com"), "you@example.com", True, True),
    ],
)
def test_a_locked_feed_is_imported_by_its_owner_only(feed, email, owns, allowed):
    problem = ownership_problem(feed, user_email=email, i_own_this_feed=owns)
    assert (problem == "") is allowed
    if not allowed:
        assert "me@example.com" in problem and "--i-own-this-feed" in problem
