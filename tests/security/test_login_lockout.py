"""The login lockout stops the attacker, not the account holder.

Failures count per (account, client address) and per client address; a slower,
longer per-account limit never blocks a browser that logged in to that account
before (a signed device cookie).
"""

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from episodes import lockout

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

LOCKED = "Too many failed log-in attempts"
ATTACKER, OWNER = "203.0.113.9", "198.51.100.20"


@pytest.fixture(autouse=True)
def fresh_counts(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def owner() -> User:
    return User.objects.create_user("admin", password="right", is_staff=True)


def log_in(client: Client, username: str, password: str, address: str):
    url = reverse("admin:login")
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def locked(response) -> bool:
    return LOCKED in response.content.decode()


def test_five_wrong_passwords_from_elsewhere_do_not_lock_the_owner_out(owner) -> None:
    for _ in range(lockout.PAIR_LIMIT):
        log_in(Client(), "admin", "guess", ATTACKER)
    assert log_in(Client(), "admin", "right", OWNER).status_code == 302


def test_the_attacker_is_locked_out_of_the_account_it_guessed(owner) -> None:
    for _ in range(lockout.PAIR_LIMIT):
        log_in(Client(), "admin", "guess", ATTACKER)
    response = log_in(Client(), "admin", "right", ATTACKER)
    assert response.status_code == 200 and locked(response)


@pytest.mark.parametrize("variant", ["ADMIN", " admin", "admin ", "ａｄｍｉｎ", "Ａdmin"])
def test_spellings_of_a_name_count_against_one_account(owner, variant) -> None:
    for _ in range(lockout.PAIR_LIMIT):
        log_in(Client(), variant, "guess", ATTACKER)
    assert locked(log_in(Client(), "admin", "right", ATTACKER))
    assert lockout.account_name(variant) == "admin"


def test_one_address_guessing_many_accounts_is_locked_out(owner) -> None:
    for n in range(lockout.CLIENT_LIMIT):
        log_in(Client(), f"user{n}", "guess", ATTACKER)
    assert locked(log_in(Client(), "admin", "right", ATTACKER))
    assert log_in(Client(), "admin", "right", OWNER).status_code == 302


def spread_attack(limit: int) -> None:
    """Failures for 'admin' from many addresses, a few each: no pair or client limit trips."""
    for n in range(limit):
        log_in(Client(), "admin", "guess", f"192.0.2.{n % 250 + 1}")


def test_many_addresses_lock_the_account_for_new_browsers(owner) -> None:
    spread_attack(lockout.ACCOUNT_LIMIT)
    assert locked(log_in(Client(), "admin", "right", OWNER))


def test_a_browser_that_logged_in_before_is_never_blocked_by_the_account_limit(owner) -> None:
    browser = Client()
    assert log_in(browser, "admin", "right", OWNER).status_code == 302
    assert lockout.DEVICE_COOKIE in browser.cookies
    browser.post(reverse("admin:logout"))
    spread_attack(lockout.ACCOUNT_LIMIT)
    assert log_in(browser, "admin", "right", OWNER).status_code == 302


def test_a_forged_device_cookie_counts_for_nothing(owner) -> None:
    spread_attack(lockout.ACCOUNT_LIMIT)
    browser = Client()
    browser.cookies[lockout.DEVICE_COOKIE] = "admin:forged:signature"
    assert locked(log_in(browser, "admin", "right", OWNER))


def test_another_accounts_device_cookie_does_not_open_this_one(owner) -> None:
    User.objects.create_user("pat", password="pats", is_staff=True)
    browser = Client()
    assert log_in(browser, "pat", "pats", OWNER).status_code == 302
    browser.post(reverse("admin:logout"))
    spread_attack(lockout.ACCOUNT_LIMIT)
    assert locked(log_in(browser, "admin", "right", OWNER))


def test_a_device_cookie_does_not_lift_the_limit_on_its_own_guesses(owner) -> None:
    browser = Client()
    log_in(browser, "admin", "right", OWNER)
    browser.post(reverse("admin:logout"))
    for _ in range(lockout.PAIR_LIMIT):
        log_in(browser, "admin", "guess", OWNER)
    assert locked(log_in(browser, "admin", "right", OWNER))


def test_the_device_cookie_is_http_only_and_lasts(owner, settings) -> None:
    browser = Client()
    log_in(browser, "admin", "right", OWNER)
    cookie = browser.cookies[lockout.DEVICE_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) >= 180 * 24 * 3600
