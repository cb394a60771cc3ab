from django.contrib import admin

from .models import Segment, Transcript


@admin.register(Transcript)
class TranscriptAdmin(admin.ModelAdmin):
    list_display = ["episode", "language", "status", "source_format", "built_at"]
    list_filter = ["status", "language", "source_format"]
    search_fields = ["episode__title"]
    autocomplete_fields = ["episode"]
    readonly_fields = ["source_format", "status", "error", "report", "built_at"]


@admin.register(Segment)
class SegmentAdmin(admin.ModelAdmin):
    list_display = ["transcript", "position", "start", "speaker"]
    list_filter = ["transcript__episode__show"]
    search_fields = ["text", "speaker"]
    raw_id_fields = ["transcript"]
