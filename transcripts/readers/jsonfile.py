"""Podcast Index JSON: {"version": "1.0.0", "segments": [{"startTime", "endTime", ...}]}.

Times are seconds, as numbers or numeric strings; a string written as a clock ("0:05",
"1:02:03.5") is read as one, and an impossible clock ("1:75:00") is refused as one.
"""

import json
import re

from ..segments import Builder, clock, not_a_time, seconds_of

_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_SEGMENTS = re.compile(r'^\s*\{.*?"segments"\s*:\s*(?=\[)|^\s*(?=\[)', re.DOTALL)
_JSON_PUNCTUATION = re.compile(r"[{}\[\],]")
_NON_SPACE = re.compile(r"[^\s\]]")  # an entry's first character; "]" ends an empty list


def read_json(text: str, b: Builder) -> None:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        bad = text.split("\n")[error.lineno - 1]  # json counts lines by "\n" alone too
        b.reject(error.lineno, bad, f"not valid JSON ({error.msg})")
        return
    except RecursionError:
        b.reject(1, "", "JSON nested too deeply to be a transcript")
        return
    entries = data.get("segments") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        b.reject(1, "", 'expected {"version": "1.0.0", "segments": [...]}')
        return
    lines = _json_entry_lines(text)
    if len(lines) != len(entries):
        lines = [1] * len(entries)
    for entry, number in zip(entries, lines, strict=True):
        _read_json_entry(entry, number, b)


def _read_json_entry(entry: object, number: int, b: Builder) -> None:
    why = _json_entry_problem(entry)
    if why:
        b.reject(number, _shown(entry), why)
        return
    assert isinstance(entry, dict)
    start, body = _json_time(entry["startTime"]), entry["body"].strip()
    if not body:
        b.warn(number, _shown(entry), "segment has an empty body; skipped")
        return
    end = _json_time(entry.get("endTime"))
    if _impossible(entry.get("endTime")):
        shown = not_a_time(f"endTime {json.dumps(entry['endTime'])}")
        b.warn(number, _shown(entry), f"{shown}; endTime ignored", kind="bad_time")
    if end is not None and end < start:
        b.warn(number, _shown(entry), "segment ends before it starts; endTime ignored")
        end = None
    speaker = entry.get("speaker")
    backwards = b.previous is not None and start < b.previous[0]
    b.check_order(number, _shown(entry) if backwards else "", start, f"{start:g}s")
    b.mark(number, start, end, speaker.strip() if isinstance(speaker, str) else "", "")
    b.add_text(number, "", "", body)


def _json_entry_problem(entry: object) -> str:
    if not isinstance(entry, dict):
        return "segment is not an object"
    if _impossible(entry.get("startTime")):
        return not_a_time(f"startTime {json.dumps(entry['startTime'])}")
    if _json_time(entry.get("startTime")) is None or not isinstance(entry.get("body"), str):
        return "segment needs a startTime number and a body string"
    return ""


def _shown(entry: object) -> str:
    # Only for problems: dumping every entry would double the time to read a long file.
    return json.dumps(entry, ensure_ascii=False)[:200]


def _json_time(value: object) -> float | None:
    if isinstance(value, str) and (written := clock(value)) is not None:
        return seconds_of(written)
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return round(float(value), 3) if 0 <= value < float("inf") else None


def _impossible(value: object) -> bool:
    """A time written as a clock that no clock shows, such as "1:75:00" or "0:61"."""
    written = clock(value) if isinstance(value, str) else None
    return written is not None and seconds_of(written) is None


def _json_entry_lines(text: str) -> list[int]:
    """The line where each entry of the segments list starts (json.loads gives no positions)."""
    # Strings cannot hold raw line breaks, so standing in a 0 for each keeps the line numbers
    # and leaves no quoted bracket or comma; the "segments" key stays to find the list.
    skeleton = _JSON_STRING.sub(_json_placeholder, text)
    opening = _JSON_SEGMENTS.search(skeleton)
    found: list[int] = []
    depth, line, position = 0, 1, 0
    for token in _JSON_PUNCTUATION.finditer(skeleton, opening.end() if opening else len(text)):
        depth += {"{": 1, "[": 1, "}": -1, "]": -1}.get(token[0], 0)
        if depth == 0:
            break
        if depth == 1 and token[0] in "[," and (value := _NON_SPACE.search(skeleton, token.end())):
            line += skeleton.count("\n", position, value.start())
            position = value.start()
            found.append(line)
    return found


def _json_placeholder(string: re.Match[str]) -> str:
    return string[0] if string[0] == '"segments"' else "0"
