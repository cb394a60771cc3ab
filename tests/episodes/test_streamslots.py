"""A web process streams a bounded number of downloads at once; pages keep answering."""

import pytest

from episodes import streamslots
from tests.factories import published_episode


@pytest.fixture
def episode(db, tone, settings):
    settings.PODCAST_STREAM_SLOTS = 1
    streamslots._slots.clear()
    yield published_episode(tone * 40, slug="slots")
    streamslots._slots.clear()


def test_one_download_too_many_gets_503_with_retry_after_and_pages_still_answer(client, episode):
    first = client.get(episode.download_url())
    assert first.status_code == 200 and first.streaming  # held: not read yet
    second = client.get(episode.download_url())
    assert second.status_code == 503 and second["Retry-After"]
    assert b"try again" in second.content
    assert client.get(episode.get_absolute_url()).status_code == 200
    assert client.get("/episodes/rss").status_code == 200
    b"".join(first.streaming_content)  # read to the end: the test client closes it
    third = client.get(episode.download_url())
    assert third.status_code == 200
    b"".join(third.streaming_content)


def test_a_body_closed_before_its_end_gives_its_slot_back(episode):
    # What the server does when a listener hangs up mid-download: close() without the end.
    held = streamslots.hold(iter([b"first", b"second"]))
    assert streamslots.hold(iter([b"other"])) is None
    assert next(iter(held)) == b"first"
    held.close()
    held.close()  # twice: the slot is given back once
    again = streamslots.hold(iter([b"other"]))
    assert again is not None and streamslots.hold(iter([])) is None


def test_a_body_read_to_its_end_gives_its_slot_back_before_the_server_closes_it(episode):
    # granian sends the last chunk, then calls close(); the listener's next request on
    # the same connection can arrive in between and must not be refused.
    held = streamslots.hold(iter([b"first", b"second"]))
    chunks = iter(held)
    assert next(chunks) == b"first"
    assert streamslots.hold(iter([b"other"])) is None, "a download in progress holds it"
    assert next(chunks) == b"second"  # the last chunk, handed to the server to send
    again = streamslots.hold(iter([b"next episode"]))
    assert again is not None, "the finished download still held its slot"
    assert list(chunks) == []
    held.close()  # the server's close afterwards gives nothing back twice
    assert streamslots.hold(iter([])) is None


def test_zero_means_no_limit(client, episode, settings):
    settings.PODCAST_STREAM_SLOTS = 0
    held = [client.get(episode.download_url()) for _ in range(5)]
    assert [response.status_code for response in held] == [200] * 5
