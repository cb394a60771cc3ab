from django.contrib import admin
from django.urls import path

from . import views

app_name = "analytics"


def staff(view):
    """Behind the admin's log-in, as the admin's own pages are."""
    return admin.site.admin_view(view)


urlpatterns = [
    path("show/<slug:slug>/", staff(views.show_analytics), name="show"),
    path("show/<slug:slug>/downloads.csv", staff(views.downloads_csv), name="csv"),
    path("show/<slug:slug>/<int:number>/", staff(views.episode_analytics), name="episode"),
]
