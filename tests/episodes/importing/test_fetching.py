"""SSRF-safe fetching: private addresses are refused before any connection is made."""

import io
import ipaddress
import socket
from collections.abc import Iterator

import pytest

from episodes.importing.fetching import (
    AUDIO_TYPES,
    FetchError,
    Limits,
    Policy,
    address_problem,
    fetch,
    fetch_bytes,
)
from tests.localhttp import Answer, LocalServer

FEED = Answer(200, b"<rss/>", {"Content-Type": "application/rss+xml"})
# 127.0.0.2 stands for "a public host" in these tests: the policy allows it and nothing else.
PUBLIC_STAND_IN = Policy.from_cidrs(["127.0.0.2/32"])
LIMITS = Limits(max_bytes=1000, timeout=5, total=10)


class Victim:
    """A listening socket on an internal address: it must see no connection."""

    def __init__(self, family: int, host: str) -> None:
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.bind((host, 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]

    def was_contacted(self) -> bool:
        self.sock.settimeout(0.3)
        try:
            connection, _ = self.sock.accept()
        except TimeoutError:
            return False
        connection.close()
        return True


@pytest.fixture
def victim() -> Iterator[Victim]:
    listener = Victim(socket.AF_INET, "127.0.0.1")
    yield listener
    listener.sock.close()


@pytest.fixture
def victim6() -> Iterator[Victim]:
    try:
        listener = Victim(socket.AF_INET6, "::1")
    except OSError:
        pytest.skip("no IPv6 loopback on this machine")
    yield listener
    listener.sock.close()


@pytest.fixture
def public() -> Iterator[LocalServer]:
    server = LocalServer(host="127.0.0.2")
    yield server
    server.close()


@pytest.fixture
def connections(monkeypatch) -> list[tuple]:
    """Every address a connection is opened to (the socket layer, our process boundary)."""
    opened: list[tuple] = []
    real = socket.create_connection

    def spy(address, *args, **kwargs):
        opened.append(address)
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", spy)
    return opened


def get(url: str, policy: Policy = PUBLIC_STAND_IN, limits: Limits = LIMITS) -> bytes:
    return fetch_bytes(url, limits=limits, policy=policy)[1]


@pytest.mark.parametrize(
    ("template", "says"),
    [
        ("http://127.0.0.1:{port}/feed.xml", "127.0.0.1 is a loopback address"),
        ("http://0x7f000001:{port}/feed.xml", "0x7f000001 resolves to 127.0.0.1 is a loopback"),
        ("http://2130706433:{port}/feed.xml", "resolves to 127.0.0.1 is a loopback"),
        ("http://0177.0.0.1:{port}/feed.xml", "resolves to 127.0.0.1 is a loopback"),
        ("http://localhost:{port}/feed.xml", "localhost resolves to"),
        ("http://[::ffff:127.0.0.1]:{port}/feed.xml", "127.0.0.1 is a loopback address"),
        ("http://[::ffff:7f00:1]:{port}/feed.xml", "127.0.0.1 is a loopback address"),
    ],
)
def test_loopback_in_any_spelling_is_refused_and_never_contacted(
    victim, connections, template, says
):
    with pytest.raises(FetchError, match="refused") as refused:
        get(template.format(port=victim.port), policy=Policy())
    assert says in str(refused.value)
    assert "only public addresses are fetched" in str(refused.value)
    assert connections == []
    assert not victim.was_contacted()


def test_ipv6_loopback_is_refused_and_never_contacted(victim6, connections):
    with pytest.raises(FetchError, match=r"refused: ::1 is a loopback address"):
        get(f"http://[::1]:{victim6.port}/feed.xml", policy=Policy())
    assert connections == []
    assert not victim6.was_contacted()


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://10.1.2.3/feed.xml", "10.1.2.3 is a private address"),
        ("http://192.168.0.10/feed.xml", "192.168.0.10 is a private address"),
        ("http://172.16.5.4/feed.xml", "172.16.5.4 is a private address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
        ("http://[fe80::1]/feed.xml", "fe80::1 is a link-local address"),
        ("http://[fd00::1]/feed.xml", "fd00::1 is a private address"),
        ("http://224.0.0.1/feed.xml", "224.0.0.1 is a multicast address"),
        ("http://240.0.0.1/feed.xml", "240.0.0.1 is a reserved address"),
        ("http://0.0.0.0/feed.xml", "0.0.0.0 is an unspecified address"),
        ("http://100.64.0.1/feed.xml", "100.64.0.1 is a non-public address"),
        ("http://[::ffff:10.0.0.1]/feed.xml", "10.0.0.1 is a private address"),
        ("http://[2002:a9fe:a9fe::1]/feed.xml", "169.254.169.254 is a link-local address"),
        ("http://[64:ff9b::a00:1]/feed.xml", "10.0.0.1 is a private address"),
    ],
)
def test_internal_addresses_are_refused_before_connecting(connections, url, says):
    with pytest.raises(FetchError, match="refused") as refused:
        get(url, policy=Policy())
    assert says in str(refused.value)
    assert connections == []


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://example.com/feed.xml", "gopher://127.0.0.1:70/", "//x/feed"],
)
def test_only_http_and_https_are_fetched(connections, url):
    with pytest.raises(FetchError, match="only http:// and https:// URLs are fetched"):
        get(url)
    assert connections == []


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:{victim}/admin",
        "http://0x7f000001:{victim}/",
        "http://localhost:{victim}/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.8/",
    ],
)
def test_a_redirect_chain_into_an_internal_address_is_refused(public, victim, target):
    location = target.format(victim=victim.port)
    public.routes["/feed.xml"] = Answer(301, b"", {"Location": "/hop1"})
    public.routes["/hop1"] = Answer(302, b"", {"Location": public.url("/hop2")})
    public.routes["/hop2"] = Answer(307, b"", {"Location": location})
    with pytest.raises(FetchError, match="refused"):
        get(public.url("/feed.xml"))
    assert [path for path, _ in public.seen] == ["/feed.xml", "/hop1", "/hop2"]
    assert not victim.was_contacted()


