"""Podcasting 2.0 tags of the channel and items: their values, checks and the XML they write.

Pure: no ORM, no settings. namespace_rows.py fills these values from the rows;
rss.py calls ChannelTags.write and ItemTags.write where the podcast:* tags go, and
xmltext.py escapes. The checks say in words what an editor typed wrong (validators.py wraps them).
Each tag is written only when it holds something.
"""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from dateutil.rrule import rrulestr

from .xmltext import attr, rfc2822, text

# The namespace's limits (docs/tags/*.md): apps may truncate longer values.
SHORT_LIMIT = 128
TXT_LIMIT = 4000


@dataclass(frozen=True, slots=True)
class License:
    identifier: str  # an SPDX identifier such as cc-by-4.0, or a custom licence's name
    url: str = ""


@dataclass(frozen=True, slots=True)
class Location:
    name: str
    geo: str = ""  # "geo:30.2672,-97.7431"
    osm: str = ""  # "R113314"


@dataclass(frozen=True, slots=True)
class Txt:
    text: str
    purpose: str = ""


@dataclass(frozen=True, slots=True)
class Trailer:
    title: str
    url: str
    published: dt.datetime
    length: int = 0
    type: str = ""
    season: int | None = None


@dataclass(frozen=True, slots=True)
class UpdateFrequency:
    label: str
    complete: bool = False
    dtstart: dt.datetime | None = None
    rrule: str = ""


@dataclass(frozen=True, slots=True)
class RemoteItem:
    feed_guid: str
    feed_url: str = ""
    medium: str = ""


@dataclass(frozen=True, slots=True)
class ValueRecipient:
    name: str
    type: str  # node | lnaddress
    address: str
    split: int
    custom_key: str = ""
    custom_value: str = ""
    fee: bool = False


@dataclass(frozen=True, slots=True)
class Value:
    recipients: tuple[ValueRecipient, ...]
    suggested: Decimal | None = None
    type: str = "lightning"
    method: str = "keysend"


@dataclass(frozen=True, slots=True)
class SocialInteract:
    protocol: str  # "disabled": no public comments, and no other attribute
    uri: str = ""
    account_id: str = ""
    account_url: str = ""
    priority: int | None = None


@dataclass(frozen=True, slots=True)
class ChannelTags:
    txts: tuple[Txt, ...] = ()
    trailers: tuple[Trailer, ...] = ()
    license: License | None = None
    location: Location | None = None
    update_frequency: UpdateFrequency | None = None
    podroll: tuple[RemoteItem, ...] = ()
    value: Value | None = None

    def write(self, parts: list[str]) -> None:
        for t in self.txts:
            purpose = f' purpose="{attr(t.purpose)}"' if t.purpose else ""
            parts.append(f"<podcast:txt{purpose}>{text(t.text[:TXT_LIMIT])}</podcast:txt>\n")
        for t in self.trailers:
            trailer(t, parts)
        license_element(self.license, parts)
        location_element(self.location, parts)
        update_frequency(self.update_frequency, parts)
        if self.podroll:
            parts.append("<podcast:podroll>\n")
            parts.extend(remote_item(r) for r in self.podroll)
            parts.append("</podcast:podroll>\n")
        value_element(self.value, parts)


@dataclass(frozen=True, slots=True)
class ItemTags:
    license: License | None = None
    location: Location | None = None
    social: tuple[SocialInteract, ...] = ()
    value: Value | None = None  # overrides the channel's for this item

    def write(self, parts: list[str]) -> None:
        license_element(self.license, parts)
        location_element(self.location, parts)
        for s in self.social:
            parts.append(social_interact(s))
        value_element(self.value, parts)

    def __bool__(self) -> bool:
        return bool(self.license or self.location or self.social or self.value)


# ---------------------------------------------------------------- writing


def optional(**attributes: object) -> str:
    """name="value" for each attribute that is set, in the order given."""
    return "".join(
        f' {name}="{attr(str(value))}"'
        for name, value in attributes.items()
        if value not in ("", None)
    )


def trailer(t: Trailer, parts: list[str]) -> None:
    extra = optional(length=t.length or None, type=t.type, season=t.season)
    parts.append(
        f'<podcast:trailer url="{attr(t.url)}" pubdate="{rfc2822(t.published)}"{extra}>'
        f"{text(t.title[:SHORT_LIMIT])}</podcast:trailer>\n"
    )


def license_element(value: License | None, parts: list[str]) -> None:
    if value and value.identifier:
        parts.append(
            f"<podcast:license{optional(url=value.url)}>"
            f"{text(value.identifier[:SHORT_LIMIT])}</podcast:license>\n"
        )


def location_element(value: Location | None, parts: list[str]) -> None:
    if value and value.name:
        parts.append(
            f"<podcast:location{optional(geo=value.geo, osm=value.osm)}>"
            f"{text(value.name[:SHORT_LIMIT])}</podcast:location>\n"
        )


