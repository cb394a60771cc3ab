"""The site's security promises, one table each: read-only in public, staff-only and
CSRF-protected writes, nothing unpublished leaks, uploads are tamed, and hostile
input never executes, never escapes a path and never breaks a page or the feed."""

import datetime as dt
import json
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, models, transaction
from django.test import Client
from django.utils import timezone
from lxml import etree

from episodes import search
from episodes.forms import check_audio_upload
from episodes.importing.models import FeedImport
from episodes.models import Episode, Show, ShowHost
from episodes.services import store_audio_upload
from episodes.uploads import audio_upload_path
from tests.factories import (
    ChapterFactory,
    EpisodeFactory,
    PersonFactory,
    ShowFactory,
    ShowNoteLinkFactory,
    SponsorFactory,
    published_episode,
)
from transcripts import files
from transcripts.models import Segment, Transcript
from transcripts.services import process_transcript, render_segments, store_transcript_source

# Also run by .ci/run on PostgreSQL: nothing may leak there either.
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

TRANSCRIPT_FORMATS = ["vtt", "srt", "json", "txt", "html"]


def built_transcript(episode: Episode, text: str) -> Transcript:
    """A transcript through the real build: parsed, stored, rendered and indexed."""
    transcript = store_transcript_source(episode=episode, text=text)
    process_transcript(transcript_id=transcript.pk)
    transcript.refresh_from_db()
    assert transcript.is_ready(), transcript.error
    return transcript


def rerender(transcript: Transcript) -> None:
    """After segments were edited in place: the page, index and files, as a rebuild makes them."""
    transcript.rendered_html = render_segments(transcript.episode, transcript.segments.all())
    transcript.built_at = transcript.good_build_at = timezone.now()
    transcript.save()
    search.index_transcript(transcript)
    files.write_all(transcript)


@pytest.fixture
def show():
    return ShowFactory(slug="main", title="Safe Show")


@pytest.fixture
def episode(show, tone):
    episode = published_episode(tone, show=show, number=1, slug="public", title="Public one")
    built_transcript(episode, "00:00:01 hello world\n")
    ChapterFactory(episode=episode, title="Start")
    return episode


@pytest.fixture
def anonymous() -> Client:
    return Client(raise_request_exception=False)


def public_urls(episode: Episode) -> list[str]:
    show = episode.show
    number, slug = episode.number, episode.slug
    person = PersonFactory(slug="pat")
    episode.credits.create(person=person)
    episode.sponsorships.create(sponsor=SponsorFactory(slug="acme"))
    return [
        "/",
        "/episodes/",
        episode.get_absolute_url(),
        f"/episodes/show/{number}",
        episode.transcript_url(),
        *[f"{episode.transcript_url()}.{fmt}" for fmt in TRANSCRIPT_FORMATS],
        f"/episodes/chapters/{number}.json",
        episode.download_url(),
        "/episodes/rss",
        "/episodes/rss_full_history",
        "/people/pat",
        "/sponsors",
        "/sponsor/acme",
        "/search?q=hello",
        "/robots.txt",
        "/sitemap.xml",
        "/healthz",
        f"/shows/{show.slug}/episodes/show/{number}/{slug}",
    ]


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


# --- Hostile text never executes -------------------------------------------------------

XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'><svg onload=alert(3)>javascript:alert(4)"
SAFE_SCRIPTS = [
    {"type": "application/ld+json"},
    {"src": "/static/js/player.js"},
    {"src": "/static/js/copy.js"},
]


