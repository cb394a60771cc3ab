import pytest

from analytics.listeners import listener_key, network_part

SALT = b"k" * 32


@pytest.mark.parametrize(
    ("ip", "keyed_as"),
    [
        ("203.0.113.5", "203.0.113.5"),
        ("2001:db8:abcd:12:1111::1", "2001:db8:abcd:12::"),
        ("2001:db8:abcd:12:9f3a:1:2:7", "2001:db8:abcd:12::"),
        ("::ffff:198.51.100.7", "198.51.100.7"),
        ("testclient", "testclient"),
    ],
)
def test_ipv6_is_cut_to_its_64_bit_network_and_ipv4_kept_whole(ip, keyed_as):
    assert network_part(ip) == keyed_as


def test_the_key_names_ip_and_user_agent_and_never_contains_the_address():
    key = listener_key("203.0.113.5", "Overcast/3.0", SALT)
    assert len(key) == 32 and "203" not in key
    assert key == listener_key("203.0.113.5", "Overcast/3.0", SALT)
    assert key != listener_key("203.0.113.5", "PocketCasts/1.0", SALT)
    assert key != listener_key("203.0.113.6", "Overcast/3.0", SALT)
    assert key != listener_key("203.0.113.5", "Overcast/3.0", b"other salt")
