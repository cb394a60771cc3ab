from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from . import services
from .models import Segment, Transcript


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

    def clean(self) -> dict:
        data = super().clean()
        if data.get("rename_from") and not data.get("rename_to", "").strip():
            self.add_error("rename_to", "Give the speaker's new name.")
        return data


@admin.register(Transcript)
class TranscriptAdmin(admin.ModelAdmin):
    form = TranscriptAdminForm
    list_display = ["episode", "language", "status", "source_format", "built_at"]
    list_filter = ["status", "language", "source_format"]
    search_fields = ["episode__title"]
    autocomplete_fields = ["episode"]
    readonly_fields = ["source_format", "status", "error", "import_report", "built_at"]

    @admin.display(description="import report")
    def import_report(self, transcript: Transcript) -> str:
        report = transcript.report or {}
        problems = [
            *report.get("problems", []),
            *report.get("rejected", []),
            *report.get("warnings", []),
        ]
        lines = format_html_join(
            "", "<li>line {}: {}</li>", ((p.get("line"), p.get("message")) for p in problems[:20])
        )
        summary = report.get("summary", "")
        return format_html("<p>{}</p><ul>{}</ul>", summary, lines) if report else "-"

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


@admin.register(Segment)
class SegmentAdmin(admin.ModelAdmin):
    list_display = ["transcript", "position", "start", "speaker"]
    list_filter = ["transcript__episode__show"]
    search_fields = ["text", "speaker"]
    raw_id_fields = ["transcript"]
