from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("shows/<slug:show_slug>/", include("episodes.urls", namespace="shows")),
    path("", include("episodes.urls", namespace="episodes")),
]
