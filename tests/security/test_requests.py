"""The site's security promises on requests: read-only in public, staff-only and CSRF-protected
writes, nothing unpublished leaks, uploads are tamed, and hostile paths, queries and
XML-breaking characters never get an error or break the feed."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, transaction
from django.test import Client
from django.utils import timezone
from lxml import etree

from episodes import search
from episodes.forms import check_audio_upload
from episodes.models import Episode
from episodes.services import store_audio_upload
from episodes.uploads import audio_upload_path
from tests.factories import (
    ChapterFactory,
    EpisodeFactory,
    PersonFactory,
    ShowFactory,
    published_episode,
)
from tests.security.conftest import TRANSCRIPT_FORMATS, built_transcript, public_urls

# Also run by .ci/run on PostgreSQL: nothing may leak there either.
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


# --- Public URLs are read-only --------------------------------------------------------


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_every_public_url_refuses_writes_with_405(anonymous, episode, method) -> None:
    for url in public_urls(episode):
        response = getattr(anonymous, method)(url)
        assert response.status_code == 405, f"{method.upper()} {url}: {response.status_code}"
        assert "GET" in response["Allow"], url


def test_every_public_url_answers_get_and_head(anonymous, episode) -> None:
    for url in public_urls(episode):
        assert anonymous.get(url).status_code in (200, 301, 302), url
        assert anonymous.head(url).status_code in (200, 301, 302), url


# --- Writes are staff-only and CSRF-protected -----------------------------------------


@pytest.fixture
def staff() -> User:
    return User.objects.create_user("editor", password="pw", is_staff=True, is_superuser=True)


def admin_change_url(episode: Episode) -> str:
    return f"/admin/episodes/episode/{episode.pk}/change/"


def test_an_admin_post_without_a_csrf_token_is_refused(episode, staff) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    assert client.get(admin_change_url(episode)).status_code == 200
    response = client.post(admin_change_url(episode), {"title": "Defaced"})
    assert response.status_code == 403
    assert Episode.objects.get(pk=episode.pk).title == "Public one"
    assert client.post("/admin/episodes/episode/add/", {"title": "New"}).status_code == 403
    assert (
        client.post(f"/admin/episodes/episode/{episode.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert Episode.objects.filter(pk=episode.pk).exists()


@pytest.mark.parametrize("is_staff", [None, False])
def test_only_staff_reach_the_admin(episode, is_staff) -> None:
    client = Client()
    if is_staff is not None:
        client.force_login(User.objects.create_user("listener", password="pw"))
    for url in ["/admin/", admin_change_url(episode), "/admin/episodes/episode/add/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url
    response = client.post(admin_change_url(episode), {"title": "Defaced"})
    assert response.status_code == 302
    assert Episode.objects.get(pk=episode.pk).title == "Public one"


def test_the_login_form_itself_needs_a_csrf_token(staff) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "editor", "password": "pw"})
    assert response.status_code == 403


# --- Nothing unpublished leaks --------------------------------------------------------


HIDDEN_KINDS = ["draft", "scheduled", "audio-pending", "audio-failed"]


def hidden_episode(kind: str, show, tone) -> Episode:
    """An episode the public must not see: a draft, scheduled, or past its time without audio."""
    yesterday = timezone.now() - dt.timedelta(days=1)
    fields = {"show": show, "number": 907, "slug": "qqhiddenqq"}
    if kind == "draft":
        episode = published_episode(tone, **fields, publish_at=None)
    elif kind == "scheduled":
        episode = published_episode(tone, **fields, publish_at=yesterday + dt.timedelta(days=4))
    else:
        # Published by the editor, but the worker has not served (or could not read) the audio.
        episode = EpisodeFactory(**fields, publish_at=yesterday)
        store_audio_upload(episode=episode, upload=ContentFile(tone, name="upload.mp3"))
        if kind == "audio-failed":
            episode.mark_audio_failed("the file holds no MPEG audio")
        assert not episode.audio
    episode.title, episode.summary = "Zanzibar secret", "Zanzibar summary"
    episode.save()
    transcript = built_transcript(episode, "00:00:01 zanzibar in the transcript\n")
    ChapterFactory(episode=episode, title="Zanzibar chapter")
    person = PersonFactory(slug="only-hidden")
    episode.credits.create(person=person)
    # As if the index had it (an episode unpublished after it was indexed, say).
    search.index_episode(episode)
    search.index_transcript(transcript)
    return episode


def hidden_urls(episode: Episode) -> list[str]:
    transcript = episode.transcript_url()
    return [
        episode.get_absolute_url(),
        f"/episodes/show/{episode.number}",
        transcript,
        *[f"{transcript}.{fmt}" for fmt in TRANSCRIPT_FORMATS],
        f"/episodes/chapters/{episode.number}.json",
        episode.download_url(),
        "/people/only-hidden",
    ]


# What the hidden episode holds; a search page may echo the query ("zanzibar") itself.
SECRETS = ["Zanzibar secret", "Zanzibar summary", "in the transcript", "Zanzibar chapter",
           "/907", "qqhiddenqq", "only-hidden"]  # fmt: skip
LISTINGS = [
    "/",
    "/episodes/",
    "/episodes/rss",
    "/episodes/rss_full_history",
    "/search?q=zanzibar",
    "/search?q=transcript",
    "/sitemap.xml",
    "/sponsors",
]


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
@pytest.mark.parametrize("redirect_audio", [False, True])
def test_nothing_unpublished_leaks(anonymous, settings, show, tone, episode, kind, redirect_audio):
    settings.PODCAST_AUDIO_REDIRECT = redirect_audio
    hidden = hidden_episode(kind, show, tone)
    for url in hidden_urls(hidden):
        assert anonymous.get(url).status_code == 404, url
    for url in LISTINGS:
        response = anonymous.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for marker in SECRETS + [str(hidden.guid)]:
            assert marker not in body, (url, marker)


# --- Uploads ---------------------------------------------------------------------------


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="audio/mpeg")


def test_an_upload_over_the_size_cap_is_refused(settings, tone) -> None:
    settings.PODCAST_MAX_UPLOAD_MB = 1
    big = tone * (1024 * 1024 // len(tone) + 1)
    with pytest.raises(ValidationError, match="largest upload accepted is 1 MB"):
        check_audio_upload(upload("big.mp3", big))
    assert check_audio_upload(upload("fits.mp3", tone))


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("evil.mp3", b"<?php system($_GET['c']); ?>" * 10),
        ("page.mp3", b"<html><script>alert(1)</script></html>"),
        ("empty.mp3", b""),
        ("image.mp3", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100),
    ],
)
def test_an_upload_is_judged_by_its_content_not_its_name(show, anonymous, name, data) -> None:
    from episodes.services import process_audio, store_audio_upload

    episode = EpisodeFactory(show=show, number=13, publish_at=timezone.now())
    store_audio_upload(episode=episode, upload=upload(name, data))
    process_audio(episode_id=episode.pk)
    episode.refresh_from_db()
    # Kept for the editor, refused by the worker, never served.
    assert episode.audio_status == "failed" and episode.audio_upload.read() == data
    assert anonymous.get(episode.download_url()).status_code == 404


def test_real_audio_with_a_misleading_name_is_accepted_by_content(show, tone) -> None:
    from episodes.services import process_audio, store_audio_upload

    episode = EpisodeFactory(show=show, number=14)
    store_audio_upload(episode=episode, upload=upload("notes.txt", tone))
    process_audio(episode_id=episode.pk)
    episode.refresh_from_db()
    assert episode.audio_status == "ready" and episode.audio.name.endswith(".mp3")


@pytest.mark.parametrize(
    "hostile",
    ["../../etc/passwd.mp3", "/etc/passwd", "..\\..\\boot.ini.mp3", "a\x00b.mp3", "x" * 500 + ".mp3",
     "<script>.mp3", "episode.mp3.php"],
)  # fmt: skip
def test_an_upload_is_stored_under_a_generated_name(show, media_root, tone, hostile) -> None:
    episode = EpisodeFactory(show=show, number=12)
    name = audio_upload_path(episode, hostile)
    assert name.startswith("uploads/main/0012-") and ".." not in name and "\\" not in name
    episode.audio_upload.save(hostile, ContentFile(tone), save=False)
    stored = (media_root / episode.audio_upload.name).resolve()
    assert stored.is_relative_to((media_root / "uploads" / "main").resolve())
    assert stored.read_bytes() == tone


def test_audio_is_served_with_nosniff(anonymous, episode) -> None:
    response = anonymous.get(episode.download_url())
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "audio/mpeg"


# --- Hostile paths and query strings never get a 500 ---------------------------------

HOSTILE_PATHS = [
    "/episodes/show/1/..%2F..%2Fetc%2Fpasswd",
    "/episodes/show/1/../../etc/passwd",
    "/episodes/show/1/%00",
    "/episodes/show/1/x%00y",
    "/episodes/show/1/" + "a" * 5000,
    "/episodes/show/99999999999999999999999999",
    "/episodes/show/-1/x",
    "/episodes/download/1/..%2F..%2Fetc%2Fpasswd.mp3",
    "/episodes/download/1/%2e%2e%2f%2e%2e%2fsettings.mp3",
    "/episodes/download/99999999999999999999999999/x.mp3",
    "/episodes/transcript/1/..%2F..%2Fetc%2Fpasswd.vtt",
    "/episodes/transcript/1/%00.json",
    "/episodes/transcript/99999999999999999999999999/x.srt",
    "/episodes/chapters/99999999999999999999999999.json",
    "/episodes/chapters/1%00.json",
    "/people/..%2F..%2Fetc",
    "/people/%00",
    "/sponsor/%00",
    "/sponsor/" + "a" * 5000,
    "/shows/..%2F..%2F/episodes/",
    "/shows/%00/episodes/rss",
    "/shows/" + "a" * 5000 + "/",
    "/media/../../etc/passwd",
    "/static/../../podcast/settings.py",
    "/static/..%2F..%2Fpodcast%2Fsettings.py",
    "/%C0%AE%C0%AE/%C0%AE%C0%AE/etc/passwd",
    "/episodes/show/1/%ff%fe",
]


@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_a_hostile_path_is_not_found_or_redirected_never_an_error(anonymous, episode, path):
    response = anonymous.get(path)
    assert response.status_code in (301, 302, 400, 404), response.status_code
    if response.status_code in (301, 302):
        assert response["Location"].startswith("/"), "redirects stay on the site"
    assert b"root:" not in response.content and b"SECRET_KEY" not in response.content


HOSTILE_QUERIES = [
    "page=-1", "page=0", "page=abc", "page=99999999999999999999999", "page=1e9", "page=%00",
    "page=1&page=2&page=x", "t=NaN", "t=inf", "t=-1", "t=99999999999999999999:99:99", "t=%00",
    "q=" + "a" * 10_000, "q=%00", "q=%22%27%3C%3E%2A%28%29%3A%5E", "q=AND+OR+NOT+NEAR", "q=*",
    "q=a&q=b&q=c", "preview=" + "x" * 5000, "preview=%00", "v=-1", "v=abc", "%ff=%fe",
]  # fmt: skip
QUERY_TARGETS = ["/", "/episodes/", "/episodes/show/1/public", "/search", "/episodes/rss",
                 "/episodes/rss_full_history", "/people/pat", "/episodes/transcript/1/public",
                 "/episodes/download/1/public.mp3", "/sitemap.xml"]  # fmt: skip


@pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=lambda q: q[:30])
def test_a_hostile_query_string_never_gets_a_server_error(anonymous, episode, query) -> None:
    episode.credits.create(person=PersonFactory(slug="pat"))
    for target in QUERY_TARGETS:
        response = anonymous.get(f"{target}?{query}")
        assert response.status_code < 500, (target, response.status_code)


def test_ten_thousand_query_parameters_get_a_clean_answer(anonymous, episode) -> None:
    query = "&".join(f"p{i}=x" for i in range(10_000))
    for target in QUERY_TARGETS:
        response = anonymous.get(f"{target}?{query}")
        assert response.status_code in (200, 301, 302, 400, 404), (target, response.status_code)


# --- Characters that break XML never break the feed -----------------------------------

XML_BREAKERS = [chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]] + [
    "\ufffe", "\uffff", "\ud800", "\udfff", "\x7f", "\x85", "\u2028",
]  # fmt: skip
FEED_TEXT_FIELDS = {
    "show": ["title", "description", "author", "owner_name", "copyright"],
    "episode": ["title", "summary", "show_notes", "soundbite_title"],
    "person": ["name"],
    "chapter": ["title"],
}


def saved_if_the_database_allows(instance, field: str, value: str) -> bool:
    setattr(instance, field, value)
    try:
        with transaction.atomic():
            instance.save()
        return True
    except (DatabaseError, UnicodeEncodeError, ValueError):
        return False  # e.g. PostgreSQL refuses NUL; nobody can store it, so no feed shows it


@pytest.mark.parametrize("char", XML_BREAKERS, ids=lambda c: f"U+{ord(c):04X}")
def test_characters_that_break_xml_in_every_feed_field_leave_a_feed_that_parses(
    anonymous, tone, char
) -> None:
    show = ShowFactory(slug="main")
    episode = published_episode(tone, show=show, number=1, slug="x", soundbite_start=1.0,
                                soundbite_duration=1.0)  # fmt: skip
    person = PersonFactory(slug="pat")
    episode.credits.create(person=person)
    chapter = ChapterFactory(episode=episode)
    objects = {"show": show, "episode": episode, "person": person, "chapter": chapter}
    stored = []
    for kind, fields in FEED_TEXT_FIELDS.items():
        for field in fields:
            value = f"before{char}after {field}"
            if saved_if_the_database_allows(objects[kind], field, value):
                stored.append(field)
            else:
                objects[kind].refresh_from_db()
    for url in ["/episodes/rss", "/episodes/rss_full_history", "/episodes/chapters/1.json"]:
        response = anonymous.get(url)
        assert response.status_code == 200, url
        if "rss" in url:
            root = etree.fromstring(response.content)  # strict: raises on any illegal character
            assert root.tag == "rss"
    if stored:
        assert b"before" in anonymous.get("/episodes/rss").content
