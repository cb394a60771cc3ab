"""render_markdown, safe_url and json_for_script: pure, no database."""

import json
from html.parser import HTMLParser
from urllib.parse import urlsplit

import markdown
import pytest

from episodes.markup import (
    MARKDOWN_EXTENSIONS,
    json_for_script,
    render_markdown,
    safe_url,
    sanitize_html,
)

# Each must come out with nothing a browser would execute.
XSS_CORPUS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<img src=x onerror=alert(1)//",
    '<svg onload="alert(1)"><circle/></svg>',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="java&#x09;script:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](  javascript:alert(1)  )",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    '![x](x" onerror="alert(1))',
    '<iframe src="https://evil.example/"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<style>body{background:url("javascript:alert(1)")}</style>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style>",
    '<body onload="alert(1)">',
    '<details open ontoggle="alert(1)">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    "<<script>script>alert(1)<</script>/script>",
    '<a href="#" onclick="alert(1)">x</a>',
    "<!--<script>alert(1)</script>-->",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '"><script>alert(1)</script>',
    "`<script>alert(1)</script>`",
    "<input autofocus onfocus=alert(1)>",
    "<video><source onerror=alert(1)></video>",
]


EXECUTABLE_TAGS = {
    "script",
    "iframe",
    "object",
    "embed",
    "style",
    "form",
    "svg",
    "math",
    "base",
    "meta",
    "link",
    "input",
    "button",
    "video",
    "audio",
    "source",
    "body",
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "background"}


class Inspector(HTMLParser):
    """What a browser would see: every tag and attribute of the rendered fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in EXECUTABLE_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.problems.append(f"{tag}[{name}]")
            if name in URL_ATTRIBUTES and value is not None:
                scheme = urlsplit("".join(value.split())).scheme.lower()
                if scheme not in ("", "http", "https", "mailto"):
                    self.problems.append(f"{tag}[{name}={value!r}]")


def assert_inert(html: str) -> None:
    inspector = Inspector()
    inspector.feed(html)
    inspector.close()
    assert inspector.problems == [], html


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_nothing_executable_survives_markdown_rendering(payload: str) -> None:
    assert_inert(render_markdown(payload))


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_nothing_executable_survives_inside_a_markdown_document(payload: str) -> None:
    assert_inert(
        render_markdown(f"# Notes\n\nSome *text*.\n\n{payload}\n\n- a list item {payload}\n")
    )


def test_it_keeps_ordinary_markdown() -> None:
    html = render_markdown("Some **bold** and a [link](https://example.com/x).\n\n- one\n- two")
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.com/x"' in html
    assert "<li>one</li>" in html


def test_links_get_a_safe_rel() -> None:
    assert 'rel="noopener noreferrer"' in render_markdown("[x](https://example.com/)")


def test_empty_notes_render_to_nothing() -> None:
    assert render_markdown("") == ""


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/a?b=c", "https://example.com/a?b=c"),
        ("http://example.com/", "http://example.com/"),
        ("mailto:hi@example.com", "mailto:hi@example.com"),
        ("javascript:alert(1)", ""),
        (" JavaScript:alert(1)", ""),
        ("java\tscript:alert(1)", ""),
        ("data:text/html,<script>", ""),
        ("/relative/path", ""),
        ("http://[broken", ""),
    ],
)
def test_safe_url_keeps_only_web_and_mail_links(url: str, expected: str) -> None:
    assert safe_url(url) == expected


def test_json_for_script_cannot_close_its_script_element() -> None:
    text = json_for_script({"name": "</script><script>alert(1)</script><!--", "n": "a & b"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["name"] == "</script><script>alert(1)</script><!--"


@pytest.mark.parametrize(
    "notes",
    [
        "Plain *text* with [a link](https://example.com/) and <b onclick=x>bold</b>.",
        "Footnote[^1] and a table\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[^1]: The note.",
        "Second footnote[^1] after the first converter used one.\n\n[^1]: Again.",
        "",
    ],
)
def test_the_reused_converter_renders_as_a_fresh_one(notes):
    fresh = markdown.markdown(notes, extensions=MARKDOWN_EXTENSIONS)
    assert render_markdown(notes) == (sanitize_html(fresh) if notes else "")


def test_what_xml_forbids_never_reaches_the_stored_html():
    assert render_markdown("A control \x01 character and a NUL \x00 too") == (
        "<p>A control  character and a NUL  too</p>"
    )
