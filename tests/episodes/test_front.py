"""What the WSGI entry answers before Django (episodes/front.py) is exactly Django's answer.

Each request goes through the Procfile's stack (the front around Django's own WSGI
handler) and the same request through Django alone; status, headers, bytes and the
analytics line must agree, and a request the front may not answer must reach Django.
"""

import json

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory
from django.utils import timezone

from analytics import buffer
from episodes import front, hot
from episodes.feeds.cache import invalidate_feed
from subscribers.models import Subscriber
from tests.factories import published_episode

pytestmark = pytest.mark.usefixtures("feed_site")
AUDIO_TONES = 40  # several hundred KB: 256 KiB ranges fit well inside
APP = {"User-Agent": "Overcast/3.0 (+http://overcast.fm/; iOS podcast app)"}
GZIP = {**APP, "Accept-Encoding": "gzip"}


class Django:
    """Django's WSGI handler, counting the requests that reach it."""

    def __init__(self) -> None:
        self.handler, self.calls = WSGIHandler(), 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.handler(environ, start_response)


@pytest.fixture
def django(settings):
    settings.PODCAST_HOT_SECONDS = 1  # the production default; the tests turn it off
    # As the test Client does: the test's database connection stays open between requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    front.kept.clear()
    recorded()  # lines other tests left in the buffer
    yield Django()
    front.kept.clear()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def stack(django):
    return front.ListenerFront(django)


@pytest.fixture
def episode(db, audio):
    return published_episode(audio, slug="tone")


