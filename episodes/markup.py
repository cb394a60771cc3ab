"""Pure helpers that turn editor text into safe HTML: Markdown show notes and JSON-LD.

Show notes come from editors, but an editor's account can be stolen and notes are
pasted from elsewhere, so the HTML is sanitized with nh3 after Markdown renders it:
no script, no event handler, no javascript: URL survives.
"""

import json
import re
import threading
from typing import Any
from urllib.parse import urlsplit

import markdown
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s", "strong", "sub",
    "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "td": {"align"},
    "th": {"align"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
MARKDOWN_EXTENSIONS = ["extra", "sane_lists"]

# What XML 1.0 forbids (C0 controls, lone surrogates, U+FFFE/F): never meant in show
# notes, and stripped before rendering so the stored HTML serves the page and the feed.
FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# A Markdown instance costs more to create than to convert short notes with, and
# is not thread-safe: each thread reuses its own.
_local = threading.local()

# Characters that would end a <script> data block or start a comment inside it.
SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def sanitize_html(html: str) -> str:
    """Keep only harmless tags, attributes and URL schemes of an HTML fragment."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def render_markdown(text: str) -> str:
    """Render Markdown to sanitized HTML; safe to insert into a page as is."""
    if not text:
        return ""
    converter = getattr(_local, "markdown", None)
    if converter is None:
        converter = _local.markdown = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS)
    return sanitize_html(converter.reset().convert(FORBIDDEN.sub("", text)))


def json_for_script(data: Any) -> str:
    """JSON safe to place inside <script type="application/ld+json"> (no way out of the tag)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(SCRIPT_ESCAPES)


def safe_url(url: str) -> str:
    """The URL if it is http(s) or mailto, else empty: autoescaping stops markup, not schemes."""
    cleaned = "".join(ch for ch in url.strip() if ch >= " " and ch != "\x7f")
    try:
        scheme = urlsplit(cleaned).scheme.lower()
    except ValueError:
        return ""
    return cleaned if scheme in ALLOWED_URL_SCHEMES else ""
