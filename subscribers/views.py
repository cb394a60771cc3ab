"""The subscriber's page (reached by the emailed link) and the payment provider's webhook."""

import time

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from episodes.context_processors import site_urls

from . import links, signatures, webhook
from .applinks import app_links

PRIVATE_HEADERS = {
    "Cache-Control": "private, no-store",
    # The app links and anything else on the page must not carry this URL away.
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
}


@require_safe
def page(request: HttpRequest, value: str) -> HttpResponse:
    subscriber = links.subscriber_for_page(value)
    if subscriber is None:
        response = render(request, "subscribers/link_gone.html", status=404)
    else:
        feed_url = links.personal_feed_url(subscriber)
        context = {
            "subscriber": subscriber,
            "current_show": subscriber.show,
            "site_urls": site_urls(subscriber.show),
            "feed_url": feed_url,
            "apps": app_links(feed_url),
        }
        response = render(request, "subscribers/page.html", context)
    for name, value in PRIVATE_HEADERS.items():
        response[name] = value
    return response


@csrf_exempt
@require_POST
def payment_webhook(request: HttpRequest) -> JsonResponse:
    secret = settings.PODCAST_SUBSCRIBER_WEBHOOK_SECRET
    if not secret:
        raise Http404("the webhook is off (PODCAST_SUBSCRIBER_WEBHOOK_SECRET is empty)")
    header = request.headers.get(signatures.HEADER, "")
    tolerance = settings.PODCAST_SUBSCRIBER_WEBHOOK_TOLERANCE
    reason = signatures.refusal(secret, header, request.body, time.time(), tolerance)
    if reason:
        return JsonResponse({"ok": False, "error": reason}, status=401)
    try:
        return JsonResponse(webhook.handle(request.body))
    except webhook.Refused as refused:
        return JsonResponse({"ok": False, "error": refused.message}, status=refused.status)
