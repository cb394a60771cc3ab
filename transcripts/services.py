"""Transcript workflows: storing an upload, building segments and the page in the worker."""

import codecs
import dataclasses
from collections.abc import Iterable, Mapping
from types import ModuleType

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from episodes.feeds.cache import invalidate_feed
from episodes.models import Episode, ProcessingStatus
from episodes.search import index_transcript, remove_transcript
from podcast.queue import enqueue

from . import files
from .models import Segment, Transcript
from .parsing import Parsed, TranscriptError, describe, format_timestamp, parse
from .parsing import Segment as ParsedSegment
from .review import hold_for_review, review_problems
from .speakers import renamed

# A transcript of several hours is a few hundred kilobytes; this leaves room for word-level
# JSON while refusing the audio file or archive picked by mistake.
MAX_TRANSCRIPT_BYTES = 20 * 1024 * 1024


def celery_tasks() -> ModuleType:
    """This app's Celery tasks, imported late because tasks.py imports this module.

    The one import inside a function in this app: the services <-> tasks cycle.
    """
    from . import tasks

    return tasks


def attach_transcript(
    *,
    episode: Episode,
    upload: File | None = None,
    text: str = "",
    language: str = "en",
    then=None,
) -> Transcript:
    """Keep an uploaded or pasted transcript and queue its build after commit.

    `then(sent)` learns whether the work reached the broker or waits for it (enqueue).
    """
    transcript = store_transcript_source(
        episode=episode, upload=upload, text=text, language=language
    )
    enqueue(celery_tasks().build_transcript, transcript.pk, then=then)
    return transcript


def store_transcript_source(
    *, episode: Episode, upload: File | None = None, text: str = "", language: str = "en"
) -> Transcript:
    """Keep the source file (pasted text becomes one) so a failed build loses nothing.

    Raises ValidationError, creating nothing, for a file too big or not text.
    """
    data = check_transcript_source(upload=upload, text=text)
    transcript, _ = Transcript.objects.get_or_create(episode=episode, language=language)
    name = upload.name if upload is not None and upload.name else "pasted.txt"
    transcript.source_file.save(name, ContentFile(data), save=False)
    transcript.status, transcript.error = ProcessingStatus.PENDING, ""
    transcript.save(update_fields=["source_file", "status", "error", "updated_at"])
    return transcript


def check_transcript_source(*, upload: File | None = None, text: str = "") -> bytes:
    """The bytes to keep for an upload or pasted text; ValidationError if they are no transcript."""
    if upload is None:
        data = text.encode("utf-8")
    else:
        if upload.size is not None and upload.size > MAX_TRANSCRIPT_BYTES:
            raise ValidationError(_too_big(upload.size), code="too_big")
        upload.seek(0)
        data = upload.read(MAX_TRANSCRIPT_BYTES + 1)
    if len(data) > MAX_TRANSCRIPT_BYTES:
        raise ValidationError(_too_big(len(data)), code="too_big")
    if problem := text_problem(data):
        raise ValidationError(problem, code="not_text")
    return data


def _too_big(size: int) -> str:
    return (
        f"This transcript is {size / 1024 / 1024:.1f} MB; transcripts can be at most "
        f"{MAX_TRANSCRIPT_BYTES // 1024 // 1024} MB."
    )


