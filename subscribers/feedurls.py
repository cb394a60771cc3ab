from django.urls import path, re_path

from transcripts.formats import SERVED_SUFFIXES

from . import feedviews as views

app_name = "personal"
TRANSCRIPT_FILES = "|".join(SERVED_SUFFIXES)

# A personal feed and its files, mounted at feeds/<token>/ (podcast/urls.py): every URL of a personal feed carries it.
urlpatterns = [
    path("rss", views.personal_feed, name="rss"),
    path("audio/<int:number>/<str:slug>.mp3", views.download, name="download"),
    path("audio/<int:number>/<str:slug>.m4a", views.download, name="download_m4a"),
    re_path(
        rf"^transcript/(?P<number>[0-9]+)/(?P<slug>[^/]+)\.(?P<fmt>{TRANSCRIPT_FILES})$",
        views.transcript_file,
        name="transcript_file",
    ),
    path("chapters/<int:number>.json", views.chapters, name="chapters"),
]
