"""Our feed as real podcast apps read it: gPodder's podcastparser, feedparser, Podcast
Index's podcast-partytime (run with node), and the namespace's own XSD."""

import datetime as dt
import io
import shutil
from pathlib import Path

import feedparser
import podcastparser
import pytest
from django.utils import timezone
from lxml import etree

from episodes.models import Chapter, Episode, EpisodePerson, Person, Show
from tests.episodes.feedreaders import node_parser
from tests.episodes.feeds.test_views import NS, SITE, build_demo_show
from tests.factories import ShowFactory, published_episode
from transcripts.models import Transcript

BIG = 3000
# The podcast:* elements that the namespace's XSD declares (PROVENANCE.md); others it can't check.
XSD_ELEMENTS = ("chapters", "episode", "funding", "locked", "person", "season", "soundbite")
XSD_ELEMENTS += ("transcript", "location", "value", "valueRecipient")


pytestmark = pytest.mark.usefixtures("feed_site")


@pytest.fixture(scope="session")
def partytime():
    """Runs tests/node/partytime.mjs on a feed; installs its npm packages on first use."""
    return node_parser("partytime.mjs")


def feed_bytes(client, path: str = "/episodes/rss") -> bytes:
    response = client.get(path)
    assert response.status_code == 200
    return response.content


def make_big_show(count: int = BIG) -> Show:
    """A show of `count` public episodes, made with bulk_create (no audio files needed)."""
    show = ShowFactory(slug="big", title="Big Show")
    start = timezone.now() - dt.timedelta(days=count + 1)
    notes = "Intro with a [link](https://example.com/{n}).\n\n- one\n- two ünïcode 🎙\n"
    Episode.objects.bulk_create(
        [big_episode(show, n, start + dt.timedelta(days=n), notes) for n in range(1, count + 1)],
        batch_size=500,
    )
    add_big_extras(show)
    return show


def big_episode(show: Show, n: int, when: dt.datetime, notes: str) -> Episode:
    return Episode(
        show=show, number=n, title=f"Episode {n} & friends", slug=f"episode-{n}",
        show_notes=notes.format(n=n), publish_at=when, season=1 + n // 100,
        audio=f"audio/big/{n:05d}.mp3", audio_version=1, audio_size=1_000_000 + n,
        audio_duration=1800.4 + n, audio_mime_type="audio/mpeg", audio_status="ready",
    )  # fmt: skip


def add_big_extras(show: Show) -> None:
    """Chapters on every 5th, a ready transcript on every 10th and a guest on every 7th episode."""
    guest = Person.objects.create(name="Guest Star", slug="guest-star", url="https://g.example/")
    ids = dict(show.episodes.values_list("number", "pk"))
    Chapter.objects.bulk_create(
        [Chapter(episode_id=pk, start=0, title="Start") for n, pk in ids.items() if n % 5 == 0]
    )
    Transcript.objects.bulk_create(
        [
            Transcript(episode_id=pk, status="ready", good_build_at=timezone.now())
            for n, pk in ids.items()
            if n % 10 == 0
        ]
    )
    EpisodePerson.objects.bulk_create(
        [EpisodePerson(episode_id=pk, person=guest) for n, pk in ids.items() if n % 7 == 0]
    )


# ---------------------------------------------------------------- podcastparser (gPodder)


def in_feed(show: Show, newest: int | None = None) -> list[Episode]:
    """The show's published episodes, or the newest of them (what the main feed holds)."""
    return list(show.episodes.published().newest_first()[:newest])


def check_with_podcastparser(feed: bytes, show: Show, newest: int | None = None) -> None:
    parsed = podcastparser.parse(show.feed_url(), io.BytesIO(feed), max_episodes=0)
    expected = {str(e.guid): e for e in in_feed(show, newest)}
    assert expected, "a feed with episodes to check"
    assert parsed["title"] == show.title
    assert len(parsed["episodes"]) == len(expected)
    for found in parsed["episodes"]:
        episode = expected[found["guid"]]
        assert found["title"] == episode.title
        assert found["total_time"] == round(episode.audio_duration)
        assert found["published"] == int(episode.publish_at.timestamp())
        enclosure = found["enclosures"][0]
        assert enclosure["url"] == SITE + episode.download_url()
        assert (enclosure["file_size"], enclosure["mime_type"]) == (
            episode.audio_size,
            "audio/mpeg",
        )


@pytest.mark.django_db
def test_podcastparser_reads_titles_enclosures_guids_and_dates(client, tone):
    show = build_demo_show(tone)
    check_with_podcastparser(feed_bytes(client), show)


# ---------------------------------------------------------------- feedparser


