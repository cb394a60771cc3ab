"""Admin forms: uploads are checked by size and content before anything is stored."""

import datetime as dt
import zoneinfo

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from transcripts.services import check_transcript_source

from .audio.reading import sniff_audio_type
from .categories import category_choices, current_name
from .editorstate import audio_may_be_short, short_audio_note
from .models import Episode, Show


def check_audio_upload(upload: UploadedFile) -> UploadedFile:
    """Refuse uploads over the size cap; anything smaller is kept, whatever it holds."""
    cap = settings.PODCAST_MAX_UPLOAD_MB
    if upload.size > cap * 1024 * 1024:
        raise forms.ValidationError(
            f"The file {upload.name} is {upload.size / 1024 / 1024:.0f} MB; the largest upload "
            f"accepted is {cap} MB (setting PODCAST_MAX_UPLOAD_MB)."
        )
    return upload


def audio_content_warning(upload: UploadedFile) -> str:
    """What an editor should hear at once about an upload that is not audio by its content.

    It starts with "The file": the admin capitalises a message's first letter, which
    would misspell a file name written in lower case ("Notaudio.vtt").

    Such a file is still stored and read by the worker, which marks the episode failed
    with the reason: nothing an editor uploaded is thrown away, and nothing that is not
    audio is ever served.
    """
    if upload.size == 0:
        return (
            f"The file {upload.name} is empty: the episode's audio will fail until you "
            "upload the file again."
        )
    head = upload.read(4096)
    upload.seek(0)
    if sniff_audio_type(head) is None:
        return (
            f"The file {upload.name} does not look like MP3 or M4A audio (judged by its content, not "
            "its name). It was kept; the worker will say what it found."
        )
    return ""


class Publishing:
    DRAFT, NOW, AT = "draft", "now", "at"
    CHOICES = [
        (DRAFT, "Draft: not public"),
        (NOW, "Publish now"),
        (AT, "Publish at the time below (scheduled if in the future)"),
    ]


