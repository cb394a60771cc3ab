from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count
from lxml import etree

from episodes.artwork import artwork_problems
from episodes.audio.reading import read_audio
from episodes.models import (
    Chapter,
    Episode,
    EpisodePerson,
    EpisodeSponsor,
    EpisodeValueRecipient,
    FundingLink,
    Person,
    PodrollItem,
    Show,
    ShowHost,
    ShowNoteLink,
    ShowTxt,
    ShowValueRecipient,
    SocialInteract,
    Sponsor,
)
from tests.episodes.feeds.test_views import NS
from tests.episodes.test_feed_parsers import podcast_elements, podcast_schema, validate
from transcripts.models import Segment, Transcript


def rows(queryset, *fields: str) -> list[tuple]:
    return list(queryset.values_list(*fields))


def snapshot() -> dict:
    """Everything the demo creates, as plain values, and the files it stores."""
    media = Path(settings.MEDIA_ROOT)
    episodes = Episode.objects.order_by("number")
    return {
        "shows": rows(Show.objects.order_by("slug"), "slug", "title", "podcast_guid",
                      "description", "promo_banner", "transcript_source_url_template"),
        "funding": rows(FundingLink.objects.order_by("show__slug", "position", "url"),
                        "show__slug", "url", "label", "position"),
        "people": rows(Person.objects.order_by("slug"), "slug", "name", "bio", "url"),
        "hosts": rows(ShowHost.objects.order_by("show__slug", "position"),
                      "show__slug", "person__slug", "role", "position"),
        "episodes": rows(episodes, "number", "title", "slug", "guid", "summary", "recorded_on",
                         "publish_at", "audio", "audio_version", "audio_status", "audio_upload",
                         "soundbite_start", "soundbite_duration", "soundbite_title", "feed_art"),
        "show_notes": rows(episodes, "number", "show_notes", "show_notes_html"),
        "credits": rows(EpisodePerson.objects.order_by("episode__number", "position"),
                        "episode__number", "person__slug", "person__name", "role", "position"),
        "sponsors": rows(Sponsor.objects.order_by("slug"), "slug", "name", "url"),
        "sponsorships": rows(EpisodeSponsor.objects.order_by("episode__number", "sponsor__slug"),
                             "episode__number", "sponsor__slug"),
        "links": rows(ShowNoteLink.objects.order_by("episode__number", "position"),
                      "episode__number", "position", "title", "url", "picked_by__slug"),
        "chapters": rows(Chapter.objects.order_by("episode__number", "start"),
                         "episode__number", "start", "title"),
        "transcripts": rows(
            Transcript.objects.order_by("episode__number", "language").annotate(
                segment_count=Count("segments")
            ),
            "episode__number", "language", "status", "source_file", "segment_count",
        ),
        "segments": rows(Segment.objects.order_by("transcript__episode__number", "position"),
                         "start", "speaker", "text"),
        "txts": rows(ShowTxt.objects.order_by("pk"), "show__slug", "purpose", "text"),
        "podroll": rows(PodrollItem.objects.order_by("pk"), "feed_guid", "feed_url", "medium"),
        "value": rows(ShowValueRecipient.objects.order_by("pk"), "name", "address", "split")
        + rows(EpisodeValueRecipient.objects.order_by("pk"), "episode__number", "name", "split"),
        "social": rows(SocialInteract.objects.order_by("pk"), "episode__number", "protocol", "uri"),
        "media_files": sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()),
    }  # fmt: skip


@pytest.mark.django_db
def test_the_demo_gives_every_page_real_content(client):
    call_command("load_demo", verbosity=0)
    show = Show.objects.get(slug="demo")
    published = show.episodes.published()
    assert published.count() == 4  # a trailer and three episodes
    for episode in published.filter(episode_type="full"):
        assert episode.audio_status == "ready", episode.audio_error
        assert episode.audio_duration >= 60  # long enough for chapters and a transcript
        assert episode.links.exists()
        assert episode.chapters.count() >= 3
    assert Transcript.objects.filter(status="ready").count() == 3
    home = client.get("/")
    assert home.status_code == 200
    assert "Why small tools win" in home.content.decode()


@pytest.mark.django_db
def test_loading_the_demo_twice_leaves_the_same_content():
    call_command("load_demo", verbosity=0)
    first = snapshot()
    call_command("load_demo", verbosity=0)
    second = snapshot()
    for part in first:
        assert second[part] == first[part], part


