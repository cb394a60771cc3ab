"""Feed imports in the admin: "Add" is the import form, each import's page its progress."""

from django.contrib import admin
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path

from . import admin_views
from .models import FeedImport, ImportedEpisode


@admin.register(FeedImport)
class FeedImportAdmin(admin.ModelAdmin):
    list_display = ["url", "show", "created_at", "found", "created"]
    list_select_related = ["show"]
    search_fields = ["url", "show__title"]

    class Media:
        # The episode form's script refreshes any [data-status-url] box: the progress too.
        js = ["js/admin-episode.js"]
        css = {"all": ["css/admin-episode.css", "css/admin-import.css"]}

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        return [
            path(
                "<int:object_id>/progress/",
                view(admin_views.import_progress),
                name="episodes_feedimport_progress",
            ),
            path(
                "<int:object_id>/publish/",
                view(admin_views.publish),
                name="episodes_feedimport_publish",
            ),
            *super().get_urls(),
        ]

    def site_context(self, request: HttpRequest) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "media": self.media,
        }

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context=None
    ) -> HttpResponse:
        return admin_views.new_import(request, self.site_context(request))

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None
    ) -> HttpResponse:
        if not object_id.isdigit():
            raise Http404("No such import.")
        return admin_views.import_detail(request, int(object_id), self.site_context(request))


@admin.register(ImportedEpisode)
class ImportedEpisodeAdmin(admin.ModelAdmin):
    """Each imported item's downloads, as the worker left them: read only."""

    list_display = ["episode", "status", "error", "feed_import"]
    list_filter = ["status"]
    list_select_related = ["episode", "feed_import"]
    search_fields = ["episode__title", "enclosure_url", "error"]
    readonly_fields = [f.name for f in ImportedEpisode._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
