"""Podcasting 2.0 fields of the show (channel) and the episode (item), as abstract models:
podcast:license, podcast:location and podcast:value's suggested amount on both, and
podcast:updateFrequency on the show. Each is checked as it is entered."""

from django.core.validators import MinValueValidator
from django.db import models

from ..validators import https_url, validate_geo, validate_osm, validate_rrule

SHORT = 128  # the namespace's limit for most node values


class LicenseAndLocation(models.Model):
    """podcast:license and podcast:location, on the show (channel) and the episode (item)."""

    license = models.CharField(
        max_length=SHORT,
        blank=True,
        help_text="podcast:license: an SPDX identifier such as cc-by-4.0, or your licence's name.",
    )
    license_url = models.URLField(
        blank=True,
        validators=[https_url],
        help_text="The licence's full text; required for a licence of your own.",
    )
    location_name = models.CharField(
        max_length=SHORT, blank=True, help_text='podcast:location, e.g. "Austin, TX".'
    )
    location_geo = models.CharField(
        max_length=100,
        blank=True,
        validators=[validate_geo],
        help_text="geo:latitude,longitude, e.g. geo:30.2672,-97.7431.",
    )
    location_osm = models.CharField(
        max_length=40,
        blank=True,
        validators=[validate_osm],
        help_text="OpenStreetMap identifier, e.g. R113314.",
    )
    value_suggested = models.DecimalField(
        max_digits=20,
        decimal_places=11,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="podcast:value: suggested amount per minute in BTC, e.g. 0.00000005000 "
        "(the recipients are below).",
    )

    class Meta:
        abstract = True

    def namespace_tag_errors(self) -> dict[str, str]:
        """Field name -> what is missing for the license and location tags to make sense."""
        errors = {}
        if self.license_url and not self.license:
            errors["license"] = "Name the licence the URL points to (podcast:license needs it)."
        if (self.location_geo or self.location_osm) and not self.location_name:
            errors["location_name"] = "Name the place: apps show the name, not the coordinates."
        return errors


class UpdateFrequency(models.Model):
    """podcast:updateFrequency on the show: when new episodes come, in words and as an rrule."""

    update_frequency = models.CharField(
        max_length=SHORT,
        blank=True,
        help_text='podcast:updateFrequency, in words apps show, e.g. "Every Monday".',
    )
    update_frequency_rrule = models.CharField(
        max_length=300,
        blank=True,
        validators=[validate_rrule],
        help_text="An iCalendar RRULE, e.g. FREQ=WEEKLY;BYDAY=MO.",
    )
    update_frequency_dtstart = models.DateTimeField(
        null=True, blank=True, help_text="When the schedule starts (required with COUNT)."
    )
    update_frequency_complete = models.BooleanField(
        default=False, help_text="The show is complete: no further episodes are planned."
    )

    class Meta:
        abstract = True

    def update_frequency_errors(self) -> dict[str, str]:
        """Field name -> what podcast:updateFrequency still needs (words; a start for COUNT)."""
        errors = {}
        has_rule = self.update_frequency_rrule or self.update_frequency_dtstart
        if (has_rule or self.update_frequency_complete) and not self.update_frequency:
            errors["update_frequency"] = 'Say it in words too, e.g. "Weekly": apps show the words.'
        if "COUNT=" in self.update_frequency_rrule.upper() and not self.update_frequency_dtstart:
            errors["update_frequency_dtstart"] = "A rule with COUNT needs the date it starts."
        return errors
