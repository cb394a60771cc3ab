"""The baselines of bench_feed.py: feedgen, and a django.contrib.syndication Feed.

Each starts from the same ORM queries and stored notes as our build.build_feed
(channel_for, feed_episodes, load_related, item_for) and writes the same
elements as far as it can express them: feedgen through its podcast (iTunes)
extension plus a small one of ours for the podcast namespace, which it lacks;
Django's Feed through a feed class that adds the iTunes and podcast elements,
the pattern of django-cast. Imported after django.setup().
"""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from episodes.feeds import build, rss

PODCAST = dict(rss.NAMESPACES)["podcast"]


def prepared(show, now) -> tuple[rss.Channel, list[rss.Item]]:
    """The channel and items of the full history: the queries and notes work of build_feed."""
    variant = build.Variant("full")  # every episode; the main feed holds the newest 300
    channel = build.channel_for(show, variant, 0)
    episodes = build.feed_episodes(show, variant, now)
    related = build.load_related(channel, episodes)
    urls = build.EpisodeUrls.for_show(show)
    return channel, [build.item_for(show, e, related, channel.image, urls) for e in episodes]


def yes_no(value: bool) -> str:
    return "yes" if value else "no"  # feedgen refuses Apple's true/false


def person_rows(people) -> list[tuple[str, dict[str, str]]]:
    rows = []
    for p in people:
        attrs = {"role": p.role} | ({"href": p.href} if p.href else {})
        rows.append((p.name, attrs | ({"img": p.img} if p.img else {})))
    return rows


# ---------------------------------------------------------------- feedgen


def sub(parent, tag: str, text: str = "", **attrs: str):
    element = etree.SubElement(parent, f"{{{PODCAST}}}{tag}", attrs)
    element.text = text or None
    return element


class PodcastIndexFeed(BaseExtension):
    """podcast:* on the channel."""

    channel: rss.Channel

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST}

    def extend_rss(self, rss):
        c, channel = self.channel, rss[0]
        sub(channel, "guid", c.podcast_guid)
        sub(
            channel,
            "locked",
            yes_no(c.locked),
            **({"owner": c.owner_email} if c.owner_email else {}),
        )
        for url, label in c.funding:
            sub(channel, "funding", label, url=url)
        for name, attrs in person_rows(c.persons):
            sub(channel, "person", name, **attrs)
        sub(channel, "medium", c.medium)
        return rss


class PodcastIndexEntry(BaseEntryExtension):
    """podcast:* on an item."""

    item: rss.Item

    def extend_rss(self, entry):
        i = self.item
        if i.season:
            sub(entry, "season", str(i.season), name=f"Season {i.season}")
        sub(entry, "episode", str(i.number))
        for name, attrs in person_rows(i.persons):
            sub(entry, "person", name, **attrs)
        for t in i.transcripts:
            extra = {"language": t.language} | ({"rel": t.rel} if t.rel else {})
            sub(entry, "transcript", url=t.url, type=t.type, **extra)
        if i.chapters_url:
            sub(entry, "chapters", url=i.chapters_url, type="application/json+chapters")
        if i.soundbite:
            bite = i.soundbite
            sub(
                entry,
                "soundbite",
                bite.title,
                startTime=str(bite.start),
                duration=str(bite.duration),
            )
        return entry


def feedgen_channel(c: rss.Channel) -> FeedGenerator:
    fg = FeedGenerator()
    fg.load_extension("podcast", atom=False)
    fg.register_extension("podcastindex", PodcastIndexFeed, PodcastIndexEntry, atom=False)
    fg.podcastindex.channel = c
    fg.title(c.title)
    fg.link(href=c.link)
    fg.description(rss.truncate_html(c.description, rss.DESCRIPTION_LIMIT))
    fg.language(c.language)
    fg.link(href=c.self_url, rel="self")
    if c.copyright:
        fg.copyright(c.copyright)
    fg.podcast.itunes_author(c.author)
    if c.owner_name and c.owner_email:  # feedgen wants both
        fg.podcast.itunes_owner(name=c.owner_name, email=c.owner_email)
    if c.image:
        fg.image(c.image, c.title, c.link)
        fg.podcast.itunes_image(c.image)
    fg.podcast.itunes_category(
        [
            {"cat": top} | ({"sub": s} if s else {})
            for top, subs in c.categories
            for s in subs or [""]
        ]
    )
    fg.podcast.itunes_explicit(yes_no(c.explicit))
    fg.podcast.itunes_type(c.show_type)
    return fg


