"""The webhook signature: what a sender computes is accepted; anything else says why not."""

import hashlib
import hmac

import pytest

from subscribers.signatures import header_value, parse_header, refusal, signature

SECRET = "whsec-test"
BODY = b'{"event":"create","id":"evt_1"}'
NOW = 1_800_000_000


def test_a_correctly_signed_fresh_body_is_accepted():
    assert refusal(SECRET, header_value(SECRET, NOW, BODY), BODY, NOW + 10, 300) is None


def test_the_signature_is_hmac_sha256_of_timestamp_dot_body():
    # Computed independently: printf '1800000000.{"event":"create","id":"evt_1"}' |
    #   openssl dgst -sha256 -hmac whsec-test
    expected = hmac.new(SECRET.encode(), b"1800000000." + BODY, hashlib.sha256).hexdigest()
    assert signature(SECRET, NOW, BODY) == expected


@pytest.mark.parametrize(
    ("header", "body", "now", "reason"),
    [
        ("", BODY, NOW, "unsigned"),
        ("v1=abc", BODY, NOW, "malformed"),
        ("t=abc,v1=abc", BODY, NOW, "malformed"),
        (header_value("other-secret", NOW, BODY), BODY, NOW, "bad signature"),
        (header_value(SECRET, NOW, BODY), BODY + b" ", NOW, "bad signature"),
        (header_value(SECRET, NOW, BODY).replace(f"t={NOW}", f"t={NOW + 1}"), BODY, NOW, "bad"),
        (header_value(SECRET, NOW, BODY), BODY, NOW + 301, "stale"),
        (header_value(SECRET, NOW, BODY), BODY, NOW - 301, "stale"),
    ],
)
def test_a_request_is_refused_with_the_reason(header, body, now, reason):
    assert refusal(SECRET, header, body, now, 300).startswith(reason)


def test_a_header_may_carry_several_signatures_during_a_secret_rotation():
    header = f"t={NOW},v1={signature('old', NOW, BODY)},v1={signature(SECRET, NOW, BODY)}"
    assert parse_header(header) == (
        NOW,
        [signature("old", NOW, BODY), signature(SECRET, NOW, BODY)],
    )
    assert refusal(SECRET, header, BODY, NOW, 300) is None
