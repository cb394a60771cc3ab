"""Personal feeds: the show's subscriber feed built once, each subscriber's token filled in.

The subscriber feed (public and premium episodes, TOKEN_PLACEHOLDER in its own
URLs) is one more document of the show for episodes/feeds/cache.py: the same
validators on the show row, the same feed revision invalidating it. Its bytes are
kept as a splicing.Template under their content hash, in this process and in the
shared cache, so 10,000 subscribers cost one build and 10,000 joins.

Nothing here decides who may read: the views check the token against the
database on every request before any of this runs.
"""

import datetime as dt
import hashlib
import threading
from collections import OrderedDict

from django.core.cache import cache as shared_cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from episodes import hot
from episodes.feeds import build, cache
from episodes.models import Show

from .splicing import Template

PLACEHOLDER = build.TOKEN_PLACEHOLDER.encode()
RECENT_LIMIT = 8  # templates kept in this process (a few MB each)
recent: OrderedDict[str, Template] = OrderedDict()
_recent_lock = threading.Lock()
# Each subscriber's own cache only, revalidated on every poll: a revoked token must
# not be answered from any cache, and a 304 costs one query.
CACHE_CONTROL = "private, no-cache"


def template_key(etag: str) -> str:
    return f"feed:personal:v2:{etag}"  # v2: Template with token_length


def remember(etag: str, template: Template) -> None:
    with _recent_lock:
        recent[etag] = template
        recent.move_to_end(etag)
        while len(recent) > RECENT_LIMIT:
            recent.popitem(last=False)


def kept_template(etag: str) -> Template | None:
    with _recent_lock:
        template = recent.get(etag)
    if template is None:
        template = shared_cache.get(template_key(etag))
        if template is not None:
            remember(etag, template)
    return template


def build_template(
    show: Show, variant: build.Variant, now: dt.datetime, key: str
) -> tuple[cache.Validators, Template]:
    body = cache.build_document(show, variant, now)
    etag = hashlib.blake2b(body, digest_size=16).hexdigest()
    template = Template.from_bytes(body, PLACEHOLDER)
    shared_cache.set(template_key(etag), template, cache.CACHE_SECONDS)
    remember(etag, template)
    validators = cache.store(show, variant.key, key, etag, now)
    hot.forget_rows()  # the show rows kept in this process hold the old validators
    return validators, template


def subscriber_feed(show: Show, variant: build.Variant) -> tuple[cache.Validators, Template]:
    """The show's current subscriber feed document, built only if no process has it."""
    now = timezone.now()
    key = cache.state_key(show, variant.key, build.stylesheet_url())
    validators = cache.current(show, variant.key, key, now)
    template = kept_template(validators.etag) if validators else None
    if template is None:
        validators, template = build_template(show, variant, now, key)
    return validators, template


def personal_response(
    request: HttpRequest, show: Show, variant: build.Variant, token: str
) -> HttpResponse:
    """One subscriber's feed: the subscriber feed with their token, 304 when unchanged."""
    validators, template = subscriber_feed(show, variant)
    gzipped = cache.accepts_gzip(request)
    if cache.not_modified(request, validators):
        response = HttpResponse(status=304)
    else:
        body = template.fill_gzip(token.encode()) if gzipped else template.fill(token.encode())
        response = HttpResponse(
            b"" if request.method == "HEAD" else body, content_type=cache.RSS_TYPE
        )
        response["Content-Length"] = str(len(body))
        if gzipped:
            response["Content-Encoding"] = "gzip"
    cache.feed_headers(response, validators, gzipped)
    response["Cache-Control"] = CACHE_CONTROL
    response["X-Robots-Tag"] = "noindex"
    # A browser showing the feed fetches its stylesheet: no Referer carries the token.
    response["Referrer-Policy"] = "no-referrer"
    return response
