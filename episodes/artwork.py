"""Apple's artwork rules, checked with Pillow: square, 1400-3000 px, RGB JPEG or PNG."""

from typing import BinaryIO

from PIL import Image, UnidentifiedImageError

MIN_SIZE, MAX_SIZE = 1400, 3000


def artwork_problems(fileobj: BinaryIO) -> list[str]:
    """What keeps an image from being podcast artwork; an empty list when it is fine."""
    try:
        with Image.open(fileobj) as image:
            kind, mode, (width, height) = image.format, image.mode, image.size
    except (UnidentifiedImageError, OSError):
        return ["this is not an image Pillow can read"]
    problems = []
    if kind not in ("JPEG", "PNG"):
        problems.append(f"it is {kind}; Apple accepts JPEG or PNG")
    if width != height:
        problems.append(f"it is {width}x{height} px; artwork must be square")
    if not MIN_SIZE <= max(width, height) <= MAX_SIZE:
        problems.append(
            f"it is {max(width, height)} px wide; artwork must be {MIN_SIZE}-{MAX_SIZE} px"
        )
    if mode != "RGB":
        problems.append(f"its colour mode is {mode}; Apple needs RGB without transparency")
    return problems
