"""The episode form in the order an editor works, and its read-only technical facts.

Title, number, notes (with the live preview), audio, transcript, publishing; then the
inlines (people, links, sponsors, chapters). Whatever else the form holds goes under
"More about the episode", so a field added to the model is never dropped from the form.
Technical facts (guid, file details, processing times) are read-only in one collapsed
"Technical" section, in the editor's units: h:mm:ss, MB, the show's time zone.
"""

from django.contrib import admin
from django.utils.html import format_html

from . import models
from .editorstate import clock, megabytes

PLACED = [
    ("", ["show", "number", "title", "slug"]),
    ("Notes", ["summary", "show_notes", "import_show_notes"]),
    ("Audio", ["new_audio", "processing"]),
    ("Soundbite", ["soundbite_player", "soundbite_start", "soundbite_duration", "soundbite_title"]),
    ("Transcript", ["transcript_file", "transcript_text"]),
    ("Publishing", ["publishing", "publish_time", "publish_anyway", "premium", "preview_link"]),
]
TECHNICAL = [
    "guid",
    "audio_file",
    "audio_version",
    "audio_length",
    "audio_megabytes",
    "audio_mime_type",
    "audio_bitrate",
    "audio_sample_rate",
    "audio_channels",
    "audio_processed",
    "opus_copy",
]
# Editable through their own inlines, never as form fields here.
NOT_ON_THE_FORM = {"people", "sponsors"}


def episode_fieldsets(form_fields: list[str]) -> list[tuple[str | None, dict]]:
    placed = {name for _, names in PLACED for name in names}
    rest = [name for name in form_fields if name not in placed and name not in NOT_ON_THE_FORM]
    return [
        *((title or None, {"fields": names}) for title, names in PLACED),
        ("More about the episode", {"fields": rest}),
        ("Technical", {"fields": TECHNICAL, "classes": ["collapse"]}),
    ]


class TechnicalFields:
    """Read-only displays of what the worker measured, for EpisodeAdmin."""

    @admin.display(description="pick with the player")
    def soundbite_player(self, episode: models.Episode) -> str:
        """The served audio and the buttons admin-soundbite.js wires to the soundbite fields."""
        if not episode.pk or not episode.audio:
            return "Once the audio is ready, a player here sets the soundbite's start and end."
        return format_html(
            '<div class="soundbite-picker"><audio controls preload="metadata" src="{}"></audio>'
            '<div class="soundbite-buttons">'
            '<button type="button" class="button" data-soundbite="start">Set start here</button>'
            '<button type="button" class="button" data-soundbite="end">Set end here</button>'
            '<button type="button" class="button" data-soundbite="play">Play the soundbite</button>'
            '</div><p class="soundbite-note" aria-live="polite"></p></div>',
            episode.download_url(),
        )

    @admin.display(description="served file")
    def audio_file(self, episode: models.Episode) -> str:
        return episode.audio.name or "-"

    @admin.display(description="duration")
    def audio_length(self, episode: models.Episode) -> str:
        return clock(episode.audio_duration)

    @admin.display(description="size")
    def audio_megabytes(self, episode: models.Episode) -> str:
        return megabytes(episode.audio_size)

    @admin.display(description="Opus copy")
    def opus_copy(self, episode: models.Episode) -> str:
        """The worker's podcast:alternateEnclosure rendition, or why it could not be made."""
        if episode.opus_error and not episode.has_opus():
            return f"Not made: {episode.opus_error}"
        if not episode.has_opus():
            return "-"
        kbps = round(episode.opus_bitrate / 1000)
        return f"{megabytes(episode.opus_size)}, {kbps} kb/s (in the feed as alternateEnclosure)"

    @admin.display(description="processed at")
    def audio_processed(self, episode: models.Episode) -> str:
        if episode.audio_processed_at is None:
            return "-"
        when = episode.audio_processed_at.astimezone(episode.show.zone())
        return format_html("{} {}", f"{when:%Y-%m-%d %H:%M}", when.tzname())