class WallClockField(forms.DateTimeField):
    """A date and time without a zone: the form reads it in the show's time zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value: object) -> dt.datetime | None:
        # The parent makes the value aware in the site's zone; undo that, keeping the digits.
        with timezone.override(dt.UTC):
            moment = super().to_python(value)
        return moment.replace(tzinfo=None) if moment else None


def show_zone(show: Show | None) -> zoneinfo.ZoneInfo:
    return show.zone() if show else zoneinfo.ZoneInfo("UTC")


# Labels for the Podcasting 2.0 fields of the show and episode forms: the field names
# ("Location osm", "Update frequency rrule") say little to an editor.
NAMESPACE_LABELS = {
    "license_url": "License URL",
    "location_name": "Place",
    "location_geo": "Coordinates",
    "location_osm": "OpenStreetMap ID",
    "update_frequency": "In words",
    "update_frequency_rrule": "Rule (RRULE)",
    "update_frequency_dtstart": "Starting",
    "update_frequency_complete": "The show is complete",
    "value_suggested": "Suggested amount (BTC per minute)",
}


class EpisodeAdminForm(forms.ModelForm):
    publishing = forms.ChoiceField(
        choices=Publishing.CHOICES, initial=Publishing.DRAFT, widget=forms.RadioSelect
    )
    publish_time = WallClockField(
        required=False,
        label="Publish time",
        help_text="In the show's time zone; stored in UTC.",
    )
    new_audio = forms.FileField(
        required=False,
        # An empty file is kept too: the worker marks the audio failed with the reason.
        allow_empty_file=True,
        label="Upload audio",
        help_text="MP3 or M4A. The episode keeps serving its current audio until the new file is ready.",
    )
    transcript_file = forms.FileField(
        required=False,
        help_text="Plain text, WebVTT, SRT, Podcast Index JSON or the namespace's HTML.",
    )
    transcript_text = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Or paste the transcript here.",
    )
    publish_anyway = forms.BooleanField(
        required=False,
        label="Publish anyway",
        help_text="The audio may be cut short (see the processing state): publish it as it is.",
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
        exclude = ["audio_upload", "audio_status", "publish_at"]
        labels = NAMESPACE_LABELS

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        show = self.instance.show if self.instance.show_id else self.initial_show()
        zone = show_zone(show)
        self.fields["publish_time"].help_text = f"In the show's time zone, {zone.key}."
        if "show_notes" in self.fields:
            preview_url = reverse("admin:episodes_episode_notes_preview")
            self.fields["show_notes"].widget.attrs["data-preview-url"] = preview_url
        if "publish_anyway" in self.fields and not audio_may_be_short(self.instance):
            self.fields["publish_anyway"].widget = forms.HiddenInput()  # asked only when needed
        self.soundbite_help()
        publish_at = self.instance.publish_at
        if publish_at is not None:
            self.initial["publishing"] = Publishing.AT
            self.initial["publish_time"] = publish_at.astimezone(zone).replace(tzinfo=None)

    def soundbite_help(self) -> None:
        helps = {
            "soundbite_start": "Seconds from the start of the audio (podcast:soundbite).",
            "soundbite_duration": "Seconds; the namespace recommends 15 to 120.",
            "soundbite_title": "Optional; apps show the episode title without one.",
        }
        for name, help_text in helps.items():
            if name in self.fields:
                self.fields[name].help_text = help_text
                self.fields[name].widget.attrs.setdefault("step", "any")

    def initial_show(self) -> Show | None:
        pk = self.initial.get("show")
        return Show.objects.filter(pk=pk).first() if pk else Show.objects.default()

    def clean_new_audio(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("new_audio")
        return check_audio_upload(upload) if upload else None

    def clean_transcript_file(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("transcript_file")
        if upload:
            check_transcript_source(upload=upload)  # too big or not text: said here, not later
        return upload

    def clean_transcript_text(self) -> str:
        text = self.cleaned_data.get("transcript_text", "")
        if text.strip():
            check_transcript_source(text=text)
        return text

    def clean(self) -> dict:
        data = super().clean()
        if data.get("transcript_file") and data.get("transcript_text", "").strip():
            raise forms.ValidationError("Upload a transcript file or paste text, not both.")
        was_live = self.instance.pk is not None and self.instance.is_published()
        self.instance.publish_at = self.clean_publish_at(data)
        publishing = self.instance.publish_at is not None and not was_live
        if publishing and audio_may_be_short(self.instance) and not data.get("publish_anyway"):
            self.add_error(
                "publish_anyway",
                f"The audio may be cut short ({short_audio_note(self.instance)}). "
                "Listen to it, upload the whole file, or tick Publish anyway.",
            )
        return data

    def clean_publish_at(self, data: dict) -> dt.datetime | None:
        """publish_at in UTC from the radio and the show-local time."""
        choice, wall_clock = data.get("publishing"), data.get("publish_time")
        if choice == Publishing.NOW:
            return timezone.now()
        if choice == Publishing.AT:
            if wall_clock is None:
                if "publish_time" not in self.errors:
                    self.add_error("publish_time", "Give the time to publish at.")
                return self.instance.publish_at
            zone = show_zone(data.get("show") or self.initial_show())
            return wall_clock.replace(tzinfo=zone).astimezone(dt.UTC)
        return None


class ChapterFormSet(forms.BaseInlineFormSet):
    """Chapters must ascend and lie inside the audio, or apps show them wrongly.

    Each row checks its own times (Chapter.clean, which the standalone chapter admin
    runs too); the set checks what rows say together.
    """

    def clean(self) -> None:
        super().clean()
        rows = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("start") is not None
        ]
        rows.sort(key=lambda row: row["start"])
        errors = []
        if len({row["start"] for row in rows}) != len(rows):
            errors.append("Two chapters start at the same time.")
        for row, following in zip(rows, rows[1:], strict=False):
            if row.get("end") is not None and row["end"] > following["start"]:
                errors.append(
                    f"Chapter at {row['start']:g} s ends at {row['end']:g} s, after the next "
                    f"chapter starts ({following['start']:g} s)."
                )
        if errors:
            raise forms.ValidationError(errors)

    def save_existing(self, form, obj, commit: bool = True):
        # An editor's change makes a chapter theirs: re-reading the file keeps it.
        obj.from_file = False
        return super().save_existing(form, obj, commit=commit)


class ShowAdminForm(forms.ModelForm):
    """Categories chosen from Apple's list (two levels), never typed as JSON."""

    categories = forms.MultipleChoiceField(
        choices=category_choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 14}),
        help_text="Apple Podcasts' categories: pick one or more (Ctrl or Cmd adds to the "
        "choice). The first is the show's main category. A category or subcategory alone is "
        "fine.",
    )

    class Meta:
        model = Show
        fields = "__all__"
        labels = NAMESPACE_LABELS

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        stored = list(self.instance.categories or []) if self.instance.pk else []
        current = [name for value in stored if (name := current_name(value))]
        self.initial["categories"] = list(dict.fromkeys(current))
        renamed = [value for value in stored if current_name(value) not in ("", value)]
        lost = [value for value in stored if not current_name(value)]
        notes = []
        if renamed:
            notes.append(
                "Renamed by Apple, shown as today's name: "
                + ", ".join(f"{escape(v)} → {escape(current_name(v))}" for v in renamed)
                + ". Save to keep the new names."
            )
        if lost:
            dropped = ", ".join(escape(value) for value in lost)
            notes.append(f"Not Apple categories, dropped when you save: {dropped}.")
        if notes:
            self.fields["categories"].help_text += " " + " ".join(notes)
