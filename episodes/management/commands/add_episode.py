"""Create or update one episode from files, the way a script or a CI job publishes."""

import datetime as dt
import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from episodes.audio.reading import sniff_audio_type
from episodes.models import Episode, ProcessingStatus, Show
from episodes.services import attach_audio, record_episode_change
from episodes.uploads import ascii_slug
from transcripts.models import Transcript, TranscriptStatus
from transcripts.services import attach_transcript, check_transcript_source

DONE = {ProcessingStatus.READY, ProcessingStatus.FAILED, TranscriptStatus.REVIEW}


class Command(BaseCommand):
    help = "Create or update (by show and number) an episode from an audio file and optional notes and transcript."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--show", help="show slug (default: the site's default show)")
        parser.add_argument("--number", type=int, required=True)
        parser.add_argument("--title", required=True)
        parser.add_argument("--audio", type=Path, required=True, help="MP3 or M4A file")
        parser.add_argument("--transcript", type=Path, help="text, VTT, SRT or JSON transcript")
        parser.add_argument("--notes", type=Path, help="show notes in Markdown")
        parser.add_argument("--recorded", help="recording date, YYYY-MM-DD")
        when = parser.add_mutually_exclusive_group()
        when.add_argument("--publish", action="store_true", help="publish now")
        when.add_argument(
            "--publish-at", help="publish at an ISO time, e.g. 2026-12-01T09:00:00+00:00"
        )
        parser.add_argument(
            "--premium",
            action="store_true",
            help="for subscribers only: in their personal feeds, nowhere public",
        )
        parser.add_argument("--wait", action="store_true", help="wait for the worker to finish")
        parser.add_argument("--timeout", type=float, default=600.0, help="seconds --wait waits")

    def handle(self, *args, **options) -> None:
        show = find_show(options["show"])
        fields = episode_fields(options)
        audio, transcript = read_inputs(options)
        with transaction.atomic():
            episode, created = Episode.objects.update_or_create(
                show=show, number=options["number"], defaults=fields
            )
            attach_audio(episode=episode, upload=audio)
            record_episode_change(episode=episode)
            if transcript is not None:
                attach_transcript(episode=episode, upload=transcript)
        self.stdout.write(
            f"{'Created' if created else 'Updated'} episode #{episode.number} {episode.title!r} "
            f"of {show.title!r}: {describe_publishing(episode)}."
        )
        self.stdout.write(f"Audio {options['audio'].name} queued for metadata extraction.")
        if transcript is not None:
            self.stdout.write(f"Transcript {options['transcript'].name} queued for building.")
        if options["wait"]:
            self.wait_for_worker(episode, options["timeout"])

    def wait_for_worker(self, episode: Episode, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            episode.refresh_from_db()
            transcripts = list(Transcript.objects.filter(episode=episode))
            if episode.audio_status in DONE and all(t.status in DONE for t in transcripts):
                return self.report_results(episode, transcripts)
            time.sleep(0.2)
        raise CommandError(
            f"no result within {timeout:.0f} s (audio: {episode.audio_status or 'none'}): "
            "is a Celery worker running?"
        )

    def report_results(self, episode: Episode, transcripts: list[Transcript]) -> None:
        failures = []
        if episode.audio_status == ProcessingStatus.FAILED:
            failures.append(f"audio failed: {episode.audio_error}")
        else:
            self.stdout.write(
                f"Audio ready: {episode.audio_duration:.1f} s, {episode.audio_size} bytes, "
                f"{episode.audio_mime_type}, served at {episode.download_url()}"
            )
            if episode.audio_notes:
                self.stdout.write(f"Audio notes: {episode.audio_notes}")
        for transcript in transcripts:
            if transcript.status == ProcessingStatus.FAILED:
                failures.append(f"transcript failed: {transcript.error}")
            elif transcript.needs_review():
                problems = [p["message"] for p in transcript.report.get("review", [])]
                self.stdout.write(
                    "Transcript needs review: listeners get it once an editor accepts it in the "
                    f"admin or a fixed file is uploaded. {transcript.report.get('summary', '')}\n  "
                    + "\n  ".join(problems[:10])
                )
            else:
                self.stdout.write(f"Transcript ready: {transcript.report.get('summary', '')}")
        if failures:
            raise CommandError("; ".join(failures))


def find_show(slug: str | None) -> Show:
    show = Show.objects.filter(slug=slug).first() if slug else Show.objects.default()
    if show is None:
        known = ", ".join(Show.objects.values_list("slug", flat=True)) or "none yet"
        raise CommandError(
            f"no show {slug!r} (known shows: {known})" if slug else "no show exists yet"
        )
    return show


def episode_fields(options: dict) -> dict:
    if options["number"] < 1:
        raise CommandError(f"--number {options['number']}: expected a whole number from 1")
    title = options["title"].strip()
    if not title:
        raise CommandError("--title: must not be empty")
    fields = {"title": title, "slug": ascii_slug(title, fallback=f"episode-{options['number']}")}
    if options["recorded"]:
        fields["recorded_on"] = parse_date_option(options["recorded"])
    if options["publish"]:
        fields["publish_at"] = timezone.now()
    elif options["publish_at"]:
        fields["publish_at"] = parse_time_option(options["publish_at"])
    if options["notes"]:
        fields["show_notes"] = read_text(options["notes"], "--notes")
    if options["premium"]:
        fields["premium"] = True
    return fields


def parse_date_option(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--recorded {value!r}: expected a date as YYYY-MM-DD") from None


def parse_time_option(value: str) -> dt.datetime:
    try:
        moment = parse_datetime(value)
    except ValueError:
        moment = None
    if moment is None:
        raise CommandError(
            f"--publish-at {value!r}: expected an ISO time such as 2026-12-01T09:00:00+00:00"
        )
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def read_text(path: Path, option: str) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CommandError(f"{option} {path}: no such file") from None
    except UnicodeDecodeError as error:
        raise CommandError(f"{option} {path}: not UTF-8 text (byte {error.start})") from None


def read_inputs(options: dict) -> tuple[File, File | None]:
    audio = open_input(options["audio"], "--audio")
    kind = sniff_audio_type(audio.read(4096))
    audio.seek(0)
    if kind is None:
        raise CommandError(
            f"--audio {options['audio']}: not an MP3 or M4A file (checked by content)"
        )
    transcript = options["transcript"] and open_input(options["transcript"], "--transcript")
    if transcript:
        try:
            check_transcript_source(upload=transcript)  # before anything is created
        except ValidationError as error:
            raise CommandError(
                f"--transcript {options['transcript']}: {error.messages[0]}"
            ) from None
    return audio, transcript or None


def open_input(path: Path, option: str) -> File:
    if not path.is_file():
        raise CommandError(f"{option} {path}: no such file")
    if path.stat().st_size == 0:
        raise CommandError(f"{option} {path}: the file is empty")
    return File(path.open("rb"), name=path.name)


def describe_publishing(episode: Episode) -> str:
    if episode.publish_at is None:
        return "draft"
    if episode.is_scheduled():
        return f"scheduled for {episode.publish_at.isoformat()}"
    if episode.premium:
        return (
            f"published at {episode.publish_at.isoformat()} for subscribers only "
            "(in their personal feeds once the audio is ready)"
        )
    return f"published at {episode.publish_at.isoformat()} (public once the audio is ready)"
