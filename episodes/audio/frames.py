"""Walk the frames of an MPEG audio stream without decoding it.

Pure: plain file objects in, frozen dataclasses out. `episodes.audio` uses it to
find the real length of files whose headers lie (VBR without a Xing header,
truncated uploads, broken Xing headers).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import BinaryIO

CHUNK = 4 * 1024 * 1024
NOT_MP3 = "no MPEG audio frame found: this is not an MP3 file"


class AudioError(ValueError):
    """The file cannot be used; str() is a message an editor understands."""


# Index 0 is "free format" and 15 is forbidden: both stay out of the table.
_BITRATES_KBPS = {
    (1, 1): (0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (1, 2): (0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (1, 3): (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (2, 1): (0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (2, 2): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
    (2, 3): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_SAMPLE_RATES = {1: (44100, 48000, 32000), 2: (22050, 24000, 16000), 2.5: (11025, 12000, 8000)}
_VERSIONS = {0b00: 2.5, 0b10: 2, 0b11: 1}  # 0b01 is reserved
_LAYERS = {0b01: 3, 0b10: 2, 0b11: 1}  # 0b00 is reserved (and is what ADTS AAC uses)


@dataclass(frozen=True)
class FrameHeader:
    """The fields of one 4-byte MPEG audio frame header that matter to us."""

    version: float
    layer: int
    bitrate: int  # bits/s
    sample_rate: int
    padding: bool
    channels: int
    length: int  # bytes, header included
    samples: int  # per channel


@dataclass(frozen=True)
class VbrHeader:
    """A Xing/Info or VBRI header: what the encoder promised about the whole stream."""

    kind: str  # "Xing", "Info" or "VBRI"
    frames: int | None  # audio frames, the header frame excluded
    bytes: int | None  # stream bytes, the header frame included


@dataclass(frozen=True)
class FrameScan:
    """What a walk over the frames found."""

    frames: int
    duration: float  # seconds
    audio_bytes: int  # bytes covered by the counted frames
    first_offset: int  # where the first audio frame starts (after any Xing frame)
    skipped_bytes: int  # non-audio bytes stepped over between frames
    tail_bytes: int  # non-audio bytes after the last frame (zeros of an unfinished download)
    cut_off: bool  # the data ends inside the last frame (typical of a truncated upload)
    vbr: bool  # more than one bitrate seen


def _frame_shape(version: float, layer: int, bitrate: int, rate: int, pad: int) -> tuple[int, int]:
    """Return (frame length in bytes, samples per frame) per ISO 11172-3 / 13818-3."""
    if layer == 1:
        return (12 * bitrate // rate + pad) * 4, 384
    samples = 576 if layer == 3 and version != 1 else 1152
    return samples // 8 * bitrate // rate + pad, samples


def _decode(b1: int, b2: int) -> tuple[float, int, int, int, int] | None:
    """Decode bytes 1 and 2 of a header into (version, layer, bitrate, rate, padding)."""
    version = _VERSIONS.get(b1 >> 3 & 3)
    layer = _LAYERS.get(b1 >> 1 & 3)
    bitrate_index, rate_index = b2 >> 4, b2 >> 2 & 3
    if version is None or layer is None or bitrate_index in (0, 15) or rate_index == 3:
        return None
    kbps = _BITRATES_KBPS[(1 if version == 1 else 2, layer)][bitrate_index]
    return version, layer, kbps * 1000, _SAMPLE_RATES[version][rate_index], b2 >> 1 & 1


def _build_table() -> dict[bytes, tuple[int, int, int, int]]:
    """Map every valid first three header bytes to (length, samples, rate, bitrate).

    The fourth byte (channel mode, emphasis) never changes the frame length, so
    three bytes are a complete key and the hot loop is one slice and one lookup.
    """
    table = {}
    for b1 in range(0xE0, 0x100):
        for b2 in range(0x100):
            fields = _decode(b1, b2)
            if fields is not None:
                length, samples = _frame_shape(*fields)
                table[bytes((0xFF, b1, b2))] = (length, samples, fields[3], fields[2])
    return table


_TABLE = _build_table()
# The same lengths split by stream (version, layer, sample rate) for the hot loop.
_LENGTHS: dict[tuple[int, int], dict[bytes, int]] = {}
for _key, (_length, *_rest) in _TABLE.items():
    _LENGTHS.setdefault((_key[1] & 0xFE, _key[2] & 0x0C), {})[_key] = _length


def parse_header(data: bytes) -> FrameHeader | None:
    """Parse a 4-byte frame header; None when the bytes are not one."""
    if len(data) < 4 or bytes(data[:3]) not in _TABLE:
        return None
    version, layer, bitrate, rate, pad = _decode(data[1], data[2])
    length, samples = _frame_shape(version, layer, bitrate, rate, pad)
    channels = 1 if data[3] >> 6 == 3 else 2
    return FrameHeader(version, layer, bitrate, rate, bool(pad), channels, length, samples)


def _stream_key(data: bytes) -> tuple[int, int]:
    """Version, layer and sample rate bits: constant across a real stream."""
    return data[1] & 0xFE, data[2] & 0x0C


def id3v2_end(fileobj: BinaryIO, start: int = 0) -> int:
    """Return the offset after the ID3v2 tags at `start` (several are stacked by some tools)."""
    while True:
        fileobj.seek(start)
        head = fileobj.read(10)
        if len(head) < 10 or head[:3] != b"ID3" or any(b & 0x80 for b in head[6:10]):
            return start
        size = head[6] << 21 | head[7] << 14 | head[8] << 7 | head[9]
        footer = 10 if head[5] & 0x10 else 0
        start += 10 + size + footer


def trailer_start(fileobj: BinaryIO, end: int) -> int:
    """Return where the audio ends: before any ID3v1, APEv2 or Lyrics3v2 trailer."""
    while True:
        new_end = _strip_one_trailer(fileobj, end)
        if new_end == end:
            return end
        end = new_end


def _strip_one_trailer(fileobj: BinaryIO, end: int) -> int:
    # Tools append these in any order, so the caller peels until nothing matches.
    fileobj.seek(max(0, end - 128))
    tail = fileobj.read(min(end, 128))
    if len(tail) == 128 and tail[:3] == b"TAG":
        return end - 128
    if tail[-32:-24] == b"APETAGEX":
        size, flags = struct.unpack("<I4xI", tail[-20:-8])
        header = 32 if flags & 0x80000000 else 0
        return max(0, end - size - header)
    if tail[-9:] == b"LYRICS200" and tail[-15:-9].isdigit():
        return max(0, end - 15 - int(tail[-15:-9]))
    return end


def find_first_frame(fileobj: BinaryIO, start: int, end: int) -> tuple[int, FrameHeader] | None:
    """Find the first frame whose successor is also a frame of the same stream.

    Requiring two headers in a row keeps a stray 0xFF byte in a tag or in
    garbage from passing for audio. A lone frame counts only if it fills the data.
    """
    fileobj.seek(start)
    data = fileobj.read(min(CHUNK, end - start))
    pos = data.find(b"\xff")
    while pos != -1 and pos + 4 <= len(data):
        if _confirmed(data, pos, end - start):
            return start + pos, parse_header(data[pos : pos + 4])
        pos = data.find(b"\xff", pos + 1)
    return None


def _confirmed(data: bytes, pos: int, size: int) -> bool:
    entry = _TABLE.get(data[pos : pos + 3])
    if entry is None:
        return False
    after = pos + entry[0]
    if after == size:
        return True
    nxt = data[after : after + 3]
    return nxt in _TABLE and _stream_key(nxt) == _stream_key(data[pos : pos + 3])


def read_vbr_header(fileobj: BinaryIO, offset: int, header: FrameHeader) -> VbrHeader | None:
    """Read the Xing/Info or VBRI header in the frame at `offset`, if there is one."""
    fileobj.seek(offset)
    frame = fileobj.read(header.length)
    mono = header.channels == 1
    side_info = (17 if mono else 32) if header.version == 1 else (9 if mono else 17)
    tag = frame[4 + side_info : 4 + side_info + 4]
    if tag in (b"Xing", b"Info"):
        return _parse_xing(tag.decode(), frame[4 + side_info + 4 :])
    if frame[36:40] == b"VBRI" and len(frame) >= 54:
        size, frames = struct.unpack(">II", frame[46:54])
        return VbrHeader("VBRI", frames, size)
    return None


def _parse_xing(kind: str, body: bytes) -> VbrHeader:
    flags = int.from_bytes(body[:4], "big")
    fields = iter(struct.unpack(">2I", body[4:12].ljust(8, b"\0")))
    frames = next(fields) if flags & 1 else None
    size = next(fields) if flags & 2 else None
    return VbrHeader(kind, frames, size)


def count_mp3_frames(fileobj: BinaryIO, start: int = 0, end: int | None = None) -> FrameScan:
    """Count the MPEG audio frames between `start` and `end` (default: the end of the file).

    Skips ID3v2 tags at `start` (and between concatenated files), trailing
    ID3v1/APE/Lyrics3 tags, a leading Xing/Info/VBRI frame (metadata, not audio)
    and garbage between frames.
    """
    if end is None:
        end = trailer_start(fileobj, fileobj.seek(0, 2))
    start = id3v2_end(fileobj, start)
    first = find_first_frame(fileobj, start, end)
    if first is None:
        return FrameScan(0, 0.0, 0, start, 0, max(0, end - start), False, False)
    offset, header = first
    if read_vbr_header(fileobj, offset, header) is not None:
        offset += header.length
    return _summarise(_walk(fileobj, offset, end), offset, end)


@dataclass
class _Segment:
    """A run of frames of one stream (version, layer, sample rate)."""

    key: bytes  # the first frame's header bytes
    frames: int = 0
    nbytes: int = 0


@dataclass
class _Walk:
    segments: list[_Segment] = field(default_factory=list)
    skipped: int = 0
    tail: int = 0
    cut_off: bool = False


def _walk(fileobj: BinaryIO, pos: int, end: int) -> _Walk:
    """Hop over the frames from `pos` to `end`, resyncing after damage."""
    walk = _Walk()
    while pos + 4 <= end:
        fileobj.seek(pos)
        data = fileobj.read(min(CHUNK, end - pos))
        if data[:3] == b"ID3":  # files joined with `cat` keep their tags
            pos = max(id3v2_end(fileobj, pos), pos + 3)
            continue
        done = _walk_chunk(data, walk, overshoot_is_cut=pos + len(data) >= end)
        # Where the frames stop, the next turn looks again (a tag, another stream);
        # only bytes that start no frame at all are damage.
        pos = pos + done if done else _step_over_damage(fileobj, pos, end, walk)
    return walk


def _walk_chunk(data: bytes, walk: _Walk, overshoot_is_cut: bool) -> int:
    """Count the frames of one stream from the start of `data`; return how far it got."""
    lengths = _LENGTHS.get(_stream_key(data)) if data[:3] in _TABLE else None
    if lengths is None:
        return 0
    if not walk.segments or _stream_key(walk.segments[-1].key) != _stream_key(data):
        walk.segments.append(_Segment(data[:4]))
    segment = walk.segments[-1]
    frames, pos, last = _hop(data, lengths)
    if overshoot_is_cut and pos > len(data):
        # The last hop left the file: that frame is incomplete, so it is no audio.
        walk.cut_off = True
        frames, pos = frames - 1, pos - last
    segment.frames += frames
    segment.nbytes += pos
    return pos if not walk.cut_off else len(data)


def _hop(data: bytes, lengths: dict[bytes, int]) -> tuple[int, int, int]:
    """Hop from header to header; return (frames, where it stopped, last frame's length).

    The hot loop: one slice and one dict lookup per frame, ~140,000 turns for
    an hour of audio. `lengths` holds only this stream's headers, so a frame of
    another stream stops it like garbage does.
    """
    get = lengths.get
    pos, frames, last, limit = 0, 0, 0, len(data) - 4
    while pos <= limit:
        length = get(data[pos : pos + 3])
        if length is None:
            break
        last = length
        frames += 1
        pos += length
    return frames, pos, last


def _step_over_damage(fileobj: BinaryIO, pos: int, end: int, walk: _Walk) -> int:
    gap = _resync(fileobj, pos, end)
    if gap is None:
        walk.tail = end - pos
        return end
    walk.skipped += gap
    return pos + gap


def _resync(fileobj: BinaryIO, pos: int, end: int) -> int | None:
    """Return how many bytes to skip to the next confirmed frame, if there is one."""
    scanned = 0
    while pos + scanned + 4 <= end:
        fileobj.seek(pos + scanned)
        data = fileobj.read(min(CHUNK, end - pos - scanned))
        at = data.find(b"\xff", 0 if scanned else 1)  # `pos` itself starts no frame
        while at != -1 and at + 4 <= len(data):
            if _confirmed(data, at, len(data)):
                return scanned + at
            at = data.find(b"\xff", at + 1)
        scanned += max(1, len(data) - 3)
    return None


def _summarise(walk: _Walk, offset: int, end: int) -> FrameScan:
    frames = sum(s.frames for s in walk.segments)
    duration = sum(s.frames * _TABLE[s.key[:3]][1] / _TABLE[s.key[:3]][2] for s in walk.segments)
    audio_bytes = sum(s.nbytes for s in walk.segments)
    used = [s for s in walk.segments if s.frames]
    vbr = len({_TABLE[s.key[:3]][3] for s in used}) > 1 or any(_varies(s) for s in used)
    return FrameScan(
        frames, duration, audio_bytes, offset, walk.skipped, walk.tail, walk.cut_off, vbr
    )


def _varies(segment: _Segment) -> bool:
    # Constant-bitrate frames differ only by the padding slot (1 byte, 4 in Layer I), so
    # an average outside that band means the bitrate changed.
    header = parse_header(segment.key)
    slot = 4 if header.layer == 1 else 1
    unpadded = header.length - (slot if header.padding else 0)
    return not unpadded <= segment.nbytes / segment.frames <= unpadded + slot


def sample_duration(
    fileobj: BinaryIO, start: int, end: int, windows: int = 5, size: int = 32768
) -> float | None:
    """Estimate the length of the stream from a few windows of frames spread over it.

    Cheap (a few small reads) and good to ~20% even for VBR speech: enough to
    catch a Xing header whose frame count is far from what the bytes hold.
    """
    if end - start <= windows * size:
        windows, size = 1, end - start  # small: overlapping windows would skew it, read all
    seconds, nbytes = 0.0, 0
    for k in range(windows):
        at = start + (end - start) * k // windows
        first = find_first_frame(fileobj, at, min(end, at + size))
        if first is None:
            continue
        fileobj.seek(first[0])
        walk = _Walk()
        _walk_chunk(fileobj.read(min(size, end - first[0])), walk, overshoot_is_cut=False)
        scan = _summarise(walk, first[0], end)
        seconds, nbytes = seconds + scan.duration, nbytes + scan.audio_bytes
    return (end - start) * seconds / nbytes if nbytes else None