def check_with_feedparser(feed: bytes, show: Show, newest: int | None = None) -> None:
    # Its pure-Python HTML sanitizer takes most of its time and is beside the point here.
    parsed = feedparser.parse(feed, sanitize_html=False, resolve_relative_uris=False)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.title == show.title
    assert parsed.feed.podcast_guid == str(show.podcast_guid)
    expected = {str(e.guid): e for e in in_feed(show, newest)}
    assert expected, "a feed with episodes to check"
    assert len(parsed.entries) == len(expected)
    for entry in parsed.entries:
        episode = expected[entry.id]
        assert entry.title == episode.title
        assert entry.enclosures[0].href == SITE + episode.download_url()
        assert int(entry.enclosures[0].length) == episode.audio_size
        assert entry.itunes_duration == str(round(episode.audio_duration))
        assert dt.datetime(
            *entry.published_parsed[:6], tzinfo=dt.UTC
        ) == episode.publish_at.replace(microsecond=0)


@pytest.mark.django_db
def test_feedparser_reads_the_feed_without_complaint(client, tone):
    show = build_demo_show(tone)
    check_with_feedparser(feed_bytes(client), show)


# ---------------------------------------------------------------- podcast-partytime


def expected_extras(show: Show) -> tuple[set[int], set[int], dict[int, list[str]]]:
    """Ids of episodes with a ready transcript, with chapters, and guest names: three queries."""
    transcribed = set(
        Transcript.objects.filter(status="ready").values_list("episode_id", flat=True)
    )
    chaptered = set(Chapter.objects.values_list("episode_id", flat=True))
    guests: dict[int, list[str]] = {}
    for episode_id, name in EpisodePerson.objects.values_list("episode_id", "person__name"):
        guests.setdefault(episode_id, []).append(name)
    return transcribed, chaptered, guests


def check_with_partytime(parsed: dict, show: Show, newest: int | None = None) -> None:
    assert parsed["guid"] == str(show.podcast_guid)
    assert parsed["locked"] is True and parsed["podcastOwner"] == show.owner_email
    assert parsed["funding"] == [
        {"url": f.url, "message": f.label} for f in show.funding_links.all()
    ]
    hosts = [h.person.name for h in show.hosts.all()]
    episodes = {str(e.guid): e.pk for e in in_feed(show, newest)}
    transcribed, chaptered, guests = expected_extras(show)
    assert episodes and len(parsed["items"]) == len(episodes)
    for item in parsed["items"]:
        pk = episodes[item["guid"]]
        assert len(item["transcripts"]) == (4 if pk in transcribed else 0)
        assert (item["chapters"] is not None) == (pk in chaptered)
        assert [p["name"] for p in item["people"]] == hosts + guests.get(pk, [])


@pytest.mark.django_db
def test_partytime_sees_transcripts_chapters_persons_guid_locked_and_funding(
    client, tone, partytime
):
    show = build_demo_show(tone)
    parsed = partytime(feed_bytes(client))
    check_with_partytime(parsed, show)
    first = next(item for item in parsed["items"] if item["title"] == "Why small tools win")
    base = SITE + show.episodes.get(number=1).transcript_url()
    assert {(t["url"], t["type"]) for t in first["transcripts"]} == {
        (base + ".vtt", "text/vtt"),
        (base + ".json", "application/json"),
        (base + ".srt", "application/srt"),  # partytime's name for application/x-subrip
        (base + ".html", "text/html"),
    }
    assert first["chapters"] == {
        "url": f"{SITE}/episodes/chapters/1.json",
        "type": "application/json+chapters",
    }
    assert [p["name"] for p in parsed["people"]] == ["Ada Host"]
    second = next(item for item in parsed["items"] if item["title"] != "Why small tools win")
    assert second["soundbites"][0]["startTime"] == 1.5


# ---------------------------------------------------------------- the namespace's XSD


def podcast_schema(shared_data: Path, tmp_path: Path) -> etree.XMLSchema:
    # The wrapper includes ./podcast.xsd: the docs/schema variant is the qualified one.
    source = shared_data / "podcast-namespace"
    shutil.copy(source / "schema__podcast-wrapper.xsd", tmp_path / "wrapper.xsd")
    shutil.copy(source / "schema__podcast.xsd", tmp_path / "podcast.xsd")
    return etree.XMLSchema(etree.parse(str(tmp_path / "wrapper.xsd")))


def podcast_elements(feed: bytes) -> list[etree._Element]:
    root = etree.fromstring(feed)
    names = " or ".join(f"self::podcast:{name}" for name in XSD_ELEMENTS)
    # Children such as valueRecipient are declared inside their parent: checked within it.
    return root.xpath(f"//*[({names}) and not(parent::podcast:*)]", namespaces=NS)


