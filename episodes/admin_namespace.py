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


class NamespaceInline(admin.StackedInline):
    """Stacked, fields side by side where they fit: tables of 5 to 8 columns overflow a phone."""

    extra = 0

    class Media:
        css = {"all": ["css/admin-namespace.css"]}


class ShowTxtInline(NamespaceInline):
    model = models.ShowTxt
    verbose_name = "text record"
    verbose_name_plural = "Text records (podcast:txt, e.g. a directory's ownership check)"
    fields = [("purpose", "position"), "text"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "text":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 60})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class PodrollItemForm(forms.ModelForm):
    class Meta:
        model = models.PodrollItem
        fields = ["position", "feed_guid", "feed_url", "medium"]
        labels = {"feed_guid": "Feed GUID", "feed_url": "Feed URL"}
        error_messages = {
            "feed_guid": {
                "invalid": "The feedGuid is the other show's podcast:guid, a UUID such as "
                "917393e3-1b1e-5cef-ace4-edaa54e1f810 (Podcast Index shows it)."
            }
        }


class PodrollInline(NamespaceInline):
    model = models.PodrollItem
    form = PodrollItemForm
    verbose_name = "recommended show"
    verbose_name_plural = "Podroll: shows you recommend (podcast:podroll)"
    fields = [("feed_guid", "medium", "position"), "feed_url"]


class ValueRecipientForm(forms.ModelForm):
    class Meta:
        fields = ["name", "type", "address", "split", "fee", "custom_key", "custom_value"]
        help_texts = {
            "address": "For node: the 66-character public key; for lnaddress: name@host.",
            "custom_key": "Only if the recipient's wallet asks for it: the custom record's "
            "key, e.g. 696969.",
            "custom_value": "The value sent under that key, e.g. the recipient's wallet id.",
        }


class ShowValueRecipientInline(NamespaceInline):
    model = models.ShowValueRecipient
    form = ValueRecipientForm
    verbose_name = "value recipient"
    verbose_name_plural = "Value recipients (podcast:value: who gets a share of each payment)"
    fields = [
        ("name", "type"),
        "address",
        ("split", "fee", "position"),
        ("custom_key", "custom_value"),
    ]


class EpisodeValueRecipientInline(ShowValueRecipientInline):
    model = models.EpisodeValueRecipient
    verbose_name_plural = "Value recipients (podcast:value: when set, these replace the show's)"


class SocialInteractForm(forms.ModelForm):
    class Meta:
        fields = ["protocol", "priority", "uri", "account_id", "account_url"]
        labels = {"uri": "Thread URI", "account_id": "Account", "account_url": "Account URL"}


class SocialInteractInline(NamespaceInline):
    model = models.SocialInteract
    form = SocialInteractForm
    verbose_name = "comment thread"
    verbose_name_plural = "Comment threads (podcast:socialInteract)"
    fields = [("protocol", "priority"), "uri", ("account_id", "account_url")]


SHOW_INLINES = [ShowTxtInline, PodrollInline, ShowValueRecipientInline]
EPISODE_INLINES = [SocialInteractInline, EpisodeValueRecipientInline]
