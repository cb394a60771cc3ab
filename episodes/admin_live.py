"""The editors' side of live recordings (podcast:liveItem): announce, go live, end."""

from django.contrib import admin
from django.http import HttpRequest

from . import podping
from .feeds.cache import invalidate_feed
from .models import LiveItem


@admin.register(LiveItem)
class LiveItemAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "start", "end", "show"]
    list_filter = ["status", "show"]
    readonly_fields = ["guid"]
    fields = [
        "show", "title", "status", "start", "end", "content_url", "content_text",
        "enclosure_url", "enclosure_type", "guid",
    ]  # fmt: skip

    def save_model(self, request: HttpRequest, obj: LiveItem, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        invalidate_feed(obj.show)
        podping.queue_live_podping(live_item=obj)

    def delete_model(self, request: HttpRequest, obj: LiveItem) -> None:
        super().delete_model(request, obj)
        invalidate_feed(obj.show)
