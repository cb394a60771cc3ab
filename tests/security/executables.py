"""What in a document a browser could run: scripts, handlers, risky tags and URL schemes.

Shared by the hostile-text probes (tests/security/test_hostile_text.py) and the
public pages' test of payloads in notes, links and titles (tests/episodes/test_pages.py).
"""

from html.parser import HTMLParser
from urllib.parse import urlsplit

RISKY_TAGS = ("iframe", "object", "embed", "svg", "math", "base", "style")
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "content")
# The site's own scripts; anything else in a page is a finding.
SAFE_SCRIPTS = [
    {"type": "application/ld+json"},
    {"src": "/static/js/player.js"},
    {"src": "/static/js/copy.js"},  # the share box's Copy buttons
]


class Executables(HTMLParser):
    """Everything in a document that a browser could run: `found`, and the `scripts` tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.scripts: list[dict] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts.append({k: v for k, v in attrs if k in ("type", "src")})
        # A form injected by text could post anywhere; the site's one form is its search.
        injected_form = tag == "form" and ("role", "search") not in attrs
        if tag in RISKY_TAGS or injected_form:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(f"{tag}[{name}]")
            if name in URL_ATTRIBUTES and value:
                scheme = urlsplit("".join(value.split())).scheme.lower()
                if scheme in ("javascript", "vbscript", "data"):
                    self.found.append(f"{tag}[{name}={value!r}]")


def executables(html: str) -> Executables:
    parser = Executables()
    parser.feed(html)
    return parser
