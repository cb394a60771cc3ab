"""Production settings pass Django's deployment checks; the image's build steps work."""

import json
import os
import secrets
import subprocess
import sys

import pytest

from tests.conftest import ROOT

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "PODCAST_SITE_URL": "https://podcast.example.com",
    "ALLOWED_HOSTS": "podcast.example.com",
    # Several web processes need one cache (podcast.W001 says so otherwise).
    "CACHE_URL": "redis://redis.internal:6379/1",
}
AT_SCALE = {
    **PRODUCTION,
    "DATABASE_URL": "postgres://podcast:secret@db.internal:5432/podcast",
    "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
    "AWS_STORAGE_BUCKET_NAME": "podcast-media",
    "AWS_S3_ENDPOINT_URL": "https://fra1.digitaloceanspaces.com",
    "AWS_S3_REGION_NAME": "fra1",
    "PODCAST_BEHIND_PROXY": "1",
}


def manage(tmp_path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    # Playwright's plugin sets DJANGO_ALLOW_ASYNC_UNSAFE for the browser tests; a
    # deployment never has it, and check --deploy rightly refuses it.
    skip = ("DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(skip)}
    clean.update(env, PODCAST_DATA_DIR=str(tmp_path))
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.mark.parametrize("env", [PRODUCTION, AT_SCALE], ids=["embedded", "at-scale"])
def test_check_deploy_finds_no_issues_with_production_settings(tmp_path, env) -> None:
    result = manage(tmp_path, env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr


def test_check_deploy_does_warn_about_a_site_served_over_plain_http(tmp_path) -> None:
    # The same command notices a real problem, so the clean run above means something.
    env = {**PRODUCTION, "PODCAST_SITE_URL": "http://podcast.example.com"}
    result = manage(tmp_path, env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "security.W008" in result.stderr and "security.W004" in result.stderr


def test_check_deploy_warns_that_a_per_process_cache_weakens_the_login_lockout(tmp_path) -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != "CACHE_URL"}
    result = manage(tmp_path, env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "(podcast.W001)" in result.stderr
    assert "N x 5 guesses" in result.stderr and "CACHE_URL=redis://" in result.stderr


def test_the_image_build_step_collects_hashed_static_files(tmp_path) -> None:
    env = {"DEBUG": "0", "SECRET_KEY": "collectstatic-at-build-time-only-never-used"}
    result = manage(tmp_path, env, "collectstatic", "--noinput")
    assert result.returncode == 0, result.stderr
    static = tmp_path / "static"
    assert (static / "staticfiles.json").is_file()
    assert list(static.glob("css/site.*.css.gz")), "compressed, hashed CSS for WhiteNoise"
    assert (static / "admin" / "js").is_dir()


def test_a_bucket_name_moves_media_to_s3_and_lets_pages_play_from_it(tmp_path) -> None:
    code = (
        "from django.conf import settings as s; "
        "print(s.STORAGES['default']['BACKEND']); print(s.PODCAST_AUDIO_REDIRECT); "
        "print(s.STORAGES['default']['OPTIONS']['querystring_auth']); print(s.PODCAST_CSP)"
    )
    result = manage(tmp_path, AT_SCALE, "shell", "--no-imports", "-c", code)
    assert result.returncode == 0, result.stderr
    backend, redirect, signed, csp = result.stdout.splitlines()[-4:]
    assert backend == "storages.backends.s3.S3Storage"
    assert redirect == "True" and signed == "True"
    assert "media-src 'self' https://fra1.digitaloceanspaces.com https://*.fra1." in csp


def dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text()


def procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def test_the_procfile_releases_with_migrate_and_runs_web_and_worker() -> None:
    processes = procfile()
    assert processes["release"] == "python manage.py migrate --noinput"
    assert processes["web"].startswith("granian --interface wsgi podcast.wsgi:application ")
    assert processes["worker"].startswith("celery -A podcast worker ")


def test_the_image_runs_the_procfile_web_as_a_user_other_than_root() -> None:
    lines = [line.strip() for line in dockerfile().splitlines()]
    assert "FROM python:3.11-slim" in lines
    assert "RUN pip install ." in lines
    assert any("manage.py collectstatic --noinput" in line for line in lines)
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    cmd = json.loads(next(line for line in lines if line.startswith("CMD ")).removeprefix("CMD "))
    assert cmd == ["sh", "-c", "exec " + procfile()["web"]]
