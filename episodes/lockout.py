"""Admin login that locks the attacker out, not the account holder.

Three counts of failed log-ins, kept in the shared cache:

- per (account, client): 5 in 15 minutes locks that client out of that account;
- per client address: 10 in 15 minutes, over any accounts, locks that address out;
- per account: 50 in 24 hours locks the account, but only for browsers that never
  logged in to it. A successful log-in leaves a signed device cookie; a browser
  holding one for the account is counted per device instead of per address and is
  never held by the address or account limits, so nobody can lock the owner out
  by failing on purpose.

Names are counted as the account they reach: NFKC (full-width letters), surrounding
whitespace and letter case are folded, so "ADMIN", " admin" and "ａｄｍｉｎ" are one.
The client address is REMOTE_ADDR, which the server sets from X-Forwarded-For only
for proxies it trusts (docs/deploy.md).
"""

import secrets
import unicodedata
from dataclasses import dataclass

from django.contrib.admin.forms import AdminAuthenticationForm
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError

PAIR_LIMIT = 5
CLIENT_LIMIT = 10
LOCKOUT_SECONDS = 15 * 60
ACCOUNT_LIMIT = 50
ACCOUNT_SECONDS = 24 * 60 * 60
DEVICE_COOKIE = "login_device"
DEVICE_SECONDS = 365 * 24 * 60 * 60
DEVICE_SALT = "episodes.lockout.device"
# Kept for the shared-cache check (podcast.W001): guesses a process allows an address.
MAX_FAILURES = PAIR_LIMIT


def account_name(username: str) -> str:
    return unicodedata.normalize("NFKC", username).strip().casefold()


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") if request else ""


def trusted_device(request, account: str) -> str:
    """The id of this browser's device cookie for the account, or "" (none, forged, another's)."""
    value = request.COOKIES.get(DEVICE_COOKIE, "") if request else ""
    try:
        device = signing.loads(value, salt=DEVICE_SALT, max_age=DEVICE_SECONDS)
    except signing.BadSignature:
        return ""
    matches = isinstance(device, dict) and device.get("account") == account
    return str(device.get("id", "")) if matches else ""


def new_device_cookie(account: str) -> str:
    return signing.dumps({"account": account, "id": secrets.token_urlsafe(12)}, salt=DEVICE_SALT)


@dataclass(frozen=True)
class Count:
    key: str
    limit: int
    seconds: int


def counts(request, username: str) -> tuple[list[Count], list[Count]]:
    """(counts that lock this attempt, counts a failure adds to)."""
    account = account_name(username)
    account_count = Count(f"login:account:{account}", ACCOUNT_LIMIT, ACCOUNT_SECONDS)
    if device := trusted_device(request, account):
        pair = Count(f"login:device:{account}:{device}", PAIR_LIMIT, LOCKOUT_SECONDS)
        return [pair], [pair, account_count]
    address = client_address(request)
    pair = Count(f"login:pair:{account}:{address}", PAIR_LIMIT, LOCKOUT_SECONDS)
    client = Count(f"login:client:{address}", CLIENT_LIMIT, LOCKOUT_SECONDS)
    return [pair, client, account_count], [pair, client, account_count]


def lock_reached(request, username: str) -> Count | None:
    checked, _ = counts(request, username)
    return next((c for c in checked if (cache.get(c.key) or 0) >= c.limit), None)


def record_failure(request, username: str) -> None:
    for count in counts(request, username)[1]:
        cache.add(count.key, 0, count.seconds)
        try:
            cache.incr(count.key)
        except ValueError:  # expired between add and incr
            cache.set(count.key, 1, count.seconds)


def clear_failures(request, username: str) -> None:
    """A success clears this client's counts for the account, not the account's own."""
    cache.delete_many([c.key for c in counts(request, username)[0] if c.limit == PAIR_LIMIT])


class LockoutAuthenticationForm(AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "locked_out": (
            f"Too many failed log-in attempts. Log-in is locked for {LOCKOUT_SECONDS // 60} "
            "minutes for this account and address; try again later."
        ),
        "account_locked": (
            "Too many failed log-in attempts. This account is locked for a day for browsers "
            "that have not logged in to it before; use one that has, or ask another admin."
        ),
    }

    def clean(self) -> dict:
        username = self.cleaned_data.get("username") or ""
        if reached := lock_reached(self.request, username):
            code = "account_locked" if reached.limit == ACCOUNT_LIMIT else "locked_out"
            raise ValidationError(self.error_messages[code], code=code)
        try:
            data = super().clean()
        except ValidationError:
            record_failure(self.request, username)
            raise
        clear_failures(self.request, username)
        if self.request is not None:
            self.request.login_device_cookie = new_device_cookie(account_name(username))
        return data


class DeviceCookieMiddleware:
    """Hands the browser its device cookie after a successful admin log-in."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if value := getattr(request, "login_device_cookie", ""):
            response.set_cookie(
                DEVICE_COOKIE,
                value,
                max_age=DEVICE_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response
