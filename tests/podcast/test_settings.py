import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from podcast import settings as site_settings
from tests.conftest import ROOT


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("true", True),
        ("YES", True),
        ("on", True),
        ("0", False),
        ("false", False),
        ("no", False),
        ("off", False),
        ("", True),
    ],
)
def test_booleans_are_read_in_every_usual_spelling(monkeypatch, raw, expected):
    monkeypatch.setenv("PODCAST_TEST_FLAG", raw)
    assert site_settings.env_bool("PODCAST_TEST_FLAG", True) is expected


@pytest.mark.parametrize(
    ("helper", "raw", "message"),
    [
        (
            lambda: site_settings.env_bool("X_VAR", False),
            "maybe",
            "X_VAR='maybe': expected true or false",
        ),
        (lambda: site_settings.env_int("X_VAR", 1), "ten", "X_VAR='ten': expected a whole number"),
        (lambda: site_settings.env_int("X_VAR", 1, minimum=1), "0", "expected a whole number >= 1"),
        (
            lambda: site_settings.env_url("X_VAR", "", schemes=("redis",)),
            "localhost:6379",
            "X_VAR='localhost:6379': expected a URL starting with one of redis://",
        ),
        (
            lambda: site_settings.env_database("X_VAR", ""),
            "mysq://nowhere",
            "X_VAR='mysq://nowhere'",
        ),
    ],
)
def test_a_malformed_value_names_the_variable_and_what_it_expected(
    monkeypatch, helper, raw, message
):
    monkeypatch.setenv("X_VAR", raw)
    with pytest.raises(ImproperlyConfigured, match=message.replace("(", r"\(").replace(")", r"\)")):
        helper()


def test_lists_are_comma_separated(monkeypatch):
    monkeypatch.setenv("X_VAR", "a.example, b.example,,")
    assert site_settings.env_list("X_VAR", []) == ["a.example", "b.example"]


def test_database_urls_choose_the_engine(monkeypatch):
    monkeypatch.setenv("X_VAR", "postgres://postgres@127.0.0.1:5432/podcast")
    config = site_settings.env_database("X_VAR", "")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "podcast"


def start_with(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    clean.update(env)
    code = "import django; django.setup(); print('started')"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "0"}, "SECRET_KEY: must be set when DEBUG is off"),
        ({"DEBUG": "0", "SECRET_KEY": site_settings.DEV_SECRET_KEY}, "development key is refused"),
        ({"DEBUG": "perhaps"}, "DEBUG='perhaps': expected true or false"),
        ({"DEBUG": "1", "PODCAST_MAX_UPLOAD_MB": "lots"}, "PODCAST_MAX_UPLOAD_MB='lots'"),
        (
            {"DEBUG": "1", "CELERY_BROKER_URL": "127.0.0.1:6379"},
            "CELERY_BROKER_URL='127.0.0.1:6379'",
        ),
        ({"DEBUG": "1", "PODCAST_SITE_URL": "example.org"}, "PODCAST_SITE_URL='example.org'"),
        ({"DEBUG": "1", "CACHE_URL": "memcache://x"}, "CACHE_URL='memcache://x'"),
    ],
)
def test_start_up_stops_with_a_clear_message_on_bad_configuration(env, message):
    result = start_with(env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_start_up_succeeds_on_the_embedded_default_in_debug():
    result = start_with({"DEBUG": "1", "PODCAST_DATA_DIR": str(ROOT / "var" / "test-startup")})
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout
