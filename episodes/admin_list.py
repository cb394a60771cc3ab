"""The episode list as editors read it: a State column with its filter, one-line titles,
durations as h:mm:ss. Mixed into EpisodeAdmin."""

from django.contrib import admin
from django.db.models import IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from analytics.models import DailyDownloads

from . import editorstate, models


class StateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return editorstate.STATES

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value():
            return editorstate.filter_by_state(queryset, self.value())
        return queryset


class EpisodeListColumns:
    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return with_downloads(editorstate.with_review_flag(super().get_queryset(request)))

    @admin.display(description="downloads", ordering="downloads")
    def downloads(self, episode: models.Episode) -> str:
        """IAB downloads so far, linked to the episode's analytics page."""
        url = reverse("analytics:episode", args=[episode.show.slug, episode.number])
        return format_html('<a href="{}">{}</a>', url, f"{episode.downloads:,}")

    @admin.display(description="title", ordering="title")
    def title_line(self, episode: models.Episode) -> str:
        # One line, cut with an ellipsis by admin-episode.css; the whole title on hover.
        return format_html(
            '<span class="title-line" title="{}">{}</span>', episode.title, episode.title
        )

    @admin.display(description="state")
    def state(self, episode: models.Episode) -> str:
        key, label = editorstate.state_of(episode)
        shown = format_html('<span class="episode-state" data-state="{}">{}</span>', key, label)
        if key == "failed" and episode.audio_error:
            reason = episode.audio_error
            return format_html(
                '{}<br><span class="state-reason" title="{}">{}</span>', shown, reason, reason
            )
        return shown

    @admin.display(description="duration", ordering="audio_duration")
    def duration(self, episode: models.Episode) -> str:
        return editorstate.clock(episode.audio_duration)


def with_downloads(episodes: QuerySet) -> QuerySet:
    """Each episode's IAB downloads to date, summed from the daily counts in the same query."""
    totals = (
        DailyDownloads.objects.filter(episode=OuterRef("pk"))
        .values("episode")
        .annotate(total=Sum("downloads"))
        .values("total")
    )
    return episodes.annotate(downloads=Coalesce(Subquery(totals, output_field=IntegerField()), 0))
