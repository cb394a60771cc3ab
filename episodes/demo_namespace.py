"""The demo's Podcasting 2.0 tags, so a newcomer sees every one of them in the demo feed.

The show: license, location, updateFrequency, two podcast:txt, a podroll and Lightning
value recipients. Episode 2: its own license, location and recipients (a guest's split);
episodes 1 and 3: comment threads (podcast:socialInteract), disabled on 3. A trailer
episode (number 0, type trailer) is the channel's podcast:trailer. Idempotent: rows are
found by their natural keys.
"""

import datetime as dt
from decimal import Decimal

from .models import Episode, Show

# The namespace's own example keys and guids: documentation values, nobody's wallet.
ADA_NODE = "02d5c1bf8b940dc9cadca86d1b0a3c37fbe39cee4c7e839e33bef9174531d27f52"
GRACE_NODE = "032f4ffbbafffbe51726ad3c164a3d0d37ec27bc67b29a159b0f49ae8ac21b8508"
LIN_NODE = "02dd306e68c46681aa21d88a436fb35355a8579dd30201581cefa17cb179fc4c15"
HOSTING = ("Example Hosting (fee)", "lnaddress", "demo@example.org", 5, True)

SHOW_TAGS = {
    "license": "cc-by-4.0",
    "license_url": "https://creativecommons.org/licenses/by/4.0/",
    "location_name": "Berlin, Germany",
    "location_geo": "geo:52.52,13.405",
    "location_osm": "R62422",
    "update_frequency": "Every other Monday",
    "update_frequency_rrule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
    "update_frequency_dtstart": dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC),
    "update_frequency_complete": False,
    "value_suggested": Decimal("0.00000005000"),
}
TXTS = [
    ("verify", "byte-sized-demo-7Hq2-x9Lp"),
    ("", "Recorded with small tools that fit in one file."),
]
PODROLL = [
    ("917393e3-1b1e-5cef-ace4-edaa54e1f810", "https://feeds.podcastindex.org/pc20.xml", ""),
    ("396d9ae0-da7e-5557-b894-b606231fa3ea", "", "music"),
]
SHOW_RECIPIENTS = [
    ("Ada Demo", "node", ADA_NODE, 50, False),
    ("Grace Example", "node", GRACE_NODE, 45, False),
    HOSTING,
]

EPISODE_TAGS = {
    2: {
        "license": "cc-by-sa-4.0",
        "license_url": "https://creativecommons.org/licenses/by-sa/4.0/",
        "location_name": "Lisbon, Portugal",
        "location_geo": "geo:38.7223,-9.1393",
        "location_osm": "R5400890",
        "value_suggested": Decimal("0.00000010000"),
    },
}
EPISODE_RECIPIENTS = {
    2: [
        ("Ada Demo", "node", ADA_NODE, 35, False),
        ("Grace Example", "node", GRACE_NODE, 35, False),
        ("Lin Guest", "node", LIN_NODE, 25, False),
        HOSTING,
    ],
}
# (protocol, uri, account id, account URL, priority)
SOCIAL = {
    1: [
        ("activitypub", "https://example.social/@bytesized/113", "@bytesized",
         "https://example.social/@bytesized", 1),
        ("atproto", "at://did:plc:bytesizeddemo/app.bsky.feed.post/3kdemo", "", "", 2),
    ],
    3: [("disabled", "", "", "", None)],
}  # fmt: skip

TRAILER = {
    "number": 0,
    "title": "Coming soon: Byte-Sized Demo",
    "slug": "trailer",
    "summary": "Three short episodes about small, useful tools. Season one starts soon.",
    "episode_type": Episode.Type.TRAILER,
    "season": 1,
    "seconds": 20.0,
    "frequency": 392,
    "links": [],
    "chapters": [],
    "guests": [],
    "transcript": [],
}


def load_show_tags(show: Show) -> None:
    for position, (purpose, text) in enumerate(TXTS):
        show.txts.update_or_create(purpose=purpose, text=text, defaults={"position": position})
    for position, (guid, url, medium) in enumerate(PODROLL):
        show.podroll.update_or_create(
            feed_guid=guid, defaults={"feed_url": url, "medium": medium, "position": position}
        )
    load_recipients(show.value_recipients, SHOW_RECIPIENTS)


def episode_fields(data: dict) -> dict:
    """An episode's own tag fields (license, location, value), and the trailer's type and season."""
    fields = {"episode_type": data.get("episode_type", Episode.Type.FULL)}
    fields["season"] = data.get("season")
    return fields | EPISODE_TAGS.get(data["number"], {})


def load_episode_tags(episode: Episode) -> None:
    load_recipients(episode.value_recipients, EPISODE_RECIPIENTS.get(episode.number, []))
    for protocol, uri, account, account_url, priority in SOCIAL.get(episode.number, []):
        episode.social_interacts.update_or_create(
            protocol=protocol,
            defaults={
                "uri": uri,
                "account_id": account,
                "account_url": account_url,
                "priority": priority,
            },
        )


def load_recipients(manager, recipients: list[tuple]) -> None:
    for position, (name, kind, address, split, fee) in enumerate(recipients):
        manager.update_or_create(
            name=name,
            defaults={
                "type": kind,
                "address": address,
                "split": split,
                "fee": fee,
                "position": position,
            },
        )
