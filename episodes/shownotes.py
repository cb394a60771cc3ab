"""Read show notes in the pythonbytes.fm Markdown form: picks, Extras, Joke and the rest.

A pick starts at a line such as ``**Michael #1:** [**Title**](url)`` and owns the lines
below it (its bullets) up to the next pick, section or ``#`` heading. Older notes (episode 1)
have no pickers: under them, a line that is only a link starts a pick by nobody.
Every non-blank line lands in exactly one place (a pick, the Extras, the Joke or
``leftover``), so nothing pasted is lost. Pure: text in, frozen dataclasses out.
"""

import re
from collections import Counter
from dataclasses import dataclass

# The bold form only: "**Michael #1:**", "**Michael #1**:", optionally after "###".
# A bare "Episode #203:" heading is too common in prose to be read as a pick.
PICK = re.compile(
    r"^\s*(?:#{1,6}\s+)?\*\*\s*(?P<name>[^\W\d_][\w.'’ -]{0,60}?)\s*#(?P<number>[0-9]{1,4})"
    r"\s*:?\s*\*\*\s*:?(?P<rest>.*)$"
)
# "**Extras**", "**Extras:**", "Extras:", "## Extras", "**Joke:** [...]", "Joke: title".
# 001.md's "## Our personal news" is the older name of the Extras.
SECTION = re.compile(
    r"^\s*(?P<hashes>#{1,6}\s+)?(?P<open>\*\*)?\s*(?P<word>extras?|jokes?|our personal news)\b"
    r"\s*(?P<colon>:)?\s*(?P<close>\*\*)?\s*(?P<colon2>:)?(?P<rest>.*)$",
    re.IGNORECASE,
)
HEADING = re.compile(r"^\s{0,3}(?P<hashes>#{1,6})(?:\s|$)")
FENCE = re.compile(r"^\s*(?P<fence>`{3,}|~{3,})")
# One level of brackets in the text and of parentheses in the URL (Wikipedia links).
LINK = re.compile(
    r"\[(?P<text>(?:[^\[\]]|\[[^\[\]]*\])*)\]"
    r"\(\s*<?(?P<url>(?:[^()\s<>]|\([^()\s]*\))+)>?(?:\s+\"[^\"]*\")?\s*\)"
)
EXTRAS, JOKE, ITEM, LEFTOVER = "extras", "joke", "item", "leftover"
# A bold or plain Extras/Joke heading acts as a level-2 section: "### Brian" stays inside it.
SECTION_LEVEL = 2


@dataclass(frozen=True)
class Item:
    position: int
    picked_by: str  # "" in the older form, which names nobody
    title: str
    url: str  # "" when the heading line has no link
    description: str  # the lines below the heading, verbatim Markdown
    line: int  # 1-based line of the heading
    end_line: int = 0  # last non-blank line of the pick (the heading when it has no bullets)


@dataclass(frozen=True)
class ShowNotes:
    items: tuple[Item, ...]
    extras: str
    joke: str
    leftover: tuple[tuple[int, str], ...]  # (line, text) of lines in no pick or section
    extras_lines: tuple[int, int] | None = None  # first (the heading) and last line
    joke_lines: tuple[int, int] | None = None

    def summary(self) -> str:
        """One sentence saying what was recognised and which lines were left as plain notes."""
        found = [items_phrase(self.items)]
        found += ["Extras"] if self.extras_lines else []
        found += ["Joke"] if self.joke_lines else []
        return f"recognised {', '.join(found)}; {leftover_phrase(self.leftover)}"


@dataclass
class _Block:
    """A run of lines owned by one pick, section or the leftover; `end` is exclusive."""

    kind: str
    start: int
    match: re.Match | None = None
    level: int = 0
    end: int = 0


def parse_show_notes(markdown_text: str) -> ShowNotes:
    """Split pasted show notes into picks, the Extras, the Joke and the lines left over."""
    lines = split_lines(markdown_text)
    blocks = split_blocks(lines)
    items = tuple(
        make_item(block, lines, position)
        for position, block in enumerate((b for b in blocks if b.kind == ITEM), start=1)
    )
    extras = next((b for b in blocks if b.kind == EXTRAS), None)
    joke = next((b for b in blocks if b.kind == JOKE), None)
    return ShowNotes(
        items=items,
        extras=section_text(extras, lines),
        joke=section_text(joke, lines),
        leftover=tuple(
            (index + 1, lines[index])
            for block in blocks
            if block.kind == LEFTOVER
            for index in range(block.start, block.end)
            if lines[index].strip()
        ),
        extras_lines=section_span(extras, lines),
        joke_lines=section_span(joke, lines),
    )


def split_lines(markdown_text: str) -> list[str]:
    """The lines the parser numbers: any of \\r\\n, \\r or \\n ends a line."""
    return markdown_text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def split_blocks(lines: list[str]) -> list[_Block]:
    fenced = fenced_lines(lines)
    # Only notes without a single "**Name #N:**" pick are read in the older form.
    older_form = not any(PICK.match(line) for line, f in zip(lines, fenced, strict=True) if not f)
    blocks, seen = [_Block(LEFTOVER, 0)], set()
    for index, line in enumerate(lines):
        if fenced[index]:
            continue  # a "# comment" or "Extras:" in a code block is code
        block = next_block(blocks[-1], classify(line, index, older_form), seen)
        if block is not None:
            blocks[-1].end = index
            blocks.append(block)
    blocks[-1].end = len(lines)
    return blocks


