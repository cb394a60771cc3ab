"""Listeners and podcast apps, as Locust users: `locust -f bench/locustfile.py --host URL`.

Listeners open the home page, an episode, its transcript, search, then play the
audio (a 0-1 probe, as browsers and apps do, then ranges); podcast apps poll the
feed with conditional requests. Both wait 5-15 s between actions, as people do.
bench/bench_load.py runs it in steps against a production-like server.
"""

import random
import re
from urllib.parse import urlsplit

from locust import HttpUser, between, task

FEED = "/episodes/rss"
WORDS = ["python", "django", "async", "testing", "packaging", "web", "data", "rust"]
CHUNK = 256 * 1024


class Site:
    """Episode paths read once from the feed, shared by every simulated user."""

    episodes: list[str] = []
    downloads: list[str] = []
    transcripts: list[str] = []

    @classmethod
    def load(cls, client) -> None:
        if cls.episodes:
            return
        xml = client.get(FEED, name=FEED).text
        cls.episodes = [
            urlsplit(u).path for u in re.findall(r"<link>([^<]+/show/[^<]+)</link>", xml)
        ]
        cls.downloads = [urlsplit(u).path for u in re.findall(r'<enclosure url="([^"]+)"', xml)]
        # The page of each transcript the feed lists (its files end in .vtt, .srt ...).
        transcripts = re.findall(r'<podcast:transcript url="([^"]+)\.[a-z]+"', xml)
        cls.transcripts = sorted({urlsplit(u).path for u in transcripts})
        if not cls.episodes or not cls.downloads:
            raise RuntimeError("the feed lists no episode: load the demo content first")


class Listener(HttpUser):
    weight = 3
    wait_time = between(5, 15)

    def on_start(self) -> None:
        Site.load(self.client)

    @task(3)
    def home(self) -> None:
        self.client.get("/", name="home")

    @task(4)
    def episode(self) -> None:
        self.client.get(random.choice(Site.episodes), name="episode")

    @task(2)
    def transcript(self) -> None:
        if Site.transcripts:
            self.client.get(random.choice(Site.transcripts), name="transcript")

    @task(1)
    def search(self) -> None:
        self.client.get("/search", params={"q": random.choice(WORDS)}, name="search")

    @task(2)
    def listen(self) -> None:
        path = random.choice(Site.downloads)
        probe = self.client.get(path, headers={"Range": "bytes=0-1"}, name="audio probe")
        total = int(probe.headers.get("Content-Range", "/0").rsplit("/", 1)[-1] or 0)
        for _ in range(2):
            start = random.randrange(0, max(1, total - CHUNK))
            headers = {"Range": f"bytes={start}-{start + CHUNK - 1}"}
            self.client.get(path, headers=headers, name="audio range")


class PodcastApp(HttpUser):
    weight = 1
    wait_time = between(5, 15)
    etag = ""
    modified = ""

    @task
    def poll_feed(self) -> None:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.modified:
            headers["If-Modified-Since"] = self.modified
        with self.client.get(FEED, headers=headers, name="feed poll", catch_response=True) as r:
            if r.status_code not in (200, 304):
                r.failure(f"feed answered {r.status_code}")
                return
            r.success()
            self.etag = r.headers.get("ETag", self.etag)
            self.modified = r.headers.get("Last-Modified", self.modified)
