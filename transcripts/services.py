"""Transcript workflows: storing an upload, building segments and the page in the worker."""

from collections.abc import Iterable
from datetime import timedelta

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from episodes.feeds import invalidate_feed
from episodes.models import Episode, ProcessingStatus
from episodes.search import index_transcript
from episodes.services import enqueue, requeue_stuck

from .models import Segment, Transcript
from .parsing import Parsed, TranscriptError, format_timestamp, parse


def attach_transcript(
    *, episode: Episode, upload: File | None = None, text: str = "", language: str = "en"
) -> Transcript:
    """Keep an uploaded or pasted transcript and queue its build after commit."""
    from .tasks import build_transcript

    transcript = store_transcript_source(
        episode=episode, upload=upload, text=text, language=language
    )
    enqueue(build_transcript, transcript.pk)
    return transcript


def store_transcript_source(
    *, episode: Episode, upload: File | None = None, text: str = "", language: str = "en"
) -> Transcript:
    """Keep the source file (pasted text becomes one) so a failed build loses nothing."""
    if upload is None:
        upload = ContentFile(text.encode("utf-8"), name="pasted.txt")
    transcript, _ = Transcript.objects.get_or_create(episode=episode, language=language)
    transcript.source_file.save(upload.name or "transcript.txt", upload, save=False)
    transcript.status, transcript.error = ProcessingStatus.PENDING, ""
    transcript.save(update_fields=["source_file", "status", "error", "updated_at"])
    return transcript


def queue_transcript_build(*, transcript: Transcript) -> None:
    from .tasks import build_transcript

    if transcript.source_file:
        transcript.mark_pending()
        enqueue(build_transcript, transcript.pk)


def requeue_stuck_transcripts(*, older_than: timedelta) -> int:
    """Send the build again for transcripts pending or processing for too long; returns how many.

    Claim, then act once, as episodes.services.requeue_stuck_audio.
    """
    from .tasks import build_transcript

    stuck = Transcript.objects.exclude(source_file="")
    return requeue_stuck(stuck, "status", build_transcript, older_than=older_than)


def process_transcript(*, transcript_id: int) -> None:
    """Parse the kept source file, replace the segments at once and pre-render the page."""
    transcript = Transcript.objects.select_related("episode__show").filter(pk=transcript_id).first()
    if transcript is None or not transcript.source_file:
        return
    Transcript.objects.filter(pk=transcript.pk).update(status=ProcessingStatus.PROCESSING)
    try:
        with transcript.source_file.open("rb") as source:
            parsed = parse(source.read(), filename=transcript.source_file.name)
    except TranscriptError as error:
        transcript.report = {"problems": [vars(p) for p in error.problems]}
        transcript.save(update_fields=["report"])
        transcript.mark_failed(str(error))
        return
    store_segments(transcript=transcript, parsed=parsed)


def store_segments(*, transcript: Transcript, parsed: Parsed) -> None:
    with transaction.atomic():
        transcript.segments.all().delete()
        Segment.objects.bulk_create(
            Segment(
                transcript=transcript,
                position=i,
                start=s.start,
                end=s.end,
                speaker=s.speaker,
                text=s.text,
            )
            for i, s in enumerate(parsed.segments)
        )
        transcript.source_format = parsed.report.format
        transcript.report = parsed.report.as_dict() | {"summary": parsed.report.summary()}
        transcript.rendered_html = render_segments(transcript.episode, parsed.segments)
        transcript.status, transcript.error = ProcessingStatus.READY, ""
        transcript.built_at = timezone.now()
        transcript.save()
        index_transcript(transcript)
    invalidate_feed(transcript.episode.show)


def render_segments(episode: Episode, segments: Iterable) -> str:
    """The transcript page's body, rendered once per build rather than per request.

    `segments` are parsed or stored segments: anything with start, speaker and text.
    """
    rows = [
        {
            "seconds": int(s.start),
            "stamp": format_timestamp(s.start),
            "speaker": s.speaker,
            "text": s.text,
        }
        for s in segments
    ]
    return render_to_string(
        "transcripts/_segments.html", {"rows": rows, "episode_url": episode.get_absolute_url()}
    )


def rename_speaker(*, transcript: Transcript, old: str, new: str) -> int:
    """Rename one speaker across a transcript and re-render its page; returns segments changed."""
    with transaction.atomic():
        changed = transcript.segments.filter(speaker=old).update(speaker=new)
        transcript.rendered_html = render_segments(transcript.episode, transcript.segments.all())
        transcript.save(update_fields=["rendered_html", "updated_at"])
    return changed
