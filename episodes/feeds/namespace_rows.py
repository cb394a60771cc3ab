"""The Podcasting 2.0 tags of a feed (feeds/namespace.py) from the rows editors filled in.

The channel's come from the show and its txt, podroll and value rows, its trailers
from the trailer episodes the feed's audience may see (premium ones only in personal feeds); the items' from the episode fields in
build.EPISODE_FIELDS and two queries for all the items (comment threads, recipients).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet

from ..models import Episode, EpisodeValueRecipient, Show, SocialInteract
from . import namespace

# Trailers are few; apps preview the newest. Enough for one per season of a long show.
TRAILERS = 20
TRAILER_FIELDS = (
    "id", "show_id", "number", "slug", "title", "publish_at", "season", "audio", "premium",
    "audio_version", "audio_size", "audio_mime_type",
)  # fmt: skip


def license_of(row: Show | Episode) -> namespace.License | None:
    return namespace.License(row.license, row.license_url) if row.license else None


def location_of(row: Show | Episode) -> namespace.Location | None:
    if not row.location_name:
        return None
    return namespace.Location(row.location_name, row.location_geo, row.location_osm)


def value_of(row: Show | Episode, recipients) -> namespace.Value | None:
    found = tuple(
        namespace.ValueRecipient(
            r.name, r.type, r.address, r.split, r.custom_key, r.custom_value, r.fee
        )
        for r in recipients
    )
    return namespace.Value(found, row.value_suggested) if found else None


def update_frequency(show: Show) -> namespace.UpdateFrequency | None:
    if not show.update_frequency:
        return None
    return namespace.UpdateFrequency(
        show.update_frequency,
        show.update_frequency_complete,
        show.update_frequency_dtstart,
        show.update_frequency_rrule,
    )


def trailers(
    episodes: QuerySet, download_url: Callable[[Episode], str]
) -> tuple[namespace.Trailer, ...]:
    """The trailer episodes among the feed's, newest first, as podcast:trailer values."""
    found = episodes.filter(episode_type=Episode.Type.TRAILER)
    newest = found.newest_first().only(*TRAILER_FIELDS)[:TRAILERS]
    return tuple(
        namespace.Trailer(
            title=e.title,
            url=download_url(e),
            published=e.publish_at,
            length=e.audio_size or 0,
            type=e.audio_mime_type or "audio/mpeg",
            season=e.season or None,
        )
        for e in newest
    )


def channel_tags(
    show: Show, episodes: QuerySet, download_url: Callable[[Episode], str]
) -> namespace.ChannelTags:
    """The show's tags; its trailers are among `episodes`, those the feed's audience may see."""
    return namespace.ChannelTags(
        txts=tuple(namespace.Txt(t.text, t.purpose) for t in show.txts.all()),
        trailers=trailers(episodes, download_url),
        license=license_of(show),
        location=location_of(show),
        update_frequency=update_frequency(show),
        podroll=tuple(
            namespace.RemoteItem(str(r.feed_guid), r.feed_url, r.medium) for r in show.podroll.all()
        ),
        value=value_of(show, show.value_recipients.all()),
    )


@dataclass(frozen=True, slots=True)
class ItemRows:
    """Each episode's comment threads and value recipients, loaded in one query each."""

    social: dict[int, list[namespace.SocialInteract]]
    recipients: dict[int, list[EpisodeValueRecipient]]


def load_item_rows(ids: QuerySet) -> ItemRows:
    social: dict[int, list[namespace.SocialInteract]] = defaultdict(list)
    for s in SocialInteract.objects.filter(episode__in=ids).order_by(
        "episode_id", "priority", "pk"
    ):
        social[s.episode_id].append(
            namespace.SocialInteract(s.protocol, s.uri, s.account_id, s.account_url, s.priority)
        )
    recipients: dict[int, list[EpisodeValueRecipient]] = defaultdict(list)
    rows = EpisodeValueRecipient.objects.filter(episode__in=ids)
    for r in rows.order_by("episode_id", "position", "pk"):
        recipients[r.episode_id].append(r)
    return ItemRows(social, recipients)


def item_tags(episode: Episode, rows: ItemRows) -> namespace.ItemTags | None:
    tags = namespace.ItemTags(
        license=license_of(episode),
        location=location_of(episode),
        social=tuple(rows.social.get(episode.pk, ())),
        value=value_of(episode, rows.recipients.get(episode.pk, ())),
    )
    return tags or None
