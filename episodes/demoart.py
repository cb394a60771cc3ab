"""Cover art drawn by our own code with Pillow, for the demo show and the site's icon.

Apple wants a square RGB JPEG or PNG of 1400-3000 px; `cover_jpeg` makes one
that `artwork.artwork_problems` accepts, so the demo feed carries an
`itunes:image` and the demo MP3s a front cover.
"""

import io

from PIL import Image, ImageDraw, ImageFont

COVER_SIZE = 1400


def draw_cover(
    title: str, *, size: int = COVER_SIZE, hue: tuple[int, int, int] = (11, 87, 164)
) -> Image.Image:
    """A square cover: a dark-to-colour gradient, sound-wave rings and the title."""
    image = Image.new("RGB", (size, size))
    draw = ImageDraw.Draw(image)
    dark = (17, 24, 39)
    for y in range(size):
        mix = y / (size - 1)
        draw.line(
            [(0, y), (size, y)],
            fill=tuple(round(d + (h - d) * mix) for d, h in zip(dark, hue, strict=True)),
        )
    centre, unit = size // 2, size / 100
    for ring in range(1, 4):
        radius = unit * (6 + ring * 7)
        box = [centre - radius, size * 0.4 - radius, centre + radius, size * 0.4 + radius]
        draw.arc(box, start=200, end=340, fill=(255, 255, 255), width=max(1, round(unit * 1.6)))
        draw.arc(box, start=20, end=160, fill=(255, 255, 255), width=max(1, round(unit * 1.6)))
    dot = unit * 6
    draw.ellipse(
        [centre - dot, size * 0.4 - dot, centre + dot, size * 0.4 + dot], fill=(240, 165, 0)
    )
    if title:
        font = ImageFont.load_default(size=max(8, round(unit * 9)))
        draw.text((centre, size * 0.82), title, font=font, fill=(255, 255, 255), anchor="mm")
    return image


def cover_jpeg(
    title: str, *, size: int = COVER_SIZE, hue: tuple[int, int, int] = (11, 87, 164)
) -> bytes:
    """The cover as JPEG bytes, small enough for a feed (quality 85)."""
    buffer = io.BytesIO()
    draw_cover(title, size=size, hue=hue).save(buffer, "JPEG", quality=85, optimize=True)
    return buffer.getvalue()


def icon_ico() -> bytes:
    """The site's favicon.ico (16, 32 and 48 px), the cover without its title."""
    buffer = io.BytesIO()
    draw_cover("", size=256).save(buffer, "ICO", sizes=[(16, 16), (32, 32), (48, 48)])
    return buffer.getvalue()
