"""Read what an uploaded audio file really holds: length, format, tags, chapters.

Pure: an open binary file in, a frozen AudioInfo out; no Django. mutagen reads
headers and tags; frames.py counts MPEG frames when the headers cannot
be trusted, because mutagen then guesses (badly, for VBR files without a Xing
header, or for truncated uploads).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import BinaryIO

from mutagen import MutagenError
from mutagen.mp3 import MP3, BitrateMode, HeaderNotFoundError, MPEGInfo
from mutagen.mp4 import MP4

from .frames import (
    NOT_MP3,
    AudioError,
    FrameHeader,
    FrameScan,
    VbrHeader,
    count_mp3_frames,
    find_first_frame,
    id3v2_end,
    parse_header,
    read_vbr_header,
    sample_duration,
    trailer_start,
)
from .id3 import Chapter, Picture, Tags, TagValues, read_tags, write_tags
from .mp4 import mp4_tags

__all__ = [
    "AudioError",
    "AudioInfo",
    "Chapter",
    "FrameScan",
    "Picture",
    "Tags",
    "count_mp3_frames",
    "read_audio",
    "sniff_audio_type",
    "write_tags",
]

MPEG = "audio/mpeg"
M4A = "audio/x-m4a"  # what Apple's feed spec lists for AAC in MP4
_M4A_BRANDS = {b"M4A ", b"M4B ", b"M4P ", b"mp41", b"mp42", b"isom", b"iso2", b"dash"}
_M4A_NAMES = (".m4a", ".m4b", ".mp4", ".aac")


@dataclass(frozen=True)
class AudioInfo:
    duration: float  # seconds, right even when headers lie
    size: int  # bytes
    mime_type: str  # "audio/mpeg" or "audio/x-m4a"
    bitrate: int  # bits/s (average for VBR)
    vbr: bool
    sample_rate: int
    channels: int
    mpeg_version: float | None  # 1, 2, 2.5 for MP3; None otherwise
    layer: int | None
    frames_counted: bool  # True when duration came from a frame scan
    header_duration: float | None  # what the header claimed (for messages)
    title: str
    artist: str
    album: str
    comment: str
    cover: Picture | None
    chapters: tuple[Chapter, ...]
    notes: tuple[str, ...]  # editor-readable remarks about the file


@dataclass(frozen=True)
class _Stream:
    """The MP3 facts that decide whether to count frames, gathered once."""

    header: FrameHeader
    vbr_header: VbrHeader | None
    offset: int  # first frame, a Xing frame included
    end: int  # where the audio ends, trailing tags excluded


def sniff_audio_type(head: bytes) -> str | None:
    """Tell MP3 from M4A by the first bytes of a file (64 are plenty); None for anything else."""
    if head[:3] == b"ID3" or _is_mpeg_frame(head):
        return "audio/mpeg"
    if head[4:8] == b"ftyp" and _ftyp_brands(head) & _M4A_BRANDS:
        return "audio/mp4"
    return None


def _is_mpeg_frame(head: bytes) -> bool:
    # ADTS AAC also starts with 0xFFF but uses the reserved layer 0; parse_header refuses it.
    return parse_header(head[:4]) is not None


def _is_adts(head: bytes) -> bool:
    # An ADTS header: 12 sync bits, then MPEG version, then layer bits that are always 0.
    return len(head) >= 2 and head[0] == 0xFF and head[1] & 0xF6 == 0xF0


def _ftyp_brands(head: bytes) -> set[bytes]:
    size = int.from_bytes(head[:4], "big")
    body = head[8 : min(size, len(head))]
    return {body[i : i + 4] for i in range(0, len(body) - 3, 4)} - {b"\0\0\0\0"}


def read_audio(fileobj: BinaryIO, *, name: str = "", count_frames: bool | None = None) -> AudioInfo:
    """Read the length, format, tags and chapters of an MP3 or M4A file.

    `count_frames`: None counts MPEG frames only when the headers are doubtful,
    True always, False never. `name` (the upload's file name) only adds a note
    when its extension contradicts the content. Raises AudioError.
    """
    size = fileobj.seek(0, 2)
    if size == 0:
        raise AudioError("the file is empty")
    fileobj.seek(0)
    head = fileobj.read(64)
    if _is_adts(head):
        raise AudioError(
            "this is raw AAC (ADTS), which podcast apps do not play from a feed: put it in "
            "an M4A container (ffmpeg -i episode.aac -c copy episode.m4a) and upload that"
        )
    kind = sniff_audio_type(head)
    if kind == "audio/mp4" or (kind is None and name.lower().endswith(_M4A_NAMES)):
        info = _read_mp4(fileobj, size)
    else:
        info = _read_mp3(fileobj, size, count_frames)
    return _with_notes(info, _name_notes(name, info.mime_type))


def _with_notes(info: AudioInfo, notes: list[str]) -> AudioInfo:
    return replace(info, notes=info.notes + tuple(notes)) if notes else info


def _name_notes(name: str, mime_type: str) -> list[str]:
    # Apple wants the extension to match the real type; players trust the extension.
    ext = name.lower().rpartition(".")[2] if "." in name else ""
    expected = {MPEG: ("mp3",), M4A: ("m4a", "m4b", "mp4", "aac")}[mime_type]
    if not ext or ext in expected:
        return []
    kind = "MP3" if mime_type == MPEG else "M4A (AAC)"
    return [f"the file is named .{ext} but holds {kind} audio: rename it to .{expected[0]}"]


def _read_mp3(fileobj: BinaryIO, size: int, count_frames: bool | None) -> AudioInfo:
    info, tags, notes = _load_mp3(fileobj)
    stream = _locate_stream(fileobj, size)
    if count_frames is None:
        count_frames = _header_is_doubtful(fileobj, stream)
    if count_frames:
        scan = count_mp3_frames(fileobj, stream.offset, stream.end)
        duration, more = _counted_duration(scan, stream, info)
        notes += more
    else:
        scan, duration = None, info.length
    if duration <= 0:
        raise AudioError("the header says the audio lasts 0 s and the frames were not counted")
    notes += _chapter_notes(tags.chapters, duration)
    return _mp3_info(info, stream, scan, tags, duration, size, tuple(notes))


def _load_mp3(fileobj: BinaryIO) -> tuple[MPEGInfo, TagValues, list[str]]:
    """Read stream info and tags with mutagen; a broken tag costs the tags, not the file."""
    try:
        fileobj.seek(0)
        mp3 = MP3(fileobj)
        return mp3.info, read_tags(mp3.tags), []
    except HeaderNotFoundError:
        raise _no_audio(fileobj) from None
    except MutagenError as exc:
        tag_error = exc
    try:
        fileobj.seek(0)
        info = MPEGInfo(fileobj)
    except MutagenError:
        raise _no_audio(fileobj) from None
    return info, TagValues(), [f"the ID3 tag is damaged and was ignored ({tag_error})"]


def _no_audio(fileobj: BinaryIO) -> AudioError:
    """Explain why mutagen found no audio: none at all, or too little to trust."""
    scan = count_mp3_frames(fileobj)
    if scan.frames == 0:
        return AudioError(NOT_MP3)
    return AudioError(f"the file holds only {_span(scan.duration)} of MPEG audio: too short to use")


def _locate_stream(fileobj: BinaryIO, size: int) -> _Stream:
    start = id3v2_end(fileobj)
    end = trailer_start(fileobj, size)
    first = find_first_frame(fileobj, start, end) if end > start else None
    if first is None:
        raise AudioError(NOT_MP3)
    offset, header = first
    return _Stream(header, read_vbr_header(fileobj, offset, header), offset, end)


def _header_is_doubtful(fileobj: BinaryIO, stream: _Stream) -> bool:
    """Whether mutagen's length may be wrong, so the frames must be counted.

    Without a Xing/VBRI header mutagen extrapolates from the first frame's
    bitrate; with one whose byte count disagrees with the file, the upload was
    truncated (or the file edited after encoding); a frame count far from what
    a sample of the frames suggests is a header that lies outright.
    """
    vbr = stream.vbr_header
    if vbr is None or not vbr.frames or not vbr.bytes:
        return True
    actual = stream.end - stream.offset
    if abs(vbr.bytes - actual) > max(actual // 50, 2048):
        return True
    promised = vbr.frames * stream.header.samples / stream.header.sample_rate
    audio_start = stream.offset + stream.header.length
    estimate = sample_duration(fileobj, audio_start, stream.end)
    return estimate is None or abs(estimate - promised) > promised / 5


def _counted_duration(scan: FrameScan, stream: _Stream, info: MPEGInfo) -> tuple[float, list[str]]:
    """Turn a frame count into a duration, with notes where the header disagreed."""
    if scan.frames == 0:
        raise AudioError(NOT_MP3)
    duration = scan.duration - _encoder_gap(stream, info)
    notes = _header_notes(stream, info.length, duration)
    notes += _damage_notes(scan)
    return duration, notes


def _encoder_gap(stream: _Stream, info: MPEGInfo) -> float:
    # LAME's tag records the encoder delay and padding (silence it added); mutagen
    # subtracts them from the header length, so take the same off the count.
    vbr = stream.vbr_header
    if vbr is None or not vbr.frames:
        return 0.0
    raw = vbr.frames * stream.header.samples / stream.header.sample_rate
    gap = raw - info.length
    return gap if 0 < gap < 0.2 else 0.0


def _header_notes(stream: _Stream, claimed: float, counted: float) -> list[str]:
    vbr, slack = stream.vbr_header, max(1.0, counted / 100)
    if vbr is None:
        if abs(claimed - counted) <= slack:
            return []
        return [
            f"the file has no VBR header, so its length was estimated at {_span(claimed)};"
            f" its frames hold {_span(counted)}, which is used"
        ]
    if not vbr.frames:
        notes = [f"the {vbr.kind} header gives no length: {_span(counted)} counted from the frames"]
        return notes + _promised_bytes_notes(vbr, stream.end - stream.offset)
    if claimed > counted + slack:
        return [
            f"the file ends after {_span(counted)} but its header promises {_span(claimed)}:"
            " truncated upload?"
        ]
    if claimed < counted - slack:
        return [
            f"the header promises {_span(claimed)} but the file holds {_span(counted)}"
            " of frames: duration taken from the frames"
        ]
    return []


def _promised_bytes_notes(vbr: VbrHeader, actual: int) -> list[str]:
    if not vbr.bytes or vbr.bytes <= actual + max(actual // 50, 2048):
        return []
    return [
        f"the file holds {_bytes(actual)} of audio but its header promises {_bytes(vbr.bytes)}:"
        " truncated upload?"
    ]


def _damage_notes(scan: FrameScan) -> list[str]:
    notes = []
    if scan.tail_bytes > 4096:
        notes.append(
            f"the last {_bytes(scan.tail_bytes)} of the file hold no audio: truncated upload?"
        )
    if scan.skipped_bytes > 4096:
        notes.append(f"{_bytes(scan.skipped_bytes)} of damaged data between frames were skipped")
    return notes


def _chapter_notes(chapters: tuple[Chapter, ...], duration: float) -> list[str]:
    # Kept as written (the editor may fix the audio or the chapters), but flagged.
    notes = []
    for number, chapter in enumerate(chapters, 1):
        label = f'chapter {number} ("{chapter.title}")' if chapter.title else f"chapter {number}"
        if chapter.start > duration + 0.001:
            notes.append(f"{label} starts at {_span(chapter.start)}, after the audio ends")
        elif chapter.end is not None and chapter.end > duration + 0.001:
            notes.append(
                f"{label} ends at {_span(chapter.end)}, after the audio ends at {_span(duration)}"
            )
    return notes


def _mp3_info(
    info: MPEGInfo,
    stream: _Stream,
    scan: FrameScan | None,
    tags: TagValues,
    duration: float,
    size: int,
    notes: tuple[str, ...],
) -> AudioInfo:
    vbr = scan.vbr if scan else info.bitrate_mode in (BitrateMode.VBR, BitrateMode.ABR)
    # A VBR stream's honest bitrate is its average (mutagen's is the first frame's
    # unless a Xing header gives bytes); a CBR stream's is the nominal one.
    bitrate = stream.header.bitrate if not vbr else info.bitrate
    if vbr and scan:
        bitrate = round(scan.audio_bytes * 8 / scan.duration)
    return AudioInfo(
        duration=duration,
        size=size,
        mime_type=MPEG,
        bitrate=bitrate,
        vbr=vbr,
        sample_rate=info.sample_rate,
        channels=info.channels,
        mpeg_version=info.version,
        layer=info.layer,
        frames_counted=scan is not None,
        header_duration=info.length,
        **_tag_fields(tags),
        notes=notes,
    )


def _tag_fields(tags: TagValues) -> dict:
    return {
        "title": tags.title,
        "artist": tags.artist,
        "album": tags.album,
        "comment": tags.comment,
        "cover": tags.cover,
        "chapters": tags.chapters,
    }


def _read_mp4(fileobj: BinaryIO, size: int) -> AudioInfo:
    try:
        fileobj.seek(0)
        mp4 = MP4(fileobj)
    except MutagenError as exc:
        raise AudioError(f"the M4A file cannot be read: {exc}") from None
    info = mp4.info
    if info.length <= 0:
        raise AudioError("the M4A file holds no audio (0 s)")
    tags = mp4_tags(mp4, info.length)
    return AudioInfo(
        duration=info.length,
        size=size,
        mime_type=M4A,
        bitrate=info.bitrate,
        vbr=False,  # MP4 does not say; its length comes from the container, so it is right anyway
        sample_rate=info.sample_rate,
        channels=info.channels,
        mpeg_version=None,
        layer=None,
        frames_counted=False,
        header_duration=info.length,
        **_tag_fields(tags),
        notes=tuple(_chapter_notes(tags.chapters, info.length)),
    )


def _span(seconds: float) -> str:
    """Say a length the way an editor would: "2.025 s", "61 s", "14 min", "1 h 02 min"."""
    if seconds < 10:
        return f"{seconds:.3f}".rstrip("0").rstrip(".") + " s"
    whole = round(seconds)
    if whole < 100:
        return f"{whole} s"
    if whole < 3600:
        minutes, rest = divmod(whole, 60)
        return f"{minutes} min {rest} s" if rest else f"{minutes} min"
    hours, minutes = divmod(whole // 60, 60)
    return f"{hours} h {minutes:02d} min"


def _bytes(count: int) -> str:
    if count >= 1_000_000:
        return f"{count / 1_000_000:.1f} MB"
    return f"{count / 1000:.1f} KB" if count < 10_000 else f"{count // 1000} KB"
