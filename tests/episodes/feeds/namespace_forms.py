"""Posting the show and episode admin forms with Podcasting 2.0 fields and inline rows.

Shared by the round-trip tests (test_podcast_tags.py) and the validation tests
(test_podcast_tags_admin.py): the form as the page renders it, changed as an editor would.
"""

import datetime as dt

from django.urls import reverse

from episodes.models import Episode, Show
from tests.formdata import change_form_data

NODE = "02d5c1bf8b940dc9cadca86d1b0a3c37fbe39cee4c7e839e33bef9174531d27f52"
GUEST_NODE = "032f4ffbbafffbe51726ad3c164a3d0d37ec27bc67b29a159b0f49ae8ac21b8508"
PODROLL_GUID = "917393e3-1b1e-5cef-ace4-edaa54e1f810"
DTSTART = dt.datetime(2027, 1, 4, 9, 0, tzinfo=dt.UTC)

SHOW_FIELDS = {
    "license": "cc-by-4.0",
    "license_url": "https://creativecommons.org/licenses/by/4.0/",
    "location_name": "Austin, TX",
    "location_geo": "geo:30.2672,-97.7431",
    "location_osm": "R113314",
    "update_frequency": "Every other Monday",
    "update_frequency_rrule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
    "update_frequency_dtstart_0": "2027-01-04",
    "update_frequency_dtstart_1": "09:00:00",
    "value_suggested": "0.00000005000",
}
TXTS = [
    {"purpose": "verify", "text": "S6lpp-7ZCn8-dZfGc-OoyaG"},
    {"purpose": "", "text": "Free-form & <escaped> text"},
]
PODROLL = [
    {"feed_guid": PODROLL_GUID, "feed_url": "https://feeds.example.org/pc20.xml", "medium": ""},
    {"feed_guid": "396d9ae0-da7e-5557-b894-b606231fa3ea", "feed_url": "", "medium": "music"},
]
SHOW_RECIPIENTS = [
    {"name": "Ada (host)", "type": "node", "address": NODE, "split": "90", "fee": "",
     "custom_key": "696969", "custom_value": "aBcDeF"},
    {"name": "Hosting", "type": "lnaddress", "address": "host@getalby.com", "split": "10",
     "fee": "on", "custom_key": "", "custom_value": ""},
]  # fmt: skip

EPISODE_FIELDS = {
    "license": "my-show-license-v1",
    "license_url": "https://example.org/license.pdf",
    "location_name": "Dreamworld (Queensland)",
    "location_geo": "geo:-27.86159,153.3169",
    "location_osm": "W43678282",
    "value_suggested": "0.0000001",
}
SOCIAL = [
    {"priority": "1", "protocol": "activitypub", "uri": "https://podcastindex.social/@dave/1",
     "account_id": "@dave", "account_url": "https://podcastindex.social/@dave"},
    {"priority": "2", "protocol": "atproto", "uri": "at://did:plc:abc/app.bsky.feed.post/3k",
     "account_id": "", "account_url": ""},
]  # fmt: skip
EPISODE_RECIPIENTS = [
    {"name": "Lin (guest)", "type": "node", "address": GUEST_NODE, "split": "50", "fee": "",
     "custom_key": "", "custom_value": ""},
]  # fmt: skip


def rows(prefix: str, *forms: dict) -> dict:
    """An inline's management form and its new rows, as the admin page posts them."""
    data = {f"{prefix}-TOTAL_FORMS": str(len(forms)), f"{prefix}-INITIAL_FORMS": "0"}
    for i, form in enumerate(forms):
        if prefix != "social_interacts":  # ordered by priority, the others by position
            form = {"position": str(i)} | form
        data |= {f"{prefix}-{i}-{name}": value for name, value in form.items() if value != ""}
    return data


def post_form(client, url: str, changes: dict):
    data = change_form_data(client.get(url))
    data.pop("update_frequency_dtstart", None)  # posted as its date and time halves
    return client.post(url, data | changes)


def post_show(client, show: Show, changes: dict):
    return post_form(client, reverse("admin:episodes_show_change", args=[show.pk]), changes)


def post_episode(client, episode: Episode, changes: dict):
    return post_form(client, reverse("admin:episodes_episode_change", args=[episode.pk]), changes)


def every_show_tag() -> dict:
    return (
        SHOW_FIELDS
        | rows("txts", *TXTS)
        | rows("podroll", *PODROLL)
        | rows("value_recipients", *SHOW_RECIPIENTS)
    )


def every_episode_tag() -> dict:
    return (
        EPISODE_FIELDS
        | rows("social_interacts", *SOCIAL)
        | rows("value_recipients", *EPISODE_RECIPIENTS)
    )
