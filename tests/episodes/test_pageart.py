"""Page-sized copies of artwork (pure): small square WebP, content-addressed names."""

import io

import pytest
from PIL import Image

from episodes.demoart import cover_jpeg
from episodes.pageart import NotAnImage, copy_name, feed_copies, feed_widths, page_copy


@pytest.fixture(scope="module")
def cover() -> bytes:
    return cover_jpeg("Page art", size=1400)


def opened(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


def test_a_1400_px_cover_becomes_a_600_px_webp_under_100_kb(cover) -> None:
    copy = page_copy(io.BytesIO(cover))
    image = opened(copy)
    assert (image.format, image.size, image.mode) == ("WEBP", (600, 600), "RGB")
    assert len(copy) <= 100 * 1024 and len(copy) < len(cover) / 3


@pytest.mark.parametrize(("size", "side"), [((800, 500), 500), ((300, 300), 300)])
def test_other_shapes_are_cropped_square_and_never_enlarged(size, side) -> None:
    buffer = io.BytesIO()
    Image.new("RGBA", size, (200, 10, 10, 128)).save(buffer, "PNG")
    buffer.seek(0)
    assert opened(page_copy(buffer)).size == (side, side)


def test_bytes_that_are_no_image_are_refused() -> None:
    with pytest.raises(NotAnImage, match="not an image"):
        page_copy(io.BytesIO(b"ID3 this is not a picture"))


def test_the_same_bytes_get_the_same_name_and_other_bytes_another(cover) -> None:
    copy = page_copy(io.BytesIO(cover))
    assert copy_name("demo", copy) == copy_name("demo", page_copy(io.BytesIO(cover)))
    assert copy_name("demo", copy) != copy_name("demo", copy + b"x")
    assert copy_name("demo", copy).startswith("art/demo/") and copy_name("demo", copy).endswith(
        ".webp"
    )


@pytest.mark.parametrize(
    ("side", "widths"),
    [(3000, (3000, 1500, 600, 300)), (1400, (1400, 600, 300)), (4000, (3000, 1500, 600, 300))],
)
def test_feed_copies_are_made_at_the_srcset_widths_never_upscaled(side, widths):
    assert feed_widths(side) == widths


def test_feed_copies_are_square_rgb_jpegs_of_their_width():
    buffer = io.BytesIO()
    Image.new("RGB", (1500, 1400), "navy").save(buffer, "PNG")
    copies = feed_copies(io.BytesIO(buffer.getvalue()))
    assert [width for width, _ in copies] == [1400, 600, 300]
    for width, data in copies:
        with Image.open(io.BytesIO(data)) as image:
            assert (image.format, image.mode, image.size) == ("JPEG", "RGB", (width, width))
