"""Fetching URLs that users give us without letting them reach our own network (SSRF).

Every hop, redirects included, is resolved once, each address is checked, and the
connection goes to the checked address itself (the Host header and TLS SNI keep the
name). Resolving again at connect time would let a DNS answer that changes between
the check and the connect (rebinding) reach a private address. Pure: no settings;
callers pass the allowed extra networks and the caps.
"""

import http.client
import io
import ipaddress
import socket
import ssl
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import urljoin, urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

MAX_REDIRECTS = 5
REDIRECTS = {301, 302, 303, 307, 308}
CHUNK = 64 * 1024
USER_AGENT = "podcast-site-import/1.0 (+feed import)"
NAT64 = ipaddress.ip_network("64:ff9b::/96")

FEED_TYPES = (
    "application/rss+xml", "application/atom+xml", "application/xml", "text/xml",
    "application/x-rss+xml", "text/plain", "application/octet-stream",
)  # fmt: skip
# Hosts and CDNs often serve MP3s as octet-stream; the audio pipeline checks the bytes.
AUDIO_TYPES = ("audio/", "application/octet-stream", "binary/octet-stream", "video/mp4")
TEXT_TYPES = (
    "text/", "application/json", "application/x-subrip", "application/srt",
    "application/octet-stream",
)  # fmt: skip
IMAGE_TYPES = ("image/jpeg", "image/png")


class FetchError(Exception):
    """Why a URL was not fetched, in words an editor can act on."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    timeout: float = 30.0  # seconds per socket operation
    total: float = 600.0  # seconds for the whole fetch, redirects included
    types: tuple[str, ...] = FEED_TYPES  # accepted Content-Types (a prefix ending "/" is a family)


@dataclass(frozen=True)
class Policy:
    """Which addresses may be contacted besides public ones."""

    allowed: tuple[Network, ...] = ()

    @classmethod
    def from_cidrs(cls, cidrs: Iterable[str]) -> "Policy":
        return cls(tuple(ipaddress.ip_network(cidr) for cidr in cidrs))


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    content_type: str
    size: int


def address_problem(address: IPAddress, policy: Policy) -> str:
    """Why an address may not be contacted, or "" when it may."""
    address = embedded_ipv4(address)
    if any(address in network for network in policy.allowed):
        return ""
    for label, flag in (
        ("a loopback", address.is_loopback),
        ("a link-local", address.is_link_local),
        ("a multicast", address.is_multicast),
        ("an unspecified", address.is_unspecified),
        ("a reserved", address.is_reserved),
        ("a private", address.is_private),
        ("a non-public", not address.is_global),
    ):
        if flag:
            return f"{address} is {label} address"
    return ""


def embedded_ipv4(address: IPAddress) -> IPAddress:
    """The IPv4 address an IPv6 form carries (mapped, 6to4, NAT64), else the address."""
    if isinstance(address, ipaddress.IPv4Address):
        return address
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def checked_address(host: str, port: int, policy: Policy) -> str:
    """Resolve `host` and return one address to connect to; FetchError if any is not allowed.

    Every answer must pass: a name with one public and one private address is refused,
    since which one a later resolution picks is up to the resolver.
    """
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError) as error:
        # ValueError: a name with a NUL, which no resolver answers.
        raise FetchError(f"{host!r} cannot be resolved ({error})") from None
    addresses = [ipaddress.ip_address(answer[4][0].split("%")[0]) for answer in answers]
    for address in addresses:
        if problem := address_problem(address, policy):
            named = "" if str(address) == host else f"{host} resolves to "
            raise FetchError(f"refused: {named}{problem}; only public addresses are fetched")
    return str(addresses[0])


class PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to an address checked beforehand; the Host header keeps the name."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    """Like PinnedHTTPConnection, with TLS checked against the name (SNI and certificate)."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def fetch(url: str, sink: BinaryIO, *, limits: Limits, policy: Policy) -> Fetched:
    """Download `url` into `sink`, following at most 5 redirects; FetchError says why not."""
    deadline = time.monotonic() + limits.total
    for _ in range(MAX_REDIRECTS + 1):
        connection, response = open_hop(url, limits, policy)
        try:
            if response.status in REDIRECTS:
                url = next_hop(url, response)
                continue
            if response.status != 200:
                raise FetchError(f"{url} answered {response.status} {response.reason}")
            content_type = accepted_type(url, response, limits.types)
            size = copy_body(url, response, sink, limits, deadline)
            return Fetched(url=url, content_type=content_type, size=size)
        finally:
            connection.close()
    raise FetchError(f"more than {MAX_REDIRECTS} redirects, the last to {url}")


def fetch_bytes(url: str, *, limits: Limits, policy: Policy) -> tuple[Fetched, bytes]:
    """Like fetch, into memory (feeds, chapters, transcripts: capped well below memory)."""
    sink = io.BytesIO()
    fetched = fetch(url, sink, limits=limits, policy=policy)
    return fetched, sink.getvalue()


def open_hop(url: str, limits: Limits, policy: Policy):
    parts = split_url(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = checked_address(parts.hostname, port, policy)
    kind = PinnedHTTPSConnection if parts.scheme == "https" else PinnedHTTPConnection
    connection = kind(parts.hostname, port, address, limits.timeout)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    headers = {"User-Agent": USER_AGENT, "Accept": ", ".join(limits.types) + ", */*;q=0.1"}
    try:
        connection.request("GET", path, headers=headers)
        return connection, connection.getresponse()
    except (OSError, http.client.HTTPException) as error:
        connection.close()
        raise FetchError(f"{url} could not be fetched: {error}") from None


def split_url(url: str):
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a malformed port)
    except ValueError as error:
        raise FetchError(f"{url[:200]!r} is not a URL ({error})") from None
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"{url[:200]!r}: only http:// and https:// URLs are fetched")
    if not parts.hostname:
        raise FetchError(f"{url[:200]!r} has no host")
    return parts


def next_hop(url: str, response: http.client.HTTPResponse) -> str:
    location = response.getheader("Location")
    if not location:
        raise FetchError(f"{url} redirects without a Location")
    return urljoin(url, location.strip())


def accepted_type(url: str, response: http.client.HTTPResponse, types: tuple[str, ...]) -> str:
    content_type = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
    ok = any(content_type.startswith(t) if t.endswith("/") else content_type == t for t in types)
    if not ok:
        raise FetchError(f"{url} is {content_type or 'of no stated type'}, not one of {types}")
    return content_type


def copy_body(
    url: str, response: http.client.HTTPResponse, sink: BinaryIO, limits: Limits, deadline: float
) -> int:
    too_big = f"{url} is larger than {limits.max_bytes // 1_000_000 or limits.max_bytes} " + (
        "MB" if limits.max_bytes >= 1_000_000 else "bytes"
    )
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > limits.max_bytes:
        raise FetchError(too_big)
    size = 0
    try:
        while chunk := response.read(CHUNK):
            size += len(chunk)
            if size > limits.max_bytes:
                raise FetchError(too_big)
            if time.monotonic() > deadline:
                raise FetchError(f"{url} took longer than {limits.total:g} s")
            sink.write(chunk)
    except (OSError, http.client.HTTPException) as error:
        raise FetchError(f"{url} broke off after {size} bytes: {error}") from None
    return size
