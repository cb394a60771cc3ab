"""The audio download view under WSGI and ASGI: ranges, validators, previews, old versions."""

import datetime as dt
from email.parser import BytesParser
from email.policy import HTTP

import pytest
from asgiref.sync import async_to_sync
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage
from django.test import AsyncClient
from django.utils import timezone
from django.utils.http import http_date

from episodes.serving import (
    CHUNK_SIZE,
    SYNC_CHUNK_SIZE,
    file_response,
)
from tests.factories import EpisodeFactory, published_episode, with_served_audio
from tests.responses import body_of

AUDIO_TONES = 40  # about 1.3 MB: several of a WSGI stream's 256 KiB chunks

# --- The download view through the test Client (WSGI) -------------------------------------


@pytest.fixture
def episode(db, audio):
    return published_episode(audio, slug="tone")


@pytest.fixture
def url(episode) -> str:
    return episode.download_url()


def test_a_full_get_sends_the_whole_file_with_its_headers(client, url, audio, episode):
    response = client.get(url)
    assert response.status_code == 200
    assert body_of(response) == audio
    assert response["Content-Length"] == str(len(audio))
    assert response["Content-Type"] == "audio/mpeg"
    assert response["Accept-Ranges"] == "bytes"
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"].endswith("GMT")
    assert response["Cache-Control"].startswith("public, max-age=")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'inline; filename="{episode.number}-tone.mp3"'


def test_the_body_streams_in_chunks_never_the_whole_file(client, url, audio):
    response = client.get(url)
    chunks = list(response.streaming_content)
    assert len(chunks) > 2
    assert max(len(chunk) for chunk in chunks) <= SYNC_CHUNK_SIZE
    assert b"".join(chunks) == audio


def test_apple_probe_bytes_0_1_gets_206_with_two_bytes(client, url, audio):
    response = client.get(url, headers={"Range": "bytes=0-1"})
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 0-1/{len(audio)}"
    assert response["Content-Length"] == "2"
    assert body_of(response) == audio[:2]


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=0-0", 0, 0),
        ("bytes=-500", -500, -1),
        ("bytes=100-", 100, -1),
        ("bytes=0-", 0, -1),
        ("bytes=65530-131080", 65530, 131080),
        ("bytes=100-99999999", 100, -1),
    ],
)
def test_a_single_range_gets_206_with_exactly_those_bytes(client, url, audio, header, start, end):
    first, last = start % len(audio), end % len(audio)
    response = client.get(url, headers={"Range": header})
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {first}-{last}/{len(audio)}"
    assert response["Content-Length"] == str(last - first + 1)
    assert body_of(response) == audio[first : last + 1]
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "audio/mpeg"


@pytest.mark.parametrize("header", ["bytes=999999999-", "bytes=-0"])
def test_an_unsatisfiable_range_gets_416_with_the_length(client, url, audio, header):
    response = client.get(url, headers={"Range": header})
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(audio)}"


@pytest.mark.parametrize("header", ["bytes=5-1", "bytes=abc", "items=0-1", "bytes=0-1;2-3"])
def test_an_invalid_range_header_is_ignored_and_gets_the_whole_file(client, url, audio, header):
    response = client.get(url, headers={"Range": header})
    assert response.status_code == 200
    assert body_of(response) == audio


def test_if_range_with_the_current_etag_gets_the_range(client, url, audio):
    etag = client.head(url)["ETag"]
    response = client.get(url, headers={"Range": "bytes=10-19", "If-Range": etag})
    assert response.status_code == 206
    assert body_of(response) == audio[10:20]


def test_if_range_with_the_current_date_gets_the_range(client, url, audio):
    last_modified = client.head(url)["Last-Modified"]
    response = client.get(url, headers={"Range": "bytes=10-19", "If-Range": last_modified})
    assert response.status_code == 206


@pytest.mark.parametrize(
    "if_range", ['"stale-etag"', "Thu, 01 Jan 2015 00:00:00 GMT", 'W/"weak-never-matches"']
)
def test_if_range_with_a_stale_validator_gets_the_whole_file(client, url, audio, if_range):
    response = client.get(url, headers={"Range": "bytes=10-19", "If-Range": if_range})
    assert response.status_code == 200
    assert "Content-Range" not in response
    assert body_of(response) == audio


def parse_multipart(content_type: str, body: bytes) -> list[tuple[str, str, bytes]]:
    """(Content-Type, Content-Range, bytes) of each part, read by the standard library."""
    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    assert message.is_multipart()
    return [
        (part["Content-Type"], part["Content-Range"], part.get_payload(decode=True))
        for part in message.iter_parts()
    ]


