"""Publishing's last step: the served MP3 carries the episode's ID3 tags, cover and chapters.

Tagging never edits a served file in place: podcast apps cache audio by URL, so
tagged bytes are a new file version with a new URL, and the previous file stays
in storage for clients still holding its link.
"""

import logging
import os
import shutil
import tempfile
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.db.models.fields.files import FieldFile

from ..artcopies import audio_cover
from ..feeds.cache import invalidate_feed
from ..models import Episode
from .id3 import FRONT_COVER, Chapter, Picture, Tags, tags_match, write_tags
from .reading import MPEG

log = logging.getLogger(__name__)


def tag_served_audio(*, episode_id: int) -> bool:
    """Serve a copy of the episode's MP3 carrying its tags; True if a new version was made.

    Recompute and overwrite: when the served file already holds these tags nothing
    happens, so running it twice makes one new version at most. The switch to the
    new file happens only if nobody replaced the served file meanwhile.
    """
    episode = Episode.objects.select_related("show").filter(pk=episode_id).first()
    if episode is None or episode.publish_at is None or not episode.audio:
        return False
    if episode.audio_mime_type != MPEG:
        return False
    tags = episode_tags(episode)
    with tempfile.TemporaryDirectory(prefix="tagging-") as folder:
        path = Path(folder) / "episode.mp3"
        copy_to_path(episode.audio, path)
        if tags_match(path, tags):
            return False
        write_tags(path, tags)
        return switch_served_audio(episode=episode, path=path)


def copy_to_path(field: FieldFile, path: Path) -> None:
    # Through a local copy: mutagen needs a real file, and the storage may be remote.
    with field.open("rb") as source, path.open("wb") as target:
        shutil.copyfileobj(source, target)


def switch_served_audio(*, episode: Episode, path: Path) -> bool:
    """Store the tagged file as the next version and serve it, unless the audio changed meanwhile."""
    old_name, storage = episode.audio.name, episode.audio.storage
    episode.audio_version += 1
    # Stored before the row lock is taken: a long upload to storage must not hold it.
    with path.open("rb") as tagged:
        new_name = storage.save(episode.served_audio_name(), File(tagged))
    with transaction.atomic():
        locked = Episode.objects.select_for_update().select_related("show").get(pk=episode.pk)
        if locked.audio.name != old_name:
            log.info("tagging: episode %s got new audio meanwhile; skipped", episode.pk)
            transaction.on_commit(lambda: storage.delete(new_name))
            return False
        locked.audio.name, locked.audio_version = new_name, episode.audio_version
        locked.audio_files = {**locked.audio_files, str(locked.audio_version): new_name}
        locked.audio_size = os.path.getsize(path)
        fields = ["audio", "audio_version", "audio_files", "audio_size", "updated_at"]
        locked.save(update_fields=fields)
        invalidate_feed(locked.show)
    return True


def episode_tags(episode: Episode) -> Tags:
    """What the episode's MP3 should say about itself: titles, number, date, cover, chapters."""
    show = episode.show
    return Tags(
        title=episode.title,
        show=show.title,
        episode_number=episode.number,
        date=publish_date(episode),
        artist=show.author,
        cover=cover_picture(episode),
        chapters=tuple(
            Chapter(start=c.start, end=c.end, title=c.title, url=c.url)
            for c in episode.chapters.filter(toc=True).order_by("start", "pk")
        ),
    )


def publish_date(episode: Episode) -> str:
    return episode.publish_at.astimezone(episode.show.zone()).date().isoformat()


def cover_picture(episode: Episode) -> Picture | None:
    """The episode's artwork, else the cover in its uploaded MP3, else the show's, as an
    ID3 front cover: a cover the editor put in the file is theirs when they set none here."""
    data = None
    if episode.artwork:
        with episode.artwork.open("rb") as image:
            data = image.read()
    elif episode.audio_upload:
        data = audio_cover(episode)
    if data is None and episode.show.artwork:
        with episode.show.artwork.open("rb") as image:
            data = image.read()
    if not data:
        return None
    mime = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
    return Picture(data=data, mime=mime, picture_type=FRONT_COVER)
