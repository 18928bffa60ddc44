"""Matching NSG rule fields: is a source "the internet", does a port spec cover a port.

Source: Checkov NSGRulePortAccessRestricted.py, INTERNET_ADDRESSES = ("*", "0.0.0.0", "<nw>/0", "/0",
"internet", "any") compared case-insensitively; ports match a single value, '*' or an inclusive 'a-b'
range. Checkov compares exact strings only, so it misses "0.0.0.0/0" and "::/0": aksnet also treats
every /0 CIDR (IPv4 or IPv6) as the internet (docs/reference/lint.md).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

_INTERNET_WORDS = frozenset({"*", "0.0.0.0", "<nw>/0", "/0", "internet", "any"})


def is_internet(prefix: str) -> bool:
    text = prefix.strip().lower()
    if text in _INTERNET_WORDS:
        return True
    try:
        return ipaddress.ip_network(text, strict=False).prefixlen == 0 and "/" in text
    except ValueError:
        return False


def any_internet(prefixes: Iterable[str]) -> bool:
    return any(is_internet(p) for p in prefixes)


def port_matches(port_spec: str, port: int) -> bool:
    """'*', '22' or '20-30' (inclusive) covers `port`; anything unparsable does not (validation reports it)."""
    text = str(port_spec).strip()
    if text == "*":
        return True
    low, sep, high = text.partition("-")
    try:
        if not sep:
            return int(text) == port
        return int(low) <= port <= int(high)
    except ValueError:
        return False


def ports_cover(port_specs: Iterable[str], port: int) -> bool:
    return any(port_matches(p, port) for p in port_specs)
