"""Show categories are chosen from Apple's two-level list; old names show as today's."""

import json

import pytest
from django.urls import reverse

from episodes.categories import APPLE_CATEGORIES, OLD_NAMES, current_name
from episodes.models import Show
from tests.factories import ShowFactory
from tests.formdata import change_form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]


def test_our_list_is_apple_s(shared_data):
    data = json.loads((shared_data / "apple" / "apple-categories.json").read_text())
    assert {c["name"]: tuple(c["subcategories"]) for c in data["categories"]} == APPLE_CATEGORIES


def test_every_old_name_maps_to_a_category_apple_has() -> None:
    assert all(current_name(new) == new for new in OLD_NAMES.values())
    assert current_name("Games & Hobbies") == "Leisure"
    assert current_name("Science & Medicine > Medicine") == "Health & Fitness > Medicine"
    assert current_name("Technology") == "Technology" and current_name("Nonsense") == ""


def test_the_form_offers_apple_s_categories_to_pick(admin_client):
    show = ShowFactory(slug="main", categories=["Technology"])
    url = reverse("admin:episodes_show_change", args=[show.pk])
    body = admin_client.get(url).content.decode()
    assert '<select name="categories"' in body and "multiple" in body
    assert '<optgroup label="Education">' in body
    assert '<option value="Education &gt; How To">Education › How To</option>' in body
    assert '<option value="Technology" selected>Technology</option>' in body

    data = change_form_data(admin_client.get(url))
    data["categories"] = ["Technology", "Education > How To"]
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    show.refresh_from_db()
    assert show.categories == ["Technology", "Education > How To"]


def test_an_old_name_is_shown_as_today_s_and_saved_so(admin_client):
    show = ShowFactory(slug="main")
    Show.objects.filter(pk=show.pk).update(categories=["Games & Hobbies", "Technology"])
    url = reverse("admin:episodes_show_change", args=[show.pk])
    page = admin_client.get(url)
    assert "Games &amp; Hobbies → Leisure" in page.content.decode()
    admin_client.post(url, change_form_data(page))
    show.refresh_from_db()
    assert show.categories == ["Leisure", "Technology"]


def feed_categories(path) -> set[str]:
    """ "Top" or "Top > Sub" for each itunes:category of a feed's channel."""
    from lxml import etree

    itunes = "{http://www.itunes.com/dtds/podcast-1.0.dtd}category"
    try:
        root = etree.parse(str(path), etree.XMLParser(recover=True, resolve_entities=False))
    except (etree.XMLSyntaxError, OSError):
        return set()
    found = set()
    for top in root.iterfind(f"channel/{itunes}"):
        found.add(top.get("text", ""))
        found |= {f"{top.get('text', '')} > {sub.get('text', '')}" for sub in top.iterfind(itunes)}
    return found


def test_the_categories_of_the_shared_feeds_all_map_to_apple_s(shared_data):
    names = set().union(*(feed_categories(p) for p in (shared_data / "feeds").glob("**/*.xml")))
    assert len(names) > 10, "the feeds carry categories"
    assert not sorted(name for name in names if not current_name(name))
