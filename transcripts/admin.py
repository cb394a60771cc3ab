from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from . import services
from .models import Segment, Transcript

MAX_PROBLEMS_SHOWN = 20


class TranscriptAdminForm(forms.ModelForm):
    rename_from = forms.ChoiceField(required=False, label="Rename speaker")
    rename_to = forms.CharField(required=False, max_length=100, label="to")

    class Meta:
        model = Transcript
        fields = ["episode", "language", "source_file"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        speakers = []
        if self.instance.pk:
            speakers = self.instance.segments.exclude(speaker="").values_list("speaker", flat=True)
        names = sorted(set(speakers))
        self.fields["rename_from"].choices = [("", "---")] + [(n, n) for n in names]

    def clean_source_file(self) -> object:
        upload = self.cleaned_data.get("source_file")
        if isinstance(upload, UploadedFile):  # a new file, not the one already kept
            services.check_transcript_source(upload=upload)
        return upload

    def clean(self) -> dict:
        data = super().clean()
        if data.get("rename_from") and not data.get("rename_to", "").strip():
            self.add_error("rename_to", "Give the speaker's new name.")
        return data


@admin.register(Transcript)
class TranscriptAdmin(admin.ModelAdmin):
    form = TranscriptAdminForm
    list_display = ["episode", "language", "status", "source_format", "built"]
    list_filter = ["status", "language", "source_format"]
    search_fields = ["episode__title"]
    autocomplete_fields = ["episode"]
    readonly_fields = [
        "source_format", "status", "error", "serving", "import_report", "built",
    ]  # fmt: skip
    list_select_related = ["episode__show"]

    @admin.display(description="built", ordering="built_at")
    def built(self, transcript: Transcript) -> str:
        return show_time(transcript, transcript.built_at) if transcript.built_at else "-"

    @admin.display(description="listeners see")
    def serving(self, transcript: Transcript) -> str:
        if not transcript.is_servable():
            return "nothing yet: no build has succeeded"
        when = show_time(transcript, transcript.good_build_at)
        if transcript.is_ready():
            return f"this build, made {when}"
        if transcript.needs_review():
            return f"the last good build, made {when}, until this one is accepted"
        return f"the last good build, made {when}, until this one is ready"

    @admin.display(description="import report")
    def import_report(self, transcript: Transcript) -> str:
        report = transcript.report or {}
        if not report:
            return "-"
        problems = report.get("review") if transcript.needs_review() else report.get("problems")
        if problems is None:  # a good build: what it rejected or warned about
            rejected, warnings = report.get("rejected", []), report.get("warnings", [])
            problems = sorted([*rejected, *warnings], key=lambda p: p.get("line", 0))
        # Each message starts with its "line N: " already.
        lines = format_html_join(
            "", "<li>{}</li>", ((p.get("message", ""),) for p in problems[:MAX_PROBLEMS_SHOWN])
        )
        return format_html("<p>{}</p><ul>{}</ul>", report.get("summary", ""), lines)

    def get_urls(self) -> list[URLPattern]:
        accept = self.admin_site.admin_view(require_POST(self.accept_view))
        return [
            path("<int:object_id>/accept/", accept, name="transcripts_transcript_accept"),
            *super().get_urls(),
        ]

    def accept_view(self, request: HttpRequest, object_id: int) -> object:
        """Serve a build held for review as it is: one click on the episode form, recorded."""
        transcript = get_object_or_404(Transcript.objects.select_related("episode"), pk=object_id)
        if not self.has_change_permission(request, transcript):
            raise PermissionDenied
        try:
            services.accept_build(transcript=transcript, user=request.user)
        except ValidationError as error:
            self.message_user(request, error.messages[0], messages.WARNING)
        else:
            self.message_user(
                request, f"Accepted the transcript ({transcript.language}); listeners get it now."
            )
        return redirect(reverse("admin:episodes_episode_change", args=[transcript.episode_id]))

    def save_model(self, request: HttpRequest, obj: Transcript, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if "source_file" in form.changed_data and obj.source_file:
            services.queue_transcript_build(transcript=obj)
            self.message_user(
                request, "The transcript file was saved; a worker is building it now."
            )
        old, new = (
            form.cleaned_data.get("rename_from"),
            form.cleaned_data.get("rename_to", "").strip(),
        )
        if old and new:
            changed = services.rename_speaker(transcript=obj, old=old, new=new)
            self.message_user(request, f"Renamed {old!r} to {new!r} in {changed} segments.")

    def delete_model(self, request: HttpRequest, obj: Transcript) -> None:
        services.delete_transcripts([obj])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        services.delete_transcripts(queryset.select_related("episode__show"))


@admin.register(Segment)
class SegmentAdmin(admin.ModelAdmin):
    list_display = ["transcript", "position", "start", "speaker"]
    list_filter = ["transcript__episode__show"]
    search_fields = ["text", "speaker"]
    raw_id_fields = ["transcript"]


def show_time(transcript: Transcript, moment) -> str:
    """A time as the show's editors read it: in the show's own time zone, named."""
    return moment.astimezone(transcript.episode.show.zone()).strftime("%Y-%m-%d %H:%M %Z")