def classify(line: str, index: int, older_form: bool) -> _Block | None:
    """The block this line would start, if it is a heading of any kind."""
    if match := PICK.match(line):
        return _Block(ITEM, index, match)
    if match := section_heading(line):
        kind = JOKE if match["word"].lower().startswith("joke") else EXTRAS
        level = len(match["hashes"].strip()) if match["hashes"] else SECTION_LEVEL
        return _Block(kind, index, match, level)
    if match := HEADING.match(line):
        return _Block(LEFTOVER, index, None, len(match["hashes"]))
    if older_form and (match := link_only(line)):
        return _Block(ITEM, index, match)
    return None


def next_block(current: _Block, candidate: _Block | None, seen: set[str]) -> _Block | None:
    """The block a heading starts, or None when the line belongs to the current block."""
    if candidate is None:
        return None
    if candidate.kind in (EXTRAS, JOKE):
        if candidate.kind not in seen:
            seen.add(candidate.kind)
            return candidate
        # A second Extras or Joke is not recognised: plain notes, not merged into the first.
        return None if current.kind == candidate.kind else _Block(LEFTOVER, candidate.start)
    if candidate.kind == ITEM and candidate.match and candidate.match.re is LINK:
        # An older-form link line ends a pick but is a plain link inside Extras or Joke.
        return candidate if current.kind in (ITEM, LEFTOVER) else None
    if candidate.kind == ITEM:
        return candidate
    # A "#" heading: a sub-heading of Extras or Joke ("### Brian") stays inside it.
    if current.kind == LEFTOVER or (current.kind != ITEM and candidate.level > current.level):
        return None
    return candidate


def section_heading(line: str) -> re.Match | None:
    match = SECTION.match(line)
    if match is None or bool(match["open"]) != bool(match["close"]):
        return None
    # "Extras are fun" is prose; a heading is marked by "#", bold or a colon, or stands alone.
    marked = match["hashes"] or match["open"] or match["colon"] or match["colon2"]
    return match if marked or not match["rest"].strip() else None


def link_only(line: str) -> re.Match | None:
    """A line that is nothing but a link, perhaps in bold: an older-form pick."""
    return LINK.fullmatch(line.strip().strip("*_ \t"))


def fenced_lines(lines: list[str]) -> list[bool]:
    """For each line, whether it is a code fence or inside one."""
    flags, fence = [], ""
    for line in lines:
        marker = FENCE.match(line)
        flags.append(bool(fence or marker))
        if fence and marker and closes(marker["fence"], fence):
            fence = ""
        elif not fence and marker:
            fence = marker["fence"]
    return flags


def closes(marker: str, fence: str) -> bool:
    """A fence closes with the same character, at least as many times (CommonMark)."""
    return marker[0] == fence[0] and len(marker) >= len(fence)


def make_item(block: _Block, lines: list[str], ordinal: int) -> Item:
    match = block.match
    assert match is not None
    if match.re is LINK:  # older form: the whole line is the link, nobody picked it
        picked_by, position, rest = "", ordinal, lines[block.start]
    else:
        picked_by = " ".join(match["name"].split())
        position, rest = int(match["number"]), match["rest"]
    title, url = title_and_url(rest)
    body = trim_blank(lines[block.start + 1 : block.end])
    return Item(
        position=position,
        picked_by=picked_by,
        title=title,
        url=url,
        description="\n".join(body),
        line=block.start + 1,
        end_line=last_line(block, lines),
    )


def title_and_url(heading_rest: str) -> tuple[str, str]:
    """The first link's text and URL; without a link, the heading text and ""."""
    link = LINK.search(heading_rest)
    if link is None:
        return plain_text(heading_rest), ""
    return plain_text(link["text"]) or plain_text(heading_rest), link["url"].strip()


def plain_text(markdown: str) -> str:
    """Links reduced to their text, emphasis marks dropped, whitespace collapsed."""
    text = LINK.sub(lambda link: link["text"], markdown)
    text = re.sub(r"\*+", "", text)
    # "__" only at word edges: snake_case__names keep their underscores.
    text = re.sub(r"(?<!\w)__|__(?!\w)", "", text)
    return " ".join(text.split()).strip(" :")


def section_text(block: _Block | None, lines: list[str]) -> str:
    if block is None:
        return ""
    assert block.match is not None
    body = [block.match["rest"].strip(), *lines[block.start + 1 : block.end]]
    return "\n".join(trim_blank(body))


def section_span(block: _Block | None, lines: list[str]) -> tuple[int, int] | None:
    return None if block is None else (block.start + 1, last_line(block, lines))


def last_line(block: _Block, lines: list[str]) -> int:
    """1-based number of the block's last non-blank line (its first line is never blank)."""
    index = block.end - 1
    while index > block.start and not lines[index].strip():
        index -= 1
    return index + 1


def trim_blank(lines: list[str]) -> list[str]:
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]


def items_phrase(items: tuple[Item, ...]) -> str:
    if not items:
        return "no items"
    counts = Counter(item.picked_by or "no picker" for item in items)
    per_picker = ", ".join(f"{name} {count}" for name, count in counts.items())
    return f"{len(items)} item{plural(len(items))} ({per_picker})"


def leftover_phrase(leftover: tuple[tuple[int, str], ...]) -> str:
    if not leftover:
        return "nothing left as plain notes"
    count = len(leftover)
    spans = line_ranges([number for number, _ in leftover])
    return f"{count} line{plural(count)} left as plain notes (line{plural(count)} {spans})"


def line_ranges(numbers: list[int]) -> str:
    """ "1-2, 5" for [1, 2, 5]."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def plural(count: int) -> str:
    return "" if count == 1 else "s"
