"""A feed document's channel and items, from the show and episode rows, as rss values.

The rows come in a few queries for any number of episodes (build_feed); everything
per episode is string work on values loaded once. This module owns what the feed
query loads (EPISODE_FIELDS) and the version of what it builds (FORMAT_VERSION).
"""

import functools
import math
from collections import defaultdict
from dataclasses import dataclass, replace
from urllib.parse import quote

from django.conf import settings
from django.db.models import QuerySet
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS

from analytics.models import prefixes_for
from analytics.prefixes import apply_prefixes
from transcripts.formats import IN_FEED
from transcripts.models import Transcript

from ..categories import parse_category
from ..markup import render_markdown
from ..models import Chapter, Episode, EpisodePerson, Show
from ..soundbites import soundbite_problems
from ..uploads import media_url
from . import rss
from .media import absolute, alternates, live_items, srcset
from .namespace_rows import ItemRows, channel_tags, item_tags, load_item_rows

# Bump when the generator's output changes, so stored validators are rebuilt after a deploy.
FORMAT_VERSION = 9

EPISODE_FIELDS = (
    "id", "show_id", "number", "title", "slug", "summary", "show_notes", "show_notes_html",
    "publish_at", "guid", "imported_guid", "explicit", "premium", "season", "episode_type", "artwork", "soundbite_start",
    "soundbite_duration", "soundbite_title", "audio", "audio_version", "audio_duration",
    "audio_size", "audio_mime_type", "feed_art", "feed_art_source", "license", "license_url",
    "location_name", "location_geo", "location_osm", "value_suggested", "audio_source",
    "opus_audio", "opus_source", "opus_version", "opus_size", "opus_bitrate", "opus_integrity",
)  # fmt: skip


def file_url(show: Show, field) -> str:
    """Absolute URL of a stored file that does not expire; object storage gives absolute ones."""
    url = media_url(field)
    return absolute(show, url) if url else ""


def person(credit) -> rss.Person:
    p = credit.person
    return rss.Person(name=p.name, role=credit.role, href=p.url, img=p.image_url)


@dataclass(frozen=True, slots=True)
class Related:
    """What the items need beyond the episode rows, each loaded in one query."""

    hosts: tuple[rss.Person, ...]
    guests: dict[int, list[rss.Person]]
    chaptered: set[int]
    transcripts: dict[int, str]  # episode id -> language of its ready transcript
    namespace: ItemRows  # comment threads and value recipients (Podcasting 2.0)


def load_related(channel: rss.Channel, episodes: QuerySet) -> Related:
    ids = episodes.values("pk")
    guests: dict[int, list[rss.Person]] = defaultdict(list)
    credits = EpisodePerson.objects.filter(episode__in=ids).select_related("person")
    for credit in credits.order_by("episode_id", "position", "pk"):
        guests[credit.episode_id].append(person(credit))
    chaptered = set(Chapter.objects.filter(episode__in=ids).values_list("episode_id", flat=True))
    # Servable, as the transcript files are: a rebuild keeps the last good build served.
    ready = Transcript.objects.servable().filter(episode__in=ids)
    transcripts: dict[int, str] = {}
    for episode_id, language in ready.order_by("-pk").values_list("episode_id", "language"):
        transcripts[episode_id] = language  # lowest pk wins, as the transcript files do
    return Related(channel.persons, guests, chaptered, transcripts, load_item_rows(ids))


