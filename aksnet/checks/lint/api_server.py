"""AKSNET001-005: the API server's exposure and its authorized IP ranges.

Source: https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges (not supported on
private clusters, max 200 ranges, a range must start at its network address); Checkov CKV_AZURE_6
(AKSApiServerAuthorizedIpRanges.py: passes if private, else needs >= 1 range).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from aksnet.checks.lint.hits import Hit
from aksnet.spec.types import Spec

MAX_AUTHORIZED_RANGES = 200  # the Source above, "Limitations"

_API_SERVER: tuple[str, ...] = ("spec", "cluster", "apiServer")
_RANGES = (*_API_SERVER, "authorizedIpRanges")


def check(spec: Spec) -> Iterator[Hit]:
    cluster = spec.cluster
    api = cluster.api_server
    address = f"aks.{cluster.name}"
    ranges = api.authorized_ip_ranges or ()
    private = api.private_cluster is True

    def hit(rule: str, path: tuple[str | int, ...], message: str) -> Hit:
        return Hit(rule, path, message, address, cluster.lint)

    if not private and not ranges:
        # located at the (empty) ranges when written, else at apiServer / the cluster (nearest ancestor)
        yield hit(
            "AKSNET001",
            _RANGES if api.authorized_ip_ranges is not None else _API_SERVER,
            f'cluster "{cluster.name}" has a public API server and no authorized IP ranges',
        )
    if private and ranges:
        yield hit(
            "AKSNET005",
            _RANGES,
            f'cluster "{cluster.name}" is private but sets {len(ranges)} authorized IP range(s), '
            "which private clusters do not support",
        )
    if len(ranges) > MAX_AUTHORIZED_RANGES:
        yield hit(
            "AKSNET004",
            _RANGES,
            f'cluster "{cluster.name}" sets {len(ranges)} authorized IP ranges; AKS allows at most '
            f"{MAX_AUTHORIZED_RANGES}",
        )
    for index, text in enumerate(ranges):
        interface = _parse(text)
        if interface is None:
            continue  # not an IP or CIDR at all: validation reports it
        network = interface.network
        if network.prefixlen == 0:
            yield hit(
                "AKSNET002",
                (*_RANGES, index),
                f'authorized IP range "{text}" of cluster "{cluster.name}" admits every address',
            )
        if interface.ip != network.network_address:
            yield hit(
                "AKSNET003",
                (*_RANGES, index),
                f'authorized IP range "{text}" of cluster "{cluster.name}" has host bits set; '
                f"its network address is {network}",
            )


def _parse(text: str) -> ipaddress.IPv4Interface | ipaddress.IPv6Interface | None:
    """The range as an interface (address + prefix, host bits kept), or None when it is not a CIDR/IP."""
    try:
        return ipaddress.ip_interface(text.strip())
    except ValueError:
        return None
