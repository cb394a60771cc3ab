from django.contrib import admin

from . import models


class FundingLinkInline(admin.TabularInline):
    model = models.FundingLink
    extra = 0


class ShowHostInline(admin.TabularInline):
    model = models.ShowHost
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(models.Show)
class ShowAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "is_default", "language", "explicit", "locked"]
    list_filter = ["is_default", "explicit", "locked", "show_type"]
    search_fields = ["title", "slug", "description"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["podcast_guid"]
    inlines = [ShowHostInline, FundingLinkInline]


class ShowNoteLinkInline(admin.TabularInline):
    model = models.ShowNoteLink
    extra = 0
    autocomplete_fields = ["picked_by"]


class EpisodePersonInline(admin.TabularInline):
    model = models.EpisodePerson
    extra = 0
    autocomplete_fields = ["person"]


class EpisodeSponsorInline(admin.TabularInline):
    model = models.EpisodeSponsor
    extra = 0
    autocomplete_fields = ["sponsor"]


class ChapterInline(admin.TabularInline):
    model = models.Chapter
    extra = 0


@admin.register(models.Episode)
class EpisodeAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "show", "publish_at", "audio_status", "audio_duration"]
    list_display_links = ["number", "title"]
    list_filter = ["show", "audio_status", "episode_type", "explicit"]
    search_fields = ["title", "summary", "show_notes"]
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = [
        "guid",
        "audio",
        "audio_version",
        "audio_status",
        "audio_error",
        "audio_notes",
        "audio_duration",
        "audio_size",
        "audio_mime_type",
        "audio_bitrate",
        "audio_sample_rate",
        "audio_channels",
        "audio_processed_at",
    ]
    inlines = [ShowNoteLinkInline, EpisodePersonInline, EpisodeSponsorInline, ChapterInline]


@admin.register(models.Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "url"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.Sponsor)
class SponsorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "url", "clicks"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["clicks"]


@admin.register(models.ShowNoteLink)
class ShowNoteLinkAdmin(admin.ModelAdmin):
    list_display = ["title", "episode", "picked_by", "position"]
    list_filter = ["episode__show"]
    search_fields = ["title", "url", "description"]
    autocomplete_fields = ["episode", "picked_by"]


@admin.register(models.Chapter)
class ChapterAdmin(admin.ModelAdmin):
    list_display = ["title", "episode", "start", "end"]
    list_filter = ["episode__show"]
    search_fields = ["title"]
    autocomplete_fields = ["episode"]
