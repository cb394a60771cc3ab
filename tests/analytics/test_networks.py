"""Data-centre network lists: parsed once, one address tested by binary search."""

import pytest

from analytics.networks import parse_networks

LIST = """\
# AWS (a few of its ranges), then one of Hetzner's; the names after a network are ignored
3.5.140.0/22   AMAZON eu-central-1
3.5.142.0/23   AMAZON (adjacent: merged with the one before)
2600:1f00::/24 AMAZON
88.198.0.0/16  HETZNER

192.0.2.7      a single address
"""


@pytest.mark.parametrize(
    ("ip", "listed"),
    [
        ("3.5.140.0", True),
        ("3.5.143.255", True),  # the end of the merged 3.5.140.0 - 3.5.143.255
        ("3.5.144.0", False),
        ("3.5.139.255", False),
        ("88.198.12.34", True),
        ("192.0.2.7", True),
        ("192.0.2.8", False),
        ("2600:1f00:abcd::1", True),
        ("2600:2000::1", False),
        ("::ffff:88.198.1.1", True),  # an IPv4 address as a dual-stack socket reports it
        ("203.0.113.5", False),
        ("not an address", False),
        ("", False),
    ],
)
def test_an_address_is_listed_when_a_listed_network_holds_it(ip, listed):
    assert (ip in parse_networks(LIST)) is listed


def test_the_list_counts_its_networks():
    assert parse_networks(LIST).count == 5
    assert parse_networks("").count == 0 and "3.5.140.1" not in parse_networks("")


def test_a_line_that_is_not_a_network_is_refused_with_its_number():
    with pytest.raises(ValueError, match="line 2: '3.5.140.0/33' is not an IP network"):
        parse_networks("# list\n3.5.140.0/33\n")
