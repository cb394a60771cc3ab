"""X-Forwarded-For is believed only from proxies the deployment names.

The Procfile's uvicorn sets the client address from X-Forwarded-For only when the
connection comes from an address in FORWARDED_ALLOW_IPS, and then takes the
right-most address it does not trust: what the last trusted proxy saw. A client
writing its own header gets nothing from it. Run against the real server.
"""

import itertools
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from episodes import lockout
from tests.security.production_server import ProductionServer

pytestmark = pytest.mark.integration

DEPLOY_DOC = Path(__file__).resolve().parents[2] / "docs"
LOCKED = "Too many failed log-in attempts"


def documented_allow_ips() -> set[str]:
    text = (DEPLOY_DOC / "deploy.md").read_text()
    values = re.findall(r"FORWARDED_ALLOW_IPS(?:=|, value: \")([^\s\"}#]+)", text)
    assert values, "docs/deploy.md names FORWARDED_ALLOW_IPS"
    return set(values)


def test_the_deploy_guide_never_trusts_every_address() -> None:
    assert "*" not in documented_allow_ips()


@pytest.fixture
def start(transactional_db, media_root, collected_data_dir, tmp_path, cleanup) -> Callable:
    User.objects.create_user("admin", password="right", is_staff=True)
    numbers = itertools.count()

    def start(allow_ips: str) -> ProductionServer:
        log = tmp_path / f"uvicorn-{next(numbers)}.log"
        server = ProductionServer(
            media_root, collected_data_dir, log, FORWARDED_ALLOW_IPS=allow_ips
        )
        cleanup.callback(server.stop)
        server.wait_until_ready()
        return server

    return start


def guess_many_accounts(server: ProductionServer, forwarded_for) -> None:
    for n in range(lockout.CLIENT_LIMIT):
        status, _ = server.log_in(f"user{n}", "guess", {"X-Forwarded-For": forwarded_for(n)})
        assert status == 200


def forged(n: int) -> str:
    return f"10.{n}.{n}.{n}"


@pytest.mark.parametrize("allow_ips", ["127.0.0.1", "127.0.0.0/8"])
def test_a_forged_leftmost_address_behind_a_trusted_proxy_is_ignored(start, allow_ips) -> None:
    # We are the trusted proxy (127.0.0.1); it appended the address it saw, 203.0.113.9.
    server = start(allow_ips)
    guess_many_accounts(server, lambda n: f"{forged(n)}, 203.0.113.9")
    _, page = server.log_in("admin", "right", {"X-Forwarded-For": "10.200.0.1, 203.0.113.9"})
    assert LOCKED in page
    status, _ = server.log_in("admin", "right", {"X-Forwarded-For": "198.51.100.20"})
    assert status == 302, "another client behind the same proxy logs in"


def test_a_client_that_is_no_trusted_proxy_cannot_pick_its_address(start) -> None:
    server = start("192.0.2.10")  # the proxy is elsewhere; we connect directly
    guess_many_accounts(server, forged)
    _, page = server.log_in("admin", "right", {"X-Forwarded-For": "10.250.0.1"})
    assert LOCKED in page


@pytest.mark.parametrize("value", ["*", "10.0.0.0/8,*"])
def test_check_deploy_refuses_trusting_every_address(settings, value) -> None:
    settings.FORWARDED_ALLOW_IPS = value.split(",")
    with pytest.raises(SystemCheckError, match="podcast.E003"):
        call_command("check", "--deploy", "--fail-level", "ERROR")
