"""Podping (podping.cloud): tell podcast apps at once that a feed changed.

On publish, and when a live item goes live (the live-item spec asks for a podping
then) or ends, the worker sends `GET PODCAST_PODPING_URL?url=<feed>&reason=...&medium=...`
with `Authorization: PODCAST_PODPING_TOKEN`. Empty PODCAST_PODPING_URL turns it off.
Private shows and premium episodes are never pinged: their public feed does not change.
Each send is claim, then act once, as the WebSub ping is (services.notify_websub_hub).
"""

import logging
import urllib.parse
import urllib.request

from django.conf import settings
from django.utils import timezone

from podcast.queue import enqueue

from .models import Episode, LiveItem, Show

log = logging.getLogger(__name__)


def celery_tasks():
    from . import tasks  # tasks.py imports this module

    return tasks


def queue_episode_podping(*, episode: Episode) -> None:
    """After commit, have the worker send a Podping when the episode becomes public."""
    if not settings.PODCAST_PODPING_URL or episode.publish_at is None:
        return
    eta = max(episode.publish_at, timezone.now())
    enqueue(celery_tasks().send_episode_podping, episode.pk, eta=eta)


def queue_live_podping(*, live_item: LiveItem) -> None:
    """After commit, have the worker send a Podping once the item is live, and once it ended."""
    if settings.PODCAST_PODPING_URL and live_claim(live_item) is not None:
        enqueue(celery_tasks().send_live_podping, live_item.pk)


def live_claim(live: LiveItem) -> tuple[str, str] | None:
    """(claim field, Podping reason) of a live item's status still to announce, if any."""
    if live.status == LiveItem.Status.LIVE and live.podping_live_at is None:
        return "podping_live_at", "live"
    if live.status == LiveItem.Status.ENDED and live.podping_ended_at is None:
        return "podping_ended_at", "liveEnd"
    return None


def notify_episode_podping(*, episode_id: int) -> bool:
    """Send the Podping of a published episode once; True if this call sent it."""
    episode = Episode.objects.select_related("show").filter(pk=episode_id).first()
    if episode is None or not Episode.objects.public().filter(pk=episode_id).exists():
        return False
    claim = Episode.objects.filter(pk=episode_id, podping_pinged_at=None)
    return send_once(claim, "podping_pinged_at", episode.show, reason="update")


def notify_live_podping(*, live_item_id: int) -> bool:
    """Send the Podping of a live item that went live or ended, once each; True if sent."""
    live = LiveItem.objects.select_related("show").filter(pk=live_item_id).first()
    claim = live_claim(live) if live is not None else None
    if claim is None:
        return False
    field, reason = claim
    rows = LiveItem.objects.filter(pk=live_item_id, status=live.status, **{field: None})
    return send_once(rows, field, live.show, reason=reason)


def send_once(claim, field: str, show: Show, *, reason: str) -> bool:
    """Claim by setting `field` from empty, then ping; a failed ping releases the claim."""
    if not settings.PODCAST_PODPING_URL or show.private:
        return False
    claimed_at = timezone.now()
    if not claim.update(**{field: claimed_at}):
        return False
    try:
        send_podping(feed_url=show.feed_url(), reason=reason, medium=show.medium)
    except OSError:
        claim.model.objects.filter(**{field: claimed_at}).update(**{field: None})
        raise
    log.info("podping: %s for %s", reason, show.feed_url())
    return True


def send_podping(*, feed_url: str, reason: str, medium: str, timeout: float = 10.0) -> int:
    """GET the Podping endpoint for one feed; raise OSError unless it answers 2xx."""
    query = urllib.parse.urlencode({"url": feed_url, "reason": reason, "medium": medium})
    request = urllib.request.Request(f"{settings.PODCAST_PODPING_URL}?{query}")
    if settings.PODCAST_PODPING_TOKEN:
        request.add_header("Authorization", settings.PODCAST_PODPING_TOKEN)
    request.add_header("User-Agent", "podcast-site podping")
    # urlopen raises HTTPError (an OSError) for 4xx and 5xx answers.
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status
