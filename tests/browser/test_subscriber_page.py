"""The subscriber page and the subscriber admin in chromium, at 1280 and 390 px.

Screenshots land in the test's output folder (test-results/<test>/).
"""

from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from analytics.models import SubscriberDay
from subscribers import links, services
from subscribers.models import Subscriber
from tests.browser.conftest import log_in
from tests.factories import ShowFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture
def ann(transactional_db) -> Subscriber:
    show = ShowFactory(slug="main", title="Browser Show", promo_banner="Brought to you by tests")
    return Subscriber.objects.create(show=show, email="ann@example.com", name="Ann")


@pytest.fixture
def shots(output_path) -> Path:
    folder = Path(output_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def emailed_path(subscriber: Subscriber) -> str:
    assert services.send_link(subscriber=subscriber)
    url = next(line for line in mail.outbox[-1].body.splitlines() if "/subscribers/page/" in line)
    return "/subscribers/" + url.strip().split("/subscribers/", 1)[1]


@pytest.mark.parametrize("width", WIDTHS)
def test_the_subscriber_page_looks_right_at_both_widths(page, live_server, ann, shots, width):
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    path = emailed_path(ann)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        response = page.goto(live_server.url + path)
        assert response.status == 200
        page.screenshot(path=shots / f"subscriber-{width}-{scheme}.png", full_page=True)
    assert page.locator("#feed-url").input_value() == links.personal_feed_url(ann)
    apps = page.locator("ul.directories a")
    assert apps.all_inner_texts() == ["Apple Podcasts", "Overcast", "Pocket Casts", "AntennaPod"]
    sizes = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert sizes[0] <= sizes[1], "something overflows sideways"
    for link in apps.all():  # each at least 44 px high: a thumb can hit it
        assert link.bounding_box()["height"] >= 44


def test_the_copy_button_copies_the_personal_feed_url(page, live_server, ann, context):
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(live_server.url + emailed_path(ann))
    page.get_by_role("button", name="Copy").click()
    page.wait_for_function("document.querySelector('.copied').textContent === 'Copied'")
    assert page.evaluate("navigator.clipboard.readText()") == links.personal_feed_url(ann)


@pytest.mark.browser_context_args(bypass_csp=True)
def test_the_subscriber_page_has_no_accessibility_violations(page, live_server, ann, axe_source):
    page.goto(live_server.url + emailed_path(ann))
    page.add_script_tag(content=axe_source)
    violations = page.evaluate(
        "async () => (await axe.run(document)).violations"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
    )
    assert violations == []


@pytest.mark.parametrize("width", WIDTHS)
def test_an_editor_regenerates_from_the_change_page(
    page, live_server, ann, admin_user, shots, width
):
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    change = f"/admin/subscribers/subscriber/{ann.pk}/change/"
    log_in(page, live_server.url, change)
    assert page.locator("code.personal-feed").inner_text() == links.personal_feed_url(ann)
    page.screenshot(path=shots / f"admin-change-{width}.png", full_page=True)
    old = ann.token
    page.get_by_role("link", name="Regenerate feed URL").click()
    assert "Are you sure" in page.locator("#content").inner_text()
    assert "ann@example.com" in page.locator("ul.affected").inner_text()
    page.screenshot(path=shots / f"admin-regenerate-confirm-{width}.png", full_page=True)
    ann.refresh_from_db()
    assert ann.token == old  # asking changed nothing
    page.get_by_role("button", name="Yes, make new URLs").click()
    page.wait_for_url(f"**{change}")
    ann.refresh_from_db()
    assert ann.token != old
    assert links.personal_feed_url(ann) in page.locator("ul.messagelist").inner_text()
    page.screenshot(path=shots / f"admin-regenerated-{width}.png", full_page=True)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_subscriber_list_flags_a_shared_feed(page, live_server, ann, admin_user, shots, width):
    bob = Subscriber.objects.create(show=ann.show, email="bob@example.com", name="Bob")
    today = timezone.now().date()
    SubscriberDay.objects.create(day=today, subscriber=ann, downloads=31, listeners=14)
    SubscriberDay.objects.create(day=today, subscriber=bob, downloads=2, listeners=1)
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    log_in(page, live_server.url, "/admin/subscribers/subscriber/")
    flag = page.locator("span.flagged")
    assert flag.inner_text() == "Shared? 14"
    assert flag.evaluate("e => getComputedStyle(e).fontWeight") == "600"  # the stylesheet applies
    page.screenshot(path=shots / f"admin-list-{width}.png", full_page=True)


def choose_revoke_for_all(page) -> None:
    page.locator("#action-toggle").check()
    page.locator("select[name=action]").select_option("revoke")
    page.locator(".actions button[name=index]").click()


@pytest.mark.parametrize("width", WIDTHS)
def test_revoking_from_the_list_asks_first_naming_each_subscriber(
    page, live_server, ann, admin_user, shots, width
):
    bob = Subscriber.objects.create(show=ann.show, email="bob@example.com", name="Bob")
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    log_in(page, live_server.url, "/admin/subscribers/subscriber/")
    choose_revoke_for_all(page)
    content = page.locator("#content").inner_text()
    assert "Are you sure you want to revoke these subscribers?" in content
    assert "stop working at once" in content
    assert page.locator("ul.affected li").count() == 2
    page.screenshot(path=shots / f"admin-revoke-confirm-{width}.png", full_page=True)
    assert Subscriber.objects.active().count() == 2  # asking changed nothing
    page.get_by_role("link", name="No, take me back").click()
    page.wait_for_url("**/admin/subscribers/subscriber/")
    assert Subscriber.objects.active().count() == 2
    choose_revoke_for_all(page)
    page.get_by_role("button", name="Yes, revoke").click()
    page.wait_for_url("**/admin/subscribers/subscriber/")
    assert "Revoked 2" in page.locator("ul.messagelist").inner_text()
    assert not Subscriber.objects.active().exists()
    for subscriber in (ann, bob):
        assert page.request.get(f"{live_server.url}/feeds/{subscriber.token}/rss").status == 410


@pytest.mark.parametrize("width", WIDTHS)
def test_an_editor_brings_back_a_revoked_subscriber(
    page, live_server, ann, admin_user, shots, width
):
    ann.revoke()
    leaked = ann.token
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    change = f"/admin/subscribers/subscriber/{ann.pk}/change/"
    log_in(page, live_server.url, change)
    page.get_by_role("link", name="Bring back").click()
    content = page.locator("#content").inner_text()
    assert "Are you sure you want to bring back these revoked subscribers?" in content
    assert "ann@example.com" in page.locator("ul.affected").inner_text()
    page.screenshot(path=shots / f"admin-reinstate-confirm-{width}.png", full_page=True)
    button, red = page.evaluate(
        """() => {
        const probe = document.createElement("div");
        probe.style.background = "var(--delete-button-bg)";
        document.body.append(probe);
        const submit = document.querySelector("#content input[type=submit]");
        return [getComputedStyle(submit).backgroundColor, getComputedStyle(probe).backgroundColor];
    }"""
    )
    assert button != red, "bringing back is not a deletion: its button is not red"
    sizes = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert sizes[0] <= sizes[1], "the confirmation overflows sideways"
    page.get_by_role("button", name="Yes, bring them back").click()
    page.wait_for_url(f"**{change}")
    assert "Brought back 1" in page.locator("ul.messagelist").inner_text()
    page.screenshot(path=shots / f"admin-reinstated-{width}.png", full_page=True)
    ann.refresh_from_db()
    assert ann.is_active() and ann.token != leaked
    assert page.request.get(f"{live_server.url}/feeds/{leaked}/rss").status == 404
    assert page.request.get(f"{live_server.url}/feeds/{ann.token}/rss").status == 200
    assert page.get_by_role("link", name="Revoke now").is_visible()
