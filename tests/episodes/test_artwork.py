"""episodes.artwork: Apple's artwork rules. Pure, no database."""

import io

import pytest
from PIL import Image

from episodes.artwork import artwork_problems


def image(size: tuple[int, int], *, kind: str = "JPEG", mode: str = "RGB") -> io.BytesIO:
    data = io.BytesIO()
    Image.new(mode, size).save(data, kind)
    data.seek(0)
    return data


@pytest.mark.parametrize(
    ("picture", "problem"),
    [
        (image((1400, 1400)), None),
        (image((3000, 3000), kind="PNG"), None),
        (image((1400, 1200)), "it is 1400x1200 px; artwork must be square"),
        (image((1000, 1000)), "it is 1000 px wide; artwork must be 1400-3000 px"),
        (image((1400, 1400), kind="PNG", mode="RGBA"), "its colour mode is RGBA"),
        (image((1400, 1400), kind="GIF", mode="P"), "it is GIF; Apple accepts JPEG or PNG"),
        (io.BytesIO(b"not an image at all"), "this is not an image Pillow can read"),
    ],
)
def test_it_names_what_apple_would_refuse(picture, problem):
    problems = artwork_problems(picture)
    if problem is None:
        assert problems == []
    else:
        assert any(p.startswith(problem) for p in problems), problems