def test_a_multi_range_request_gets_a_multipart_body_that_parses(client, url, audio):
    response = client.get(url, headers={"Range": "bytes=70000-70009, 0-1, -3"})
    assert response.status_code == 206
    assert response["Content-Type"].startswith("multipart/byteranges; boundary=")
    body = body_of(response)
    assert response["Content-Length"] == str(len(body))
    size = len(audio)
    assert parse_multipart(response["Content-Type"], body) == [
        ("audio/mpeg", f"bytes 0-1/{size}", audio[:2]),
        ("audio/mpeg", f"bytes 70000-70009/{size}", audio[70000:70010]),
        ("audio/mpeg", f"bytes {size - 3}-{size - 1}/{size}", audio[-3:]),
    ]


def test_a_multipart_body_has_the_exact_framing_of_rfc_9110(client, url, audio):
    response = client.get(url, headers={"Range": "bytes=0-1,10-11"})
    boundary = response["Content-Type"].split("boundary=")[1]
    expected = (
        f"--{boundary}\r\nContent-Type: audio/mpeg\r\nContent-Range: bytes 0-1/{len(audio)}\r\n\r\n"
    ).encode() + audio[:2]
    expected += (
        f"\r\n--{boundary}\r\nContent-Type: audio/mpeg\r\n"
        f"Content-Range: bytes 10-11/{len(audio)}\r\n\r\n"
    ).encode() + audio[10:12]
    expected += f"\r\n--{boundary}--\r\n".encode()
    assert body_of(response) == expected


def test_overlapping_ranges_are_merged_into_one_part(client, url, audio):
    response = client.get(url, headers={"Range": "bytes=0-99,50-149"})
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 0-149/{len(audio)}"
    assert body_of(response) == audio[:150]


def test_if_none_match_with_the_current_etag_gets_304(client, url):
    first = client.get(url)
    response = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert response.status_code == 304
    assert response["ETag"] == first["ETag"]
    assert response.content == b""


def test_if_none_match_wins_over_range(client, url):
    etag = client.head(url)["ETag"]
    response = client.get(url, headers={"If-None-Match": etag, "Range": "bytes=0-1"})
    assert response.status_code == 304


def test_if_none_match_with_another_etag_gets_the_file(client, url, audio):
    response = client.get(url, headers={"If-None-Match": '"something-else"'})
    assert response.status_code == 200
    assert body_of(response) == audio


@pytest.mark.parametrize("headers", [{}, {"Range": "bytes=0-1"}])
def test_a_stale_etag_wins_over_a_current_date(client, url, audio, headers):
    """RFC 9110 section 13.2.2: with If-None-Match, If-Modified-Since is not evaluated.

    Last-Modified has one-second resolution, so a date no older than the file's says
    nothing about bytes replaced within that second; only the ETag does.
    """
    last_modified = client.head(url)["Last-Modified"]
    stale = {"If-None-Match": '"an-earlier-file"', "If-Modified-Since": last_modified}
    response = client.get(url, headers=stale | headers)
    assert response.status_code == (206 if headers else 200)
    assert body_of(response) == (audio[:2] if headers else audio)


def test_if_modified_since_last_modified_gets_304(client, url):
    last_modified = client.head(url)["Last-Modified"]
    response = client.get(url, headers={"If-Modified-Since": last_modified})
    assert response.status_code == 304


def test_if_modified_since_an_earlier_date_gets_the_file(client, url):
    earlier = http_date((timezone.now() - dt.timedelta(days=30)).timestamp())
    response = client.get(url, headers={"If-Modified-Since": earlier})
    assert response.status_code == 200


@pytest.mark.parametrize("headers", [{}, {"Range": "bytes=0-1"}, {"Range": "bytes=0-1,9-9"}])
def test_head_has_the_headers_of_get_and_no_body(client, url, headers):
    get, head = client.get(url, headers=headers), client.head(url, headers=headers)
    assert head.status_code == get.status_code
    assert body_of(head) == b""
    boundary_free = {k: v for k, v in get.items() if k != "Content-Type"}
    assert {k: v for k, v in head.items() if k != "Content-Type"} == boundary_free
    assert head["Content-Type"].split(";")[0] == get["Content-Type"].split(";")[0]


def test_other_methods_are_not_allowed(client, url):
    assert client.post(url).status_code == 405


def test_a_draft_is_not_found_by_the_public(client, db, audio):
    draft = EpisodeFactory(publish_at=None)
    with_served_audio(draft, audio)
    assert client.get(draft.download_url()).status_code == 404


