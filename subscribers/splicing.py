"""A document built once with a placeholder, filled in per request: plain and gzip bytes.

Every subscriber's personal feed is the same document but for the token in its
URLs. It is built once with a placeholder and kept as the parts between the
placeholders, plain and deflated; a request joins the parts around its token.

The gzip form needs no compression per request: each part was deflated with a
full flush, so the compressor forgot everything before it (no back-reference can
reach across a token) and each part ends on a byte boundary; the token goes in
between as a stored (uncompressed) deflate block. Only the CRC-32 of the whole
is computed per request, by zlib, at memory speed (RFC 1951 3.2.4, RFC 1952).
"""

import struct
import zlib
from dataclasses import dataclass

# Deflate, no flags, mtime 0, no extra flags, OS unknown (RFC 1952 2.3).
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
MAX_STORED = 0xFFFF  # the most bytes one stored block holds


@dataclass(frozen=True, slots=True)
class Template:
    plain: tuple[bytes, ...]  # the document split at the placeholder
    deflated: tuple[bytes, ...]  # each part deflated on its own, the last one final

    @classmethod
    def from_bytes(cls, body: bytes, placeholder: bytes, level: int = 6) -> "Template":
        """Split `body` at every `placeholder` and deflate the parts apart."""
        plain = tuple(body.split(placeholder))
        compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
        deflated = [
            compressor.compress(p) + compressor.flush(zlib.Z_FULL_FLUSH) for p in plain[:-1]
        ]
        deflated.append(compressor.compress(plain[-1]) + compressor.flush(zlib.Z_FINISH))
        return cls(plain, tuple(deflated))

    @property
    def gzip_size(self) -> int:
        return sum(map(len, self.deflated))

    def fill(self, token: bytes) -> bytes:
        """The document with `token` where each placeholder was."""
        return token.join(self.plain)

    def fill_gzip(self, token: bytes) -> bytes:
        """The gzip file of fill(token), made without compressing anything again."""
        if len(token) > MAX_STORED:
            raise ValueError("a token fits one stored block")
        # A non-final stored block: the header bits 000 on a byte boundary, LEN, NLEN.
        stored = b"\x00" + struct.pack("<HH", len(token), len(token) ^ 0xFFFF) + token
        crc = 0
        for index, part in enumerate(self.plain):
            crc = zlib.crc32(part, crc if index == 0 else zlib.crc32(token, crc))
        size = sum(map(len, self.plain)) + len(token) * (len(self.plain) - 1)
        trailer = struct.pack("<II", crc, size & 0xFFFFFFFF)
        return b"".join((GZIP_HEADER, stored.join(self.deflated), trailer))
