from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html

from transcripts.models import Transcript
from transcripts.services import attach_transcript, queue_transcript_build

from . import admin_views, models, services, showlinks
from .admin_layout import TECHNICAL, TechnicalFields, episode_fieldsets
from .admin_list import EpisodeListColumns, StateFilter
from .admin_namespace import EPISODE_INLINES, SHOW_INLINES, show_fieldsets
from .feeds.cache import invalidate_feed, invalidate_feeds_for_person
from .forms import ChapterFormSet, EpisodeAdminForm, ShowAdminForm, audio_content_warning
from .lockout import LockoutAuthenticationForm
from .soundbites import soundbite_advice

admin.site.login_form = LockoutAuthenticationForm
admin.site.site_header = "Podcast editors"


class FundingLinkInline(admin.TabularInline):
    model = models.FundingLink
    extra = 0


class ShowHostInline(admin.TabularInline):
    model = models.ShowHost
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(models.Show)
class ShowAdmin(admin.ModelAdmin):
    form = ShowAdminForm
    list_display = ["title", "slug", "is_default", "language", "explicit", "locked"]
    list_filter = ["is_default", "explicit", "locked", "show_type"]
    search_fields = ["title", "slug", "description"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["podcast_guid"]
    inlines = [ShowHostInline, FundingLinkInline, *SHOW_INLINES]

    def get_fieldsets(self, request: HttpRequest, obj=None) -> list:
        return show_fieldsets(super().get_fieldsets(request, obj))

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        if not change:
            return super().save_model(request, obj, form, change)
        # The feeds own their revision and validators, the worker the art copies: never
        # write back what this request read.
        obj.save(update_fields=services.editor_fields(models.Show))

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        invalidate_feed(form.instance)
        services.queue_show_page_art(show=form.instance)
        if change and "artwork" in form.changed_data:
            queued = services.retag_show_episodes(show=form.instance)
            if queued:
                self.message_user(
                    request,
                    f"The new artwork goes into the MP3s of {queued} published episodes in "
                    "the background (episodes with their own cover keep it).",
                )
        if missing := apple_requirements_missing(form.instance):
            self.message_user(
                request,
                f"Apple Podcasts refuses a feed without {', '.join(missing)}: add "
                f"{'it' if len(missing) == 1 else 'them'} before submitting the feed.",
                messages.WARNING,
            )


def apple_requirements_missing(show: models.Show) -> list[str]:
    """What Apple requires on the channel that the show does not have yet."""
    required = {
        "artwork": show.artwork,
        "a category": show.categories,
        "a description": show.description.strip(),
    }
    return [name for name, value in required.items() if not value]


class ShowNoteLinkInline(admin.TabularInline):
    model = models.ShowNoteLink
    extra = 0
    autocomplete_fields = ["picked_by"]
    # Position first: admin-episode.js puts the up/down buttons next to it.
    fields = ["position", "title", "url", "description", "picked_by"]


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
    formset = ChapterFormSet
    extra = 0


@admin.register(models.Episode)
class EpisodeAdmin(EpisodeListColumns, TechnicalFields, admin.ModelAdmin):
    form = EpisodeAdminForm
    list_display = ["number", "title_line", "state", "duration", "downloads", "show"]
    list_display_links = ["number", "title_line"]
    list_filter = [StateFilter, "show", "episode_type", "explicit"]
    list_select_related = ["show"]
    search_fields = ["title", "summary", "show_notes"]
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["processing", "preview_link", "soundbite_player", *TECHNICAL]
    # People, links, sponsors, chapters: after the fields, in the order editors fill them.
    inlines = [
        EpisodePersonInline,
        ShowNoteLinkInline,
        EpisodeSponsorInline,
        ChapterInline,
        *EPISODE_INLINES,
    ]
    actions = ["publish_now", "unpublish", "rerun_audio_extraction", "rebuild_transcripts"]

    class Media:
        # Static files, never inline scripts: the Content-Security-Policy forbids those.
        js = ["js/admin-episode.js", "js/admin-soundbite.js"]
        css = {"all": ["css/admin-episode.css"]}

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        return [
            path(
                "notes-preview/",
                view(admin_views.notes_preview),
                name="episodes_episode_notes_preview",
            ),
            path(
                "<int:object_id>/status/",
                view(admin_views.episode_status),
                name="episodes_episode_status",
            ),
            *super().get_urls(),
        ]

    def get_fieldsets(self, request: HttpRequest, obj=None) -> list:
        return episode_fieldsets(list(self.form.base_fields))

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        initial = super().get_changeform_initial_data(request)
        pk = str(initial.get("show", ""))
        show = models.Show.objects.filter(pk=pk).first() if pk.isdigit() else None
        show = show or models.Show.objects.default()
        if show and "number" not in initial:
            initial["show"] = show.pk
            initial["number"] = show.next_episode_number()
        return initial

    @admin.display(description="audio", ordering="audio_status")
    def audio_state(self, episode: models.Episode) -> str:
        label = episode.get_audio_status_display()
        if episode.audio_error:
            return format_html("{}: {}", label, episode.audio_error)
        return label

    @admin.display(description="processing")
    def processing(self, episode: models.Episode) -> str:
        """Audio and transcript states; admin-episode.js refreshes them while work is pending."""
        if not episode.pk:
            return "-"
        state = admin_views.processing_state(episode)
        return format_html(
            '<div class="episode-status" data-status-url="{}" data-pending="{}" '
            'aria-live="polite">{}</div>',
            reverse("admin:episodes_episode_status", args=[episode.pk]),
            "true" if state["pending"] else "false",
            admin_views.render_processing_state(episode, state),
        )

    @admin.display(description="preview link")
    def preview_link(self, episode: models.Episode) -> str:
        if not episode.pk:
            return "Save the episode to get a link others can preview it with."
        page = episode.show.absolute(episode.get_absolute_url())
        for_subscribers = episode.premium or episode.show.private
        if episode.is_published() and not for_subscribers:
            return "Published: the public page needs no preview link."
        if episode.is_published():
            return format_html(
                "Published for subscribers only: not public (visitors get 404 at {}). "
                "Subscribers get it in their personal feeds; editors logged in here see its "
                'page: <a class="staff-link" href="{}">{}</a>',
                page,
                page,
                page,
            )
        url = f"{page}?preview={episode.preview_token}"
        then = (
            "then it is for subscribers only (their personal feeds), never public"
            if for_subscribers
            else "then it is public"
        )
        return format_html(
            '<a class="preview-link" href="{}">{}</a><br>Anyone with this link sees the episode, '
            "its transcript and audio until it is published ({}); a later draft gets a new link.",
            url,
            url,
            then,
        )

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        if change:  # never write back the fields a worker may have set meanwhile
            obj.save(update_fields=services.editor_fields())
        else:
            super().save_model(request, obj, form, change)
        if upload := form.cleaned_data.get("new_audio"):
            warning = audio_content_warning(upload)
            if warning:
                services.attach_audio(episode=obj, upload=upload)
                self.message_user(request, warning, messages.WARNING)
            else:
                tell = self.work_message(request, "audio", "a worker is reading it", "reading it")
                services.attach_audio(episode=obj, upload=upload, then=tell)
        if "soundbite_duration" in form.changed_data and (
            advice := soundbite_advice(obj.soundbite_duration)
        ):
            self.message_user(request, advice, messages.WARNING)
        if obj.publish_at and obj.publish_at <= timezone.now() and not obj.audio:
            self.message_user(
                request,
                "Published: it will go live when the audio is ready (a worker is on it).",
                messages.WARNING,
            )
        upload = form.cleaned_data.get("transcript_file")
        text = form.cleaned_data.get("transcript_text", "").strip()
        if upload or text:
            tell = self.work_message(request, "transcript", "a worker is building it", "its build")
            attach_transcript(episode=obj, upload=upload, text=text, then=tell)

    def work_message(self, request: HttpRequest, what: str, working: str, work: str):
        """What the editor is told once the work was sent to a worker, or could not be."""

        def tell(sent: bool) -> None:
            if sent:
                self.message_user(request, f"The {what} was saved; {working} now.")
            else:
                self.message_user(
                    request,
                    f"The {what} was saved and queued: the background service is unreachable "
                    f"just now, and {work} will start when it is back.",
                    messages.WARNING,
                )

        return tell

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # After the inlines, not in save_model: the link inline would otherwise save its
        # stale rows over the imported links.
        if form.cleaned_data.get("import_show_notes"):
            report = showlinks.import_show_notes(
                episode=form.instance, markdown_text=form.instance.show_notes
            )
            level = messages.WARNING if report.skipped or not report.links else messages.INFO
            self.message_user(request, report.summary(), level)
        services.record_episode_change(episode=form.instance)

    def delete_model(self, request: HttpRequest, obj) -> None:
        self.delete_queryset(request, models.Episode.objects.filter(pk=obj.pk))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        services.delete_episodes(episodes=queryset)

    @admin.action(description="Publish selected episodes now")
    def publish_now(self, request: HttpRequest, queryset: QuerySet) -> None:
        waiting, short = services.publish_episodes(episodes=queryset)
        silent = [f"#{e.number}" for e in waiting if not e.audio]
        message = f"Published {len(waiting)} episodes (already public ones kept their date)."
        if silent:
            message += f" {', '.join(silent)} will go live when their audio is ready."
        if short:
            numbers = ", ".join(f"#{e.number}" for e in short)
            message += (
                f" Not published: {numbers}, whose audio may be cut short; open each and tick "
                "Publish anyway to publish it as it is."
            )
        level = messages.WARNING if silent or short else messages.INFO
        self.message_user(request, message, level)

    @admin.action(description="Unpublish selected episodes (back to draft)")
    def unpublish(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = services.unpublish_episodes(episodes=queryset)
        self.message_user(request, f"{count} episodes are drafts again.")

    @admin.action(description="Re-run audio extraction")
    def rerun_audio_extraction(self, request: HttpRequest, queryset: QuerySet) -> None:
        episodes = list(queryset.exclude(audio_upload=""))
        for episode in episodes:
            services.queue_audio_extraction(episode=episode)
        skipped = queryset.count() - len(episodes)
        level = messages.WARNING if skipped else messages.INFO
        self.message_user(
            request, f"Queued {len(episodes)} episodes; {skipped} have no uploaded audio.", level
        )

    @admin.action(description="Rebuild transcripts")
    def rebuild_transcripts(self, request: HttpRequest, queryset: QuerySet) -> None:
        transcripts = Transcript.objects.filter(episode__in=queryset).exclude(source_file="")
        for transcript in transcripts:
            queue_transcript_build(transcript=transcript)
        self.message_user(request, f"Queued {len(transcripts)} transcripts for rebuilding.")


@admin.register(models.Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "url"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        invalidate_feeds_for_person(obj)  # a person may appear in the feeds of several shows

    def delete_model(self, request: HttpRequest, obj) -> None:
        self.delete_queryset(request, models.Person.objects.filter(pk=obj.pk))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        # Before the delete and in its transaction: the credits that name the shows go with it.
        with transaction.atomic():
            for person in queryset:
                invalidate_feeds_for_person(person)
            super().delete_queryset(request, queryset)


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

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        obj.from_file = False  # an editor's chapter now: re-reading the file keeps it
        super().save_model(request, obj, form, change)
        invalidate_feed(obj.episode.show)

    def delete_model(self, request: HttpRequest, obj) -> None:
        super().delete_model(request, obj)
        invalidate_feed(obj.episode.show)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        shows = {chapter.episode.show for chapter in queryset.select_related("episode__show")}
        super().delete_queryset(request, queryset)
        for show in shows:
            invalidate_feed(show)


# The live items' admin has a module of its own; the feed import's lives with the import.
from .admin_live import LiveItemAdmin  # noqa: E402, F401
from .importing import admin as importing_admin  # noqa: E402, F401
