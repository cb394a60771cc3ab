from django.contrib import admin
from django.db.models import IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from .models import DailyDownloads, ShowAnalytics


@admin.register(ShowAnalytics)
class ShowAnalyticsAdmin(admin.ModelAdmin):
    """The admin index's way in: every show with its downloads and a link to its page."""

    list_display = ("title", "downloads", "analytics")
    list_display_links = None

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        totals = DailyDownloads.objects.filter(show=OuterRef("pk"))
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