def text_problem(data: bytes) -> str:
    """Why these bytes are not a text file we read, or "" (UTF-8, with or without BOM)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return ""  # UTF-16 says so in its first bytes; the parser reads it
    try:
        decoded = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return (
            f"This file is not UTF-8 text (byte {error.start} cannot be read): save the "
            "transcript as UTF-8 text, WebVTT, SRT, JSON or HTML."
        )
    if "\x00" in decoded:
        return "This file holds NUL bytes, so it is not a text file: is it the audio?"
    return ""


def queue_transcript_build(*, transcript: Transcript) -> None:
    if transcript.source_file:
        transcript.mark_pending()
        enqueue(celery_tasks().build_transcript, transcript.pk)


def process_transcript(*, transcript_id: int) -> None:
    """Parse the kept source file, replace the segments at once and pre-render the page.

    A failure leaves the last good build's segments and page served, and says why.
    """
    transcript = Transcript.objects.select_related("episode__show").filter(pk=transcript_id).first()
    if transcript is None or not transcript.source_file:
        return
    Transcript.objects.filter(pk=transcript.pk).update(status=ProcessingStatus.PROCESSING)
    try:
        with transcript.source_file.open("rb") as source:
            parsed = parse(source.read(), filename=transcript.source_file.name)
    except TranscriptError as error:
        fail_build(transcript=transcript, error=error)
        return
    if problems := review_problems(parsed, transcript.episode.audio_duration):
        hold_for_review(transcript=transcript, parsed=parsed, problems=problems)
        return
    store_segments(transcript=transcript, parsed=parsed)


def fail_build(*, transcript: Transcript, error: TranscriptError) -> None:
    """Keep what the failed build read (format, counts, problems) for editors."""
    report = error.report.as_dict() if error.report is not None else {}
    summary = describe(report) if report else str(error).partition("\n")[0]
    transcript.report = report | {
        "summary": summary,
        "problems": [dataclasses.asdict(problem) for problem in error.problems],
    }
    transcript.save(update_fields=["report"])
    transcript.mark_failed(str(error))


def fail_transcript(*, transcript_id: int, reason: str) -> None:
    """Say on the transcript why its build gave up; the last good build stays served."""
    transcript = Transcript.objects.filter(pk=transcript_id).first()
    if transcript is not None:
        transcript.mark_failed(reason)


def store_segments(*, transcript: Transcript, parsed: Parsed, accepted_by=None) -> None:
    """Replace the segments, report, page and search rows in one transaction.

    `accepted_by` is the editor who accepted a build held for review (transcripts.review).
    """
    renames = transcript.speaker_renames or {}
    segments = [_shown_as(segment, renames) for segment in parsed.segments]
    speakers = tuple(dict.fromkeys(s.speaker for s in segments if s.speaker))
    report = dataclasses.replace(parsed.report, speakers=speakers)
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
            for i, s in enumerate(segments)
        )
        transcript.source_format = report.format
        transcript.report = report.as_dict() | {"summary": report.summary()}
        transcript.rendered_html = render_segments(transcript.episode, segments)
        # A build queued again while this one ran (new audio measured, transcripts.review
        # needs the new duration) keeps the row pending: this build is served meanwhile,
        # and `add_episode --wait` waits for the newer one instead of reporting this one.
        current = Transcript.objects.select_for_update().filter(pk=transcript.pk)
        requeued = current.filter(status=ProcessingStatus.PENDING).exists()
        transcript.status = ProcessingStatus.PENDING if requeued else ProcessingStatus.READY
        transcript.error = ""
        transcript.built_at = transcript.good_build_at = timezone.now()
        transcript.accepted_by = accepted_by
        transcript.accepted_at = transcript.built_at if accepted_by else None
        transcript.save()
        index_transcript(transcript)
        invalidate_feed(transcript.episode.show)
    # The .vtt .srt .json .txt .html of this build, written once here, not per request.
    files.write_all(transcript)


def accept_build(*, transcript: Transcript, user: AbstractBaseUser) -> None:
    """Serve the held build as it is, recording who accepted it and when.

    Raises ValidationError when there is nothing to accept (a new file came meanwhile).
    """
    if not transcript.needs_review():
        raise ValidationError("This transcript has no build waiting for review.")
    with transcript.source_file.open("rb") as source:
        try:
            parsed = parse(source.read(), filename=transcript.source_file.name)
        except TranscriptError as error:  # the file was read once; it cannot fail now
            raise ValidationError(str(error)) from None
    review = transcript.report.get("review", [])
    store_segments(transcript=transcript, parsed=parsed, accepted_by=user)
    transcript.report = transcript.report | {"review": review}
    transcript.save(update_fields=["report"])


def _shown_as(segment: ParsedSegment, renames: Mapping[str, str]) -> ParsedSegment:
    shown = renames.get(segment.speaker, segment.speaker)
    return dataclasses.replace(segment, speaker=shown) if shown != segment.speaker else segment


def render_segments(episode: Episode, segments: Iterable) -> str:
    """The transcript page's body, rendered once per build rather than per request.

    `segments` are parsed or stored segments: anything with start, speaker and text.
    Each time links to the episode page with ?t= for the server (no JavaScript needed)
    and #t= for the player script.
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
    context = {"turns": speaker_turns(rows), "episode_url": episode.get_absolute_url()}
    return render_to_string("transcripts/_segments.html", context)


def speaker_turns(rows: list[dict]) -> list[dict]:
    """Consecutive rows of one speaker grouped as a turn, so the name is shown once per turn."""
    turns: list[dict] = []
    for row in rows:
        if turns and row["speaker"] and turns[-1]["speaker"] == row["speaker"]:
            turns[-1]["rows"].append(row)
        else:
            turns.append({"speaker": row["speaker"], "rows": [row]})
    return turns


def rename_speaker(*, transcript: Transcript, old: str, new: str) -> int:
    """Rename one speaker across a transcript, for this build and every later one.

    Re-renders the page and the report's speakers; returns how many segments changed.
    """
    with transaction.atomic():
        changed = transcript.segments.filter(speaker=old).update(speaker=new)
        transcript.speaker_renames = renamed(transcript.speaker_renames or {}, old, new)
        segments = list(transcript.segments.all())
        speakers = list(dict.fromkeys(s.speaker for s in segments if s.speaker))
        if transcript.report.get("format"):
            transcript.report = transcript.report | {"speakers": speakers}
            transcript.report["summary"] = describe(transcript.report)
        transcript.rendered_html = render_segments(transcript.episode, segments)
        transcript.save(update_fields=["speaker_renames", "report", "rendered_html", "updated_at"])
        invalidate_feed(transcript.episode.show)  # and the cached pages with it
    return changed


def delete_transcripts(transcripts: Iterable[Transcript]) -> None:
    """Delete transcripts with their segments, search rows and place in the feeds."""
    with transaction.atomic():
        for transcript in transcripts:
            show = transcript.episode.show
            remove_transcript(transcript.pk)
            files.remove(transcript)
            transcript.delete()
            invalidate_feed(show)
