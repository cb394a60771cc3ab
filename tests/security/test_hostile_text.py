"""Hostile text never executes: in every field of every model, on every page, in every feed
and transcript file, in slugs and in the search query."""

import json
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from lxml import etree

from episodes import search
from episodes.importing.models import FeedImport
from episodes.models import Episode, Show, ShowHost
from tests.factories import (
    ChapterFactory,
    PersonFactory,
    ShowFactory,
    ShowNoteLinkFactory,
    SponsorFactory,
    published_episode,
)
from tests.security.conftest import built_transcript, rerender
from tests.security.executables import SAFE_SCRIPTS, executables
from transcripts.models import Segment, Transcript

# Also run by .ci/run on PostgreSQL: nothing may leak there either.
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


# --- Hostile text never executes -------------------------------------------------------

XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'><svg onload=alert(3)>javascript:alert(4)"


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
    if isinstance(field, models.URLField) or "url" in field.name or field.name == "uri":
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
        show.live_items.create(
            title="Live", start=episode.publish_at, content_url="https://youtube.com/live"
        ),
        show.txts.create(purpose="verify", text="safe"),
        show.podroll.create(
            feed_guid="917393e3-1b1e-5cef-ace4-edaa54e1f810", feed_url="https://x.example/feed"
        ),
        episode.social_interacts.create(protocol="activitypub", uri="https://x.example/@a/1"),
        *(
            owner.value_recipients.create(
                name="Host",
                address="host@getalby.com",
                split=90,
                type="lnaddress",
                custom_key="k",
                custom_value="v",
            )
            for owner in (show, episode)
        ),
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


URL_ATTRIBUTES = ("url", "href", "img", "src", "feedUrl", "uri", "accountUrl")


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
