"""Small things a probe found: a bad Host is one log line; an unsafe `next` lands on the admin."""

import logging

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
            self.lines.append(self.format(record))


@pytest.fixture
def logged():
    """What the console handler would print: every WARNING and above, formatted."""
    handler = Collect()
    root = logging.getLogger()
    root.addHandler(handler)
    yield handler.lines
    root.removeHandler(handler)


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1:8000@evil", "x" * 300])
def test_a_bad_host_is_one_line_in_the_log(logged, host) -> None:
    response = Client(raise_request_exception=False).get("/", HTTP_HOST=host)
    assert response.status_code == 400
    assert len(logged) == 1, logged
    assert "\n" not in logged[0] and "Traceback" not in logged[0]
    assert "Invalid HTTP_HOST header" in logged[0]


@pytest.mark.parametrize(
    "unsafe", ["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)"]
)
def test_an_unsafe_next_after_log_in_lands_on_the_admin_index(settings, unsafe) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    User.objects.create_user("editor", password="right", is_staff=True)
    url = reverse("admin:login") + "?next=" + unsafe
    response = Client().post(url, {"username": "editor", "password": "right", "next": unsafe})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_a_safe_next_is_followed(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    User.objects.create_user("editor", password="right", is_staff=True)
    target = reverse("admin:episodes_episode_changelist")
    response = Client().post(
        reverse("admin:login"), {"username": "editor", "password": "right", "next": target}
    )
    assert response["Location"] == target
