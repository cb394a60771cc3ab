from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from episodes import views as episode_views
from episodes.sitemaps import EpisodeSitemap, PersonSitemap, ShowSitemap
from transcripts.sitemaps import TranscriptSitemap

SITEMAPS = {
    "shows": ShowSitemap,
    "episodes": EpisodeSitemap,
    "transcripts": TranscriptSitemap,
    "people": PersonSitemap,
}

urlpatterns = [
    path("admin/", admin.site.urls),
    path("robots.txt", episode_views.robots_txt, name="robots"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("shows/<slug:show_slug>/", include("episodes.urls", namespace="shows")),
    path("", include("episodes.urls", namespace="episodes")),
]
