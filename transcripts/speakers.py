"""Who speaks: the speaker marks readers recognise, and the renames editors make.

Pure. Speaker rules, in the order they are tried on a line's text:
1. a voice tag at its start, `<v Name>` or `<v.class Name>` (any format);
2. a heading line `## Name 0:00:00` (plain text): it starts the next segment;
3. a label `Name: text`, where Name is one to three words, each starting with a capital
   letter, with no digits, at most 40 characters, not a word like "Note" or "Update", and
   used as a label (or heading) at least twice in the file, counted by its last word.
   A one-word label ("KENNEDY") means the one longer label ending in the same word
   ("Michael KENNEDY"), when there is exactly one.
A line without a speaker mark has speaker "", never the previous one. The writers follow
the same rules backwards (see transcripts.writing): they write a label only where these
rules read it back as that speaker, and a voice tag otherwise.
"""

import html
import re
from collections import Counter
from collections.abc import Iterable, Mapping

# Tag bodies stop at the next "<", keeping a line of unclosed tags linear.
VOICE = re.compile(r"<v(?:\.[^\s<>]*)?(?:\s+([^<>]*))?>")
LABEL = re.compile(r"([^\W\d_][\w.'’-]*(?: [^\W\d_][\w.'’-]*){0,2}) ?:(?:\s+|$)")
# Capitalised words that open ordinary sentences with a colon; recurrence alone
# would not rule them out in a long transcript.
# fmt: off
NOT_NAMES = frozenset({
    "note", "notes", "nb", "update", "edit", "warning", "example", "question", "answer", "step",
    "tip", "ps", "todo", "fyi", "quote", "source", "link", "summary", "so", "well", "yes", "no",
    "ok", "okay", "yeah", "also", "and", "but", "now", "then", "here", "there", "this", "that",
    "the", "it", "what", "why", "how",
})
# fmt: on


def speaker_names(texts: Iterable[str], declared: Iterable[str] = ()) -> dict[str, str]:
    """Map each label accepted as a speaker name (rule 3) to the name it stands for.

    `texts` are a file's lines as the reader sees them (a plain-text timestamp taken off);
    `declared` are the names of `## Name 0:00:00` headings, which count towards recurrence.
    """
    labels = [name for text in texts if (name := label_of(text))]
    counts = Counter(_surname(name) for name in [*labels, *declared])
    accepted = {name for name in labels if counts[_surname(name)] >= 2}
    return {name: _full_name(name, accepted) for name in accepted}


def label_of(text: str) -> str:
    """The name of a `Name: ` label at the start of the text that could be a speaker, or ""."""
    if ":" not in text or not (label := LABEL.match(text.strip())):
        return ""
    return label[1] if looks_like_name(label[1]) else ""


def could_be_label(speaker: str) -> bool:
    """Whether `speaker: text` has the shape of a label (recurrence aside)."""
    label = LABEL.match(f"{speaker}: x")
    return label is not None and label[1] == speaker and looks_like_name(speaker)


def looks_like_name(name: str) -> bool:
    words = name.split()
    return (
        len(name) <= 40
        and all(word[0].isupper() for word in words)
        and words[0].casefold() not in NOT_NAMES
    )


def _surname(name: str) -> str:
    return name.split()[-1].casefold()


def _full_name(name: str, accepted: set[str]) -> str:
    # "KENNEDY:" after one "Michael KENNEDY:" is the same person.
    if " " in name:
        return name
    longer = [other for other in accepted if " " in other and _surname(other) == _surname(name)]
    return longer[0] if len(longer) == 1 else name


def split_voice(text: str) -> tuple[str, str] | None:
    """(speaker, rest) for a voice tag at the start of the text, else None."""
    if text.startswith("<v") and (voice := VOICE.match(text)):
        return html.unescape(voice[1] or "").strip(), text[voice.end() :].strip()
    return None


def split_speaker(text: str, names: Mapping[str, str]) -> tuple[str, str]:
    """Split a leading voice tag or accepted label off the text: (speaker, rest)."""
    voiced = split_voice(text)
    return voiced if voiced is not None else split_label(text, names)


def split_label(text: str, names: Mapping[str, str]) -> tuple[str, str]:
    if ":" in text and (label := LABEL.match(text)) and label[1] in names:
        return names[label[1]], text[label.end() :].strip()
    return "", text


def renamed(renames: Mapping[str, str], old: str, new: str) -> dict[str, str]:
    """Renames (name in the source -> name shown) after also showing `old` as `new`.

    `old` is a name as shown: every source name shown as `old` is shown as `new` from now
    on, and so is a source name `old` itself. Renaming back to the source name drops the entry.
    """
    sources = [source for source, shown in renames.items() if shown == old]
    if old not in renames:
        sources.append(old)
    updated = dict(renames) | dict.fromkeys(sources, new)
    return {source: shown for source, shown in updated.items() if source != shown}
