"""Escaping for the feed writer (pure): element text, attributes, CDATA, dates, decimals.

Every value is escaped here, so any Unicode, emoji included, gives well-formed XML.
"""

import datetime as dt
from email.utils import format_datetime

from ..markup import FORBIDDEN


def clean(value: str) -> str:
    """The value without the characters XML 1.0 forbids."""
    return FORBIDDEN.sub("", value)


def text(value: str) -> str:
    """Element text: escaped, and CR kept as a reference so parsers don't turn it into LF."""
    value = FORBIDDEN.sub("", value)
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    return value.replace(">", "&gt;").replace("\r", "&#13;")


def attr(value: str) -> str:
    """A double-quoted attribute value; whitespace escaped so normalisation keeps it."""
    value = text(value).replace('"', "&quot;")
    return value.replace("\n", "&#10;").replace("\t", "&#9;")


def cdata(value: str) -> str:
    # "]]>" would end the section early: split it across two sections.
    value = FORBIDDEN.sub("", value).replace("\r\n", "\n").replace("\r", "\n")
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def rfc2822(moment: dt.datetime) -> str:
    return format_datetime(moment.astimezone(dt.UTC), usegmt=True)


def number(value: float) -> str:
    """A decimal without exponent or needless zeros (podcast:soundbite wants xs:decimal)."""
    return f"{value:.3f}".rstrip("0").rstrip(".")


def truncate_bytes(value: str, limit: int) -> str:
    """At most `limit` UTF-8 bytes, never cutting a character in half."""
    data = value.encode()
    return value if len(data) <= limit else data[:limit].decode(errors="ignore")
