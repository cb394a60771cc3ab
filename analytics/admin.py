from django.contrib import admin
from django.db.models import IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from episodes.feeds.cache import invalidate_feed

from .models import EpisodeDownloads, MeasurementPrefix, ShowAnalytics


@admin.register(ShowAnalytics)
class ShowAnalyticsAdmin(admin.ModelAdmin):
    """The admin index's way in: every show with its downloads and a link to its page."""

    list_display = ("title", "downloads", "analytics")
    list_display_links = None

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        totals = EpisodeDownloads.objects.filter(show=OuterRef("pk"))
        return super().get_queryset(request).annotate(total=totals_subquery(totals))

    @admin.display(description="downloads", ordering="total")
    def downloads(self, show: ShowAnalytics) -> int:
        return show.total or 0

    @admin.display(description="")
    def analytics(self, show: ShowAnalytics) -> str:
        url = reverse("analytics:show", args=[show.slug])
        return format_html('<a href="{}">Analytics</a>', url)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


def totals_subquery(rows: QuerySet):
    summed = rows.values("show").annotate(n=Sum("downloads")).values("n")
    return Subquery(summed, output_field=IntegerField())


@admin.register(MeasurementPrefix)
class MeasurementPrefixAdmin(admin.ModelAdmin):
    """Opt-in prefixes; a change rebuilds the show's feeds so apps see the new enclosure URLs."""

    list_display = ("show", "service", "prefix", "position")
    list_filter = ("show", "service")

    def save_model(self, request: HttpRequest, obj: MeasurementPrefix, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        invalidate_feed(obj.show)

    def delete_model(self, request: HttpRequest, obj: MeasurementPrefix) -> None:
        super().delete_model(request, obj)
        invalidate_feed(obj.show)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        shows = list({prefix.show for prefix in queryset})
        super().delete_queryset(request, queryset)
        for show in shows:
            invalidate_feed(show)
