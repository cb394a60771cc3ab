"""What an import will do with the items it read: which are new, their numbers, who may import.

Pure: the items and what the show already has in, a frozen plan out. The dry run
shows this plan; the import carries it out.
"""

from dataclasses import dataclass

from .reading import FeedChannel, FeedItem, ReadFeed

# Episode.imported_guid's length: real guids are URLs or UUIDs, far shorter.
MAX_GUID = 1000


class ImportRefused(Exception):
    """The import may not go ahead, with the reason."""


@dataclass(frozen=True)
class Plan:
    url: str
    feed: ReadFeed
    new: tuple[FeedItem, ...]  # to create, feed order
    existing: tuple[FeedItem, ...]  # matched by guid: left alone, or updated with --update
    numbers: dict[str, int]  # guid -> our episode number, for new items
    notes: tuple[str, ...]  # the reader's notes and this plan's, in words

    def summary(self) -> list[str]:
        """The report's lines: what was read and what the import creates."""
        channel = self.feed.channel
        lines = [
            f"Read {self.url}: {channel.title!r}, {len(self.feed.items)} items.",
            f"New episodes: {len(self.new)}. Already here (matched by guid): {len(self.existing)}.",
        ]
        with_audio = sum(1 for item in self.new if item.enclosure_url)
        lines.append(
            f"Audio to download: {with_audio}; without an enclosure: {len(self.new) - with_audio}."
        )
        extras = [
            f"{sum(bool(i.transcripts) for i in self.new)} with a transcript",
            f"{sum(bool(i.chapters_url) for i in self.new)} with chapters",
            f"{sum(len(i.links) for i in self.new)} show-note links",
        ]
        lines.append("Of the new episodes: " + ", ".join(extras) + ".")
        if channel.locked:
            lines.append(
                f"The feed is locked (podcast:locked, owner {channel.locked_owner or '?'})."
            )
        return lines + [f"Note: {note}" for note in self.notes]


def make_plan(
    read: ReadFeed,
    *,
    url: str,
    known_guids: set[str],
    taken_numbers: set[int],
    limit: int | None = None,
) -> Plan:
    """Split the items into new and existing, drop repeated guids, and number the new ones."""
    notes = list(read.notes)
    seen: set[str] = set()
    new, existing = [], []
    for item in read.items[:limit] if limit else read.items:
        if len(item.guid) > MAX_GUID:
            notes.append(f"Item {item.title!r} has a guid of {len(item.guid)} characters: skipped.")
            continue
        if item.guid in seen:
            notes.append(f"Item {item.title!r} repeats the guid {item.guid[:120]!r}: skipped.")
            continue
        seen.add(item.guid)
        (existing if item.guid in known_guids else new).append(item)
    numbers, number_notes = assign_numbers(new, taken_numbers)
    return Plan(url, read, tuple(new), tuple(existing), numbers, tuple(notes + number_notes))


def assign_numbers(items: list[FeedItem], taken: set[int]) -> tuple[dict[str, int], list[str]]:
    """Keep each item's own number where it is free; number the rest oldest first after the last."""
    numbers: dict[str, int] = {}
    used = set(taken)
    for item in items:
        if item.number and item.number not in used:
            numbers[item.guid] = item.number
            used.add(item.number)
    rest = [item for item in items if item.guid not in numbers]
    rest.sort(key=lambda item: (item.published is None, item.published or 0))
    notes = []
    following = max(used, default=0) + 1
    for item in rest:
        numbers[item.guid] = following
        if item.number:
            notes.append(
                f"Item {item.title!r} says episode {item.number}, which is taken: "
                f"it is number {following} here."
            )
        following += 1
    return numbers, notes


def ownership_problem(channel: FeedChannel, *, user_email: str, i_own_this_feed: bool) -> str:
    """Why a locked feed may not be imported by this person, or "" when it may."""
    if not channel.locked or i_own_this_feed:
        return ""
    owners = {e.strip().lower() for e in (channel.locked_owner, channel.owner_email) if e}
    if user_email and user_email.strip().lower() in owners:
        return ""
    named = ", ".join(sorted(owners)) or "nobody"
    return (
        "The feed is locked (<podcast:locked>yes</podcast:locked>): its owner asks other "
        f"hosts not to import it. Import it as its owner (your account's email must be {named}), "
        "or, from the command line, with --i-own-this-feed if you own it."
    )
