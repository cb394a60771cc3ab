from django.urls import path

from transcripts import routes as transcript_routes
from transcripts import views as transcript_views

from . import embeds, views
from .feeds import views as feed_views

app_name = "episodes"

urlpatterns = [
    path("", views.episode_list, name="index"),
    path("episodes/", views.episode_list, name="list"),
    path("episodes/show/<int:number>/<str:slug>", views.episode_detail, name="detail"),
    path("episodes/show/<int:number>", views.episode_detail, name="detail_by_number"),
    path("episodes/download/<int:number>/<str:slug>.mp3", views.download, name="download"),
    path("episodes/download/<int:number>/<str:slug>.m4a", views.download, name="download_m4a"),
    path(
        "episodes/download/<int:number>/<str:slug>.opus", views.download_opus, name="download_opus"
    ),
    path("episodes/rss", feed_views.rss, name="rss"),
    path("episodes/rss_full_history", feed_views.rss_full_history, name="rss_full_history"),
    path("episodes/chapters/<int:number>.json", feed_views.chapters, name="chapters"),
    transcript_routes.transcript_file(
        "episodes/", transcript_views.transcript_file, name="transcript_file"
    ),
    path(
        "episodes/transcript/<int:number>/<str:slug>",
        transcript_views.transcript_page,
        name="transcript",
    ),
    path("people/<slug:slug>", views.person_detail, name="person"),
    path("sponsors", views.sponsor_list, name="sponsors"),
    path("sponsor/<slug:slug>", views.sponsor_redirect, name="sponsor"),
    path("search", views.search, name="search"),
    path("embed/<int:number>", embeds.embed, name="embed"),
]
