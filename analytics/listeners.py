"""Listener keys: a salted hash of the IP address (IPv6 cut to its /64) and the user agent.

No IP address is stored anywhere: the key is all that leaves the request, and
the salt it was made with is destroyed when the day ends (see salts.py), after
which nothing can tell which address a key came from.
"""

import functools
import hashlib
import ipaddress


# Parsing an address costs more than the rest of a key; a listener's address repeats.
@functools.lru_cache(maxsize=4096)
def network_part(ip: str) -> str:
    """The address IAB keys on: IPv4 whole, IPv6 cut to its first 64 bits (privacy addresses)."""
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return ip.strip()  # not an address (a test client, a proxy's label): keyed as given
    if address.version == 6:
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


def listener_key(ip: str, user_agent: str, salt: bytes) -> str:
    """32 hex digits naming one listener (IP + user agent) for as long as the salt lives."""
    digest = hashlib.blake2b(key=salt, digest_size=16)
    digest.update(network_part(ip).encode())
    digest.update(b"\0")
    digest.update(user_agent.encode("utf-8", "replace"))
    return digest.hexdigest()


class RecentKeys:
    """The keys of the addresses and user agents seen lately: a request repeats its listener's.

    Bounded (emptied when full) and emptied when the salt changes, so no key made
    with a salt outlives this process's copy of it (salts.py).
    """

    LIMIT = 10_000

    def __init__(self) -> None:
        self.keys: dict[tuple[str, str, bytes], str] = {}

    def key(self, ip: str, user_agent: str, salt: bytes) -> str:
        keys = self.keys
        found = keys.get((ip, user_agent, salt))
        if found is None:
            found = listener_key(ip, user_agent, salt)
            if len(keys) >= self.LIMIT:
                self.forget()
            self.keys[(ip, user_agent, salt)] = found
        return found

    def forget(self) -> None:
        self.keys = {}


recent_keys = RecentKeys()
