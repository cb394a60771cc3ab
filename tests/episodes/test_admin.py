import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import EpisodeFactory


def admin_urls() -> list[str]:
    names = []
    for model in admin.site._registry:
        meta = model._meta
        names.append(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        names.append(f"admin:{meta.app_label}_{meta.model_name}_add")
    return sorted(names)


@pytest.mark.django_db
@pytest.mark.parametrize("name", admin_urls())
def test_every_admin_page_answers_a_staff_user(admin_client, name):
    EpisodeFactory()
    response = admin_client.get(reverse(name))
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("name", admin_urls())
def test_every_admin_page_sends_an_anonymous_visitor_to_the_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_the_episode_change_page_shows_its_inlines_and_status(admin_client):
    episode = EpisodeFactory(audio_status="failed", audio_error="the file is empty")
    response = admin_client.get(reverse("admin:episodes_episode_change", args=[episode.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    for inline in ("Show note links", "Episode persons", "Chapters"):
        assert inline.lower() in content.lower()
    assert "the file is empty" in content
