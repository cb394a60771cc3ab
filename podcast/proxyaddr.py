"""The client's address behind a proxy, for the WSGI server (granian).

uvicorn used to do this (`--proxy-headers`, FORWARDED_ALLOW_IPS): when the
connection comes from a trusted proxy, REMOTE_ADDR becomes the client that
proxy names in X-Forwarded-For, so the admin's log-in lockout counts per client
and not per proxy. Same variable, same rules: `*` trusts every peer and takes
the first address listed; otherwise the nearest address that is not itself a
trusted proxy. Addresses and networks (10.0.0.0/8) are accepted.
"""

import ipaddress
import os
from collections.abc import Callable, Iterable
from typing import Any

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_trusted(value: str) -> tuple[bool, tuple[Network, ...]]:
    """(trust everyone, the trusted networks) from a comma-separated FORWARDED_ALLOW_IPS."""
    items = [item.strip() for item in value.split(",") if item.strip()]
    if "*" in items:
        return True, ()
    try:
        return False, tuple(ipaddress.ip_network(item, strict=False) for item in items)
    except ValueError as error:
        raise ValueError(f"FORWARDED_ALLOW_IPS: {error}") from None


def is_trusted(address: str, networks: Iterable[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(peer: str, forwarded_for: str, everyone: bool, networks: tuple) -> str:
    """The client a trusted `peer` names in X-Forwarded-For, else the peer itself."""
    if not forwarded_for or not (everyone or is_trusted(peer, networks)):
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    if not hops:
        return peer
    if everyone:
        return hops[0]
    for hop in reversed(hops):
        if not is_trusted(hop, networks):
            return hop
    return hops[0]


class ProxyClientAddress:
    """WSGI middleware setting REMOTE_ADDR from a trusted proxy's X-Forwarded-For."""

    def __init__(self, app: Callable, trusted: str | None = None) -> None:
        value = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1") if trusted is None else trusted
        self.app = app
        self.everyone, self.networks = parse_trusted(value)

    def __call__(self, environ: dict, start_response: Callable) -> Any:
        peer = environ.get("REMOTE_ADDR", "")
        forwarded = environ.get("HTTP_X_FORWARDED_FOR", "")
        environ["REMOTE_ADDR"] = client_address(peer, forwarded, self.everyone, self.networks)
        return self.app(environ, start_response)
