"""The helpers settings.py reads the environment with (podcast/env.py)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from podcast import env


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
    assert env.env_bool("PODCAST_TEST_FLAG", True) is expected


@pytest.mark.parametrize(
    ("helper", "raw", "message"),
    [
        (
            lambda: env.env_bool("X_VAR", False),
            "maybe",
            "X_VAR='maybe': expected true or false",
        ),
        (lambda: env.env_int("X_VAR", 1), "ten", "X_VAR='ten': expected a whole number"),
        (lambda: env.env_int("X_VAR", 1, minimum=1), "0", "expected a whole number >= 1"),
        (
            lambda: env.env_url("X_VAR", "", schemes=("redis",)),
            "localhost:6379",
            "X_VAR='localhost:6379': expected a URL starting with one of redis://",
        ),
        (
            lambda: env.env_database("X_VAR", ""),
            "mysq://nowhere",
            "X_VAR='mysq://nowhere'",
        ),
        (
            lambda: env.env_url("X_VAR", "", schemes=("https",)),
            "https://",
            "X_VAR='https://': expected a URL starting with one of https://",
        ),
        (
            lambda: env.env_choice("X_VAR", "a", choices=("a", "b")),
            "c",
            "X_VAR='c': expected one of a, b",
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
    assert env.env_list("X_VAR", []) == ["a.example", "b.example"]


def test_choices_are_read_in_any_letter_case(monkeypatch):
    monkeypatch.setenv("X_VAR", " Warning ")
    assert env.env_choice("X_VAR", "INFO", choices=("INFO", "WARNING")) == "WARNING"


def test_an_optional_url_left_unset_is_empty(monkeypatch):
    monkeypatch.delenv("X_VAR", raising=False)
    assert env.env_url("X_VAR", "", schemes=("https",)) == ""


def test_database_urls_choose_the_engine(monkeypatch):
    monkeypatch.setenv("X_VAR", "postgres://postgres@127.0.0.1:5432/podcast")
    config = env.env_database("X_VAR", "")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "podcast"


@pytest.mark.parametrize(
    ("helper", "raw"),
    [
        (lambda: env.env_url("X_VAR", "", schemes=("filesystem",)), "filesystem://"),
        (lambda: env.env_url("X_VAR", "", schemes=("redis",)), "redis://:secret@cache:6379/1"),
        (lambda: env.env_hosts("X_VAR", []), ".example.com,[::1],127.0.0.1,*"),
        (lambda: env.env_origins("X_VAR"), "https://*.example.com,http://127.0.0.1:8000"),
        (lambda: env.env_time_zone("X_VAR", "UTC"), "America/Argentina/Buenos_Aires"),
        (lambda: env.env_line("X_VAR", ""), "default-src 'self'; img-src https:"),
    ],
)
def test_well_formed_values_pass(monkeypatch, helper, raw):
    monkeypatch.setenv("X_VAR", raw)
    assert helper()
