"""A document built once with a placeholder, filled in per request: plain and gzip bytes.

Every subscriber's personal feed is the same document but for the token in its
URLs. It is built once with a placeholder and kept as the parts between the
placeholders, plain and deflated; a request joins the parts around its token.

The gzip form needs no compression per request (RFC 1951, RFC 1952). The parts are
deflated as one stream, each ended by a sync flush (it ends on a byte boundary and
keeps the history, so later parts still match text from earlier ones). Where the
token goes, the compressor is given a marker of the token's length and its output
for the marker is dropped: the request puts the token there as a stored block, so
every distance stays right. The marker is made of bytes UTF-8 never uses, none of
its two-byte runs twice, its first and last bytes once: a match the compressor
finds through a marker can only be the same stretch of another marker, which the
decompressor reads as the same token. Only the CRC-32 of the whole is computed per
request, by zlib, at memory speed.
"""

import struct
import zlib
from dataclasses import dataclass

# Deflate, no flags, mtime 0, no extra flags, OS unknown (RFC 1952 2.3).
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
# Bytes no UTF-8 text holds: C0 and C1 (overlong), F5 to FF (beyond U+10FFFF).
MARKER_START, MARKER_END = 0xC0, 0xC1
MARKER_MIDDLE = tuple(range(0xF5, 0x100))


def marker(length: int) -> bytes:
    """`length` bytes that UTF-8 never holds, no two-byte run twice, first and last once."""
    hub, other, *spokes = MARKER_MIDDLE
    # Out along each spoke and back to the hub, then the same around a second hub:
    # every step is a pair of bytes not taken before.
    walk = [hub, *[b for s in spokes for b in (s, hub)], other]
    walk += [b for s in spokes for b in (s, other)]
    if not 2 <= length <= len(walk) + 2:
        raise ValueError(f"a marker is 2 to {len(walk) + 2} bytes long")
    return bytes([MARKER_START, *walk[: length - 2], MARKER_END])


@dataclass(frozen=True, slots=True)
class Template:
    plain: tuple[bytes, ...]  # the document split at the placeholder
    deflated: tuple[bytes, ...]  # one deflate stream cut where the tokens go
    token_length: int

    @classmethod
    def from_bytes(cls, body: bytes, placeholder: bytes, level: int = 6) -> "Template":
        """Split the UTF-8 `body` at every `placeholder` and deflate it around them."""
        stand_in = marker(len(placeholder))
        plain = tuple(body.split(placeholder))
        compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
        deflated = []
        for part in plain[:-1]:
            deflated.append(compressor.compress(part) + compressor.flush(zlib.Z_SYNC_FLUSH))
            compressor.compress(stand_in)
            compressor.flush(zlib.Z_SYNC_FLUSH)  # the marker's blocks: the token's place
        deflated.append(compressor.compress(plain[-1]) + compressor.flush(zlib.Z_FINISH))
        return cls(plain, tuple(deflated), len(placeholder))

    @property
    def gzip_size(self) -> int:
        return sum(map(len, self.deflated))

    def fill(self, token: bytes) -> bytes:
        """The document with `token` where each placeholder was."""
        return token.join(self.plain)

    def fill_gzip(self, token: bytes) -> bytes:
        """The gzip file of fill(token), made without compressing anything again."""
        if len(token) != self.token_length:
            raise ValueError(f"the token must be {self.token_length} bytes, as the placeholder")
        # A non-final stored block: the header bits 000 on a byte boundary, LEN, NLEN.
        stored = b"\x00" + struct.pack("<HH", len(token), len(token) ^ 0xFFFF) + token
        crc = 0
        for index, part in enumerate(self.plain):
            crc = zlib.crc32(part, crc if index == 0 else zlib.crc32(token, crc))
        size = sum(map(len, self.plain)) + len(token) * (len(self.plain) - 1)
        trailer = struct.pack("<II", crc, size & 0xFFFFFFFF)
        return b"".join((GZIP_HEADER, stored.join(self.deflated), trailer))
