"""episodes.audio.mp4: tags and chapters of M4A files. Pure, no database."""

import io

from mutagen.mp4 import MP4

from episodes.audio.mp4 import mp4_tags
from tests.episodes.audio.test_reading import m4a


def test_nero_chapters_end_where_the_next_starts_and_the_last_at_the_end():
    mp4 = MP4(io.BytesIO(m4a(60.0, chapters=((0.0, "Intro"), (20.0, "Main")))))
    tags = mp4_tags(mp4, 60.0)
    assert [(c.start, c.end, c.title) for c in tags.chapters] == [
        (0.0, 20.0, "Intro"),
        (20.0, 60.0, "Main"),
    ]


def test_a_file_without_tags_gives_empty_values():
    tags = mp4_tags(MP4(io.BytesIO(m4a(5.0))), 5.0)
    assert (tags.title, tags.artist, tags.cover, tags.chapters) == ("", "", None, ())
