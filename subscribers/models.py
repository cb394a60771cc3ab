"""Subscribers of a show's premium episodes, each with a personal feed token."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from episodes.models import Show

from . import tokens


class SubscriberQuerySet(models.QuerySet):
    def active(self, now=None) -> "SubscriberQuerySet":
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).exclude(expires_at__lte=now)

    def revoked(self) -> "SubscriberQuerySet":
        return self.filter(revoked_at__isnull=False)

    def expired(self, now=None) -> "SubscriberQuerySet":
        """Not revoked, but past their expiry."""
        return self.filter(revoked_at__isnull=True, expires_at__lte=now or timezone.now())

    def for_token(self, token: str) -> "Subscriber | None":
        """The subscriber (active or not) whose token this is, or None."""
        if not tokens.looks_like_token(token):
            return None
        found = self.filter(token_digest=tokens.token_digest(token)).select_related("show").first()
        if found is None or not tokens.same_digest(found.token_digest, token):
            return None
        return found


class Subscriber(models.Model):
    show = models.ForeignKey(Show, on_delete=models.CASCADE, related_name="subscribers")
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField()
    # The token is derived from this nonce and PODCAST_SUBSCRIBER_KEY, never stored.
    token_nonce = models.CharField(max_length=32, default=tokens.new_nonce, editable=False)
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="Empty: until revoked. After this, the feed answers 410."
    )
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Who created it: an editor, a command, CSV import or the payment webhook.
    source = models.CharField(max_length=40, blank=True, editable=False)
    # The payment provider's id for this subscription (webhook create/renew/cancel).
    external_id = models.CharField(max_length=200, blank=True, db_index=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["show", "email"]
        constraints = [
            models.UniqueConstraint(fields=["show", "email"], name="one_subscriber_per_email")
        ]

    def __str__(self) -> str:
        return f"{self.name or self.email} ({self.show.slug})"

    @property
    def token(self) -> str:
        return tokens.derive_token(settings.PODCAST_SUBSCRIBER_KEY, self.token_nonce)

    def save(self, *args, **kwargs):
        self.token_digest = tokens.token_digest(self.token)
        super().save(*args, **kwargs)

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    def state(self, now=None) -> str:
        """active, revoked or expired: what the admin list says."""
        if self.revoked_at is not None:
            return "revoked"
        return "active" if self.is_active(now) else "expired"

    def regenerate(self) -> str:
        """A new token: the old personal feed URL stops working. Returns the new token."""
        self.token_nonce = tokens.new_nonce()
        self.save()
        return self.token

    def reactivate(self) -> bool:
        """Clear a revocation with a new token (unsaved): a URL leaked before it stays dead.

        True if the subscriber was revoked, so the caller knows the feed URL changed.
        """
        if self.revoked_at is None:
            return False
        self.revoked_at = None
        self.token_nonce = tokens.new_nonce()
        return True

    def revoke(self, now=None) -> None:
        if self.revoked_at is None:
            self.revoked_at = now or timezone.now()
            self.save(update_fields=["revoked_at"])


class WebhookDelivery(models.Model):
    """An event id the payment webhook applied: the same id again is a replay, refused.

    Kept WEBHOOK_KEEP_DAYS (longer than providers retry), then deleted by the webhook
    itself; a row in the database holds across every web process, as a local cache would not.
    """

    event_id = models.CharField(max_length=200, unique=True)
    event = models.CharField(max_length=20)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name_plural = "webhook deliveries"

    def __str__(self) -> str:
        return f"{self.event} {self.event_id}"
