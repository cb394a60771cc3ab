"""The Podcast Index namespace's HTML transcript: `<cite>Name:</cite> <time>0:00</time> <p>...`.

Each <p> is a monologue and becomes one segment, starting at the <time> before it and said
by the <cite> before it (the namespace repeats <cite> for every monologue, so a speaker is
never carried to the next one). A <p> without a <time> starts at the last time given, 0:00
before any. Words outside <cite>, <time> and <p> are rejected with their line; the text of
<script> and <style> is markup. White space runs within a paragraph read as one space.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser

from ..segments import Builder, Draft, clock, not_a_time, seconds_of
from ..writing import format_timestamp

ELEMENTS = ("cite", "time", "p")
CODE = ("script", "style")


@dataclass
class Element:
    kind: str  # "cite", "time", "p" or "stray" for words outside them
    line: int
    pieces: list[tuple[int, str]] = field(default_factory=list)  # (line, text) per source line

    @property
    def text(self) -> str:
        return " ".join(" ".join(piece for _, piece in self.pieces).split())


class _Elements(HTMLParser):
    """Collects the namespace's elements, and stray words, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Element] = []
        self.current: Element | None = None
        self.code = 0  # depth inside <script> or <style>

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in CODE:
            self.code += 1
        elif tag in ELEMENTS:
            self.current = Element(tag, self.getpos()[0])  # a new element ends an open one
            self.found.append(self.current)
        elif tag == "br" and self.current is not None:
            self.current.pieces.append((self.getpos()[0], " "))

    def handle_endtag(self, tag: str) -> None:
        if tag in CODE:
            self.code = max(self.code - 1, 0)
        elif self.current is not None and tag == self.current.kind:
            self.current = None

    def handle_data(self, data: str) -> None:
        if self.code or not data.strip():
            return
        first = self.getpos()[0]
        for offset, piece in enumerate(data.split("\n")):
            if piece.strip():
                self._add(first + offset, piece)

    def _add(self, line: int, piece: str) -> None:
        if self.current is not None:
            self.current.pieces.append((line, piece))
        elif self.found and self.found[-1].kind == "stray" and self.found[-1].line == line:
            self.found[-1].pieces.append((line, piece))  # one problem per line
        else:
            self.found.append(Element("stray", line, [(line, piece)]))


def read_html(text: str, lines: list[str], b: Builder) -> None:
    parser = _Elements()
    parser.feed(text)
    parser.close()
    speaker, segment_lines, text_lines = "", set(), set()
    for element in parser.found:
        raw = lines[element.line - 1]
        if element.kind == "cite":
            speaker = element.text.removesuffix(":").strip()  # "Alban :" is Alban
        elif element.kind == "time":
            _read_time(element, raw, b)
        elif element.kind == "p" and element.text:
            first = element.pieces[0][0]
            draft = _draft_for(element.line, raw, b)
            draft.speaker, draft.line, draft.raw, speaker = speaker, first, lines[first - 1], ""
            b.add_text(first, lines[first - 1], "", element.text)
            segment_lines.add(first)
            text_lines.update(line for line, piece in element.pieces if piece.strip())
        elif element.kind == "stray":
            b.reject(element.line, raw, "words outside <cite>, <time> and <p>")
    b.joined = len(text_lines - segment_lines - {p.line for p in b.rejected})
    lines_read = sum(1 for line in lines if line.strip())
    b.structural = max(lines_read - len(b.drafts) - b.joined - len(b.rejected), 0)


def _read_time(element: Element, raw: str, b: Builder) -> None:
    written = clock(element.text)
    start = seconds_of(written) if written else None
    if start is None:
        shown = not_a_time(f"<time>{element.text}</time>")
        b.warn(element.line, raw, f"{shown}; ignored", kind="bad_time")
        return
    b.check_order(element.line, raw, start, element.text)
    b.mark(element.line, start, None, "", raw)


def _draft_for(line: int, raw: str, b: Builder) -> Draft:
    # The namespace allows HTML without times; such a monologue keeps the last time given.
    if b.pending is None:
        start = b.previous[0] if b.previous else 0.0
        message = f"paragraph without a <time>; it starts at {format_timestamp(start)}"
        b.warn(line, raw, f"{message}, the last time given, as will later ones", once="untimed")
        b.mark(line, start, None, "", raw)
    assert b.pending is not None
    return b.pending