def test_a_scheduled_episode_is_not_found_by_the_public(client, db, audio):
    scheduled = published_episode(audio, publish_at=timezone.now() + dt.timedelta(days=1))
    assert client.get(scheduled.download_url()).status_code == 404
    assert client.head(scheduled.download_url()).status_code == 404


def test_staff_may_preview_a_draft_kept_out_of_shared_caches(admin_client, db, audio):
    draft = EpisodeFactory(publish_at=None)
    with_served_audio(draft, audio)
    response = admin_client.get(draft.download_url(), headers={"Range": "bytes=0-1"})
    assert response.status_code == 206
    assert body_of(response) == audio[:2]
    assert response["Cache-Control"] == "private, no-store"


def test_an_episode_without_audio_is_not_found(admin_client, db):
    draft = EpisodeFactory(publish_at=None)
    assert admin_client.get(draft.download_url()).status_code == 404


def test_with_redirect_on_the_download_answers_302_to_the_storage_url(client, settings, episode):
    settings.PODCAST_AUDIO_REDIRECT = True
    response = client.get(episode.download_url())
    assert response.status_code == 302
    assert response["Location"] == episode.audio.url


def test_if_match_with_a_stale_etag_gets_412(client, url):
    assert client.get(url, headers={"If-Match": '"stale"'}).status_code == 412


def test_any_django_storage_serves_ranges(rf, audio):
    storage = InMemoryStorage()
    name = storage.save("audio/x.mp3", ContentFile(audio))
    request = rf.get("/", headers={"Range": "bytes=-3"})
    response = file_response(
        request, storage=storage, name=name, content_type="audio/mpeg", filename="x.mp3"
    )
    assert response.status_code == 206
    assert body_of(response) == audio[-3:]


class StorageWithoutTimes(InMemoryStorage):
    def get_modified_time(self, name: str):
        raise NotImplementedError("optional in the Storage API")


def test_a_storage_without_modified_times_still_gets_an_etag(rf, audio):
    storage = StorageWithoutTimes()
    name = storage.save("audio/x.mp3", ContentFile(audio))
    response = file_response(
        rf.head("/"), storage=storage, name=name, content_type="audio/mpeg", filename="x.mp3"
    )
    assert response.status_code == 200
    assert response["ETag"].startswith('"')
    assert "Last-Modified" not in response


# --- The same view through the ASGI handler ----------------------------------------------


async def fetch_async(url: str, headers: dict[str, str]) -> tuple[object, list[bytes]]:
    response = await AsyncClient().get(url, headers=headers)
    return response, [chunk async for chunk in response.streaming_content]


@pytest.mark.parametrize(
    ("headers", "status"),
    [({}, 200), ({"Range": "bytes=100-"}, 206), ({"Range": "bytes=0-1,5-6"}, 206)],
)
def test_under_asgi_the_body_is_an_async_iterator_of_chunks(url, audio, headers, status):
    response, chunks = async_to_sync(fetch_async)(url, headers)
    assert response.status_code == status
    assert response.is_async, "a sync iterator would be loaded whole into memory under ASGI"
    assert max(len(chunk) for chunk in chunks) <= CHUNK_SIZE
    assert int(response["Content-Length"]) == len(b"".join(chunks))
    if status == 200:
        assert b"".join(chunks) == audio
    elif "," not in headers["Range"]:
        assert b"".join(chunks) == audio[100:]


@pytest.mark.django_db
def test_an_old_enclosure_url_keeps_its_bytes_after_the_audio_is_replaced(client, tone):
    episode = published_episode(tone, slug="replaced")
    first_url = episode.download_url()
    episode.audio_version = 2
    episode.audio.save(episode.served_audio_name(), ContentFile(b"ID3new bytes"), save=False)
    episode.save()
    assert episode.download_url() == f"{first_url}?v=2"
    assert b"".join(client.get(f"{first_url}?v=1").streaming_content) == tone
    assert b"".join(client.get(episode.download_url()).streaming_content) == b"ID3new bytes"
    # The bare URL, shared by hand, serves the current (tagged) file, not the first upload.
    assert b"".join(client.get(first_url).streaming_content) == b"ID3new bytes"


@pytest.mark.django_db
def test_a_version_that_is_gone_redirects_to_the_current_audio(client, tone):
    episode = published_episode(tone, slug="gone")
    response = client.get(f"{episode.download_url()}?v=7")
    assert response.status_code == 302
    assert response["Location"] == episode.download_url()
