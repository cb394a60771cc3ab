from django.urls import path

from . import views

app_name = "subscribers"
urlpatterns = [
    path("webhook", views.payment_webhook, name="webhook"),
    path("page/<str:value>", views.page, name="page"),
]
