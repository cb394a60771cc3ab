from django.urls import path

from transcripts import routes as transcript_routes

from . import feedviews as views

app_name = "personal"

# A personal feed and its files, mounted at feeds/<token>/ (podcast/urls.py): every URL of a personal feed carries it.
urlpatterns = [
    path("rss", views.personal_feed, name="rss"),
    path("audio/<int:number>/<str:slug>.mp3", views.download, name="download"),
    path("audio/<int:number>/<str:slug>.m4a", views.download, name="download_m4a"),
    transcript_routes.transcript_file("", views.transcript_file, name="transcript_file"),
    path("chapters/<int:number>.json", views.chapters, name="chapters"),
]
