from django.urls import path

from transcripts import views as transcript_views

from . import views

app_name = "episodes"

urlpatterns = [
    path("", views.episode_list, name="index"),
    path("episodes/", views.episode_list, name="list"),
    path("episodes/show/<int:number>/<str:slug>", views.episode_detail, name="detail"),
    path("episodes/show/<int:number>", views.episode_detail, name="detail_by_number"),
    path("episodes/download/<int:number>/<str:slug>.mp3", views.download, name="download"),
    path(
        "episodes/transcript/<int:number>/<str:slug>",
        transcript_views.transcript_page,
        name="transcript",
    ),
]
