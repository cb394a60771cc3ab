"""The podcast-namespace tags for media beyond the enclosure (pure): podcast:images,
podcast:alternateEnclosure and podcast:liveItem.

Written by rss.py's channel and item writers; values are escaped by xmltext.
"""

import datetime as dt
from dataclasses import dataclass

from .xmltext import attr, text


@dataclass(frozen=True, slots=True)
class AlternateEnclosure:
    """Another rendition of the item's audio (tags/alternate-enclosure.md)."""

    type: str
    url: str
    length: int
    bitrate: int
    title: str  # the spec asks for at most 32 characters
    integrity: str = ""  # SRI, e.g. "sha384-..."


@dataclass(frozen=True, slots=True)
class LiveItem:
    """A live stream announced in the channel (tags/live-item.md)."""

    title: str
    guid: str
    status: str  # pending, live or ended
    start: dt.datetime
    content_url: str  # podcast:contentLink: the spec requires one
    content_text: str
    end: dt.datetime | None = None
    enclosure_url: str = ""
    enclosure_type: str = "audio/mpeg"


def images(srcset: tuple[tuple[str, int], ...], parts: list[str]) -> None:
    if srcset:
        # HTML's srcset syntax: a URL holding a comma or a space would split the list.
        value = ", ".join(
            f"{url.replace(',', '%2C').replace(' ', '%20')} {width}w" for url, width in srcset
        )
        parts.append(f'<podcast:images srcset="{attr(value)}"/>\n')


def iso8601(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def live_item(live: LiveItem, parts: list[str]) -> None:
    end = f' end="{iso8601(live.end)}"' if live.end else ""
    parts.append(
        f'<podcast:liveItem status="{attr(live.status)}" start="{iso8601(live.start)}"{end}>\n'
        f"<title>{text(live.title)}</title>\n<link>{text(live.content_url)}</link>\n"
        f'<guid isPermaLink="false">{text(live.guid)}</guid>\n'
    )
    if live.enclosure_url:
        # A stream has no length; RSS requires the attribute, so it says 0.
        parts.append(
            f'<enclosure url="{attr(live.enclosure_url)}" length="0" '
            f'type="{attr(live.enclosure_type)}"/>\n'
        )
    parts.append(
        f'<podcast:contentLink href="{attr(live.content_url)}">{text(live.content_text)}'
        "</podcast:contentLink>\n</podcast:liveItem>\n"
    )


def alternate_enclosure(alt: AlternateEnclosure, parts: list[str]) -> None:
    parts.append(
        f'<podcast:alternateEnclosure type="{attr(alt.type)}" length="{alt.length}" '
        f'bitrate="{alt.bitrate}" title="{attr(alt.title[:32])}">\n'
        f'<podcast:source uri="{attr(alt.url)}"/>\n'
    )
    if alt.integrity:
        parts.append(f'<podcast:integrity type="sri" value="{attr(alt.integrity)}"/>\n')
    parts.append("</podcast:alternateEnclosure>\n")