@dataclass(frozen=True, slots=True)
class EpisodeUrls:
    """Absolute URLs of a show's episodes, reversed once with markers then filled in.

    reverse() costs tens of microseconds and a feed makes three per episode; the
    parser tests compare every URL with the model's own methods.
    """

    detail: str
    download: str
    download_m4a: str
    transcript: str
    chapters: str
    prefixes: tuple[str, ...] = ()  # third-party measurement, opted in per show
    premium_link: str = ""  # where a premium item links to: its page is 404 to the public
    download_opus: str = ""  # the Opus rendition; personal feeds offer the MP3 only

    NUMBER = "987654321"
    SLUG = "slug-marker-7f3a"

    @classmethod
    def for_show(cls, show: Show) -> "EpisodeUrls":
        marker = {"number": int(cls.NUMBER), "slug": cls.SLUG}
        return cls(
            detail=show.absolute(show.reverse("detail", **marker)),
            download=show.absolute(show.reverse("download", **marker)),
            download_m4a=show.absolute(show.reverse("download_m4a", **marker)),
            transcript=show.absolute(show.reverse("transcript", **marker)),
            chapters=show.absolute(show.reverse("chapters", number=marker["number"])),
            prefixes=prefixes_for(show),
            download_opus=show.absolute(show.reverse("download_opus", **marker)),
        )

    @classmethod
    def personal(cls, show: Show) -> "EpisodeUrls":
        """The subscribers' URLs, TOKEN_PLACEHOLDER standing for each one's token.

        No measurement prefixes: they would hand the token to a third party.
        """
        marker = {"token": TOKEN_PLACEHOLDER, "number": int(cls.NUMBER), "slug": cls.SLUG}
        transcript = reverse("personal:transcript_file", kwargs={**marker, "fmt": "json"})
        home = show.absolute(show.get_absolute_url())
        page = show.reverse("detail", number=marker["number"], slug=cls.SLUG)
        return cls(
            # A private show's episode pages are 404 to everyone: its items link home.
            detail=home if show.private else show.absolute(page),
            download=show.absolute(reverse("personal:download", kwargs=marker)),
            download_m4a=show.absolute(reverse("personal:download_m4a", kwargs=marker)),
            transcript=show.absolute(transcript.removesuffix(".json")),
            chapters=show.absolute(
                reverse(
                    "personal:chapters",
                    kwargs={"token": TOKEN_PLACEHOLDER, "number": cls.NUMBER},
                )
            ),
            premium_link=home,
        )

    def link(self, episode: Episode) -> str:
        return (
            self.premium_link
            if episode.premium and self.premium_link
            else self.fill(self.detail, episode)
        )

    def fill(self, template: str, episode: Episode) -> str:
        # Quoted as reverse() quotes it: enclosure URLs must be ASCII.
        slug = quote(episode.slug, safe=RFC3986_SUBDELIMS + "~:@")
        return template.replace(self.NUMBER, str(episode.number)).replace(self.SLUG, slug)

    def download_url(self, episode: Episode) -> str:
        # Mirrors Episode.download_url(): a new version of the bytes gets a new URL.
        template = self.download_m4a if episode.audio_suffix() == "m4a" else self.download
        url = self.fill(template, episode)
        url = f"{url}?v={episode.audio_version}" if episode.audio_version > 1 else url
        return apply_prefixes(url, self.prefixes)


def transcript_links(urls: EpisodeUrls, episode: Episode, language: str):
    base = urls.fill(urls.transcript, episode)
    return tuple(
        rss.TranscriptLink(url=f"{base}.{f.suffix}", type=f.mime_type, language=language, rel=f.rel)
        for f in IN_FEED
    )


def item_for(
    show: Show, episode: Episode, related: Related, image: str, urls: EpisodeUrls
) -> rss.Item:
    description, content = notes(episode)
    language = related.transcripts.get(episode.pk)
    hosts = {p.name for p in related.hosts}
    guests = [p for p in related.guests.get(episode.pk, ()) if p.name not in hosts]
    return rss.Item(
        title=episode.title,
        link=urls.link(episode),
        guid=episode.feed_guid(),
        published=episode.publish_at,
        description_html=description,
        content_html=content,
        enclosure_url=urls.download_url(episode),
        enclosure_length=episode.audio_size or 0,
        enclosure_type=episode.audio_mime_type or "audio/mpeg",
        duration=round(episode.audio_duration or 0),
        number=episode.number,
        season=episode.season or None,
        episode_type=episode.episode_type,
        image=file_url(show, episode.artwork) or image,
        explicit=episode.explicit,
        # An item's persons replace the channel's, so the hosts are restated.
        persons=related.hosts + tuple(guests),
        transcripts=transcript_links(urls, episode, language) if language is not None else (),
        chapters_url=urls.fill(urls.chapters, episode) if episode.pk in related.chaptered else "",
        soundbite=soundbite(episode),
        images=srcset(show, episode.feed_art, episode.feed_art_source, episode.artwork),
        alternates=alternates(episode, urls.fill(urls.download_opus, episode)),
        podcast20=item_tags(episode, related.namespace),
    )


