"""Builds an editor must look at before listeners get them, and accepting one.

A build with rejected lines, impossible or malformed times, times going backwards, or
segments starting after the end of the audio is held: its report is kept and shown on the
episode form with status "needs review", while listeners keep the last good build (or, for
a first build, no transcript). The editor accepts it (one click, recorded: who and when) or
uploads a fixed file, which is built afresh.
"""

import dataclasses

from django.utils import timezone

from .models import Transcript, TranscriptStatus
from .parsing import Parsed, Problem, format_timestamp

# Warnings that hold a build; every rejected line holds it too.
REVIEW_KINDS = frozenset({"backwards", "bad_time", "after_end"})
# A last word may run a moment past the audio's measured end.
END_TOLERANCE_SECONDS = 1.0


def review_problems(parsed: Parsed, duration: float | None) -> list[Problem]:
    """What an editor must see before this build is served, by line; [] for a clean build."""
    report = parsed.report
    held = [*report.rejected, *(w for w in report.warnings if w.kind in REVIEW_KINDS)]
    if duration:
        end = format_timestamp(duration)
        held += [
            Problem(
                s.line,
                f"line {s.line}: starts at {format_timestamp(s.start)}, after the end of "
                f"the audio ({end})",
                "",
                "after_end",
            )
            for s in parsed.segments
            if s.start > duration + END_TOLERANCE_SECONDS
        ]
    return sorted(held, key=lambda problem: problem.line)


def hold_for_review(*, transcript: Transcript, parsed: Parsed, problems: list[Problem]) -> None:
    """Keep the build's report for the editor; the segments and page served stay as they were."""
    report = parsed.report.as_dict()
    transcript.report = report | {
        "summary": parsed.report.summary(),
        "review": [dataclasses.asdict(problem) for problem in problems],
    }
    transcript.source_format = parsed.report.format
    transcript.status, transcript.error = TranscriptStatus.REVIEW, ""
    transcript.built_at = timezone.now()
    transcript.save(
        update_fields=["report", "source_format", "status", "error", "built_at", "updated_at"]
    )


def review_summary(transcript: Transcript) -> str:
    """One line on the held or accepted problems, for the form; "" when there were none."""
    review = transcript.report.get("review") or []
    if transcript.needs_review():
        return (
            f"Needs review: {len(review)} problem{'s' if len(review) != 1 else ''} below. "
            "Listeners keep the last good build until you accept this one or upload a fixed file."
        )
    if transcript.accepted_at and review:
        who = transcript.accepted_by.get_username() if transcript.accepted_by else "someone"
        zone = transcript.episode.show.zone()
        when = transcript.accepted_at.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")
        return f"Accepted with {len(review)} problem{'s' if len(review) != 1 else ''} by {who} on {when}."
    return ""
