"""factory_boy factories for the domain; audio files are real MP3s made by our demo encoder."""

import datetime as dt

import factory
from django.utils import timezone

from episodes import models
from transcripts.models import Segment, Transcript


class ShowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Show
        django_get_or_create = ["slug"]

    title = "Test Show"
    slug = factory.Sequence(lambda n: f"show-{n}")
    is_default = True
    description = "A show made for tests."
    author = "Test Author"
    owner_name = "Test Owner"
    owner_email = "owner@example.com"
    categories = factory.LazyFunction(lambda: ["Technology"])


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Person

    name = factory.Sequence(lambda n: f"Person {n}")
    slug = factory.Sequence(lambda n: f"person-{n}")


class SponsorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Sponsor

    name = factory.Sequence(lambda n: f"Sponsor {n}")
    slug = factory.Sequence(lambda n: f"sponsor-{n}")
    url = "https://sponsor.example.com/"


class EpisodeFactory(factory.django.DjangoModelFactory):
    """A draft episode without audio; see published_episode() for a public one."""

    class Meta:
        model = models.Episode

    show = factory.SubFactory(ShowFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Episode title {n}")
    slug = factory.Sequence(lambda n: f"episode-title-{n}")
    summary = "What this episode is about."
    show_notes = "Some **notes** with a [link](https://example.com/)."
    recorded_on = dt.date(2026, 1, 2)


class ChapterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Chapter

    episode = factory.SubFactory(EpisodeFactory)
    start = 0.0
    title = factory.Sequence(lambda n: f"Chapter {n}")


class ShowNoteLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ShowNoteLink

    episode = factory.SubFactory(EpisodeFactory)
    position = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Link {n}")
    url = "https://example.com/link"


class TranscriptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Transcript

    episode = factory.SubFactory(EpisodeFactory)
    language = "en"
    status = "ready"
    # A ready transcript has been built: it is what listeners are served.
    good_build_at = factory.LazyAttribute(lambda t: timezone.now() if t.status == "ready" else None)


class SegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Segment

    transcript = factory.SubFactory(TranscriptFactory)
    position = factory.Sequence(lambda n: n)
    start = factory.Sequence(lambda n: float(n * 5))
    text = factory.Sequence(lambda n: f"Segment text number {n}.")


def with_served_audio(episode: models.Episode, data: bytes, *, duration: float = 2.0) -> None:
    """Give an episode a served MP3 as if the worker had processed it."""
    from django.core.files.base import ContentFile

    episode.audio_version = 1
    episode.audio_mime_type = "audio/mpeg"
    episode.audio.save(episode.served_audio_name(), ContentFile(data), save=False)
    episode.audio_size = len(data)
    episode.audio_duration = duration
    episode.audio_status = models.ProcessingStatus.READY
    episode.save()


def published_episode(data: bytes, *, duration: float = 2.0, **kwargs) -> models.Episode:
    """`duration` is what the worker measured; transcripts starting after it are held."""
    kwargs.setdefault("publish_at", timezone.now() - dt.timedelta(days=1))
    episode = EpisodeFactory(**kwargs)
    with_served_audio(episode, data, duration=duration)
    return episode
