"""The episode form as editors use it: validation messages, publishing, notes preview, links."""

import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from episodes.models import Episode, ShowNoteLink
from tests.factories import EpisodeFactory, ShowFactory, ShowNoteLinkFactory, published_episode
from tests.formdata import change_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    # admin_client creates a user per test; the real hasher is slow by design.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


ADD_URL = "admin:episodes_episode_add"


def add_chapters(data: dict, *chapters: tuple[float, str]) -> dict:
    data["chapters-TOTAL_FORMS"] = str(len(chapters))
    for i, (start, title) in enumerate(chapters):
        data[f"chapters-{i}-start"], data[f"chapters-{i}-title"] = start, title
    return data


def post_change(client, episode: Episode, **changes) -> object:
    url = reverse("admin:episodes_episode_change", args=[episode.pk])
    data = change_form_data(client.get(url)) | changes
    return client.post(url, data)


def errors_of(response) -> str:
    """Every error message on a refused admin page, as one text."""
    assert response.status_code == 200, "the form was accepted"
    messages = [str(e) for e in response.context["adminform"].form.errors.values()]
    for inline in response.context["inline_admin_formsets"]:
        messages += [str(inline.formset.non_form_errors())]
        messages += [str(errors) for errors in inline.formset.errors]
    return " ".join(messages)


def image_upload(size: tuple[int, int], mode: str = "RGB", fmt: str = "JPEG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new(mode, size, "red" if mode != "CMYK" else (0, 255, 255, 0)).save(buffer, fmt)
    suffix = {"JPEG": "jpg", "PNG": "png", "GIF": "gif"}[fmt]
    return SimpleUploadedFile(f"art.{suffix}", buffer.getvalue(), f"image/{suffix}")


@pytest.fixture
def show():
    return ShowFactory(slug="main", title="Bytes Show", time_zone="America/New_York")


@pytest.fixture
def episode(show):
    return EpisodeFactory(show=show, number=3, title="Third", slug="third")


# --- validation messages ------------------------------------------------------------------------


def test_a_number_is_unique_per_show(admin_client, show, episode):
    response = admin_client.get(reverse(ADD_URL))
    data = change_form_data(response) | {"title": "Another", "slug": "another", "number": 3}
    assert "Episode with this Show and Number already exists." in errors_of(
        admin_client.post(reverse(ADD_URL), data)
    )


def test_the_next_free_number_is_suggested(admin_client, show, episode):
    response = admin_client.get(reverse(ADD_URL))
    assert response.context["adminform"].form["number"].value() == 4


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (image_upload((1400, 1000)), "it is 1400x1000 px; artwork must be square"),
        (image_upload((600, 600)), "it is 600 px wide; artwork must be 1400-3000 px"),
        (
            image_upload((1400, 1400), "CMYK"),
            "its colour mode is CMYK; Apple needs RGB without transparency",
        ),
        (image_upload((1400, 1400), "P", "GIF"), "it is GIF; Apple accepts JPEG or PNG"),
    ],
    ids=["not-square", "too-small", "cmyk", "gif"],
)
def test_artwork_apple_refuses_is_refused_with_the_reason(admin_client, episode, upload, message):
    errors = errors_of(post_change(admin_client, episode, artwork=upload))
    assert "This image cannot be podcast artwork" in errors
    assert message in errors


def test_square_rgb_artwork_is_accepted(admin_client, episode):
    response = post_change(admin_client, episode, artwork=image_upload((1400, 1400)))
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.artwork.name.endswith(".jpg")


def test_a_chapter_after_the_end_of_the_audio_is_refused(admin_client, episode):
    Episode.objects.filter(pk=episode.pk).update(audio_duration=60.0)
    url = reverse("admin:episodes_episode_change", args=[episode.pk])
    data = add_chapters(change_form_data(admin_client.get(url)), (0, "Intro"), (75, "Too late"))
    assert "Chapter at 75 s starts after the audio ends (60 s)." in errors_of(
        admin_client.post(url, data)
    )


def test_two_chapters_at_the_same_time_are_refused(admin_client, episode):
    url = reverse("admin:episodes_episode_change", args=[episode.pk])
    data = add_chapters(change_form_data(admin_client.get(url)), (10, "One"), (10, "Two"))
    assert "Two chapters start at the same time." in errors_of(admin_client.post(url, data))


