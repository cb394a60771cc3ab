"""Staff-only endpoints behind the episode change form: live processing status, notes preview."""

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from transcripts.review import review_summary

from .editorstate import clock, megabytes
from .markup import render_markdown
from .models import Episode, ProcessingStatus

BUSY = {ProcessingStatus.PENDING, ProcessingStatus.PROCESSING}
MAX_PREVIEW_CHARS = 200_000
MAX_PROBLEMS_SHOWN = 20


def processing_state(episode: Episode) -> dict:
    """The audio's and the transcripts' processing states, with what went wrong or was noticed."""
    transcripts = [transcript_state(t) for t in episode.transcripts.order_by("language")]
    # The notes' first line is what the file holds ("MPEG-1 Layer III, ...; tags: comment
    # "..."; cover art ..."): its first part is short, the tags behind a details toggle.
    # Later lines need attention (a truncated upload, chapters adopted).
    described, *attention = (episode.audio_notes or "").splitlines() or [""]
    kind, _, details = described.partition("; ")
    audio = {
        "status": episode.audio_status,
        "label": episode.get_audio_status_display(),
        "message": episode.audio_error or "\n".join(attention),
        "kind": kind,
        "details": details,
        "duration": clock(episode.audio_duration),
        "size": megabytes(episode.audio_size),
    }
    busy = audio["status"] in BUSY or any(t["status"] in BUSY for t in transcripts)
    return {"pending": busy, "audio": audio, "transcripts": transcripts}


def transcript_state(transcript) -> dict:
    """A transcript's state with its import report: what was read, and each problem by line."""
    report = transcript.report or {}
    problems = report.get("review") if transcript.needs_review() else None
    if problems is None:
        problems = report.get("problems")  # a failed build's
    if problems is None:
        listed = [*(report.get("rejected") or []), *(report.get("warnings") or [])]
        problems = sorted(listed, key=lambda problem: problem.get("line", 0))
    return {
        "language": transcript.language,
        "status": transcript.status,
        "label": transcript.get_status_display(),
        "message": transcript.error.partition("\n")[0]
        if transcript.error
        else transcript_note(report),
        "summary": report.get("summary", ""),
        "review": review_summary(transcript),
        "problems": [problem.get("message", "") for problem in problems[:MAX_PROBLEMS_SHOWN]],
        "more": max(len(problems) - MAX_PROBLEMS_SHOWN, 0),
        "accept_url": reverse("admin:transcripts_transcript_accept", args=[transcript.pk])
        if transcript.needs_review()
        else "",
        "serving": "yes" if transcript.is_servable() else "no",
    }


def transcript_note(report: dict) -> str:
    if not report.get("segments_made"):
        return ""
    rejected = len(report.get("rejected") or [])
    return f"{report.get('format', '')}: {report['segments_made']} segments" + (
        f", {rejected} lines rejected" if rejected else ""
    )


def render_processing_state(episode: Episode, state: dict) -> str:
    return render_to_string("episodes/admin/_status.html", {"episode": episode, **state})


@require_GET
@permission_required("episodes.view_episode", raise_exception=True)
def episode_status(request: HttpRequest, object_id: int) -> JsonResponse:
    episode = get_object_or_404(Episode, pk=object_id)
    state = processing_state(episode)
    # admin_view adds the never-cache headers.
    return JsonResponse({**state, "html": render_processing_state(episode, state)})


@require_POST
@permission_required("episodes.change_episode", raise_exception=True)
def notes_preview(request: HttpRequest) -> JsonResponse:
    """The show notes as the episode page will render them: sanitized HTML."""
    text = request.POST.get("text", "")[:MAX_PREVIEW_CHARS]
    return JsonResponse({"html": render_markdown(text)})
