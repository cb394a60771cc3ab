"""Podcasting 2.0 rows editors add: txt records and the podroll (channel), comment threads
(item), and Lightning value recipients (channel and item). Each is checked as it is entered."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from ..validators import https_url, value_address_problem
from .show import Medium

SHORT = 128  # the namespace's limit for most node values
SCRIPT_SCHEMES = {"javascript", "data", "vbscript"}  # run code where an app makes a link


class ShowTxt(models.Model):
    show = models.ForeignKey("episodes.Show", on_delete=models.CASCADE, related_name="txts")
    purpose = models.CharField(
        max_length=SHORT, blank=True, help_text='e.g. "verify" or "applepodcastsverify".'
    )
    text = models.TextField(max_length=4000, help_text="podcast:txt: at most 4000 characters.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "podcast:txt record"

    def __str__(self) -> str:
        return self.purpose or self.text[:40]


class PodrollItem(models.Model):
    show = models.ForeignKey("episodes.Show", on_delete=models.CASCADE, related_name="podroll")
    feed_guid = models.UUIDField(help_text="The recommended show's podcast:guid.")
    feed_url = models.URLField(max_length=1000, blank=True, validators=[https_url])
    medium = models.CharField(
        max_length=20, blank=True, choices=Medium.choices, help_text="Empty for a podcast."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "podroll show"

    def __str__(self) -> str:
        return self.feed_url or str(self.feed_guid)


class SocialProtocol(models.TextChoices):
    # The namespace's socialprotocols.txt; "disabled" asks apps to show no comments.
    ACTIVITYPUB = "activitypub", "ActivityPub (Mastodon, Castopod, PeerTube)"
    ATPROTO = "atproto", "AT Protocol (Bluesky)"
    TWITTER = "twitter", "Twitter / X"
    MATRIX = "matrix", "Matrix"
    NOSTR = "nostr", "Nostr"
    HIVE = "hive", "Hive"
    LIGHTNING = "lightning", "Lightning"
    DISABLED = "disabled", "disabled (no public comments)"


class SocialInteract(models.Model):
    episode = models.ForeignKey(
        "episodes.Episode", on_delete=models.CASCADE, related_name="social_interacts"
    )
    protocol = models.CharField(max_length=20, choices=SocialProtocol.choices)
    uri = models.CharField(
        max_length=1000, blank=True, help_text="The root post of the comment thread."
    )
    account_id = models.CharField(max_length=200, blank=True, help_text="e.g. @dave")
    account_url = models.URLField(max_length=1000, blank=True, validators=[https_url])
    priority = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Lower comes first."
    )

    class Meta:
        ordering = ["priority", "pk"]
        verbose_name = "comment thread (podcast:socialInteract)"

    def __str__(self) -> str:
        return f"{self.protocol}: {self.uri}"

    def clean(self) -> None:
        if self.protocol == SocialProtocol.DISABLED:
            if self.uri or self.account_id or self.account_url:
                raise ValidationError(
                    "Disabled comments take no post or account: clear them, or pick a protocol."
                )
        elif not self.uri:
            raise ValidationError({"uri": "The root post's URI is required."})
        elif ":" not in self.uri:
            raise ValidationError({"uri": "A URI starts with its scheme, e.g. https:// or at://."})
        elif self.uri.split(":", 1)[0].strip().lower() in SCRIPT_SCHEMES:
            raise ValidationError(
                {"uri": "A comment thread is a post, not a script: use https://."}
            )


class RecipientType(models.TextChoices):
    NODE = "node", "node (public key)"
    LNADDRESS = "lnaddress", "lnaddress (Lightning address)"


class ValueRecipient(models.Model):
    """One podcast:valueRecipient of a Lightning keysend podcast:value block."""

    name = models.CharField(max_length=SHORT, blank=True)
    type = models.CharField(max_length=10, choices=RecipientType.choices, default="node")
    address = models.CharField(max_length=200)
    split = models.PositiveIntegerField(
        validators=[MinValueValidator(1, "A split is a number of shares: 1 or more.")],
        help_text="Shares of each payment (a whole number).",
    )
    custom_key = models.CharField(max_length=100, blank=True)
    custom_value = models.CharField(max_length=300, blank=True)
    fee = models.BooleanField(default=False, help_text="A fee (e.g. the host's), not a split.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.name or self.address} ({self.split})"

    def clean(self) -> None:
        errors = {}
        # An unknown type is the type field's own error; the address is judged by a known one.
        if self.type in RecipientType.values and (
            problem := value_address_problem(self.type, self.address)
        ):
            errors["address"] = problem
        if bool(self.custom_key) != bool(self.custom_value):
            errors["custom_value" if self.custom_key else "custom_key"] = (
                "A custom key and its value go together: fill in both or neither."
            )
        if errors:
            raise ValidationError(errors)


class ShowValueRecipient(ValueRecipient):
    show = models.ForeignKey(
        "episodes.Show", on_delete=models.CASCADE, related_name="value_recipients"
    )

    class Meta(ValueRecipient.Meta):
        verbose_name = "value recipient (podcast:value)"


class EpisodeValueRecipient(ValueRecipient):
    episode = models.ForeignKey(
        "episodes.Episode", on_delete=models.CASCADE, related_name="value_recipients"
    )

    class Meta(ValueRecipient.Meta):
        verbose_name = "value recipient (podcast:value, replaces the show's)"
