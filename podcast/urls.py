from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.http import require_safe

from episodes import views as episode_views
from episodes.embeds import oembed
from episodes.mediafiles import media_file
from episodes.sitemaps import EpisodeSitemap, PersonSitemap, ShowSitemap
from podcast import health
from transcripts.sitemaps import TranscriptSitemap

SITEMAPS = {
    "shows": ShowSitemap,
    "episodes": EpisodeSitemap,
    "transcripts": TranscriptSitemap,
    "people": PersonSitemap,
}

urlpatterns = [
    # Before admin.site.urls, whose admin/analytics/ lists the analytics models.
    path("admin/analytics/", include("analytics.urls")),
    path("admin/", admin.site.urls),
    path("robots.txt", episode_views.robots_txt, name="robots"),
    path("healthz", health.healthz, name="healthz"),
    path("oembed", oembed, name="oembed"),
    path(settings.MEDIA_URL.lstrip("/") + "<path:path>", media_file, name="media"),
    path("sitemap.xml", require_safe(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("subscribers/", include("subscribers.urls")),
    path("feeds/<str:token>/", include("subscribers.feedurls", namespace="personal")),
    path("shows/<slug:show_slug>/", include("episodes.urls", namespace="shows")),
    path("", include("episodes.urls", namespace="episodes")),
]