@pytest.mark.django_db
def test_the_snapshot_sees_what_the_demo_made():
    # An empty snapshot would also compare equal: make sure each part holds the demo.
    call_command("load_demo", verbosity=0)
    content = snapshot()
    assert [part for part, values in content.items() if not values] == []
    assert [count for *_, count in content["transcripts"]] == [12, 11, 9]
    # uploads, served audio, the same tagged with cover and chapters (three episodes and the
    # trailer), transcripts, artwork
    # (the show's and episode 1's) and their page copies, their podcast:images copies
    # (1400, 600 and 300 px each), each transcript's five files, the Opus copies
    assert len(content["media_files"]) == 4 + 4 + 4 + 3 + 2 + 2 + 2 * 3 + 3 * 5 + 4


@pytest.mark.django_db
def test_the_demo_has_artwork_apple_accepts_and_its_mp3s_carry_it():
    call_command("load_demo", verbosity=0)
    show = Show.objects.get(slug="demo")
    with show.artwork.open("rb") as image:
        assert artwork_problems(image) == []
    for episode in show.episodes.all():
        with episode.audio.open("rb") as audio:
            tags = read_audio(audio, name=episode.audio.name)
        expected = episode.artwork or show.artwork
        with expected.open("rb") as image:
            assert tags.cover is not None and tags.cover.data == image.read()


@pytest.mark.django_db
@pytest.mark.usefixtures("feed_site")
def test_the_demo_feed_shows_every_podcasting_2_0_tag_we_write(client):
    call_command("load_demo", verbosity=0)
    root = etree.fromstring(client.get("/episodes/rss").content)
    channel = root.find("channel")
    for tag in ("txt", "trailer", "license", "location", "updateFrequency", "value"):
        assert channel.find(f"podcast:{tag}", NS) is not None, tag
    assert channel.find("podcast:txt[@purpose='verify']", NS) is not None
    assert len(channel.findall("podcast:podroll/podcast:remoteItem", NS)) == 2
    assert len(channel.findall("podcast:value/podcast:valueRecipient", NS)) == 3
    assert channel.find("podcast:trailer", NS).get("season") == "1"
    for tag in ("license", "location", "socialInteract", "value"):
        assert root.find(f"channel/item/podcast:{tag}", NS) is not None, tag
    protocols = root.xpath("//podcast:socialInteract/@protocol", namespaces=NS)
    assert sorted(protocols) == ["activitypub", "atproto", "disabled"]


@pytest.mark.django_db
@pytest.mark.usefixtures("feed_site")
def test_the_demo_feed_is_valid_for_the_namespace_xsd_and_read_by_partytime(
    client, shared_data, tmp_path, partytime_whole
):
    call_command("load_demo", verbosity=0)
    feed = client.get("/episodes/rss").content
    validate(podcast_schema(shared_data, tmp_path), podcast_elements(feed))
    parsed = partytime_whole(feed)
    assert parsed["trailers"][0]["title"] == "Coming soon: Byte-Sized Demo"
    assert parsed["podcastTxt"][0] == {"value": "byte-sized-demo-7Hq2-x9Lp", "purpose": "verify"}
    assert [r["split"] for r in parsed["value"]["recipients"]] == [50, 45, 5]


# The podcast-namespace tags a newcomer should find in the demo feed, by where they stand.
DEMO_TAGS = {
    "/rss/channel/podcast:images": 1,
    "/rss/channel/podcast:liveItem/podcast:contentLink": 1,
    "/rss/channel/item/podcast:soundbite": 3,
    "/rss/channel/item/podcast:images": 1,  # episode 1 has artwork of its own
    "/rss/channel/item/podcast:alternateEnclosure/podcast:integrity": 4,  # with the trailer
}


@pytest.mark.django_db
def test_the_demo_feed_shows_the_podcasting_2_tags(client, shared_data, tmp_path):
    from lxml import etree

    from tests.episodes.test_feed_parsers import podcast_schema, validate

    call_command("load_demo", verbosity=0)
    root = etree.fromstring(client.get("/episodes/rss").content)
    ns = {"podcast": "https://podcastindex.org/namespace/1.0"}
    found = {path: len(root.xpath(path, namespaces=ns)) for path in DEMO_TAGS}
    assert found == DEMO_TAGS
    # The elements of these the namespace's XSD declares are valid by it.
    declared = root.xpath("//podcast:images | //podcast:soundbite", namespaces=ns)
    validate(podcast_schema(shared_data, tmp_path), declared)