def notes(episode: Episode) -> tuple[str, str]:
    """(description, content) of an item: the stored HTML of its notes, else its summary."""
    if episode.show_notes_html:
        return rss.notes_from_html(episode.show_notes_html)
    return rss.notes_from_html(render_markdown(episode.summary))


def soundbite(episode: Episode) -> rss.Soundbite | None:
    # The form refuses a soundbite outside the audio; new, shorter audio uploaded later
    # would still put it there, and apps would play the wrong clip: left out until fixed.
    if (
        soundbite_problems(
            episode.soundbite_start, episode.soundbite_duration, episode.audio_duration
        )
        or not episode.soundbite_duration
    ):
        return None
    return rss.Soundbite(
        episode.soundbite_start, episode.soundbite_duration, episode.soundbite_title
    )


# Stands for a subscriber's token in the personal feed, built once per show and
# filled in per request (subscribers/feeds.py). Token-shaped (32 URL-safe characters)
# so the URLs reverse, and unlike any text a feed holds otherwise.
TOKEN_PLACEHOLDER = "zQ7personalFEEDtokenPLACEHOLDERx"


@dataclass(frozen=True, slots=True)
class Variant:
    """Which document of a show: the main feed, the full history, or page N (RFC 5005).

    `personal`: the subscribers' feed (public and premium episodes, URLs carrying
    TOKEN_PLACEHOLDER, blocked from directories), never the public one.
    """

    kind: str = "main"
    page: int = 0
    personal: bool = False

    @property
    def key(self) -> str:
        key = f"page{self.page}" if self.kind == "page" else self.kind
        return f"personal-{key}" if self.personal else key


def websub_topics(show: Show) -> tuple[str, ...]:
    """The feeds a WebSub hub hears about when an episode goes public (pages shift anyway)."""
    return (self_url(show, Variant()), self_url(show, Variant("full")))


def feed_url(show: Show, variant: Variant) -> str:
    """The main feed this document belongs with: the public one, or the personal one."""
    if variant.personal:
        return show.absolute(reverse("personal:rss", kwargs={"token": TOKEN_PLACEHOLDER}))
    return show.feed_url()


def self_url(show: Show, variant: Variant) -> str:
    if variant.kind == "full":
        return show.absolute(show.reverse("rss_full_history"))
    if variant.kind == "page":
        return f"{feed_url(show, variant)}?page={variant.page}"
    return feed_url(show, variant)


def page_count(published: int) -> int:
    return max(1, math.ceil(published / settings.PODCAST_FEED_PAGE_SIZE))


def page_links(show: Show, variant: Variant, published: int) -> tuple[tuple[str, str], ...]:
    if variant.kind != "page":
        return ()  # the main feed says where its rest is (rest_links); the full one is complete
    last = page_count(published)
    links = [("first", 1), ("last", last)]
    links += [("prev", variant.page - 1)] if variant.page > 1 else []
    links += [("next", variant.page + 1)] if variant.page < last else []
    return tuple((rel, f"{feed_url(show, variant)}?page={page}") for rel, page in links)


def stylesheet_url() -> str:
    """The CSS that shows the feed as a page in a browser (see static/css/feed.css for why CSS)."""
    # Asked on every feed request (it names the bytes): the manifest lookup is kept
    # for the static settings it was made under, which a deploy's restart changes.
    static_settings = (settings.STATIC_URL, settings.STATIC_ROOT, repr(settings.STORAGES))
    try:
        return _hashed_stylesheet_url(static_settings)
    except ValueError:  # hashed storage without a manifest (tests, before collectstatic)
        return settings.STATIC_URL + "css/feed.css"


@functools.lru_cache(maxsize=8)
def _hashed_stylesheet_url(static_settings: tuple) -> str:
    return static("css/feed.css")


def categories(show: Show) -> tuple[tuple[str, tuple[str, ...]], ...]:
    grouped: dict[str, list[str]] = {}
    for value in show.categories:
        top, sub = parse_category(value)
        grouped.setdefault(top, []).extend([sub] if sub else [])
    return tuple((top, tuple(subs)) for top, subs in grouped.items())


