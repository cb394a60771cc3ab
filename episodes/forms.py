"""Admin forms: uploads are checked by size and content before anything is stored."""

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from .audio import sniff_audio_type
from .models import Episode


def check_audio_upload(upload: UploadedFile) -> UploadedFile:
    """Refuse uploads over the size cap or that are not audio by their content."""
    cap = settings.PODCAST_MAX_UPLOAD_MB
    if upload.size > cap * 1024 * 1024:
        raise forms.ValidationError(
            f"{upload.name} is {upload.size / 1024 / 1024:.0f} MB; the largest upload "
            f"accepted is {cap} MB (setting PODCAST_MAX_UPLOAD_MB)."
        )
    if upload.size == 0:
        raise forms.ValidationError(f"{upload.name} is empty.")
    head = upload.read(4096)
    upload.seek(0)
    if sniff_audio_type(head) is None:
        raise forms.ValidationError(
            f"{upload.name} is not MP3 or M4A audio (checked by its content, not its name)."
        )
    return upload


class EpisodeAdminForm(forms.ModelForm):
    new_audio = forms.FileField(
        required=False,
        label="Upload audio",
        help_text="MP3 or M4A. The episode keeps serving its current audio until the new file is ready.",
    )
    transcript_file = forms.FileField(
        required=False, help_text="Plain text, WebVTT, SRT or Podcast Index JSON."
    )
    transcript_text = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Or paste the transcript here.",
    )
    import_show_notes = forms.BooleanField(
        required=False,
        label="Import show-note links from the notes Markdown",
        help_text="Replaces the links below with the picks found in the show notes "
        '("**Michael #1:** [Title](url)" headings with their bullets).',
    )

    class Meta:
        model = Episode
        fields = "__all__"
        exclude = ["audio_upload", "audio_status"]

    def clean_new_audio(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("new_audio")
        return check_audio_upload(upload) if upload else None

    def clean(self) -> dict:
        data = super().clean()
        if data.get("transcript_file") and data.get("transcript_text", "").strip():
            raise forms.ValidationError("Upload a transcript file or paste text, not both.")
        return data


class ChapterFormSet(forms.BaseInlineFormSet):
    """Chapters must ascend and lie inside the audio, or apps show them wrongly."""

    def clean(self) -> None:
        super().clean()
        starts = [
            form.cleaned_data["start"]
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and "start" in form.cleaned_data
        ]
        duration = self.instance.audio_duration
        errors = [f"Chapter at {s:g} s starts before 0." for s in starts if s < 0]
        if duration:
            errors += [
                f"Chapter at {s:g} s starts after the audio ends ({duration:.0f} s)."
                for s in starts
                if s >= duration
            ]
        if len(set(starts)) != len(starts):
            errors.append("Two chapters start at the same time.")
        if errors:
            raise forms.ValidationError(errors)
