"""What an import plans to do with the items it read: pure, no database."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from episodes.importing.planning import assign_numbers, make_plan, ownership_problem
from episodes.importing.reading import FeedChannel, FeedItem, ReadFeed

CHANNEL = FeedChannel(
    title="Show", description="", language="en", link="", author="", owner_name="",
    owner_email="owner@example.com", artwork="", categories=(), explicit=False,
    show_type="episodic", podcast_guid="", locked=False, locked_owner="", new_feed_url="",
    funding=(), persons=(),
)  # fmt: skip


def item(guid: str, number: int | None = None, day: int = 1, title: str = "") -> FeedItem:
    return FeedItem(
        guid=guid, guid_from="guid", title=title or guid, number=number, season=None,
        episode_type="full", published=datetime(2024, 1, day, tzinfo=UTC), summary="",
        notes_html="", links=(), enclosure_url="", enclosure_type="", enclosure_length=0,
        image="", explicit=False, chapters_url="", transcripts=(), persons=(),
    )  # fmt: skip


def plan(*items: FeedItem, known=(), taken=(), limit=None):
    read = ReadFeed(CHANNEL, items, ())
    return make_plan(read, url="u", known_guids=set(known), taken_numbers=set(taken), limit=limit)


@pytest.mark.parametrize(
    ("items", "taken", "numbers"),
    [
        ([item("a", 3), item("b", 2), item("c", 1)], set(), {"a": 3, "b": 2, "c": 1}),
        # Without numbers: oldest first, after the highest.
        (
            [item("a", day=3), item("b", day=1), item("c", 5, day=2)],
            set(),
            {"b": 6, "a": 7, "c": 5},
        ),
        # A number the show already has goes to the end.
        ([item("a", 1), item("b", 2)], {1}, {"b": 2, "a": 3}),
        # Two seasons both starting at 1: the second 1 is renumbered.
        ([item("s2e1", 1, day=9), item("s1e1", 1, day=1)], set(), {"s2e1": 1, "s1e1": 2}),
    ],
)
def test_feed_numbers_are_kept_where_free_and_the_rest_follow(items, taken, numbers):
    assert assign_numbers(items, taken)[0] == numbers


def test_a_renumbered_item_is_named_in_the_notes():
    _, notes = assign_numbers([item("a", 1, title="Pilot")], {1})
    assert notes == ["Item 'Pilot' says episode 1, which is taken: it is number 2 here."]


def test_known_guids_are_existing_and_repeated_or_huge_guids_are_skipped_with_a_note():
    result = plan(item("a"), item("b"), item("a", title="again"), item("x" * 1001), known={"b"})
    assert [i.guid for i in result.new] == ["a"]
    assert [i.guid for i in result.existing] == ["b"]
    assert "Item 'again' repeats the guid 'a': skipped." in result.notes
    assert any("has a guid of 1001 characters: skipped" in note for note in result.notes)


def test_limit_takes_the_first_items_of_the_feed():
    assert [i.guid for i in plan(item("a"), item("b"), item("c"), limit=2).new] == ["a", "b"]


LOCKED = replace(CHANNEL, locked=True, locked_owner="Owner@Example.com")


@pytest.mark.parametrize(
    ("channel", "email", "i_own", "refused"),
    [
        (CHANNEL, "", False, False),
        (LOCKED, "someone@example.org", False, True),
        (LOCKED, "", False, True),
        (LOCKED, "owner@example.com", False, False),
        (LOCKED, " OWNER@example.com ", False, False),
        (LOCKED, "", True, False),
    ],
)
def test_a_locked_feed_needs_its_owner(channel, email, i_own, refused):
    problem = ownership_problem(channel, user_email=email, i_own_this_feed=i_own)
    assert bool(problem) == refused
    if refused:
        assert "owner@example.com" in problem and "--i-own-this-feed" in problem
