"""Site-wide response headers that Django 5.2 has no setting for.

This is wiring, like SecurityMiddleware's settings: one header on every
response, the same for every app, so it lives beside settings.py rather than in
a domain app. (Django 6.0 ships a CSP middleware; this goes when we move there.)
"""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.deprecation import MiddlewareMixin
from django.views.defaults import page_not_found

log = logging.getLogger(__name__)


class ContentSecurityPolicyMiddleware(MiddlewareMixin):
    """Add settings.PODCAST_CSP as Content-Security-Policy unless the view set its own.

    MiddlewareMixin runs natively under both WSGI and ASGI, so streamed
    downloads stay on the event loop.
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if settings.PODCAST_CSP and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = settings.PODCAST_CSP
        return response


# RFC 9110 section 15.4.5: what a 304 carries, so a cache can freshen its stored copy;
# and CORS, which a web player's revalidation of a transcript may be checked against.
NOT_MODIFIED_FIELDS = frozenset(
    ("cache-control", "content-location", "date", "etag", "expires", "last-modified", "vary")
    + ("access-control-allow-origin", "access-control-expose-headers")
)


class NotModifiedMiddleware(MiddlewareMixin):
    """Trim a 304 to the fields a cache freshens its copy with (outermost, so it runs last).

    CommonMiddleware gives every 304 `Content-Length: 0`, which RFC 9110 forbids
    (a cache may take it as the stored feed's new length), views' 304s carry a
    Content-Type, and the security headers are the stored 200's already.
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if response.status_code == 304:
            for name in [n for n in response.headers if n.lower() not in NOT_MODIFIED_FIELDS]:
                del response.headers[name]
        return response


UNAVAILABLE_PAGE = """<!doctype html>
<html lang="en"><meta charset="utf-8"><title>Temporarily unavailable</title>
<h1>Temporarily unavailable</h1>
<p>The site cannot reach its database just now. Please retry in a minute.</p>
</html>
"""


class DatabaseUnavailableMiddleware(MiddlewareMixin):
    """Answer 503 with Retry-After when a view cannot reach the database.

    A restart or failover of the database is brief; a 503 tells browsers, podcast
    apps and load balancers to come back, where a 500 says the site is broken.
    Django drops the broken connection at the end of the request, so the next
    request reconnects and the site recovers by itself.
    """

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        log.warning("database unavailable for %s: %s", request.path, exception)
        response = HttpResponse(UNAVAILABLE_PAGE, status=503)
        response["Retry-After"] = "30"
        return response


class DebugNotFoundPageMiddleware(MiddlewareMixin):
    """With DEBUG on (`make run`), answer 404 with the site's own page, as production does.

    Django swaps in its technical 404 page whenever DEBUG is on, so a developer
    never sees what listeners see. That page is recognisable by its text; a 404 a
    view built on purpose (a JSON answer, say) is left alone.
    """

    TECHNICAL_MARK = b"because you have <code>DEBUG = True</code>"

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if not settings.DEBUG or response.status_code != 404 or response.streaming:
            return response
        if self.TECHNICAL_MARK not in response.content:
            return response
        return page_not_found(request, Http404())
