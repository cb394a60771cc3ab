"""Page-sized copies of artwork (pure: Pillow only): a 600 px WebP for the site's pages.

The original stays what feeds and MP3 covers use (Apple wants 1400-3000 px);
pages show a copy that weighs a few tens of kilobytes instead of hundreds.
"""

import hashlib
import io
from typing import BinaryIO

from PIL import Image, ImageOps, UnidentifiedImageError

PAGE_SIZE = 600
QUALITY = 80


class NotAnImage(ValueError):
    """The bytes are not an image Pillow can read."""


def page_copy(fileobj: BinaryIO, *, size: int = PAGE_SIZE) -> bytes:
    """A square WebP of at most `size` px (cropped to the centre if not square), RGB."""
    try:
        with Image.open(fileobj) as image:
            image.load()
            rgb = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError) as error:
        raise NotAnImage(f"not an image Pillow can read: {error}") from None
    side = min(size, *rgb.size)
    square = ImageOps.fit(rgb, (side, side), method=Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    square.save(buffer, "WEBP", quality=QUALITY, method=6)
    return buffer.getvalue()


def copy_name(folder: str, data: bytes) -> str:
    """A content-addressed name: the same bytes always get the same name, so caches keep it."""
    return f"art/{folder}/{hashlib.sha256(data).hexdigest()[:20]}.webp"