class Executables(HTMLParser):
    """Everything in a document that a browser could run."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.scripts: list[dict] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts.append({k: v for k, v in attrs if k in ("type", "src")})
        if tag in ("iframe", "object", "embed", "svg", "math", "base", "style"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(f"{tag}[{name}]")
            if name in ("href", "src", "action", "formaction") and value:
                scheme = urlsplit("".join(value.split())).scheme.lower()
                if scheme in ("javascript", "vbscript", "data"):
                    self.found.append(f"{tag}[{name}={value!r}]")


def executables(html: str) -> Executables:
    parser = Executables()
    parser.feed(html)
    return parser


@pytest.fixture
def hostile_show(tone):
    show = ShowFactory(
        slug="main", title=f"Show {XSS}", description=XSS, author=XSS, owner_name=XSS,
        copyright=XSS, promo_banner=XSS,
    )  # fmt: skip
    episode = published_episode(
        tone, show=show, number=1, slug="x", title=f"Title {XSS}", summary=XSS,
        show_notes=f"Notes {XSS}\n\n[click](javascript:alert(5))", soundbite_title=XSS,
        soundbite_start=1.0, soundbite_duration=1.0,
    )  # fmt: skip
    person = PersonFactory(name=f"Pat {XSS}", slug="pat", bio=XSS, url="javascript:alert(6)")
    episode.credits.create(person=person)
    sponsor = SponsorFactory(name=f"Acme {XSS}", slug="acme", description=XSS)
    episode.sponsorships.create(sponsor=sponsor)
    ShowNoteLinkFactory(episode=episode, title=f"Link {XSS}", description=XSS, picked_by=person)
    ChapterFactory(episode=episode, title=f"Chapter {XSS}")
    transcript = built_transcript(episode, "00:00:01 alert\n")
    transcript.segments.update(text=f"alert {XSS}", speaker=XSS)  # as an editor could
    rerender(transcript)
    search.index_episode(episode)
    search.index_transcript(transcript)
    return episode


def test_hostile_text_in_every_field_renders_inert_on_every_page(anonymous, hostile_show) -> None:
    episode = hostile_show
    pages = ["/", "/episodes/", episode.get_absolute_url(), episode.transcript_url(),
             f"{episode.transcript_url()}.html", "/people/pat", "/sponsors", "/search?q=alert"]  # fmt: skip
    for url in pages:
        response = anonymous.get(url)
        assert response.status_code == 200, url
        found = executables(response.content.decode())
        assert found.found == [], url
        assert all(script in SAFE_SCRIPTS for script in found.scripts), (url, found.scripts)


def feed_html(anonymous, xpath: str) -> list[str]:
    root = etree.fromstring(anonymous.get("/episodes/rss").content)
    assert not root.xpath("//*[local-name()='script']")
    return root.xpath(xpath)


def test_hostile_text_stays_inert_in_the_html_of_feed_items(anonymous, hostile_show) -> None:
    # Podcast apps render an item's description and content:encoded as HTML.
    texts = feed_html(
        anonymous, "//item/description/text() | //item/*[local-name()='encoded']/text()"
    )
    assert texts
    for text in texts:
        found = executables(text)
        assert found.found == [] and found.scripts == [], text


def test_hostile_text_stays_inert_in_the_channel_description(anonymous, hostile_show) -> None:
    texts = feed_html(anonymous, "/rss/channel/description/text()")
    assert texts
    for text in texts:
        assert executables(text).found == [], text


# --- Every text field of every model, as hostile as its model lets it be ---------------

OUR_APPS = ("episodes", "transcripts")
TEXT_PAYLOADS = [XSS, "<svg onload=alert(1)>", "<script>alert(1)", '"><b onclick=x>', "<script>"]
URL_PAYLOADS = [
    "javascript:alert(1)//{number}",
    'https://x.example/"><svg/onload=alert(1)>{number}',
    'https://x.example/"onmouseover="alert(1)',
]
EMAIL_PAYLOADS = ['"<script>alert(1)</script>"@example.com']
# A show with a new feed URL has moved: its feed answers 301 (tested on its own below).
PLANTED_ELSEWHERE = {"Show.new_feed_url"}


def text_fields(model: type[models.Model]) -> list[models.Field]:
    """What editors type (or uploads carry): every editable char, text, URL and email field."""
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField) and field.editable
    ]


def payloads_for(field: models.Field) -> list[str]:
    if isinstance(field, models.URLField) or "url" in field.name:
        return URL_PAYLOADS + TEXT_PAYLOADS
    if isinstance(field, models.EmailField):
        return EMAIL_PAYLOADS + TEXT_PAYLOADS
    return TEXT_PAYLOADS


def plant(instance: models.Model, field: models.Field) -> str | None:
    """Store the most hostile payload the model accepts in `field`; None if it refuses all.

    full_clean decides, as the admin's forms do; a refusal must come from the field itself.
    """
    original = getattr(instance, field.attname)
    others = [f.name for f in instance._meta.fields if f.name != field.name]
    for payload in payloads_for(field):
        setattr(instance, field.attname, payload)
        try:
            instance.full_clean(exclude=others, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            assert set(error.message_dict) <= {field.name, "__all__"}, error.message_dict
            continue
        instance.save()
        return payload
    setattr(instance, field.attname, original)
    return None


@pytest.fixture
def hostile_world(tone) -> dict[str, str | None]:
    """A row of every model; every text field holds what `plant` could store there."""
    show = ShowFactory(slug="main", title="Safe Show")
    episode = published_episode(tone, show=show, number=1, slug="x", title="Safe title",
                                soundbite_start=1.0, soundbite_duration=1.0)  # fmt: skip
    person, sponsor = PersonFactory(slug="pat"), SponsorFactory(slug="acme")
    transcript = built_transcript(episode, "00:00:01 Pat: Hello alert.\n")
    feed_import = FeedImport.objects.create(show=show, url="https://old.example/feed.xml")
    rows = [
        show,
        show.funding_links.create(url="https://example.org/support", label="Support"),
        person,
        ShowHost.objects.create(show=show, person=person),
        sponsor,
        episode,
        episode.credits.create(person=person),
        episode.sponsorships.create(sponsor=sponsor),
        ShowNoteLinkFactory(episode=episode, picked_by=person),
        ChapterFactory(episode=episode, url="https://example.org/chapter"),
        Transcript.objects.get(pk=transcript.pk),
        *Segment.objects.filter(transcript=transcript),
        feed_import,
        feed_import.items.create(episode=episode, enclosure_url="https://old.example/1.mp3"),
    ]
    feed_import = FeedImport.objects.create(show=show, url="https://example.org/feed.xml")
    rows += [
        feed_import,
        feed_import.items.create(episode=episode, enclosure_url="https://example.org/1.mp3"),
    ]
    planted_models = {type(row) for row in rows}
    models_of_our_apps = {m for label in OUR_APPS for m in apps.get_app_config(label).get_models()}
    assert models_of_our_apps <= planted_models, "a new model needs a row here"
    planted = {}
    for row in rows:
        for field in text_fields(type(row)):
            name = f"{type(row).__name__}.{field.name}"
            if name not in PLANTED_ELSEWHERE:
                planted[name] = plant(row, field)
    # What the site derives from the text, as the code that saves it does.
    episode.refresh_from_db()
    episode.save()
    transcript.refresh_from_db()
    rerender(transcript)
    search.index_episode(episode)
    return planted


def test_every_text_field_holds_a_payload_or_its_model_refuses_all(hostile_world) -> None:
    stored = {name for name, payload in hostile_world.items() if payload}
    refused = {name for name, payload in hostile_world.items() if payload is None}
    # Free text takes anything; slugs and choices refuse markup (and full_clean said so).
    for name in ["Show.title", "Show.description", "Show.promo_banner", "Episode.title",
                 "Episode.show_notes", "Person.bio", "Sponsor.description", "Segment.text",
                 "Segment.speaker", "ShowNoteLink.description", "Chapter.title",
                 "FundingLink.label", "Show.owner_email", "ShowNoteLink.url", "Person.url"]:  # fmt: skip
        assert name in stored, name
    assert {"Show.slug", "Episode.slug", "Person.slug", "Sponsor.slug", "Show.show_type",
            "ShowHost.role", "Episode.episode_type"} <= refused  # fmt: skip
    assert hostile_world["Person.url"].startswith("https://"), "javascript: is refused"


def hostile_world_urls() -> list[str]:
    episode = Episode.objects.get(number=1)
    transcript = episode.transcript_url()
    return ["/", "/episodes/", episode.get_absolute_url(), transcript, f"{transcript}.html",
            "/people/pat", "/sponsors", "/search?q=alert", "/search?q=script", "/search?q=onload",
            "/shows/main/", "/shows/main/episodes/show/1/x"]  # fmt: skip


SAFE_SCHEMES = ("", "http", "https", "mailto")


def scheme_of(url: str) -> str:
    return urlsplit("".join(url.split())).scheme.lower()


def test_every_page_stays_inert_with_every_field_hostile(anonymous, hostile_world) -> None:
    for url in hostile_world_urls():
        response = anonymous.get(url, follow=True)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("text/html"), url
        body = response.content.decode()
        assert "alert(" in body or "/search" in url, f"{url}: the hostile text did not reach it"
        found = executables(body)
        assert found.found == [], (url, found.found)
        assert all(script in SAFE_SCRIPTS for script in found.scripts), (url, found.scripts)


URL_ATTRIBUTES = ("url", "href", "img", "src")


@pytest.mark.parametrize("url", ["/episodes/rss", "/episodes/rss_full_history", "/sitemap.xml"])
def test_every_feed_stays_well_formed_and_inert_with_every_field_hostile(
    anonymous, hostile_world, url
) -> None:
    content = anonymous.get(url).content
    root = etree.fromstring(content)  # strict: raises on malformed XML
    assert b"alert(" in content or "sitemap" in url, "the hostile text reached the feed"
    assert not root.xpath("//*[local-name()='script']")
    for element in root.iter():
        for name in URL_ATTRIBUTES:
            if element.get(name) is not None:
                assert scheme_of(element.get(name)) in SAFE_SCHEMES, (element.tag, name)
        local = etree.QName(element).localname
        if local in ("link", "loc", "new-feed-url") and element.text:
            assert scheme_of(element.text) in SAFE_SCHEMES, element.text
        if local in ("description", "encoded", "summary") and element.text:
            found = executables(element.text)
            assert found.found == [] and found.scripts == [], element.text


def json_urls(value: object) -> list[str]:
    if isinstance(value, dict):
        return [v for k, v in value.items() if k in URL_ATTRIBUTES and isinstance(v, str)] + [
            url for v in value.values() for url in json_urls(v)
        ]
    if isinstance(value, list):
        return [url for item in value for url in json_urls(item)]
    return []


@pytest.mark.parametrize("fmt", ["vtt", "srt", "json", "txt", "chapters"])
def test_transcript_and_chapter_files_stay_inert_with_every_field_hostile(
    anonymous, hostile_world, fmt
) -> None:
    episode = Episode.objects.get(number=1)
    url = "/episodes/chapters/1.json" if fmt == "chapters" else f"{episode.transcript_url()}.{fmt}"
    response = anonymous.get(url)
    assert response.status_code == 200
    # Data, never a document: a browser opening one shows text and runs nothing.
    assert not response["Content-Type"].startswith("text/html")
    assert response["X-Content-Type-Options"] == "nosniff"
    body = response.content.decode()
    if fmt in ("json", "chapters"):
        links = json_urls(json.loads(body))
        assert links or fmt == "json", "the chapters' hostile URLs are in the file"
        assert all(scheme_of(link) in SAFE_SCHEMES for link in links), links
    assert "alert(" in body, "the hostile text is there, as data"


def test_webvtt_escapes_markup_in_cue_text(anonymous, hostile_world) -> None:
    # WebVTT reads < as the start of a cue tag: the spec wants &lt; (and &amp;).
    episode = Episode.objects.get(number=1)
    body = anonymous.get(f"{episode.transcript_url()}.vtt").content.decode()
    assert "<script" not in body and "<svg" not in body and "&lt;script&gt;" in body


def test_a_hostile_new_feed_url_is_either_refused_or_a_safe_redirect(anonymous, show) -> None:
    payload = plant(show, Show._meta.get_field("new_feed_url"))
    assert payload is not None and payload.startswith("https://")
    response = anonymous.get("/episodes/rss")
    assert response.status_code == 301
    location = response["Location"]
    assert location.startswith("https://x.example/") and "<" not in location and '"' not in location


@pytest.mark.parametrize(
    "query",
    ["<script>alert(1)</script>", '"><svg onload=alert(1)>', "javascript:alert(1)",
     "' onmouseover='alert(1)", "</title><script>alert(1)</script>"],
)  # fmt: skip
def test_the_search_query_is_echoed_inert(anonymous, episode, query) -> None:
    response = anonymous.get("/search", {"q": query})
    assert response.status_code == 200
    found = executables(response.content.decode())
    assert found.found == [] and all(s in SAFE_SCRIPTS for s in found.scripts), found.found


HOSTILE_SLUGS = ["<script>alert(1)<%2Fscript>", '"><svg onload=alert(1)>', "javascript:alert(1)",
                 "x%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E", "%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"]  # fmt: skip
SLUG_PATHS = ["/episodes/show/1/{slug}", "/episodes/transcript/1/{slug}",
              "/episodes/transcript/1/{slug}.vtt", "/episodes/download/1/{slug}.mp3",
              "/shows/{slug}/", "/shows/{slug}/episodes/rss", "/shows/{slug}/episodes/show/1/public",
              "/shows/main/episodes/transcript/1/{slug}", "/people/{slug}", "/sponsor/{slug}"]  # fmt: skip


@pytest.mark.parametrize("slug", HOSTILE_SLUGS)
def test_a_hostile_slug_gets_a_redirect_or_not_found_and_is_never_echoed(anonymous, episode, slug):
    for template in SLUG_PATHS:
        path = template.format(slug=slug)
        response = anonymous.get(path)
        audio = response["Content-Type"].startswith("audio/")  # the slug of a download is cosmetic
        assert response.status_code in (301, 302, 404) or audio, (path, response.status_code)
        location = response.get("Location", "")
        assert "<" not in location and scheme_of(location) in SAFE_SCHEMES, (path, location)
        if response["Content-Type"].startswith("text/html"):
            found = executables(response.content.decode())
            assert found.found == [] and all(s in SAFE_SCRIPTS for s in found.scripts), path


def test_ten_thousand_query_parameters_get_a_clean_answer(anonymous, episode) -> None:
    query = "&".join(f"p{i}=x" for i in range(10_000))
    for target in QUERY_TARGETS:
        response = anonymous.get(f"{target}?{query}")
        assert response.status_code in (200, 301, 302, 400, 404), (target, response.status_code)


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
