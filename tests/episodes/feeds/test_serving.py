"""The feed and chapters views as served: validators, caching, invalidation, gzip, pages, hubs."""

import datetime as dt
import gzip
import time

import pytest
from django.db import transaction
from django.utils import timezone
from lxml import etree

from analytics.salts import salt_for
from episodes import services
from episodes.feeds import build
from episodes.feeds import cache as feed_cache
from episodes.models import Episode, EpisodePerson, FundingLink, Show, ShowHost
from tests.episodes.feeds.test_views import (
    NS,
    SITE,
    build_demo_show,
    fetch,
    item_titles,
    public,
)
from tests.factories import (
    ChapterFactory,
    EpisodeFactory,
    PersonFactory,
    ShowFactory,
    TranscriptFactory,
    published_episode,
)

pytestmark = pytest.mark.usefixtures("feed_site")


# ---------------------------------------------------------------- chapters JSON


@pytest.mark.django_db
def test_chapters_json_is_served_with_its_type_and_cors(client, tone):
    build_demo_show(tone)
    response = client.get("/episodes/chapters/1.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json+chapters"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json() == {
        "version": "1.2.0",
        "chapters": [
            {"startTime": 0.0, "title": "Welcome"},
            {"startTime": 2.0, "title": "Pipes", "url": "https://example.com/pipes"},
        ],
    }


@pytest.mark.django_db
def test_chapters_json_is_404_without_chapters_or_when_not_public(client, tone):
    build_demo_show(tone)
    draft = EpisodeFactory(show=Episode.objects.first().show, number=9)
    ChapterFactory(episode=draft)
    assert client.get("/episodes/chapters/2.json").status_code == 404
    assert client.get("/episodes/chapters/9.json").status_code == 404
    assert client.get("/episodes/chapters/99.json").status_code == 404


# ---------------------------------------------------------------- serving


@pytest.mark.django_db
def test_it_serves_rss_with_validators_and_a_public_cache_lifetime(client, tone):
    public(tone)
    response, _ = fetch(client)
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert response["ETag"].startswith('"') and response["Last-Modified"]
    # Apps keep it 5 minutes; a CDN in front a minute, then revalidates (a 304 when unchanged).
    assert response["Cache-Control"] == (
        "public, max-age=300, s-maxage=60, stale-while-revalidate=600, stale-if-error=86400"
    )
    assert response["Vary"] == "Accept-Encoding"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<?xml-stylesheet')


@pytest.mark.django_db
def test_building_takes_the_same_few_queries_for_any_number_of_episodes(
    client, tone, django_assert_num_queries
):
    show = build_demo_show(tone)
    salt_for(timezone.now())  # analytics reads the day's salt once per process a day
    # The show, its funding, hosts and live items, the episodes, their credits, chapters and
    # transcripts, the show's measurement prefixes, the next publish time, and storing
    # the validators (4 with savepoint); Podcasting 2.0: the show's txt, podroll and value
    # rows, its trailers, the items' comment threads and value recipients.
    with django_assert_num_queries(20):
        fetch(client)
    for number in range(3, 13):
        episode = published_episode(tone, show=show, number=number)
        EpisodePerson.objects.create(episode=episode, person=PersonFactory())
        TranscriptFactory(episode=episode)
        ChapterFactory(episode=episode)
    feed_cache.invalidate_feed(show)
    with django_assert_num_queries(20):
        fetch(client)


def stored_validators(show) -> dict:
    return Show.objects.values_list("feed_validators", flat=True).get(pk=show.pk)


@pytest.mark.django_db
def test_editing_an_episode_changes_its_shows_etag_only(client, tone):
    a = published_episode(tone, show=ShowFactory(slug="a"))
    b = published_episode(tone, show=ShowFactory(slug="b", is_default=False)).show
    a_before, b_before = fetch(client)[0], fetch(client, "/shows/b/episodes/rss")[0]
    b_stored = stored_validators(b)
    time.sleep(1.1)
    a.title = "A better title"
    a.save()
    services.record_episode_change(episode=a)  # what every path that edits an episode calls
    a_after, b_after = fetch(client)[0], fetch(client, "/shows/b/episodes/rss")[0]
    assert a_after["ETag"] != a_before["ETag"]
    assert parse_date(a_after["Last-Modified"]) > parse_date(a_before["Last-Modified"])
    assert b_after["ETag"] == b_before["ETag"]
    assert stored_validators(b) == b_stored  # not even rebuilt
    assert b"A better title" in a_after.content


def parse_date(value: str) -> int:
    from django.utils.http import parse_http_date

    return parse_http_date(value)


@pytest.mark.django_db
def test_a_show_saved_anywhere_changes_its_feed_without_an_invalidation(client, tone):
    show = public(tone).show
    first, _ = fetch(client)
    show.title = "Renamed in a shell"
    show.save()
    second, root = fetch(client)
    assert root.findtext("channel/title") == "Renamed in a shell"
    assert second["ETag"] != first["ETag"]


@pytest.mark.django_db
def test_unpublishing_or_deleting_an_episode_changes_the_feed(client, tone):
    keep = public(tone, title="Keep")
    gone = public(tone, title="Gone")
    hidden = public(tone, title="Hidden")
    first, root = fetch(client)
    assert len(item_titles(root)) == 3
    gone.delete()
    Episode.objects.filter(pk=hidden.pk).update(publish_at=None)
    feed_cache.invalidate_feed(keep.show)  # as the admin's delete and unpublish do
    second, root = fetch(client)
    assert item_titles(root) == [keep.title] and second["ETag"] != first["ETag"]


@pytest.mark.django_db(transaction=True)
def test_the_revision_commits_or_rolls_back_with_the_change(client, tone):
    episode = public(tone)
    show = episode.show
    first, _ = fetch(client)
    with pytest.raises(RuntimeError), transaction.atomic():
        Episode.objects.filter(pk=episode.pk).update(title="Never committed")
        feed_cache.invalidate_feed(show)
        raise RuntimeError
    assert Show.objects.get(pk=show.pk).feed_revision == 0
    assert fetch(client)[0]["ETag"] == first["ETag"]
    with transaction.atomic():
        Episode.objects.filter(pk=episode.pk).update(title="Committed")
        feed_cache.invalidate_feed(show)
    assert Show.objects.get(pk=show.pk).feed_revision == 1
    assert b"Committed" in fetch(client)[0].content


@pytest.mark.django_db
def test_invalidate_feed_covers_what_the_show_row_cannot_see(client, tone):
    show = build_demo_show(tone)
    host = ShowHost.objects.get(show=show).person
    first, _ = fetch(client)
    host.name = "Ada Renamed"
    host.save()
    assert fetch(client)[0]["ETag"] == first["ETag"]  # nothing announced the change yet
    time.sleep(1.1)
    feed_cache.invalidate_all_feeds()
    second, _ = fetch(client)
    assert second["ETag"] != first["ETag"] and b"Ada Renamed" in second.content
    assert parse_date(second["Last-Modified"]) > parse_date(first["Last-Modified"])
    FundingLink.objects.filter(show=show).update(label="Back us")
    feed_cache.invalidate_feed(show)
    assert b"Back us" in fetch(client)[0].content


@pytest.mark.django_db
def test_invalidating_for_a_person_rebuilds_only_the_shows_they_appear_in(client, tone):
    person = PersonFactory(name="Pat Both")
    hosted = published_episode(tone, show=ShowFactory(slug="hosted")).show
    ShowHost.objects.create(show=hosted, person=person)
    guested = published_episode(tone, show=ShowFactory(slug="guested", is_default=False))
    EpisodePerson.objects.create(episode=guested, person=person)
    other = published_episode(tone, show=ShowFactory(slug="other", is_default=False)).show
    paths = ["/episodes/rss", "/shows/guested/episodes/rss", "/shows/other/episodes/rss"]
    before = [fetch(client, path)[0] for path in paths]
    assert all(b"Pat Both" in response.content for response in before[:2])
    other_stored = stored_validators(other)
    with transaction.atomic():  # as the admin deletes: computed before the credits go
        feed_cache.invalidate_feeds_for_person(person)
        person.delete()
    revisions = dict(Show.objects.values_list("slug", "feed_revision"))
    assert revisions == {"hosted": 1, "guested": 1, "other": 0}
    after = [fetch(client, path)[0] for path in paths]
    assert all(b"Pat Both" not in response.content for response in after)
    assert [r["ETag"] for r in after[:2]] != [r["ETag"] for r in before[:2]]
    assert after[2]["ETag"] == before[2]["ETag"]
    assert stored_validators(other) == other_stored  # not even rebuilt


@pytest.mark.django_db
def test_gzip_is_served_to_clients_that_accept_it(client, tone):
    public(tone)
    plain, _ = fetch(client)
    zipped = client.get("/episodes/rss", HTTP_ACCEPT_ENCODING="br, gzip;q=0.8")
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content
    assert int(zipped["Content-Length"]) == len(zipped.content) < len(plain.content)
    assert zipped["ETag"] != plain["ETag"]
    again = client.get("/episodes/rss", HTTP_IF_NONE_MATCH=zipped["ETag"])
    assert again.status_code == 304
    refused = client.get("/episodes/rss", HTTP_ACCEPT_ENCODING="gzip;q=0")
    assert "Content-Encoding" not in refused


@pytest.mark.django_db
def test_head_gets_the_headers_without_the_body(client, tone):
    public(tone)
    get, _ = fetch(client)
    head = client.head("/episodes/rss")
    assert head.status_code == 200 and head.content == b""
    assert head["Content-Length"] == str(len(get.content)) and head["ETag"] == get["ETag"]
    assert client.post("/episodes/rss").status_code == 405


@pytest.mark.django_db
def test_a_moved_show_redirects_permanently_and_names_the_new_url(client, tone):
    episode = public(tone)
    show = episode.show
    show.new_feed_url = "https://new.example.com/feed"
    show.save()
    for path in ("/episodes/rss", "/episodes/rss?page=1", "/episodes/rss_full_history"):
        response = client.get(path)
        assert response.status_code == 301 and response["Location"] == show.new_feed_url
    body = build.build_feed(show, build.Variant(), timezone.now(), 1)
    new_url = etree.fromstring(body).findtext("channel/itunes:new-feed-url", namespaces=NS)
    assert new_url == "https://new.example.com/feed"


@pytest.mark.django_db
def test_pages_follow_rfc_5005_and_a_main_feed_within_its_cap_is_complete(client, tone, settings):
    settings.PODCAST_FEED_PAGE_SIZE = 2
    show = ShowFactory()
    now = timezone.now()
    for number in range(1, 6):
        published_episode(tone, show=show, number=number, title=f"E{number}",
                          publish_at=now - dt.timedelta(days=10 - number))  # fmt: skip
    _, main = fetch(client)
    assert item_titles(main) == ["E5", "E4", "E3", "E2", "E1"]
    assert main.find("channel/atom:link[@rel='next']", NS) is None
    _, page = fetch(client, "/episodes/rss?page=2")
    assert item_titles(page) == ["E3", "E2"]
    links = {a.get("rel"): a.get("href") for a in page.findall("channel/atom:link", NS)}
    feed = f"{SITE}/episodes/rss"
    assert links == {
        "self": f"{feed}?page=2",
        "first": f"{feed}?page=1",
        "last": f"{feed}?page=3",
        "prev": f"{feed}?page=1",
        "next": f"{feed}?page=3",
    }
    _, last = fetch(client, "/episodes/rss?page=3")
    assert item_titles(last) == ["E1"] and last.find("channel/atom:link[@rel='next']", NS) is None
    for bad in ("4", "0", "-1", "x", "１"):
        assert client.get(f"/episodes/rss?page={bad}").status_code == 404


@pytest.mark.django_db
def test_full_history_holds_every_episode_under_its_own_self_link(client, tone):
    public(tone, title="One")
    public(tone, title="Two")
    _, root = fetch(client, "/episodes/rss_full_history")
    assert sorted(item_titles(root)) == ["One", "Two"]
    self_link = root.find("channel/atom:link[@rel='self']", NS).get("href")
    assert self_link == f"{SITE}/episodes/rss_full_history"


@pytest.mark.django_db
def test_every_show_has_its_own_feed(client, tone):
    published_episode(tone, show=ShowFactory(slug="main"), title="Main episode")
    other = ShowFactory(slug="other", is_default=False, title="Other show")
    published_episode(tone, show=other, title="Other episode")
    _, root = fetch(client, "/shows/other/episodes/rss")
    assert item_titles(root) == ["Other episode"]
    assert root.findtext("channel/title") == "Other show"
    item = root.find("channel/item")
    assert item.find("enclosure").get("url").startswith(f"{SITE}/shows/other/episodes/download/")
    assert client.get("/shows/nope/episodes/rss").status_code == 404


@pytest.mark.django_db
def test_the_websub_hub_is_announced_when_configured(client, tone, settings):
    settings.PODCAST_WEBSUB_HUB = "https://hub.example.com/"
    public(tone)
    _, root = fetch(client)
    assert root.find("channel/atom:link[@rel='hub']", NS).get("href") == "https://hub.example.com/"


@pytest.mark.django_db
def test_a_browser_gets_the_same_bytes_as_apps_with_a_css_stylesheet(client, tone):
    build_demo_show(tone)
    app = client.get("/episodes/rss", HTTP_USER_AGENT="AppleCoreMedia/1.0", HTTP_ACCEPT="*/*")
    browser = client.get(
        "/episodes/rss",
        HTTP_USER_AGENT="Mozilla/5.0 Chrome/140.0",
        HTTP_ACCEPT="text/html,application/xhtml+xml,application/xml;q=0.9",
    )
    assert app.content == browser.content and app["Content-Type"] == browser["Content-Type"]
    assert b'<?xml-stylesheet type="text/css" href="/static/css/feed.css"?>' in app.content
    # WhiteNoise serves it with the type browsers need to apply it (nosniff is on).
    from django.contrib.staticfiles import finders
    from whitenoise.media_types import MediaTypes

    assert finders.find("css/feed.css")
    assert MediaTypes().get_type("feed.css") == "text/css"
