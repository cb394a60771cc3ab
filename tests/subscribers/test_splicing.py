"""The personal feed template: filled with a token, plain or gzip, equal to a replace."""

import gzip
import random
import zlib

import pytest

from subscribers.splicing import Template, marker

PLACEHOLDER = b"PLACEHOLDERxPLACEHOLDERxPLACEHO1"
TOKEN = b"Ab-_0123456789abcdefghijklmnopqr"


def feed_like(items: int, seed: int) -> bytes:
    """Items that repeat each other around the placeholder, as a feed's do."""
    rng = random.Random(seed)
    words = ["tools", "Python", "é", "漢字", "🎧", "feeds", PLACEHOLDER.decode()[:9], "x"]
    body = []
    for n in range(items):
        notes = " ".join(rng.choice(words) for _ in range(rng.randint(0, 60)))
        body.append(f'<item><enclosure url="https://pod.example.com/feeds/{PLACEHOLDER.decode()}'
                    f'/audio/{n}/episode-{n}.mp3"/><description>{notes}</description>'
                    f'<chapters url="/feeds/{PLACEHOLDER.decode()}/chapters/{n}.json"/></item>\n')  # fmt: skip
    return ("<rss>" + "".join(body) + "</rss>").encode()


DOCUMENTS = [
    b"",
    b"no placeholder at all",
    PLACEHOLDER,
    PLACEHOLDER + PLACEHOLDER,
    PLACEHOLDER + b"<a/>" + PLACEHOLDER,
    b"<rss>" + b"".join(b"<item>%d " % n + PLACEHOLDER + b" notes " * 50 for n in range(300)),
    "é漢字🎧 ".encode() * 20_000 + PLACEHOLDER + "🎧".encode() * 20_000,  # parts over 64 KiB
    feed_like(500, seed=1),
    feed_like(500, seed=2),
]


@pytest.mark.parametrize("document", DOCUMENTS)
def test_filling_is_replacing_the_placeholder(document):
    filled = Template.from_bytes(document, PLACEHOLDER).fill(TOKEN)
    assert filled == document.replace(PLACEHOLDER, TOKEN)


@pytest.mark.parametrize("document", DOCUMENTS)
def test_the_gzip_form_unpacks_to_the_filled_document(document):
    packed = Template.from_bytes(document, PLACEHOLDER).fill_gzip(TOKEN)
    assert gzip.decompress(packed) == document.replace(PLACEHOLDER, TOKEN)
    # One gzip member, complete: what HTTP clients decode (zlib in gzip mode).
    unpacker = zlib.decompressobj(16 + zlib.MAX_WBITS)
    assert unpacker.decompress(packed) == document.replace(PLACEHOLDER, TOKEN)
    assert unpacker.eof and unpacker.unused_data == b""


def test_the_gzip_form_stays_within_a_few_times_of_gzip():
    # Short items with two tokens each: the flush before and after every token costs
    # most here (a real feed's items are longer: 2.5x, README's benchmarks).
    document = feed_like(2000, seed=3)
    packed = Template.from_bytes(document, PLACEHOLDER).fill_gzip(TOKEN)
    whole = gzip.compress(document.replace(PLACEHOLDER, TOKEN))
    assert len(packed) < 5 * len(whole) < len(document)


def test_a_token_of_another_length_is_refused():
    with pytest.raises(ValueError):
        Template.from_bytes(DOCUMENTS[4], PLACEHOLDER).fill_gzip(TOKEN[:-1])


@pytest.mark.parametrize("length", [2, 3, 16, 32, 40])
def test_the_marker_is_never_utf8_and_never_repeats_a_pair(length):
    stand_in = marker(length)
    assert len(stand_in) == length
    assert all(byte in (0xC0, 0xC1) or byte >= 0xF5 for byte in stand_in)
    pairs = [stand_in[i : i + 2] for i in range(length - 1)]
    assert len(set(pairs)) == len(pairs)
    assert stand_in.count(stand_in[:1]) == 1 and stand_in.count(stand_in[-1:]) == 1