def update_frequency(value: UpdateFrequency | None, parts: list[str]) -> None:
    if not value or not value.label:
        return
    start = (
        value.dtstart.astimezone(dt.UTC).isoformat(timespec="milliseconds") if value.dtstart else ""
    )
    extra = optional(
        complete="true" if value.complete else "",
        dtstart=start.replace("+00:00", "Z"),
        rrule=value.rrule,
    )
    parts.append(
        f"<podcast:updateFrequency{extra}>{text(value.label[:SHORT_LIMIT])}"
        "</podcast:updateFrequency>\n"
    )


def remote_item(r: RemoteItem) -> str:
    extra = optional(feedUrl=r.feed_url, medium=r.medium)
    return f'<podcast:remoteItem feedGuid="{attr(r.feed_guid)}"{extra}/>\n'


def social_interact(s: SocialInteract) -> str:
    if s.protocol == "disabled":
        return '<podcast:socialInteract protocol="disabled"/>\n'
    extra = optional(accountId=s.account_id, accountUrl=s.account_url, priority=s.priority)
    return f'<podcast:socialInteract protocol="{attr(s.protocol)}" uri="{attr(s.uri)}"{extra}/>\n'


def value_element(value: Value | None, parts: list[str]) -> None:
    if not value or not value.recipients:
        return  # the schema wants at least one recipient
    suggested = optional(suggested=decimal(value.suggested) if value.suggested else "")
    parts.append(
        f'<podcast:value type="{attr(value.type)}" method="{attr(value.method)}"{suggested}>\n'
    )
    for r in value.recipients:
        extra = optional(customKey=r.custom_key, customValue=r.custom_value)
        parts.append(
            f'<podcast:valueRecipient name="{attr(r.name)}" type="{attr(r.type)}" '
            f'address="{attr(r.address)}" split="{r.split}"{extra} '
            f'fee="{"true" if r.fee else "false"}"/>\n'
        )
    parts.append("</podcast:value>\n")


def decimal(value: Decimal) -> str:
    """An amount as xs:decimal wants it: no exponent, however small."""
    written = format(value, "f")
    return written.rstrip("0").rstrip(".") if "." in written else written


# ---------------------------------------------------------------- checks

GEO = re.compile(r"geo:(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)(?:,(-?\d+(?:\.\d+)?))?")
OSM = re.compile(r"[NWR]\d+(?:#\d+)?")


def geo_problem(value: str) -> str:
    """Why a podcast:location geo value is wrong, or "" (RFC 5870: geo:latitude,longitude)."""
    match = GEO.fullmatch(value.strip())
    if not match:
        return f'"{value}" is not a geo URI: write it as geo:latitude,longitude, e.g. geo:30.2672,-97.7431.'
    latitude, longitude = float(match[1]), float(match[2])
    if not -90 <= latitude <= 90:
        return f"The latitude {match[1]} is out of range: it runs from -90 to 90."
    if not -180 <= longitude <= 180:
        return f"The longitude {match[2]} is out of range: it runs from -180 to 180."
    return ""


def osm_problem(value: str) -> str:
    """Why an OpenStreetMap identifier is wrong, or "" (a type letter N, W or R and a number)."""
    if OSM.fullmatch(value.strip()):
        return ""
    return (
        f'"{value}" is not an OpenStreetMap identifier: N (node), W (way) or R (relation) '
        "then the number, e.g. R113314."
    )


def rrule_problem(value: str) -> str:
    """Why a recurrence rule would not parse in apps, or "" (RFC 5545 section 3.3.10)."""
    rule = value.strip()
    if rule.upper().startswith("RRULE:") or "\n" in rule:
        return "Write one rule without the RRULE: prefix, e.g. FREQ=WEEKLY;BYDAY=MO."
    if "FREQ=" not in rule.upper():
        return "A recurrence rule needs a FREQ, e.g. FREQ=WEEKLY;BYDAY=MO."
    try:
        rrulestr(rule, dtstart=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    except (ValueError, TypeError, IndexError) as error:
        return (
            f"This recurrence rule does not parse ({error}): write it as iCalendar does, "
            "e.g. FREQ=WEEKLY;INTERVAL=2;BYDAY=MO or FREQ=MONTHLY;UNTIL=20271231T000000Z."
        )
    return ""


def node_address_problem(value: str) -> str:
    """Why a Lightning node address is wrong, or "": a public key, 66 hexadecimal digits."""
    if re.fullmatch(r"0[23][0-9a-fA-F]{64}", value.strip()):
        return ""
    return "A node address is the node's public key: 66 hexadecimal digits starting 02 or 03."


def lnaddress_problem(value: str) -> str:
    """Why a Lightning address is wrong, or "": it reads like an email address."""
    if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value.strip()):
        return ""
    return "A Lightning address reads like an email address, e.g. podcast@getalby.com."
