"""Demo content for `make run`: a show, people, a sponsor, a trailer and three episodes with real audio.

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

from .artcopies import refresh_episode_page_art, refresh_show_page_art
from .audio.tagging import tag_served_audio
from .audio.tones import tone_mp3
from .demo_namespace import SHOW_TAGS, TRAILER, episode_fields, load_episode_tags, load_show_tags
from .demoart import cover_jpeg
from .models import (
    Chapter,
    Episode,
    EpisodePerson,
    EpisodeSponsor,
    LiveItem,
    Person,
    Show,
    ShowHost,
    ShowNoteLink,
    Sponsor,
)
from .opus import make_opus_rendition
from .services import process_audio, record_episode_change, store_audio_upload

SHOW = {
    "title": "Byte-Sized Demo",
    "is_default": True,
    "description": "A short demo podcast about small, useful tools: three short episodes that "
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
        "seconds": 75.0,
        "soundbite": (20.0, 25.0, "Unix pipes in one breath"),
        "frequency": 440,
        "links": [
            ("The Unix philosophy, summarised", "https://example.org/unix", "ada-demo"),
            ("A tiny HTTP server in one file", "https://example.org/tiny-http", "grace-example"),
        ],
        "chapters": [(0.0, "Welcome"), (20.0, "Unix pipes"), (45.5, "One-file servers")],
        "guests": [],
        "transcript": [
            (0, "Ada Demo", "Hello and welcome to Byte-Sized Demo, episode one."),
            (5, "Ada Demo", "I'm Ada, and with me as always is Grace."),
            (10, "Grace Example", "Hi everyone. Today we talk about small tools and why they win."),
            (
                15,
                "Grace Example",
                "Small tools are easy to read, easy to test and easy to replace.",
            ),
            (20, "Ada Demo", "Let's start with pipes. Every program reads text and writes text."),
            (27, "Ada Demo", "So you can join programs that never heard of each other."),
            (34, "Grace Example", "And when one part breaks, you swap out that one part."),
            (40, "Ada Demo", "Exactly. Which brings us to servers that fit in one file."),
            (46, "Grace Example", "My pick this week is a tiny HTTP server written in one file."),
            (53, "Grace Example", "It serves a folder, handles ranges and needs no configuration."),
            (61, "Ada Demo", "Perfect for a quick demo. That's the show, thanks for listening."),
            (68, "Grace Example", "See you next week."),
        ],
    },
    {
        "number": 2,
        "title": "Testing with real parts",
        "slug": "testing-with-real-parts",
        "summary": "A guest explains why her library's tests run against a real database.",
        "seconds": 70.0,
        "soundbite": (10.0, 30.0, "Why real parts beat mocks"),
        "frequency": 523,
        "links": [("Test with the real thing", "https://example.org/real-parts", "lin-guest")],
        "chapters": [(0.0, "Hello"), (15.0, "Real databases in tests"), (50.0, "Wrapping up")],
        "guests": ["lin-guest"],
        "transcript": [
            (0, "Grace Example", "Welcome back to Byte-Sized Demo. Lin joins us today."),
            (6, "Lin Guest", "Thanks for having me!"),
            (10, "Ada Demo", "Lin, your library's tests never use mocks. Why?"),
            (15, "Lin Guest", "Mocks lie, real databases don't."),
            (20, "Lin Guest", "A mock agrees with whatever you believed when you wrote it."),
            (27, "Lin Guest", "A real database tells you what actually happens."),
            (34, "Grace Example", "Isn't that slow?"),
            (38, "Lin Guest", "Less than you think: the whole suite runs in under a minute."),
            (50, "Ada Demo", "Lin, thank you. Where can people find you?"),
            (56, "Lin Guest", "On the library's page, linked in the show notes."),
            (63, "Grace Example", "Thanks for listening, everyone."),
        ],
    },
    {
        "number": 3,
        "title": "Feeds that every app can read",
        "slug": "feeds-that-every-app-can-read",
        "summary": "What podcast apps really read in an RSS feed, and what they ignore.",
        "seconds": 65.0,
        "soundbite": (5.0, 20.0, "What every app reads"),
        "frequency": 659,
        "links": [("The podcast namespace", "https://podcastindex.org/namespace/1.0", "ada-demo")],
        "chapters": [(0.0, "Intro"), (12.0, "What apps read"), (40.0, "The podcast namespace")],
        "guests": [],
        "transcript": [
            (0, "Ada Demo", "This is Byte-Sized Demo, episode three: feeds."),
            (6, "Grace Example", "Every podcast app starts from one RSS file."),
            (12, "Ada Demo", "Apps read the title, the enclosure, the GUID and the artwork."),
            (19, "Ada Demo", "Many ignore almost everything else."),
            (
                25,
                "Grace Example",
                "But a GUID must never change, or every listener gets duplicates.",
            ),
            (33, "Grace Example", "And the artwork must be square and at least 1400 pixels."),
            (40, "Ada Demo", "Then there's the podcast namespace: transcripts, chapters, people."),
            (48, "Grace Example", "Apps that understand it show much richer episodes."),
            (56, "Ada Demo", "That's all for today. Bye!"),
        ],
    },
]

SOUNDBITE_FIELDS = ("soundbite_start", "soundbite_duration", "soundbite_title")
# Episode 1 has artwork of its own; the others show the show's cover.
EPISODE_ART_HUES = {1: (146, 64, 14)}


def notes_markdown(episode: dict) -> str:
    if not episode["links"]:
        return episode["summary"]
    items = "\n".join(f"- [{title}]({url})" for title, url, _ in episode["links"])
    return f"**Links from the show**\n\n{items}\n"


def transcript_text(lines: list[tuple[int, str, str]]) -> str:
    return "\n\n".join(
        f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d} {speaker}: {text}"
        for seconds, speaker, text in lines
    )


@transaction.atomic
def load_demo() -> Show:
    """Create or refresh the demo show; returns it."""
    show, _ = Show.objects.update_or_create(slug="demo", defaults=SHOW | SHOW_TAGS)
    load_show_tags(show)
    if not show.artwork:
        show.artwork.save("cover.jpg", ContentFile(cover_jpeg(SHOW["title"])), save=True)
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
    refresh_show_page_art(show_id=show.pk)
    # The trailer first: it came out before the episodes.
    for index, data in enumerate([TRAILER, *EPISODES]):
        load_episode(show, data, people, sponsor, age_days=len(EPISODES) - index + 1)
    load_live_item(show)
    return show


def load_live_item(show: Show) -> None:
    """The next episode, announced as a live recording on YouTube (podcast:liveItem)."""
    start = timezone.now().replace(hour=17, minute=0, second=0, microsecond=0)
    start += dt.timedelta(days=7)
    LiveItem.objects.update_or_create(
        show=show,
        title="Episode 4, recorded live",
        defaults={
            "status": LiveItem.Status.PENDING,
            "start": start,
            "end": start + dt.timedelta(hours=1),
            "content_url": "https://www.youtube.com/@example/live",
            "content_text": "Watch live on YouTube",
        },
    )


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
            "recorded_on": (published - dt.timedelta(days=age_days + 2)).date(),
            "publish_at": published - dt.timedelta(days=age_days),
            # podcast:soundbite: (start, duration, title), inside the demo's audio.
            **dict(zip(SOUNDBITE_FIELDS, data.get("soundbite", (None, None, "")), strict=True)),
            **episode_fields(data),
        },
    )
    load_episode_rows(episode, data, people, sponsor)
    load_episode_tags(episode)
    if not episode.artwork and (hue := EPISODE_ART_HUES.get(episode.number)):
        art = cover_jpeg(f"Episode {episode.number}", hue=hue)
        episode.artwork.save("cover.jpg", ContentFile(art), save=True)
    record_episode_change(episode=episode)
    if not episode.audio_upload:
        mp3 = tone_mp3(data["seconds"], frequency=data["frequency"])
        store_audio_upload(episode=episode, upload=ContentFile(mp3, name="demo.mp3"))
        process_audio(episode_id=episode.pk)
    # What the worker does after a publish, done here so the demo MP3s carry their cover.
    tag_served_audio(episode_id=episode.pk)
    refresh_episode_page_art(episode_id=episode.pk)
    make_opus_rendition(episode_id=episode.pk)
    if data["transcript"] and not Transcript.objects.filter(episode=episode).exists():
        text = transcript_text(data["transcript"])
        transcript = store_transcript_source(episode=episode, text=text)
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