def validate(schema: etree.XMLSchema, elements: list[etree._Element]) -> None:
    wrapper = etree.Element(f"{{{NS['podcast']}}}test-wrapper", nsmap={None: NS["podcast"]})
    wrapper.extend(elements)
    document = etree.fromstring(etree.tostring(wrapper))
    assert schema.validate(document), schema.error_log


@pytest.mark.django_db
def test_podcast_namespace_elements_validate_against_the_xsd(client, tone, shared_data, tmp_path):
    build_demo_show(tone)
    elements = podcast_elements(feed_bytes(client))
    found = {etree.QName(e).localname for top in elements for e in top.iter()}
    assert found == set(XSD_ELEMENTS)
    validate(podcast_schema(shared_data, tmp_path), elements)


# ---------------------------------------------------------------- enclosures


def enclosure_urls(feed: bytes) -> list[str]:
    return etree.fromstring(feed).xpath("/rss/channel/item/enclosure/@url")


def check_enclosure_urls(feed: bytes, show: Show, newest: int | None = None) -> None:
    """SPECS.md: enclosure URLs are ASCII and unique, each the episode's own download URL."""
    urls = enclosure_urls(feed)
    episodes = in_feed(show, newest)
    assert urls, "a feed with enclosures to check"
    assert all(url.isascii() for url in urls), [url for url in urls if not url.isascii()]
    assert len(set(urls)) == len(urls) == len(episodes)
    assert set(urls) == {SITE + e.download_url() for e in episodes}


@pytest.mark.django_db
def test_every_enclosure_url_is_ascii_and_unique(client, tone):
    show = build_demo_show(tone)
    # Slugs are ASCII when an editor or add_episode makes them; a row written any
    # other way must still give an ASCII URL, as reverse() would quote it.
    odd = published_episode(tone, show=show, number=3, title="Café 🎙", slug="café-🎙")
    m4a = published_episode(tone, show=show, number=4, slug="four")
    Episode.objects.filter(pk=m4a.pk).update(audio_mime_type="audio/x-m4a", audio_version=3)
    feed = feed_bytes(client)
    check_enclosure_urls(feed, show)
    urls = enclosure_urls(feed)
    assert SITE + "/episodes/download/3/caf%C3%A9-%F0%9F%8E%99.mp3" in urls
    assert SITE + "/episodes/download/4/four.m4a?v=3" in urls
    assert SITE + odd.download_url() in urls


# ---------------------------------------------------------------- a show of 3,000 episodes


@pytest.mark.django_db
def test_a_show_of_3000_episodes_is_read_by_podcastparser_feedparser_and_the_xsd(
    client, shared_data, tmp_path, django_assert_max_num_queries
):
    show = make_big_show()
    # A few queries for the whole feed, never one per episode; its speed is measured
    # by bench/bench_feed.py, not timed here (a loaded machine takes any time).
    with django_assert_max_num_queries(BIG // 30):
        full = feed_bytes(client, "/episodes/rss_full_history")
    check_with_podcastparser(full, show)
    check_with_feedparser(full, show)
    validate(podcast_schema(shared_data, tmp_path), podcast_elements(full))
    check_enclosure_urls(full, show)
    # The main feed: the newest PODCAST_FEED_MAX_EPISODES (300), then the page of the rest.
    main = feed_bytes(client)
    check_with_podcastparser(main, show, newest=300)
    check_with_feedparser(main, show, newest=300)
    check_enclosure_urls(main, show, newest=300)
    links = {link.rel: link.href for link in feedparser.parse(main).feed.links}
    assert links["next"] == f"{show.feed_url()}?page=4"  # episodes 2700 down to 2601
    assert feed_bytes(client, "/episodes/rss?page=30").count(b"<item>") == 100


@pytest.mark.django_db
def test_partytime_reads_a_show_of_3000_episodes(client, partytime):
    show = make_big_show()
    check_with_partytime(partytime(feed_bytes(client)), show, newest=300)


@pytest.mark.django_db
def test_feedsmith_reads_the_demo_feed_with_its_podcast_namespace(client, tone, feedsmith):
    show = build_demo_show(tone)
    parsed = feedsmith(feed_bytes(client))
    assert parsed["title"] == show.title
    assert parsed["podcast"]["guid"] == str(show.podcast_guid)
    items = parsed["items"]
    assert {item["title"] for item in items} == {e.title for e in in_feed(show)}
    assert all(item["enclosures"][0]["url"].startswith(SITE) for item in items)
