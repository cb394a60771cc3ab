"""Podcasting 2.0 tags in the admin: what an editor typed wrong is refused with the reason and
nothing else they typed is lost; a tag left empty stays out of the feed; an edit of the
rows reaches the cached feed at once."""

import html

import pytest

from episodes.models import ShowTxt
from tests.episodes.feeds import namespace_forms as forms
from tests.episodes.feeds import test_podcast_tags as round_trip
from tests.episodes.feeds.test_views import NS, fetch, public
from tests.episodes.test_admin_editing import errors_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("feed_site")]
# The same fixtures as the round trips: one show, and a quick password hasher.
fast_password_hashing, show = round_trip.fast_password_hashing, round_trip.show

EVERY_TAG = (
    "txt", "trailer", "license", "location", "updateFrequency", "podroll", "remoteItem",
    "socialInteract", "value", "valueRecipient",
)  # fmt: skip


def typed_values(response) -> dict:
    """What the re-shown form holds: the main form's and every inline row's values by name."""
    context = response.context
    values = {name: field.value() for name, field in _bound(context["adminform"].form)}
    for inline in context["inline_admin_formsets"]:
        for form in inline.formset.forms:
            values |= {form.add_prefix(name): field.value() for name, field in _bound(form)}
    return values


def _bound(form):
    return ((name, form[name]) for name in form.fields)


SHOW_MISTAKES = [
    ({"license_url": "http://example.org/license"}, "Enter an https:// URL"),
    ({"license_url": "not a url"}, "Enter a valid URL."),
    ({"update_frequency_rrule": "FREQ=SOMETIMES"}, "This recurrence rule does not parse"),
    ({"update_frequency_rrule": "every monday"}, "A recurrence rule needs a FREQ"),
    ({"location_geo": "geo:95.1,10"}, "The latitude 95.1 is out of range"),
    ({"location_geo": "geo:45,-181"}, "The longitude -181 is out of range"),
    ({"location_geo": "30.2,97.7"}, "is not a geo URI"),
    ({"location_osm": "X123"}, "is not an OpenStreetMap identifier"),
    ({"podroll-0-feed_guid": "not-a-guid"}, "The feedGuid is the other show's podcast:guid"),
    ({"value_recipients-0-split": "0"}, "A split is a number of shares: 1 or more."),
    ({"value_recipients-0-split": "1.5"}, "Enter a whole number."),
    ({"value_recipients-0-address": ""}, "This field is required."),
    ({"value_recipients-0-address": "02abc"}, "66 hexadecimal digits"),
    ({"value_recipients-1-address": "not an address"}, "reads like an email address"),
    ({"value_recipients-1-custom_key": "696969"}, "fill in both or neither"),
]


@pytest.mark.parametrize(("mistake", "message"), SHOW_MISTAKES)
def test_a_mistake_on_the_show_form_is_refused_with_the_reason(
    admin_client, show, mistake, message
):
    typed = forms.every_show_tag() | mistake
    response = forms.post_show(admin_client, show, typed)
    assert message in html.unescape(errors_of(response))
    kept = typed_values(response)
    for name, value in typed.items():  # everything typed is shown again as typed
        if name.endswith(("_0", "_1", "-fee", "FORMS")) or name == "value_suggested":
            continue
        assert str(kept[name] or "") == value, name
    assert not ShowTxt.objects.exists()  # nothing saved from a refused form


def test_the_words_of_an_update_frequency_are_required_with_its_rule(admin_client, show):
    response = forms.post_show(admin_client, show, {"update_frequency_rrule": "FREQ=WEEKLY"})
    assert "Say it in words too" in errors_of(response)


def test_a_rule_with_count_needs_its_start(admin_client, show):
    changes = {"update_frequency": "Ten weeks", "update_frequency_rrule": "FREQ=WEEKLY;COUNT=10"}
    response = forms.post_show(admin_client, show, changes)
    assert "A rule with COUNT needs the date it starts." in errors_of(response)


def test_a_place_needs_a_name(admin_client, show):
    response = forms.post_show(admin_client, show, {"location_geo": "geo:30.2,-97.7"})
    assert "Name the place" in errors_of(response)


EPISODE_MISTAKES = [
    ({"location_geo": "geo:-91,0"}, "The latitude -91 is out of range"),
    ({"license_url": "ftp://example.org/l"}, "Enter an https:// URL"),
    ({"value_recipients-0-split": "0"}, "A split is a number of shares: 1 or more."),
    ({"social_interacts-1-uri": ""}, "The root post's URI is required."),
    ({"social_interacts-1-protocol": "disabled"}, "Disabled comments take no post or account"),
    ({"social_interacts-0-account_url": "http://example.org/@me"}, "Enter an https:// URL"),
]


@pytest.mark.parametrize(("mistake", "message"), EPISODE_MISTAKES)
def test_a_mistake_on_the_episode_form_is_refused_with_the_reason(
    admin_client, show, tone, mistake, message
):
    episode = public(tone, show=show, number=1)
    typed = forms.every_episode_tag() | mistake
    response = forms.post_episode(admin_client, episode, typed)
    assert message in html.unescape(errors_of(response))
    kept = typed_values(response)
    for name, value in typed.items():
        if not name.endswith(("-fee", "FORMS")) and name != "value_suggested":
            assert str(kept[name] or "") == value, name
    assert not episode.social_interacts.exists()


# ---------------------------------------------------------------- empty tags


def test_tags_left_empty_stay_out_of_the_feed(admin_client, client, show, tone):
    public(tone, show=show, number=1)
    # Saving the forms as they come, every tag empty, writes none of them.
    forms.post_show(admin_client, show, {})
    _, root = fetch(client)
    for tag in EVERY_TAG:
        assert root.find(f".//podcast:{tag}", NS) is None, tag


def test_a_value_block_without_recipients_stays_out(admin_client, client, show, tone):
    public(tone, show=show, number=1)
    forms.post_show(admin_client, show, {"value_suggested": "0.00000005"})
    _, root = fetch(client)
    assert root.find(".//podcast:value", NS) is None  # the schema needs a recipient


# ---------------------------------------------------------------- the cached feed


def test_an_edit_of_the_rows_reaches_the_cached_feed_at_once(admin_client, client, show, tone):
    episode = public(tone, show=show, number=1)
    fetch(client)  # built and cached
    forms.post_show(admin_client, show, forms.rows("txts", {"text": "first"}))
    _, root = fetch(client)
    assert root.findtext("channel/podcast:txt", namespaces=NS) == "first"
    forms.post_episode(
        admin_client, episode, forms.rows("value_recipients", *forms.EPISODE_RECIPIENTS)
    )
    _, root = fetch(client)
    assert root.find("channel/item/podcast:value/podcast:valueRecipient", NS).get("split") == "50"
    # Deleting the row through the form takes it out of the feed again.
    txt = ShowTxt.objects.get()
    deletion = {"txts-TOTAL_FORMS": "1", "txts-INITIAL_FORMS": "1", "txts-0-id": str(txt.pk),
                "txts-0-DELETE": "on"}  # fmt: skip
    forms.post_show(admin_client, show, deletion)
    _, root = fetch(client)
    assert root.find("channel/podcast:txt", NS) is None
