"""Where a listener can subscribe to a show: the directories an editor filled in, in a fixed order."""

from dataclasses import dataclass

from .models import Show

# (Show field, the name listeners know). Empty fields are not shown: a dead
# "Spotify" button is worse than none.
DIRECTORIES = (
    ("apple_podcasts_url", "Apple Podcasts"),
    ("spotify_url", "Spotify"),
    ("overcast_url", "Overcast"),
    ("pocket_casts_url", "Pocket Casts"),
    ("antennapod_url", "AntennaPod"),
    ("podcast_addict_url", "Podcast Addict"),
    ("podcast_index_url", "Podcast Index"),
)


@dataclass(frozen=True)
class Directory:
    name: str
    url: str


def directories(show: Show) -> list[Directory]:
    """The show's directory links that an editor filled in."""
    return [Directory(name, url) for field, name in DIRECTORIES if (url := getattr(show, field))]
