"""episodes.demoart: the demo's covers and the favicon, drawn with Pillow. Pure."""

import io

from PIL import Image

from episodes.artwork import artwork_problems
from episodes.demoart import cover_jpeg, icon_ico


def test_the_demo_cover_is_artwork_apple_accepts():
    assert artwork_problems(io.BytesIO(cover_jpeg("Byte-Sized Demo"))) == []


def test_the_favicon_holds_the_three_sizes_browsers_ask_for():
    with Image.open(io.BytesIO(icon_ico())) as icon:
        assert icon.format == "ICO"
        assert {(16, 16), (32, 32), (48, 48)} <= set(icon.info["sizes"])
