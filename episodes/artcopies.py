"""The worker's resized copies of show and episode art (see pageart.py for the resizing).

A page copy is made from `art_source()` and remembers it in `page_art_source`: pages
use the copy only while it matches the current artwork, so a replaced cover is
never shown stale, and running the work twice stores nothing new. The feed copies
(podcast:images) are made the same way from the row's own artwork and remembered in
`feed_art_source`; storing them rebuilds the show's feeds.
"""

import logging

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from .audio.reading import AudioError, read_audio
from .feeds.cache import invalidate_feed
from .models import Episode, Show
from .pageart import NotAnImage, copy_name, feed_copies, page_copy

log = logging.getLogger(__name__)


def refresh_show_page_art(*, show_id: int) -> None:
    """Store the show's page copy; recompute and overwrite."""
    show = Show.objects.filter(pk=show_id).first()
    if show is not None and show.feed_art_source != show.artwork.name:
        refresh_feed_art(Show.objects.filter(pk=show_id), show, show.artwork)
    if show is None or show.page_art_source == show.artwork.name:
        return
    source = show.artwork.name
    image = read_field(show.artwork) if source else None
    name = store_copy(show.slug, image, source)
    Show.objects.filter(pk=show_id).update(page_art=name, page_art_source=source)


def refresh_episode_page_art(*, episode_id: int) -> None:
    """Store the episode's page copy, from its artwork or its MP3's cover; recompute and overwrite."""
    episode = Episode.objects.select_related("show").filter(pk=episode_id).first()
    if episode is not None and episode.feed_art_source != episode.artwork.name:
        refresh_feed_art(Episode.objects.filter(pk=episode_id), episode.show, episode.artwork)
    if episode is None or episode.page_art_source == episode.art_source():
        return
    source = episode.art_source()
    if episode.artwork:
        image = read_field(episode.artwork)
    else:
        image = audio_cover(episode) if source else None
    name = store_copy(episode.show.slug, image, source)
    Episode.objects.filter(pk=episode_id).update(page_art=name, page_art_source=source)


def refresh_feed_art(rows, show: Show, artwork) -> None:
    """Store the podcast:images copies of a row's own artwork, then rebuild the show's feeds."""
    source = artwork.name
    image = read_field(artwork) if source else None
    copies = []
    try:
        copies = feed_copies(ContentFile(image)) if image else []
    except NotAnImage as error:
        log.warning("feed art: %s is %s", source, error)
    names = [[width, store(copy_name(show.slug, data, "jpg"), data)] for width, data in copies]
    rows.update(feed_art=names, feed_art_source=source)
    invalidate_feed(show)


def read_field(field) -> bytes | None:
    try:
        with field.open("rb") as stored:
            return stored.read()
    except OSError as error:
        log.warning("page art: cannot read %s: %s", field.name, error)
        return None


def audio_cover(episode: Episode) -> bytes | None:
    """The front cover inside the editor's uploaded audio, if it has one."""
    try:
        with episode.audio_upload.open("rb") as upload:
            info = read_audio(upload, name=episode.audio_upload.name, count_frames=False)
    except (AudioError, OSError):
        return None
    return info.cover.data if info.cover else None


def store_copy(folder: str, image: bytes | None, source: str) -> str:
    """The stored name of the page copy of `image`; "" when there is none to make."""
    if not image:
        return ""
    try:
        data = page_copy(ContentFile(image))
    except NotAnImage as error:
        log.warning("page art: %s is %s", source, error)
        return ""
    return store(copy_name(folder, data), data)


def store(name: str, data: bytes) -> str:
    # Content-addressed: an existing file under this name holds these very bytes.
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(data))
    return name
