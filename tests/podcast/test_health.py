"""GET /healthz: the database and the broker the tasks go to, never cached."""

import socket

import pytest
from django.test import Client
from django.urls import reverse

from podcast.celery import app
from tests.conftest import sending_to
from tests.missing import missing

# Also run by .ci/run against Redis as the broker.
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def redis_running() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


def test_it_answers_ok_for_the_database_and_the_embedded_broker(client: Client) -> None:
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_it_answers_ok_with_a_redis_broker(client: Client) -> None:
    if not redis_running():
        missing("needs Redis on 127.0.0.1:6379 (.ci/run starts it)")
    with sending_to("redis://127.0.0.1:6379/15"):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200, response.content
    assert response.json() == {"database": "ok", "broker": "ok"}


def test_a_broker_that_is_down_gets_503_naming_it(client: Client) -> None:
    before = app.conf.broker_write_url
    with sending_to("redis://127.0.0.1:1/0"):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "error"}
    assert "no-store" in response["Cache-Control"]
    assert app.conf.broker_write_url == before  # restored for the other tests


def test_a_filesystem_broker_folder_that_cannot_be_written_gets_503(client: Client, tmp_path):
    missing = str(tmp_path / "gone")
    with sending_to("filesystem://", data_folder_in=missing, data_folder_out=missing):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["broker"] == "error"


def test_it_is_read_only(client: Client) -> None:
    assert client.head(reverse("healthz")).status_code == 200
    assert client.post(reverse("healthz")).status_code == 405