def channel_for(show: Show, variant: Variant, published: int) -> rss.Channel:
    return rss.Channel(
        title=show.title,
        link=show.website or show.absolute(show.get_absolute_url()),
        description=rss.safe_description(show.description),
        language=show.language,
        self_url=self_url(show, variant),
        copyright=show.copyright,
        author=show.author,
        owner_name=show.owner_name,
        owner_email=show.owner_email,
        image=file_url(show, show.artwork),
        categories=categories(show),
        explicit=show.explicit,
        show_type=show.show_type,
        podcast_guid=str(show.podcast_guid or ""),
        locked=show.locked,
        funding=tuple((f.url, f.label) for f in show.funding_links.all()),
        persons=tuple(person(h) for h in show.hosts.select_related("person")),
        medium=show.medium,
        # A moved show's new public feed would carry subscribers off their own.
        new_feed_url="" if variant.personal else show.new_feed_url,
        # A personal feed is never announced: no hub, and directories keep out.
        hub_url="" if variant.personal else settings.PODCAST_WEBSUB_HUB,
        page_links=page_links(show, variant, published),
        stylesheet=stylesheet_url(),
        images=srcset(show, show.feed_art, show.feed_art_source, show.artwork),
        block=variant.personal,
        live_items=live_items(show) if variant.kind != "page" else (),
    )


def audience_episodes(show: Show, variant: Variant, now) -> QuerySet:
    """Who the document is for decides what it lists: subscribers get premium ones too."""
    return show.episodes.published(now) if variant.personal else show.episodes.public(now)


def feed_episodes(show: Show, variant: Variant, now) -> QuerySet:
    episodes = audience_episodes(show, variant, now).newest_first().only(*EPISODE_FIELDS)
    if variant.kind == "page":
        size = settings.PODCAST_FEED_PAGE_SIZE
        return episodes[(variant.page - 1) * size : variant.page * size]
    if variant.kind == "main":  # one more than it holds: whether there are more
        return episodes[: settings.PODCAST_FEED_MAX_EPISODES + 1]
    return episodes


def rest_links(show: Show, variant: Variant, kept: int, loaded: int) -> tuple[tuple[str, str], ...]:
    """Where an app finds the episodes the main feed left out: the page holding the first of them."""
    if kept >= loaded:
        return ()
    page = kept // settings.PODCAST_FEED_PAGE_SIZE + 1
    return (("next", f"{feed_url(show, variant)}?page={page}"),)


def capped_feed(show: Show, variant: Variant, channel: rss.Channel, items: list[rss.Item]) -> bytes:
    """The main feed: the newest items up to the count and size caps (the newest always)."""
    limit, sizes = settings.PODCAST_FEED_MAX_BYTES, None
    kept = min(len(items), settings.PODCAST_FEED_MAX_EPISODES)
    while True:
        links = rest_links(show, variant, kept, len(items))
        body = rss.render_feed(replace(channel, page_links=links), items[:kept])
        if len(body) <= limit or kept <= 1:
            return body
        sizes = sizes or [rss.item_bytes(item) for item in items]
        over = len(body) - limit
        while over > 0 and kept > 1:  # the oldest go first; the loop rechecks the link
            kept -= 1
            over -= sizes[kept]


def build_feed(show: Show, variant: Variant, now, published: int = 0) -> bytes:
    """The feed document of one show as it is at `now`; `published` counts its pages.

    The main feed holds the newest PODCAST_FEED_MAX_EPISODES within
    PODCAST_FEED_MAX_BYTES and links to the page of the rest; the full history
    and the pages hold every episode.
    """
    urls = EpisodeUrls.personal(show) if variant.personal else EpisodeUrls.for_show(show)
    channel = channel_for(show, variant, published)
    tags = channel_tags(show, audience_episodes(show, variant, now), urls.download_url)
    channel = replace(channel, podcast20=tags)
    episodes = feed_episodes(show, variant, now)
    related = load_related(channel, episodes)
    items = [item_for(show, episode, related, channel.image, urls) for episode in episodes]
    if variant.kind == "main":
        return capped_feed(show, variant, channel, items)
    return rss.render_feed(channel, items)
