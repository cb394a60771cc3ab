"""The Podcasting 2.0 tags on the show and episode forms: their fields and inlines.

Saving the show or the episode form saves these inlines before the admin's
save_related invalidates the feed, so every change here reaches the feed at once.
"""

from django import forms
from django.contrib import admin

from . import models

SHOW_FIELDS = {
    "License and location (podcast:license, podcast:location)": [
        "license",
        "license_url",
        "location_name",
        "location_geo",
        "location_osm",
    ],
    "Update frequency (podcast:updateFrequency)": [
        "update_frequency",
        "update_frequency_rrule",
        "update_frequency_dtstart",
        "update_frequency_complete",
    ],
    "Value for value (podcast:value: Lightning keysend, recipients below)": ["value_suggested"],
}


def show_fieldsets(fieldsets: list) -> list:
    """The show form's fieldsets with the namespace fields gathered under their own headings."""
    ours = {name for names in SHOW_FIELDS.values() for name in names}
    rest = [
        (title, {**options, "fields": [f for f in options["fields"] if f not in ours]})
        for title, options in fieldsets
    ]
    return rest + [(title, {"fields": names}) for title, names in SHOW_FIELDS.items()]


class ShowTxtInline(admin.TabularInline):
    model = models.ShowTxt
    extra = 0
    fields = ["position", "purpose", "text"]


class PodrollItemForm(forms.ModelForm):
    class Meta:
        model = models.PodrollItem
        fields = ["position", "feed_guid", "feed_url", "medium"]
        error_messages = {
            "feed_guid": {
                "invalid": "The feedGuid is the other show's podcast:guid, a UUID such as "
                "917393e3-1b1e-5cef-ace4-edaa54e1f810 (Podcast Index shows it)."
            }
        }


class PodrollInline(admin.TabularInline):
    model = models.PodrollItem
    form = PodrollItemForm
    extra = 0
    fields = ["position", "feed_guid", "feed_url", "medium"]


class ShowValueRecipientInline(admin.TabularInline):
    model = models.ShowValueRecipient
    extra = 0
    fields = ["position", "name", "type", "address", "split", "fee", "custom_key", "custom_value"]


class EpisodeValueRecipientInline(ShowValueRecipientInline):
    model = models.EpisodeValueRecipient


class SocialInteractInline(admin.TabularInline):
    model = models.SocialInteract
    extra = 0
    fields = ["priority", "protocol", "uri", "account_id", "account_url"]


SHOW_INLINES = [ShowTxtInline, PodrollInline, ShowValueRecipientInline]
EPISODE_INLINES = [SocialInteractInline, EpisodeValueRecipientInline]