def call(app, path: str, headers: dict | None = None, method: str = "GET", **extra):
    """(status, headers, body, the analytics lines it recorded without their time)."""
    environ = RequestFactory().generic(method, path, headers=headers, **extra).environ
    seen = {}

    def start_response(status, response_headers, exc_info=None):
        seen["status"], seen["headers"] = status, dict(response_headers)

    result = app(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        getattr(result, "close", lambda: None)()
    return seen["status"], seen["headers"], body, recorded()


def recorded() -> list[list]:
    batch = buffer.get_buffer().claim(1000)
    if batch is None:
        return []
    buffer.get_buffer().done(batch)
    lines = [json.loads(line) for line in batch.lines]
    return [line[:1] + line[2:] for line in lines]  # every field but the time


def answered_by_the_front(stack, django, path, headers):
    """The second of two identical requests, which Django must not see, and Django's own."""
    first = call(stack, path, headers)
    calls = django.calls
    again = call(stack, path, headers)
    assert django.calls == calls, "the front did not answer"
    assert again == first
    return again, call(django.handler, path, headers)


def test_a_feed_200_and_304_plain_and_gzip_are_django_s_own(stack, django, episode):
    plain, alone = answered_by_the_front(stack, django, "/episodes/rss", APP)
    assert plain == alone and plain[0] == "200 OK"
    packed, alone = answered_by_the_front(stack, django, "/episodes/rss", GZIP)
    assert packed == alone and packed[1]["Content-Encoding"] == "gzip"
    assert packed[1]["Content-Security-Policy"] and packed[1]["Vary"] == "Accept-Encoding"
    etag = packed[1]["ETag"]
    not_modified, alone = answered_by_the_front(
        stack, django, "/episodes/rss", {**GZIP, "If-None-Match": etag}
    )
    assert not_modified == alone and not_modified[0] == "304 Not Modified"
    assert not_modified[1]["ETag"] == etag and not_modified[3][0][3] == 304


@pytest.mark.parametrize(
    "asked", ["bytes=0-1", "bytes=1000-66535", "bytes=5000-267143", "bytes=-500"]
)
def test_small_ranges_are_django_s_own_bytes_headers_and_analytics(
    stack, django, episode, audio, asked
):
    url = episode.download_url()
    call(stack, url, {**APP, "Range": "bytes=0-1"})  # the probe Django answers, kept
    calls = django.calls
    answer = call(stack, url, {**APP, "Range": asked})
    assert django.calls == calls, "the front did not answer"
    assert answer == call(django.handler, url, {**APP, "Range": asked})
    status, headers, body, lines = answer
    start, _, rest = asked.removeprefix("bytes=").partition("-")
    assert status == "206 Partial Content"
    assert body == (audio[-500:] if not start else audio[int(start) : int(rest) + 1])
    assert headers["Content-Range"].endswith(f"/{len(audio)}")
    assert headers["Cache-Control"].startswith("public") and headers["X-Frame-Options"]
    first_byte = int(start) if start else len(audio) - 500
    assert [(line[0], line[3], line[7]) for line in lines] == [("a", 206, first_byte)]


@pytest.mark.parametrize(
    "headers",
    [
        {"Range": "bytes=0-300000"},  # larger than a range kept in memory
        {"Range": "bytes=0-1,5-6"},
        {"Range": "bytes=oops"},
        {"Range": "bytes=99999999-"},  # 416
        {"Range": "bytes=0-1", "If-Range": '"stale"'},
        {"Range": "bytes=0-1", "Cookie": "sessionid=abc"},
        {},
    ],
)
def test_what_the_front_may_not_answer_reaches_django(stack, django, episode, headers):
    url = episode.download_url()
    call(stack, url, {**APP, "Range": "bytes=0-1"})
    calls = django.calls
    answer = call(stack, url, {**APP, **headers})
    assert django.calls == calls + 1
    alone = call(django.handler, url, {**APP, **headers})
    assert answer[0] == alone[0] and answer[1].keys() == alone[1].keys()
    if not answer[1]["Content-Type"].startswith("multipart/"):  # a random boundary each
        assert answer == alone


def test_head_reaches_django(stack, django, episode):
    call(stack, "/episodes/rss", GZIP)
    calls = django.calls
    status, headers, body, _ = call(stack, "/episodes/rss", GZIP, method="HEAD")
    assert django.calls == calls + 1 and status == "200 OK" and body == b""


def test_a_publish_is_served_at_once(stack, django, episode, audio):
    first = call(stack, "/episodes/rss", GZIP)
    newer = published_episode(
        audio, show=episode.show, slug="newer", title="Fresh out", publish_at=timezone.now()
    )
    invalidate_feed(newer.show)  # committed at the test's end: announce it as a commit would
    hot.bump_generation()
    second = call(stack, "/episodes/rss", GZIP)
    assert second[1]["ETag"] != first[1]["ETag"]
    assert second == call(django.handler, "/episodes/rss", GZIP)


def test_a_preview_link_and_a_draft_are_never_kept(stack, django, db, audio):
    draft = published_episode(audio, slug="draft", publish_at=None)
    url = draft.download_url()
    for _ in range(2):
        call(stack, url, {**APP, "Range": "bytes=0-1"})
    assert not front.kept.entries


def test_a_revoked_personal_feed_fails_at_once(stack, django, episode):
    subscriber = Subscriber.objects.create(show=episode.show, email="ann@example.com")
    url = f"/feeds/{subscriber.token}/audio/{episode.number}/{episode.slug}.mp3"
    assert call(stack, url, {**APP, "Range": "bytes=0-1"})[0] == "206 Partial Content"
    assert call(stack, f"/feeds/{subscriber.token}/rss", GZIP)[0] == "200 OK"
    subscriber.revoked_at = timezone.now()
    subscriber.save()
    assert call(stack, url, {**APP, "Range": "bytes=0-1"})[0] == "403 Forbidden"
    assert call(stack, f"/feeds/{subscriber.token}/rss", GZIP)[0] == "410 Gone"
    assert not front.kept.entries


def test_a_cached_page_and_its_304_are_django_s_own(stack, django, episode, settings):
    settings.PODCAST_PAGE_CACHE_SECONDS = 10
    url = episode.get_absolute_url()
    page, alone = answered_by_the_front(stack, django, url, {})
    assert page == alone and page[0] == "200 OK" and episode.title.encode() in page[2]
    assert page[1]["Cache-Control"].startswith("public") and page[3] == []
    revalidated, alone = answered_by_the_front(
        stack, django, url, {"If-None-Match": page[1]["ETag"]}
    )
    assert revalidated == alone and revalidated[0] == "304 Not Modified"


def test_a_page_with_a_search_query_or_a_preview_is_not_kept(stack, django, episode, settings):
    settings.PODCAST_PAGE_CACHE_SECONDS = 10
    for url in ("/search?q=tone", episode.get_absolute_url() + "?preview=nope"):
        call(stack, url)
        assert not front.kept.entries, url
