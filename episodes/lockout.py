"""Admin login that locks an account or an address out after repeated failures."""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError

MAX_FAILURES = 5
LOCKOUT_SECONDS = 15 * 60


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") if request else ""


def failure_keys(request, username: str) -> list[str]:
    # Both keys count: one stops guessing at one account from many addresses,
    # the other stops one address trying many accounts.
    return [
        f"login-failures:user:{username.lower()}",
        f"login-failures:ip:{client_address(request)}",
    ]


def is_locked_out(request, username: str) -> bool:
    return any((cache.get(key) or 0) >= MAX_FAILURES for key in failure_keys(request, username))


def record_failure(request, username: str) -> None:
    for key in failure_keys(request, username):
        cache.add(key, 0, LOCKOUT_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, LOCKOUT_SECONDS)


def clear_failures(request, username: str) -> None:
    cache.delete_many(failure_keys(request, username))


class LockoutAuthenticationForm(AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "locked_out": (
            f"Too many failed log-in attempts. Log-in is locked for {LOCKOUT_SECONDS // 60} "
            "minutes for this account and address; try again later."
        ),
    }

    def clean(self) -> dict:
        username = self.cleaned_data.get("username") or ""
        if is_locked_out(self.request, username):
            raise ValidationError(self.error_messages["locked_out"], code="locked_out")
        try:
            data = super().clean()
        except ValidationError:
            record_failure(self.request, username)
            raise
        clear_failures(self.request, username)
        return data