def feedgen_feed(show, now) -> bytes:
    channel, items = prepared(show, now)
    fg = feedgen_channel(channel)
    for item in items:
        entry = fg.add_entry(order="append")
        entry.podcastindex.item = item
        entry.title(item.title)
        entry.link(href=item.link)
        entry.guid(item.guid, permalink=False)
        entry.pubDate(item.published)
        entry.description(item.description_html)
        entry.content(item.content_html, type="CDATA")
        entry.enclosure(item.enclosure_url, str(item.enclosure_length), item.enclosure_type)
        entry.podcast.itunes_duration(item.duration)
        entry.podcast.itunes_episode(item.number)
        if item.season:
            entry.podcast.itunes_season(item.season)
        entry.podcast.itunes_episode_type(item.episode_type)
        if item.image:
            entry.podcast.itunes_image(item.image)
        entry.podcast.itunes_explicit(yes_no(item.explicit))
    return fg.rss_str()


# ---------------------------------------------------------------- Django syndication


class PodcastRss(Rss201rev2Feed):
    def rss_attributes(self) -> dict[str, str]:
        return super().rss_attributes() | {f"xmlns:{p}": uri for p, uri in rss.NAMESPACES}

    def add_root_elements(self, handler) -> None:
        super().add_root_elements(handler)
        c = self.feed["channel"]
        add = handler.addQuickElement
        add("itunes:author", c.author)
        handler.startElement("itunes:owner", {})
        add("itunes:name", c.owner_name)
        add("itunes:email", c.owner_email)
        handler.endElement("itunes:owner")
        if c.image:
            add("itunes:image", attrs={"href": c.image})
        for top, subs in c.categories:
            handler.startElement("itunes:category", {"text": top})
            for sub_category in subs:
                add("itunes:category", attrs={"text": sub_category})
            handler.endElement("itunes:category")
        add("itunes:explicit", "true" if c.explicit else "false")
        add("itunes:type", c.show_type)
        add("podcast:guid", c.podcast_guid)
        add("podcast:locked", yes_no(c.locked), {"owner": c.owner_email})
        for url, label in c.funding:
            add("podcast:funding", label, {"url": url})
        for name, attrs in person_rows(c.persons):
            add("podcast:person", name, attrs)
        add("podcast:medium", c.medium)

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        i, add = item["source"], handler.addQuickElement
        add("content:encoded", i.content_html)
        add("itunes:duration", str(i.duration))
        add("itunes:episode", str(i.number))
        if i.season:
            add("itunes:season", str(i.season))
        add("itunes:episodeType", i.episode_type)
        if i.image:
            add("itunes:image", attrs={"href": i.image})
        add("itunes:explicit", "true" if i.explicit else "false")
        if i.season:
            add("podcast:season", str(i.season), {"name": f"Season {i.season}"})
        add("podcast:episode", str(i.number))
        for name, attrs in person_rows(i.persons):
            add("podcast:person", name, attrs)
        for t in i.transcripts:
            attrs = {"url": t.url, "type": t.type, "language": t.language}
            add("podcast:transcript", attrs=attrs | ({"rel": t.rel} if t.rel else {}))
        if i.chapters_url:
            add(
                "podcast:chapters",
                attrs={"url": i.chapters_url, "type": "application/json+chapters"},
            )
        if i.soundbite:
            bite = i.soundbite
            attrs = {"startTime": str(bite.start), "duration": str(bite.duration)}
            add("podcast:soundbite", bite.title, attrs)


class PodcastFeed(Feed):
    """A syndication Feed over the same channel and items as ours."""

    feed_type = PodcastRss
    item_guid_is_permalink = False

    def __init__(self, show, now) -> None:
        super().__init__()
        self.show, self.now = show, now

    def get_object(self, request, *args, **kwargs):
        channel, items = prepared(self.show, self.now)
        self.language = channel.language
        return channel, items

    def title(self, obj) -> str:
        return obj[0].title

    def link(self, obj) -> str:
        return obj[0].link

    def description(self, obj) -> str:
        return rss.truncate_html(obj[0].description, rss.DESCRIPTION_LIMIT)

    def feed_url(self, obj) -> str:
        return obj[0].self_url

    def feed_copyright(self, obj) -> str:
        return obj[0].copyright

    def stylesheets(self, obj) -> list[str]:
        return [obj[0].stylesheet]

    def feed_extra_kwargs(self, obj) -> dict:
        return {"channel": obj[0]}

    def items(self, obj) -> list[rss.Item]:
        return obj[1]

    def item_title(self, item: rss.Item) -> str:
        return item.title

    def item_link(self, item: rss.Item) -> str:
        return item.link

    def item_description(self, item: rss.Item) -> str:
        return item.description_html

    def item_guid(self, item: rss.Item) -> str:
        return item.guid

    def item_pubdate(self, item: rss.Item):
        return item.published

    def item_enclosures(self, item: rss.Item) -> list[Enclosure]:
        return [Enclosure(item.enclosure_url, str(item.enclosure_length), item.enclosure_type)]

    def item_extra_kwargs(self, item: rss.Item) -> dict:
        return {"source": item}


def django_feed(show, now) -> bytes:
    from django.test import RequestFactory

    request = RequestFactory().get("/episodes/rss")
    feed = PodcastFeed(show, now)
    return feed.get_feed(feed.get_object(request), request).writeString("utf-8").encode()
