import pytest
from django.core.management import call_command

from episodes.models import Chapter, Episode, Person, Show, ShowNoteLink, Sponsor
from transcripts.models import Segment, Transcript


def snapshot() -> dict:
    return {
        "shows": list(Show.objects.values_list("slug", "title", "podcast_guid")),
        "episodes": list(
            Episode.objects.order_by("number").values_list(
                "number", "title", "guid", "audio", "audio_version", "audio_status"
            )
        ),
        "people": Person.objects.count(),
        "sponsors": Sponsor.objects.count(),
        "links": list(
            ShowNoteLink.objects.order_by("episode__number", "position").values_list("title", "url")
        ),
        "chapters": list(
            Chapter.objects.order_by("episode__number", "start").values_list("start", "title")
        ),
        "transcripts": Transcript.objects.count(),
        "segments": list(
            Segment.objects.order_by("transcript", "position").values_list("start", "text")
        ),
    }


@pytest.mark.django_db
def test_the_demo_gives_every_page_real_content(client):
    call_command("load_demo", verbosity=0)
    show = Show.objects.get(slug="demo")
    published = show.episodes.published()
    assert published.count() == 3
    for episode in published:
        assert episode.audio_status == "ready", episode.audio_error
        assert episode.audio_duration > 1
        assert episode.links.exists()
    assert Transcript.objects.filter(status="ready").count() == 2
    home = client.get("/")
    assert home.status_code == 200
    assert "Why small tools win" in home.content.decode()


@pytest.mark.django_db
def test_loading_the_demo_twice_leaves_the_same_content():
    call_command("load_demo", verbosity=0)
    first = snapshot()
    call_command("load_demo", verbosity=0)
    assert snapshot() == first
