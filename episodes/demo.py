"""Demo content for `make run`: a show, people, a sponsor and three episodes with real audio.

The loader runs the worker's services inline, so the site is complete the
moment `make run` starts it. Loading is idempotent: rows are found by their natural keys and updated, and
audio or transcripts are attached only where an episode has none yet.
"""

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from transcripts.models import Transcript
from transcripts.services import process_transcript, store_transcript_source

from .markup import render_markdown
from .models import (
    Chapter,
    Episode,
    EpisodePerson,
    EpisodeSponsor,
    Person,
    Show,
    ShowHost,
    ShowNoteLink,
    Sponsor,
)
from .services import process_audio, record_episode_change, store_audio_upload
from .tones import tone_mp3

SHOW = {
    "title": "Byte-Sized Demo",
    "is_default": True,
    "description": "A short demo podcast about small, useful tools: three tiny episodes that "
    "show how this site presents episodes, show notes, chapters and transcripts.",
    "language": "en",
    "author": "Ada Demo and Grace Example",
    "owner_name": "Ada Demo",
    "owner_email": "ada@example.org",
    "website": "https://example.org/",
    "categories": ["Technology", "Education > How To"],
    "copyright": "© 2026 The demo hosts",
    "promo_banner": "Brought to you by Example Hosting: your next server, half the hassle.",
    "transcript_source_url_template": "https://example.org/transcripts/{number:03}-{slug}.txt",
}

PEOPLE = {
    "ada-demo": ("Ada Demo", "Writes small tools and talks about them."),
    "grace-example": ("Grace Example", "Tests everything twice."),
    "lin-guest": ("Lin Guest", "Maintains a tiny but popular library."),
}

EPISODES = [
    {
        "number": 1,
        "title": "Why small tools win",
        "slug": "why-small-tools-win",
        "summary": "We open the show with three small tools and why we keep reaching for them.",
        "seconds": 6.0,
        "frequency": 440.0,
        "links": [
            ("The Unix philosophy, summarised", "https://example.org/unix", "ada-demo"),
            ("A tiny HTTP server in one file", "https://example.org/tiny-http", "grace-example"),
        ],
        "chapters": [(0.0, "Welcome"), (2.0, "Unix pipes"), (4.0, "One-file servers")],
        "guests": [],
        "transcript": (
            "00:00:00 Ada Demo: Hello and welcome to Byte-Sized Demo, episode one.\n\n"
            "00:00:02 Grace Example: Today we talk about small tools and why they win.\n\n"
            "00:00:04 Ada Demo: Let's start with pipes.\n"
        ),
    },
    {
        "number": 2,
        "title": "Testing with real parts",
        "slug": "testing-with-real-parts",
        "summary": "A guest explains why her library's tests run against a real database.",
        "seconds": 5.0,
        "frequency": 523.25,
        "links": [("Test with the real thing", "https://example.org/real-parts", "lin-guest")],
        "chapters": [(0.0, "Hello"), (2.5, "Real databases in tests")],
        "guests": ["lin-guest"],
        "transcript": (
            "00:00:00 Grace Example: Welcome back. Lin joins us today.\n\n"
            "00:00:03 Lin Guest: Thanks! Mocks lie, real databases don't.\n"
        ),
    },
    {
        "number": 3,
        "title": "Feeds that every app can read",
        "slug": "feeds-that-every-app-can-read",
        "summary": "What podcast apps really read in an RSS feed, and what they ignore.",
        "seconds": 4.0,
        "frequency": 659.25,
        "links": [("The podcast namespace", "https://podcastindex.org/namespace/1.0", "ada-demo")],
        "chapters": [],
        "guests": [],
        "transcript": "",
    },
]


def notes_markdown(episode: dict) -> str:
    items = "\n".join(f"- [{title}]({url})" for title, url, _ in episode["links"])
    return f"{episode['summary']}\n\n**In this episode**\n\n{items}\n"


@transaction.atomic
def load_demo() -> Show:
    """Create or refresh the demo show; returns it."""
    show, _ = Show.objects.update_or_create(slug="demo", defaults=SHOW)
    people = {slug: load_person(slug, *PEOPLE[slug]) for slug in PEOPLE}
    for position, slug in enumerate(["ada-demo", "grace-example"]):
        ShowHost.objects.update_or_create(
            show=show, person=people[slug], defaults={"role": "host", "position": position}
        )
    show.funding_links.update_or_create(
        url="https://example.org/support", defaults={"label": "Support the show"}
    )
    sponsor, _ = Sponsor.objects.update_or_create(
        slug="example-hosting",
        defaults={"name": "Example Hosting", "url": "https://example.org/hosting"},
    )
    for index, data in enumerate(EPISODES):
        load_episode(show, data, people, sponsor, age_days=len(EPISODES) - index)
    return show


def load_person(slug: str, name: str, bio: str) -> Person:
    person, _ = Person.objects.update_or_create(slug=slug, defaults={"name": name, "bio": bio})
    return person


def load_episode(show: Show, data: dict, people: dict, sponsor: Sponsor, age_days: int) -> None:
    published = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)
    episode, _ = Episode.objects.update_or_create(
        show=show,
        number=data["number"],
        defaults={
            "title": data["title"],
            "slug": data["slug"],
            "summary": data["summary"],
            "show_notes": notes_markdown(data),
            "show_notes_html": render_markdown(notes_markdown(data)),
            "recorded_on": (published - dt.timedelta(days=age_days + 2)).date(),
            "publish_at": published - dt.timedelta(days=age_days),
        },
    )
    load_episode_rows(episode, data, people, sponsor)
    record_episode_change(episode=episode)
    if not episode.audio_upload:
        mp3 = tone_mp3(data["seconds"], frequency=data["frequency"])
        store_audio_upload(episode=episode, upload=ContentFile(mp3, name="demo.mp3"))
        process_audio(episode_id=episode.pk)
    if data["transcript"] and not Transcript.objects.filter(episode=episode).exists():
        transcript = store_transcript_source(episode=episode, text=data["transcript"])
        process_transcript(transcript_id=transcript.pk)


def load_episode_rows(episode: Episode, data: dict, people: dict, sponsor: Sponsor) -> None:
    episode.links.all().delete()
    ShowNoteLink.objects.bulk_create(
        ShowNoteLink(episode=episode, position=i, title=t, url=u, picked_by=people[p])
        for i, (t, u, p) in enumerate(data["links"])
    )
    episode.chapters.all().delete()
    Chapter.objects.bulk_create(
        Chapter(episode=episode, start=start, title=title) for start, title in data["chapters"]
    )
    hosts = [("ada-demo", "host"), ("grace-example", "host")]
    credits = hosts + [(slug, "guest") for slug in data["guests"]]
    for position, (slug, role) in enumerate(credits):
        EpisodePerson.objects.update_or_create(
            episode=episode, person=people[slug], defaults={"role": role, "position": position}
        )
    EpisodeSponsor.objects.get_or_create(episode=episode, sponsor=sponsor)
