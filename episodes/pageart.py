"""Resized copies of artwork (pure: Pillow only): a 600 px WebP for the site's pages, and
square JPEGs of several widths for the feeds' podcast:images srcset.

The original stays what feeds and MP3 covers use (Apple wants 1400-3000 px);
pages show a copy that weighs a few tens of kilobytes instead of hundreds, and
apps pick the feed copy that fits their screen.
"""

import hashlib
import io
from typing import BinaryIO

from PIL import Image, ImageOps, UnidentifiedImageError

PAGE_SIZE = 600
QUALITY = 80
# podcast:images widths; a cover between them also gets a copy at its own width.
FEED_WIDTHS = (3000, 1500, 600, 300)
FEED_QUALITY = 85


class NotAnImage(ValueError):
    """The bytes are not an image Pillow can read."""


def load_rgb(fileobj: BinaryIO) -> Image.Image:
    try:
        with Image.open(fileobj) as image:
            image.load()
            return ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError) as error:
        raise NotAnImage(f"not an image Pillow can read: {error}") from None


def square(rgb: Image.Image, side: int) -> Image.Image:
    """The image cropped to its centre square and resized to `side` px."""
    return ImageOps.fit(rgb, (side, side), method=Image.Resampling.LANCZOS)


def page_copy(fileobj: BinaryIO, *, size: int = PAGE_SIZE) -> bytes:
    """A square WebP of at most `size` px (cropped to the centre if not square), RGB."""
    rgb = load_rgb(fileobj)
    buffer = io.BytesIO()
    square(rgb, min(size, *rgb.size)).save(buffer, "WEBP", quality=QUALITY, method=6)
    return buffer.getvalue()


def feed_widths(side: int) -> tuple[int, ...]:
    """The widths of the feed copies of a cover `side` px wide, widest first; never upscaled."""
    widths = {width for width in FEED_WIDTHS if width <= side} | {min(side, FEED_WIDTHS[0])}
    return tuple(sorted(widths, reverse=True))


def feed_copies(fileobj: BinaryIO) -> list[tuple[int, bytes]]:
    """(width, JPEG bytes) of square RGB copies for podcast:images, widest first."""
    rgb = load_rgb(fileobj)
    copies = []
    for width in feed_widths(min(rgb.size)):
        buffer = io.BytesIO()
        square(rgb, width).save(buffer, "JPEG", quality=FEED_QUALITY, optimize=True)
        copies.append((width, buffer.getvalue()))
    return copies


def copy_name(folder: str, data: bytes, suffix: str = "webp") -> str:
    """A content-addressed name: the same bytes always get the same name, so caches keep it."""
    return f"art/{folder}/{hashlib.sha256(data).hexdigest()[:20]}.{suffix}"