def test_a_javascript_link_is_refused(admin_client, episode):
    url = reverse("admin:episodes_episode_change", args=[episode.pk])
    data = change_form_data(admin_client.get(url)) | {
        "links-TOTAL_FORMS": "1",
        "links-0-position": "1",
        "links-0-title": "Click me",
        "links-0-url": "javascript:alert(1)",
    }
    errors = errors_of(admin_client.post(url, data))
    assert "Enter a valid URL." in errors or "Enter an http:// or https:// URL." in errors
    assert not ShowNoteLink.objects.exists()


def test_a_title_with_the_show_name_is_refused(admin_client, episode):
    errors = errors_of(post_change(admin_client, episode, title="Bytes Show: third"))
    assert "Leave the show name (Bytes Show) out of the title: apps show it already." in errors


# --- the login lockout --------------------------------------------------------------------------


def test_the_login_locks_after_five_failures_with_a_clear_message(client, admin_user):
    cache.clear()
    url = reverse("admin:login")
    for _ in range(5):
        response = client.post(url, {"username": "admin", "password": "wrong"})
        assert "Please enter the correct username and password" in response.content.decode()
    response = client.post(url, {"username": "admin", "password": "password"})
    content = response.content.decode()
    assert response.status_code == 200, "the right password must not get in while locked"
    assert "Too many failed log-in attempts. Log-in is locked for 15 minutes" in content
    cache.clear()
    assert client.post(url, {"username": "admin", "password": "password"}).status_code == 302


# --- publishing: draft, now, or at a time in the show's zone ------------------------------------


def test_a_new_episode_starts_as_a_draft(admin_client, show):
    form = admin_client.get(reverse(ADD_URL)).context["adminform"].form
    assert form["publishing"].value() == "draft"
    assert "America/New_York" in form.fields["publish_time"].help_text


def test_a_scheduled_time_is_read_in_the_shows_zone_and_stored_in_utc(admin_client, episode):
    response = post_change(admin_client, episode, publishing="at", publish_time="2030-07-01T09:00")
    assert response.status_code == 302, errors_of(response)
    episode.refresh_from_db()
    assert episode.publish_at == dt.datetime(2030, 7, 1, 13, 0, tzinfo=dt.UTC)  # EDT is UTC-4
    assert episode.is_scheduled()


def test_the_form_shows_the_publish_time_in_the_shows_zone(admin_client, episode):
    Episode.objects.filter(pk=episode.pk).update(
        publish_at=dt.datetime(2030, 1, 15, 14, 30, tzinfo=dt.UTC)
    )
    url = reverse("admin:episodes_episode_change", args=[episode.pk])
    response = admin_client.get(url)
    assert 'value="2030-01-15T09:30"' in response.content.decode()  # EST is UTC-5
    assert response.context["adminform"].form["publishing"].value() == "at"


def test_saving_a_published_episode_unchanged_keeps_its_publish_time(admin_client, episode):
    moment = dt.datetime(2024, 3, 10, 12, 0, tzinfo=dt.UTC)
    Episode.objects.filter(pk=episode.pk).update(publish_at=moment)
    assert post_change(admin_client, episode).status_code == 302
    episode.refresh_from_db()
    assert episode.publish_at == moment


def test_publish_now_and_back_to_draft(admin_client, episode):
    before = timezone.now()
    assert post_change(admin_client, episode, publishing="now").status_code == 302
    episode.refresh_from_db()
    assert before <= episode.publish_at <= timezone.now()
    assert post_change(admin_client, episode, publishing="draft").status_code == 302
    episode.refresh_from_db()
    assert episode.publish_at is None


def test_scheduling_without_a_time_asks_for_one(admin_client, episode):
    response = post_change(admin_client, episode, publishing="at", publish_time="")
    assert "Give the time to publish at." in errors_of(response)


