"""The pages and the admin work under our Content-Security-Policy: no violation anywhere."""

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from tests.factories import (
    ChapterFactory,
    SegmentFactory,
    ShowFactory,
    ShowNoteLinkFactory,
    TranscriptFactory,
    published_episode,
)
from transcripts.services import render_segments

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Recorded from the first script on every document, before any of ours runs.
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.effectiveDirective + " blocked " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture
def episode(transactional_db, tone):
    show = ShowFactory(slug="main", title="CSP Show", promo_banner="Brought to you by tests")
    episode = published_episode(
        tone, show=show, number=1, slug="first", title="The first one",
        show_notes="Notes with a [link](https://example.com/) and ![art](https://example.com/a.png).",
        publish_at=timezone.now() - timezone.timedelta(days=1),
    )  # fmt: skip
    ChapterFactory(episode=episode, start=1.0, title="Middle")
    ShowNoteLinkFactory(episode=episode, title="A pick", description="Picked *well*.")
    transcript = TranscriptFactory(episode=episode)
    SegmentFactory(transcript=transcript, position=0, start=0.0, text="Welcome to capybaras.")
    transcript.rendered_html = render_segments(episode, transcript.segments.all())
    transcript.save()
    return episode


@pytest.fixture
def watched(page):
    """The page, with every CSP violation and CSP console error it sees collected."""
    console: list[str] = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.add_init_script(LISTEN)
    page.csp_console = console
    return page


def violations(page) -> list[str]:
    page.wait_for_load_state("load")
    seen = page.evaluate("() => window.__csp || []")
    return seen + page.csp_console


def test_public_pages_break_no_rule_of_the_policy(watched, live_server, episode) -> None:
    paths = ["/", "/episodes/", episode.get_absolute_url(), episode.transcript_url(),
             "/search?q=capybaras", "/sponsors", "/no-such-page"]  # fmt: skip
    for path in paths:
        response = watched.goto(live_server.url + path)
        assert "default-src 'self'" in response.headers["content-security-policy"]
        # The player is the one script; make it do its work (seek and play).
        watched.evaluate("() => { const p = document.getElementById('player'); if (p) p.play(); }")
        assert violations(watched) == [], path


def test_the_feed_opened_in_a_browser_breaks_no_rule(watched, live_server, episode) -> None:
    # The feed is styled by our CSS file (static/css/feed.css), which the policy allows.
    watched.goto(live_server.url + "/episodes/rss")
    assert violations(watched) == []


def test_the_admin_works_under_the_policy(watched, live_server, episode) -> None:
    User.objects.create_superuser("editor", "editor@example.com", "a-long-password-1")
    watched.goto(live_server.url + "/admin/login/")
    watched.fill("#id_username", "editor")
    watched.fill("#id_password", "a-long-password-1")
    watched.click("input[type=submit]")
    watched.wait_for_url("**/admin/")
    assert violations(watched) == []
    watched.goto(live_server.url + f"/admin/episodes/episode/{episode.pk}/change/")
    assert watched.locator("#id_title").input_value() == "The first one"
    # The admin's own scripts ran: inlines have their "Add another" links.
    assert watched.locator(".add-row a").count() > 0
    assert violations(watched) == []
    watched.goto(live_server.url + "/admin/episodes/episode/add/")
    assert violations(watched) == []
