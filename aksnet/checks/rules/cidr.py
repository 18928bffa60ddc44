"""IPv4 address helpers for the rules and the planner, with cached parsing (rules run on every spec).

Only IPv4: aksnet/v1 has no dual-stack fields (R63-R65 are out of scope).
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

IPv4Net = ipaddress.IPv4Network

# R5: Azure reserves the network address, .1 (gateway), .2-.3 (Azure DNS) and the broadcast address.
AZURE_RESERVED_PER_SUBNET = 5

# R8 (https://learn.microsoft.com/azure/aks/concepts-network-cni-overview): ranges AKS reserves for itself.
AKS_RESERVED_RANGES: tuple[IPv4Net, ...] = tuple(
    ipaddress.IPv4Network(text) for text in ("169.254.0.0/16", "172.30.0.0/16", "172.31.0.0/16", "192.0.2.0/24")
)

# R6 (https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq): ranges a VNet address space cannot include.
VNET_FORBIDDEN_RANGES: tuple[IPv4Net, ...] = tuple(
    ipaddress.IPv4Network(text)
    for text in ("224.0.0.0/4", "255.255.255.255/32", "127.0.0.0/8", "169.254.0.0/16", "168.63.129.16/32")
)


@lru_cache(maxsize=4096)
def parse_cidr(text: str) -> IPv4Net | None:
    """`text` as an IPv4 CIDR with an explicit prefix and no host bits; None when it is not one (R1)."""
    if "/" not in text:
        return None
    try:
        return ipaddress.IPv4Network(text, strict=True)
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def parse_loose(text: str) -> IPv4Net | None:
    """`text` as an IPv4 CIDR (prefix required) ignoring host bits; None when even that fails."""
    if "/" not in text:
        return None
    try:
        return ipaddress.IPv4Network(text, strict=False)
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def parse_address(text: str) -> ipaddress.IPv4Address | None:
    try:
        return ipaddress.IPv4Address(text)
    except ValueError:
        return None


def overlaps(a: IPv4Net, b: IPv4Net) -> bool:
    return a.network_address <= b.broadcast_address and b.network_address <= a.broadcast_address


def contains(outer: IPv4Net, inner: IPv4Net) -> bool:
    return outer.network_address <= inner.network_address and inner.broadcast_address <= outer.broadcast_address


def size(prefixlen: int) -> int:
    return 1 << (32 - prefixlen)


def subnet_usable(prefixlen: int) -> int:
    """Usable addresses of an Azure subnet (R5); never negative."""
    return max(0, size(prefixlen) - AZURE_RESERVED_PER_SUBNET)


def node_slots(pod_prefixlen: int) -> int:
    """How many /24 per-node pod ranges a pod CIDR holds (R35 kubenet, R36 overlay); 0 if smaller than /24."""
    return 0 if pod_prefixlen > 24 else 1 << (24 - pod_prefixlen)
