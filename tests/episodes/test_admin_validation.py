"""What the admin refuses so that feeds and apps never see it: chapters, shows, artwork, inlines."""

import pytest
from django.urls import reverse

from episodes.models import Chapter, Episode, EpisodePerson, EpisodeSponsor, Show
from tests.episodes.test_admin_editing import errors_of, image_upload, post_change
from tests.factories import EpisodeFactory, PersonFactory, ShowFactory, SponsorFactory
from tests.formdata import change_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def episode():
    show = ShowFactory(slug="main", title="Bytes Show")
    return EpisodeFactory(show=show, number=3, title="Third", slug="third", audio_duration=60.0)


def chapter_rows(data: dict, *rows: tuple) -> dict:
    data["chapters-TOTAL_FORMS"] = str(len(rows))
    for i, (start, end, title, *url) in enumerate(rows):
        data[f"chapters-{i}-start"], data[f"chapters-{i}-title"] = start, title
        data[f"chapters-{i}-end"] = "" if end is None else end
        data[f"chapters-{i}-url"] = url[0] if url else ""
    return data


def post_chapters(client, episode: Episode, *rows: tuple):
    url = reverse("admin:episodes_episode_change", args=[episode.pk])
    return client.post(url, chapter_rows(change_form_data(client.get(url)), *rows))


# --- chapters -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (((-5, None, "Cold open"),), "Chapter at -5 s starts before 0."),
        (((10, 5, "Backwards"),), "Chapter at 10 s ends at 5 s, not after its start."),
        (((0, 75, "Too long"),), "Chapter at 0 s ends at 75 s, after the audio ends (60 s)."),
        (((75, None, "Too late"),), "Chapter at 75 s starts after the audio ends (60 s)."),
        (
            ((0, 30, "One"), (20, None, "Two")),
            "Chapter at 0 s ends at 30 s, after the next chapter starts (20 s).",
        ),
        (((0, None, "One"), (0, None, "Two")), "Two chapters start at the same time."),
        (((0, None, "Files", "ftp://example.com/x"),), "URL."),
    ],
    ids=["negative", "backwards", "end-after-audio", "start-after-audio", "overlap", "same", "ftp"],
)
def test_chapters_apps_would_show_wrongly_are_refused(admin_client, episode, rows, message):
    assert message in errors_of(post_chapters(admin_client, episode, *rows))
    assert not episode.chapters.exists()


def test_good_chapters_are_saved_in_order(admin_client, episode):
    response = post_chapters(
        admin_client, episode, (30, 60, "Main", "https://example.com/"), (0, 30, "Intro")
    )
    assert response.status_code == 302
    assert [(c.start, c.end, c.title) for c in episode.chapters.all()] == [
        (0, 30, "Intro"),
        (30, 60, "Main"),
    ]


def test_before_the_audio_is_read_chapters_are_checked_for_all_but_the_end(admin_client):
    episode = EpisodeFactory(number=4, slug="four", audio_duration=None)
    assert "starts before 0" in errors_of(post_chapters(admin_client, episode, (-1, None, "x")))
    assert post_chapters(admin_client, episode, (5000, None, "Late")).status_code == 302


def test_the_chapter_page_of_its_own_refuses_the_same_times(admin_client, episode):
    url = reverse("admin:episodes_chapter_add")
    data = {"episode": episode.pk, "start": "-5", "title": "Cold open", "toc": "on"}
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Chapter at -5 s starts before 0." in response.content.decode()
    data["start"] = "5"
    assert admin_client.post(url, data).status_code == 302
    assert Chapter.objects.get().from_file is False


def test_saving_a_chapter_on_its_own_page_updates_the_feed(
    admin_client, tone, client, django_capture_on_commit_callbacks
):
    from tests.factories import published_episode

    episode = published_episode(tone, number=8, slug="eight")
    client.get(reverse("episodes:rss"))
    url = reverse("admin:episodes_chapter_add")
    data = {"episode": episode.pk, "start": "0", "title": "Hello chapter", "toc": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(url, data).status_code == 302
    chapters_url = reverse("episodes:chapters", kwargs={"number": 8})
    assert "Hello chapter" in client.get(chapters_url).content.decode()
    assert chapters_url in client.get(reverse("episodes:rss")).content.decode()


# --- the show -----------------------------------------------------------------------------------


def show_form(client, show: Show | None = None) -> tuple[str, dict]:
    if show is None:
        url = reverse("admin:episodes_show_add")
        data = change_form_data(client.get(url)) | {
            "title": "New Show",
            "slug": "new-show",
            "description": "About things.",
        }
        return url, data
    url = reverse("admin:episodes_show_change", args=[show.pk])
    return url, change_form_data(client.get(url))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("time_zone", "Europe/Berln", "'Europe/Berln' is not a time zone name"),
        ("language", "xx", "'xx' is not an ISO 639-1 language code"),
        ("language", "english", "'english' is not a language code such as en or en-us"),
        ("transcript_source_url_template", "javascript:alert({number})", "Enter an http://"),
        ("transcript_source_url_template", "https://x.org/{episode}.txt", "cannot be filled in"),
        ("medium", "podcasts", "Select a valid choice."),
    ],
)
def test_show_values_a_feed_or_the_site_cannot_use_are_refused(admin_client, field, value, message):
    url, data = show_form(admin_client)
    response = admin_client.post(url, data | {field: value})
    assert response.status_code == 200
    assert message in " ".join(response.context["adminform"].form.errors[field])
    assert not Show.objects.filter(slug="new-show").exists()


