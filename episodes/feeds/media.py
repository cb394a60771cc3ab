"""The feed's media beyond the enclosure, from the rows: podcast:images srcsets, the Opus
podcast:alternateEnclosure, live items.

build.py calls these for the channel and each item; the XML is written by
media_tags.py. Every value is loaded with the show or the episode row, or in one
query per feed (live items).
"""

from ..models import OPUS_TYPE, Episode, Show
from ..uploads import stored_url
from . import rss


def srcset(show: Show, copies: list, source: str, artwork) -> tuple[tuple[str, int], ...]:
    """The worker's podcast:images copies, while they were made from the current artwork."""
    if not copies or not artwork or source != artwork.name:
        return ()
    return tuple((absolute(show, stored_url(name)), int(width)) for width, name in copies)


def absolute(show: Show, url: str) -> str:
    return url if url.startswith(("http://", "https://")) else show.absolute(url)


def live_items(show: Show) -> tuple[rss.LiveItem, ...]:
    """The show's announced live streams (the archive pages leave them out)."""
    return tuple(
        rss.LiveItem(
            title=live.title,
            guid=str(live.guid),
            status=live.status,
            start=live.start,
            end=live.end,
            content_url=live.content_url,
            content_text=live.content_text,
            enclosure_url=live.enclosure_url,
            enclosure_type=live.enclosure_type,
        )
        for live in show.live_items.in_feed()
    )


def alternates(episode: Episode, opus_url: str) -> tuple[rss.AlternateEnclosure, ...]:
    """The worker's Opus rendition, once made from the audio served now (never in a personal feed)."""
    if not opus_url or not episode.has_opus():
        return ()
    # Mirrors Episode.opus_url(): a new encode gets a new URL.
    url = f"{opus_url}?v={episode.opus_version}"
    return (
        rss.AlternateEnclosure(
            type=OPUS_TYPE, url=url, length=episode.opus_size, bitrate=episode.opus_bitrate,
            title="Opus", integrity=episode.opus_integrity,
        ),
    )  # fmt: skip
