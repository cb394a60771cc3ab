"""A view that cannot reach the database answers 503 with Retry-After, never a traceback."""

import pytest
from django.db import InterfaceError, OperationalError
from django.test import RequestFactory

from podcast.middleware import DatabaseUnavailableMiddleware


def middleware() -> DatabaseUnavailableMiddleware:
    return DatabaseUnavailableMiddleware(lambda request: None)


@pytest.mark.parametrize("error", [OperationalError("server closed"), InterfaceError("closed")])
def test_a_lost_database_answers_503_with_retry_after(error):
    response = middleware().process_exception(RequestFactory().get("/"), error)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert b"Temporarily unavailable" in response.content
    assert b"server closed" not in response.content


def test_other_errors_are_left_to_django():
    assert middleware().process_exception(RequestFactory().get("/"), ValueError("x")) is None