def test_a_show_cannot_move_to_its_own_feed(admin_client):
    show = ShowFactory(slug="main", is_default=True)
    url, data = show_form(admin_client, show)
    response = admin_client.post(url, data | {"new_feed_url": show.feed_url()})
    errors = response.context["adminform"].form.errors["new_feed_url"]
    assert errors == ["This is the show's own feed URL: apps would loop."]


def test_a_good_show_is_saved_and_told_what_apple_still_needs(admin_client):
    url, data = show_form(admin_client)
    data |= {"language": "en-us", "time_zone": "Europe/Berlin", "medium": "podcast"}
    response = admin_client.post(url, data, follow=True)
    assert Show.objects.filter(slug="new-show", time_zone="Europe/Berlin").exists()
    messages = [str(m) for m in response.context["messages"]]
    assert any("Apple Podcasts refuses a feed without artwork, a category" in m for m in messages)


def test_the_next_free_number_follows_the_show_asked_for(admin_client):
    ShowFactory(slug="main", is_default=True)
    other = ShowFactory(slug="other", is_default=False)
    EpisodeFactory(show=other, number=12)
    response = admin_client.get(reverse("admin:episodes_episode_add") + f"?show={other.pk}")
    assert response.context["adminform"].form["number"].value() == 13


# --- artwork ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (image_upload((3001, 3001)), "it is 3001 px wide; artwork must be 1400-3000 px"),
        (
            image_upload((1400, 1400), "RGBA", "PNG"),
            "its colour mode is RGBA; Apple needs RGB without transparency",
        ),
    ],
    ids=["too-big", "transparent-png"],
)
def test_more_artwork_apple_refuses(admin_client, episode, upload, message):
    assert message in errors_of(post_change(admin_client, episode, artwork=upload))


def test_square_rgb_png_artwork_is_accepted(admin_client, episode):
    response = post_change(admin_client, episode, artwork=image_upload((3000, 3000), fmt="PNG"))
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.artwork.name.endswith(".png") and episode.artwork.width == 3000


# --- people and sponsors on the episode form ----------------------------------------------------


def test_a_guest_with_a_role_and_a_sponsor_are_saved_from_the_episode_form(admin_client, episode):
    guest, sponsor = PersonFactory(name="Ada Guest"), SponsorFactory(name="Acme")
    url = reverse("admin:episodes_episode_change", args=[episode.pk])
    data = change_form_data(admin_client.get(url)) | {
        "credits-TOTAL_FORMS": "1",
        "credits-0-person": guest.pk,
        "credits-0-role": "guest",
        "credits-0-position": "0",
        "sponsorships-TOTAL_FORMS": "1",
        "sponsorships-0-sponsor": sponsor.pk,
        "sponsorships-0-position": "0",
    }
    assert admin_client.post(url, data).status_code == 302
    assert EpisodePerson.objects.get(episode=episode).role == "guest"
    assert EpisodeSponsor.objects.get(episode=episode).sponsor == sponsor


def test_the_episode_list_shows_why_the_audio_failed(admin_client):
    EpisodeFactory(number=5, slug="five", audio_status="failed", audio_error="the file is empty")
    content = admin_client.get(reverse("admin:episodes_episode_changelist")).content.decode()
    assert '<span class="episode-state" data-state="failed">Audio failed</span>' in content
    assert ">the file is empty</span>" in content


# --- transcripts on the episode form and deleting episodes --------------------------------------


def test_a_transcript_that_is_not_text_is_refused_on_the_form_not_later(admin_client, episode):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("t.txt", b"\x00\x01\x02binary", "text/plain")
    response = post_change(admin_client, episode, transcript_file=upload, title="Kept title?")
    assert response.status_code == 200
    assert "transcript_file" in response.context["adminform"].form.errors
    episode.refresh_from_db()
    assert episode.title == "Third" and not episode.transcripts.exists()


def test_deleting_an_episode_takes_it_and_its_transcript_out_of_search(admin_client, tone):
    from episodes import search
    from tests.factories import SegmentFactory, TranscriptFactory, published_episode

    show = ShowFactory(slug="searchable", is_default=False)
    episode = published_episode(tone, show=show, number=1, title="Okapi news")
    transcript = TranscriptFactory(episode=episode, status="ready")
    SegmentFactory(transcript=transcript, text="okapi sightings")
    search.index_episode(episode), search.index_transcript(transcript)
    assert len(search.search(show, "okapi")) == 2
    url = reverse("admin:episodes_episode_delete", args=[episode.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    from django.db import connection

    # Other tests' worker processes may have left rows of their own: count this episode's.
    table = "search_meta" if connection.vendor == "sqlite" else "search_document"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table} WHERE episode_id = %s", [episode.pk])
        assert cursor.fetchone()[0] == 0


# --- people in the feeds ------------------------------------------------------------------------


def test_renaming_a_guest_in_the_admin_renames_them_in_that_feed_only(admin_client, tone, client):
    from episodes.models import Role
    from tests.factories import published_episode

    main = ShowFactory(slug="main", is_default=True)
    episode = published_episode(tone, show=main, number=1, slug="one")
    guest = PersonFactory(name="Ada Before", slug="ada")
    episode.credits.create(person=guest, role=Role.GUEST)
    assert "Ada Before" in client.get(reverse("episodes:rss")).content.decode()
    url = reverse("admin:episodes_person_change", args=[guest.pk])
    data = change_form_data(admin_client.get(url)) | {"name": "Ada After"}
    assert admin_client.post(url, data).status_code == 302
    assert "Ada After" in client.get(reverse("episodes:rss")).content.decode()
    url = reverse("admin:episodes_person_delete", args=[guest.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert "Ada After" not in client.get(reverse("episodes:rss")).content.decode()
