"""The webhook's signature: HMAC-SHA256 of the timestamp, a dot and the raw body.

The header reads `t=<unix seconds>,v1=<hex digest>`, as Stripe's does: the timestamp
is signed with the body, so a captured request cannot be replayed later with a fresh
time, and a stale one is refused by the tolerance. docs/webhook.md has an example.
"""

import hashlib
import hmac

HEADER = "X-Podcast-Signature"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of `timestamp.body` under the secret."""
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def header_value(secret: str, timestamp: int, body: bytes) -> str:
    """What a sender puts in the X-Podcast-Signature header."""
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def parse_header(value: str) -> tuple[int, list[str]] | None:
    """The timestamp and the v1 signatures a header carries, or None if it is malformed."""
    timestamp, signatures = None, []
    for part in value.split(","):
        name, _, item = part.strip().partition("=")
        if name == "t" and item.isdigit():
            timestamp = int(item)
        elif name == "v1" and item:
            signatures.append(item)
    if timestamp is None or not signatures:
        return None
    return timestamp, signatures


def refusal(secret: str, value: str, body: bytes, now: float, tolerance: int) -> str | None:
    """Why a signed request is refused (unsigned, malformed, bad signature, stale), or None."""
    if not value:
        return f"unsigned: the {HEADER} header is missing"
    parsed = parse_header(value)
    if parsed is None:
        return f"malformed {HEADER} header: expected t=<unix seconds>,v1=<hex HMAC-SHA256>"
    timestamp, given = parsed
    expected = signature(secret, timestamp, body)
    if not any(hmac.compare_digest(expected, item) for item in given):
        return "bad signature: HMAC-SHA256 of '<t>.<body>' with the shared secret does not match"
    if abs(now - timestamp) > tolerance:
        return f"stale: the timestamp is {abs(now - timestamp):.0f} s away, over {tolerance} s"
    return None
