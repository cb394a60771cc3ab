"""The client address behind a proxy under granian, as uvicorn's --proxy-headers gave it."""

import pytest

from podcast.proxyaddr import ProxyClientAddress


def remote_addr(trusted: str, peer: str, forwarded: str | None) -> str:
    seen = {}

    def app(environ, start_response):
        seen["addr"] = environ["REMOTE_ADDR"]
        return []

    environ = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        environ["HTTP_X_FORWARDED_FOR"] = forwarded
    ProxyClientAddress(app, trusted)(environ, lambda *args: None)
    return seen["addr"]


def test_a_trusted_proxy_names_the_client():
    assert remote_addr("127.0.0.1", "127.0.0.1", "203.0.113.9") == "203.0.113.9"


def test_an_untrusted_peer_cannot_claim_another_address():
    assert remote_addr("127.0.0.1", "198.51.100.7", "203.0.113.9") == "198.51.100.7"


def test_the_nearest_untrusted_hop_is_the_client_behind_a_chain_of_proxies():
    forwarded = "1.1.1.1, 203.0.113.9, 10.0.0.5"
    assert remote_addr("127.0.0.1,10.0.0.0/8", "10.0.0.2", forwarded) == "203.0.113.9"


def test_a_star_trusts_every_peer_and_takes_the_first_address():
    assert remote_addr("*", "10.1.2.3", "203.0.113.9, 10.0.0.5") == "203.0.113.9"


def test_without_the_header_the_peer_stays():
    assert remote_addr("*", "10.1.2.3", None) == "10.1.2.3"


def test_a_malformed_setting_is_refused_with_its_name():
    with pytest.raises(ValueError, match="FORWARDED_ALLOW_IPS"):
        ProxyClientAddress(lambda e, s: [], "not-an-address")