def test_five_redirects_are_followed_and_a_sixth_is_refused(public):
    for hop in range(6):
        public.routes[f"/r{hop}"] = Answer(302, b"", {"Location": f"/r{hop + 1}"})
    public.routes["/r5"] = FEED
    assert get(public.url("/r0")) == b"<rss/>"
    public.routes["/r5"] = Answer(302, b"", {"Location": "/r6"})
    public.routes["/r6"] = FEED
    with pytest.raises(FetchError, match="more than 5 redirects"):
        get(public.url("/r0"))


def test_the_connection_goes_to_the_address_that_was_checked(public, victim, monkeypatch):
    """DNS rebinding: a name answering public, then private, still reaches the checked one."""
    answers = iter(["127.0.0.2", "127.0.0.1", "127.0.0.1"])
    real = socket.getaddrinfo

    def rebinding(host, port, *args, **kwargs):
        if host == "rebind.example":
            return real(next(answers), port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    public.routes["/feed.xml"] = FEED
    assert get(f"http://rebind.example:{public.port}/feed.xml") == b"<rss/>"
    assert public.seen == [("/feed.xml", f"rebind.example:{public.port}")]
    assert not victim.was_contacted()


def test_a_name_with_one_private_address_among_public_ones_is_refused(monkeypatch, connections):
    def mixed(host, port, *args, **kwargs):
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.5", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", mixed)
    with pytest.raises(FetchError, match="feeds.example resolves to 10.0.0.5 is a private"):
        get("http://feeds.example/feed.xml", policy=Policy())
    assert connections == []


def test_a_body_over_the_cap_is_refused(public):
    public.routes["/big.xml"] = Answer(200, b"x" * 1001, {"Content-Type": "text/xml"})
    with pytest.raises(FetchError, match="larger than 1000 bytes"):
        get(public.url("/big.xml"))


def test_a_body_over_the_cap_without_a_length_is_cut_off(public):
    public.routes["/big.xml"] = Answer(
        200, b"x" * 5000, {"Content-Type": "text/xml", "Content-Length": ""}
    )
    with pytest.raises(FetchError, match="larger than 1000 bytes"):
        get(public.url("/big.xml"))


def test_an_unexpected_content_type_is_refused(public):
    public.routes["/feed.xml"] = Answer(200, b"<html/>", {"Content-Type": "text/html"})
    with pytest.raises(FetchError, match="is text/html, not one of"):
        get(public.url("/feed.xml"))


def test_audio_streams_into_the_sink_with_its_type(public):
    public.routes["/a.mp3"] = Answer(200, b"ID3" + b"\0" * 500, {"Content-Type": "audio/mpeg"})
    sink = io.BytesIO()
    limits = Limits(max_bytes=10_000, types=AUDIO_TYPES)
    fetched = fetch(public.url("/a.mp3"), sink, limits=limits, policy=PUBLIC_STAND_IN)
    assert (fetched.content_type, fetched.size, sink.getvalue()[:3]) == ("audio/mpeg", 503, b"ID3")


def test_an_error_answer_is_reported_with_its_status(public):
    with pytest.raises(FetchError, match="answered 404 Not Found"):
        get(public.url("/missing.xml"))


@pytest.mark.parametrize(
    ("address", "allowed", "problem"),
    [
        ("8.8.8.8", [], ""),
        ("2606:4700:4700::1111", [], ""),
        ("127.0.0.1", ["127.0.0.0/8"], ""),
        ("::ffff:127.0.0.1", ["127.0.0.0/8"], ""),
        ("10.0.0.1", ["127.0.0.0/8"], "10.0.0.1 is a private address"),
    ],
)
def test_allowed_networks_open_only_what_they_list(address, allowed, problem):
    policy = Policy.from_cidrs(allowed)
    assert address_problem(ipaddress.ip_address(address), policy) == problem
