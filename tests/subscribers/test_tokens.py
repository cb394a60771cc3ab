"""Subscriber tokens: long enough, derivable again from nonce and key, compared safely."""

import base64

from subscribers import tokens


def test_a_token_carries_at_least_128_bits_in_32_url_safe_characters():
    token = tokens.derive_token("key", tokens.new_nonce())
    assert len(token) == tokens.TOKEN_LENGTH == 32
    assert len(base64.urlsafe_b64decode(token)) * 8 >= 128
    assert tokens.looks_like_token(token)


def test_the_same_nonce_and_key_give_the_same_token_and_another_key_another():
    nonce = tokens.new_nonce()
    assert tokens.derive_token("key", nonce) == tokens.derive_token("key", nonce)
    assert tokens.derive_token("key", nonce) != tokens.derive_token("other key", nonce)
    assert tokens.derive_token("key", nonce) != tokens.derive_token("key", tokens.new_nonce())


def test_only_the_token_itself_matches_its_digest():
    token = tokens.derive_token("key", tokens.new_nonce())
    digest = tokens.token_digest(token)
    assert tokens.same_digest(digest, token)
    assert not tokens.same_digest(digest, token[:-1] + ("A" if token[-1] != "A" else "B"))


def test_text_of_another_shape_is_not_a_token():
    for text in ("", "short", "x" * 31, "x" * 33, "a/" * 16, "ä" * 32):
        assert not tokens.looks_like_token(text)