def test_the_form_uses_the_zone_of_the_show_chosen_in_it(admin_client, show):
    other = ShowFactory(slug="tokyo", title="Tokyo Show", time_zone="Asia/Tokyo", is_default=False)
    data = change_form_data(admin_client.get(reverse(ADD_URL))) | {
        "show": other.pk,
        "title": "Tokyo morning",
        "slug": "tokyo-morning",
        "publishing": "at",
        "publish_time": "2030-01-01T09:00",
    }
    response = admin_client.post(reverse(ADD_URL), data)
    assert response.status_code == 302, errors_of(response)
    episode = Episode.objects.get(slug="tokyo-morning")
    assert episode.publish_at == dt.datetime(2030, 1, 1, 0, 0, tzinfo=dt.UTC)


# --- the rendered show-notes preview ------------------------------------------------------------


def test_the_notes_preview_renders_sanitized_markdown(admin_client):
    text = "**Bold** [ok](https://example.com/) [bad](javascript:alert(1)) <script>x()</script>"
    response = admin_client.post(reverse("admin:episodes_episode_notes_preview"), {"text": text})
    html = response.json()["html"]
    assert "<strong>Bold</strong>" in html
    assert 'href="https://example.com/"' in html
    assert "javascript:" not in html and "<script" not in html


def test_the_notes_preview_is_for_staff_only(client, django_user_model):
    url = reverse("admin:episodes_episode_notes_preview")
    assert client.post(url, {"text": "hi"})["Location"].startswith(reverse("admin:login"))
    user = django_user_model.objects.create_user("reader", password="pw", is_staff=True)
    client.force_login(user)
    assert client.post(url, {"text": "hi"}).status_code == 403  # staff without the permission


def test_the_change_form_loads_the_editor_script_and_no_inline_script(admin_client, episode):
    url = reverse("admin:episodes_episode_change", args=[episode.pk])
    content = admin_client.get(url).content.decode()
    assert "/static/js/admin-episode.js" in content
    assert f'data-preview-url="{reverse("admin:episodes_episode_notes_preview")}"' in content
    inline = [part for part in content.split("<script")[1:] if "src=" not in part.split(">")[0]]
    assert inline == []


# --- show-note links in their order -------------------------------------------------------------


def test_the_link_positions_are_editable_and_decide_the_order(admin_client, client, show, tone):
    episode = published_episode(tone, show=show, number=9, title="Nine", slug="nine")
    first = ShowNoteLinkFactory(episode=episode, position=1, title="Alpha")
    second = ShowNoteLinkFactory(episode=episode, position=2, title="Beta")
    url = reverse("admin:episodes_episode_change", args=[episode.pk])
    data = change_form_data(admin_client.get(url))
    rows = {data[f"links-{i}-id"]: i for i in range(2)}
    data[f"links-{rows[first.pk]}-position"] = 2
    data[f"links-{rows[second.pk]}-position"] = 1
    assert admin_client.post(url, data).status_code == 302
    assert [link.title for link in episode.links.all()] == ["Beta", "Alpha"]
    page = client.get(episode.get_absolute_url()).content.decode()
    assert page.index("Beta") < page.index("Alpha")


def test_the_link_position_comes_first_for_the_move_buttons(admin_client, episode):
    ShowNoteLinkFactory(episode=episode)
    formsets = admin_client.get(
        reverse("admin:episodes_episode_change", args=[episode.pk])
    ).context["inline_admin_formsets"]
    # People, links, sponsors, chapters: the order editors fill them in; then comment
    # threads and value recipients (Podcasting 2.0).
    prefixes = [f.formset.prefix for f in formsets]
    assert prefixes[:4] == ["credits", "links", "sponsorships", "chapters"]
    assert prefixes[4:] == ["social_interacts", "value_recipients"]
    formset = formsets[1]
    assert list(formset.fields())[0]["name"] == "position"


def test_a_message_keeps_the_file_name_as_written(admin_client, episode):
    # The admin capitalises each message's first letter: the name must not come first.
    upload = SimpleUploadedFile("notaudio.vtt", b"WEBVTT\n\n00:00.000 --> 00:01.000\nhi\n")
    url = reverse("admin:episodes_episode_change", args=[episode.pk])
    data = change_form_data(admin_client.get(url)) | {"new_audio": upload}
    page = admin_client.post(url, data, follow=True).content.decode()
    assert "The file notaudio.vtt does not look like MP3 or M4A audio" in page
    assert "Notaudio.vtt" not in page
