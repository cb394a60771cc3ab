"""Downloads from S3-compatible object storage, against a real local S3 server (moto)."""

import urllib.request
from urllib.parse import urlsplit

import pytest
from asgiref.sync import async_to_sync
from django.test import AsyncClient
from lxml import etree

from tests.factories import published_episode
from tests.missing import missing
from tests.responses import body_of

BUCKET = "podcast-media"
REGION = "us-east-1"
CREDENTIALS = {"access_key": "testing", "secret_key": "testing"}


@pytest.fixture(scope="module")
def s3_endpoint():
    """A moto S3 server on a free local port, for this module."""
    try:
        from moto.server import ThreadedMotoServer

        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
    except Exception as error:  # missing extra, no free port, ...
        missing(f"cannot start a local S3 server (moto[server]): {error}")
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_storage(settings, s3_endpoint):
    """The default storage is S3Storage on a fresh bucket, as PODCAST_STORAGE=s3 configures it."""
    import boto3

    client = boto3.client(
        "s3", endpoint_url=s3_endpoint, region_name=REGION,
        aws_access_key_id="testing", aws_secret_access_key="testing",
    )  # fmt: skip
    client.create_bucket(Bucket=BUCKET)
    options = {
        "bucket_name": BUCKET, "endpoint_url": s3_endpoint, "region_name": REGION,
        "querystring_auth": True, "file_overwrite": False, **CREDENTIALS,
    }  # fmt: skip
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


@pytest.fixture
def episode(db, s3_storage, audio):
    return published_episode(audio, slug="in-the-bucket")


def test_the_audio_is_stored_in_the_bucket(s3_storage, episode, audio) -> None:
    from storages.backends.s3 import S3Storage

    assert isinstance(episode.audio.storage, S3Storage)
    stored = s3_storage.get_object(Bucket=BUCKET, Key=episode.audio.name)["Body"].read()
    assert stored == audio


def test_a_full_download_streams_from_the_bucket(client, episode, audio) -> None:
    response = client.get(episode.download_url())
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Length"] == str(len(audio))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["ETag"].startswith('"') and response["Last-Modified"].endswith("GMT")
    assert body_of(response) == audio


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [("bytes=0-1", 0, 1), ("bytes=-500", -500, None), ("bytes=100-", 100, None)],
)
def test_ranges_read_the_right_bytes_from_the_bucket(client, episode, audio, header, start, end):
    response = client.get(episode.download_url(), headers={"Range": header})
    expected = audio[start : None if end is None else end + 1]
    assert response.status_code == 206
    assert response["Content-Length"] == str(len(expected))
    first = start % len(audio)
    assert response["Content-Range"] == f"bytes {first}-{first + len(expected) - 1}/{len(audio)}"
    assert body_of(response) == expected


def test_under_asgi_a_range_streams_from_the_bucket_asynchronously(episode, audio) -> None:
    async def fetch():
        response = await AsyncClient().get(episode.download_url(), headers={"Range": "bytes=100-"})
        return response, b"".join([chunk async for chunk in response.streaming_content])

    response, body = async_to_sync(fetch)()
    assert response.status_code == 206 and response.is_async
    assert body == audio[100:]


def test_with_redirect_the_download_goes_to_a_signed_bucket_url_that_works(
    client, settings, s3_endpoint, episode, audio
) -> None:
    settings.PODCAST_AUDIO_REDIRECT = True
    response = client.get(episode.download_url())
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"{s3_endpoint}/{BUCKET}/{episode.audio.name}?")
    assert "Signature=" in location  # signed: the bucket itself stays private
    with urllib.request.urlopen(location, timeout=10) as fetched:
        assert fetched.read() == audio


def test_with_redirect_the_bucket_answers_apples_range_probe(
    client, settings, episode, audio
) -> None:
    settings.PODCAST_AUDIO_REDIRECT = True
    location = client.get(episode.download_url())["Location"]
    probe = urllib.request.Request(location, headers={"Range": "bytes=0-1"})
    with urllib.request.urlopen(probe, timeout=10) as fetched:
        assert fetched.status == 206
        assert fetched.headers["Content-Range"] == f"bytes 0-1/{len(audio)}"
        assert fetched.read() == audio[:2]


def test_with_redirect_the_feed_still_points_at_our_own_download_url(
    client, settings, episode
) -> None:
    settings.PODCAST_AUDIO_REDIRECT = True
    root = etree.fromstring(client.get("/episodes/rss").content)
    (enclosure,) = root.xpath("//item/enclosure/@url")
    # Ours, so the episode is checked on every download and the URL never expires.
    assert enclosure == f"{settings.PODCAST_SITE_URL}{episode.download_url()}"
    assert urlsplit(enclosure).path.startswith("/episodes/download/")
    assert "Signature=" not in enclosure


def test_with_redirect_an_unpublished_episode_is_still_not_found(
    client, db, settings, s3_storage, tone
) -> None:
    from django.utils import timezone

    settings.PODCAST_AUDIO_REDIRECT = True
    later = published_episode(tone, publish_at=timezone.now() + timezone.timedelta(days=1))
    assert client.get(later.download_url()).status_code == 404


def test_feed_artwork_in_a_private_bucket_is_our_url_that_redirects_to_a_fresh_signed_one(
    client, settings, episode
) -> None:
    from django.core.files.base import ContentFile

    from episodes.demoart import cover_jpeg

    settings.PODCAST_STORAGE = "s3"
    cover = cover_jpeg("S3")
    episode.show.artwork.save("cover.jpg", ContentFile(cover), save=True)
    root = etree.fromstring(client.get(episode.show.get_absolute_url() + "episodes/rss").content)
    (href,) = root.xpath("/rss/channel/itunes:image/@href", namespaces=root.nsmap)
    # A signed link in a feed would expire while apps still hold it: the feed names ours.
    assert href == f"{settings.PODCAST_SITE_URL}/media/{episode.show.artwork.name}"
    response = client.get(urlsplit(href).path)
    assert response.status_code == 302 and "Signature=" in response["Location"]
    with urllib.request.urlopen(response["Location"], timeout=10) as fetched:
        assert fetched.read() == cover
