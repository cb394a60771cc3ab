"""Lists of IP networks (data centres, hosting, VPNs) and a fast test of one address against them.

A list is text, one CIDR network per line (`3.5.140.0/22`, `2600:1f00::/24`);
what follows it on the line (a provider's name) and lines starting with `#` are
ignored, so published lists can be used as they are after a one-line
conversion. The networks are merged into sorted intervals per IP version, so
checking an address is one binary search, whatever the length of the list.
"""

import bisect
import ipaddress
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Networks:
    """Merged [first, last] address intervals, as integers, for IPv4 and IPv6."""

    starts: dict[int, list[int]] = field(default_factory=lambda: {4: [], 6: []})
    ends: dict[int, list[int]] = field(default_factory=lambda: {4: [], 6: []})
    count: int = 0

    def __contains__(self, ip: str) -> bool:
        try:
            address = ipaddress.ip_address(ip.strip())
        except ValueError:
            return False
        if address.version == 6 and address.ipv4_mapped:
            address = address.ipv4_mapped
        value, starts = int(address), self.starts[address.version]
        at = bisect.bisect_right(starts, value) - 1
        return at >= 0 and value <= self.ends[address.version][at]


def parse_networks(text: str) -> Networks:
    """The networks of a list; ValueError naming the line of the first that is not one."""
    spans: dict[int, list[tuple[int, int]]] = {4: [], 6: []}
    for number, line in enumerate(text.splitlines(), 1):
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        try:
            network = ipaddress.ip_network(words[0], strict=False)
        except ValueError:
            raise ValueError(f"line {number}: {words[0]!r} is not an IP network") from None
        first = int(network.network_address)
        spans[network.version].append((first, first + network.num_addresses - 1))
    networks = Networks(count=len(spans[4]) + len(spans[6]))
    for version, found in spans.items():
        for first, last in sorted(found):
            ends = networks.ends[version]
            if ends and first <= ends[-1] + 1:
                ends[-1] = max(ends[-1], last)
            else:
                networks.starts[version].append(first)
                ends.append(last)
    return networks
