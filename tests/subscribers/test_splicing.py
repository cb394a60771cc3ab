"""The personal feed template: filled with a token, plain or gzip, equal to a replace."""

import gzip
import zlib

import pytest

from subscribers.splicing import Template

PLACEHOLDER = b"PLACEHOLDERxPLACEHOLDERxPLACEHO1"
TOKEN = b"Ab-_0123456789abcdefghijklmnopqr"
DOCUMENTS = [
    b"",
    b"no placeholder at all",
    PLACEHOLDER,
    PLACEHOLDER + b"<a/>" + PLACEHOLDER,
    b"<rss>" + b"".join(b"<item>%d " % n + PLACEHOLDER + b" notes " * 50 for n in range(300)),
    bytes(range(256)) * 400 + PLACEHOLDER + bytes(range(255, -1, -1)) * 400,  # > 64 KiB parts
]


@pytest.mark.parametrize("document", DOCUMENTS)
def test_filling_is_replacing_the_placeholder(document):
    assert Template.from_bytes(document, PLACEHOLDER).fill(TOKEN) == document.replace(
        PLACEHOLDER, TOKEN
    )


@pytest.mark.parametrize("document", DOCUMENTS)
def test_the_gzip_form_unpacks_to_the_filled_document(document):
    packed = Template.from_bytes(document, PLACEHOLDER).fill_gzip(TOKEN)
    assert gzip.decompress(packed) == document.replace(PLACEHOLDER, TOKEN)
    # One gzip member, complete: what HTTP clients decode (zlib in gzip mode).
    unpacker = zlib.decompressobj(16 + zlib.MAX_WBITS)
    assert unpacker.decompress(packed) == document.replace(PLACEHOLDER, TOKEN)
    assert unpacker.eof and unpacker.unused_data == b""


def test_the_gzip_form_stays_compressed():
    document = DOCUMENTS[4]
    template = Template.from_bytes(document, PLACEHOLDER)
    assert len(template.fill_gzip(TOKEN)) < len(document) / 4
