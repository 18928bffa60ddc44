"""Canonical forms for comparing a desired ARM body with a live one. Pure.

ARM treats names, ids and enum values case-insensitively and returns them in whatever casing it
stored (https://github.com/Azure/azure-resource-manager-rpc/blob/master/v1.0/common-api-details.md: "resource names and ids are case-insensitive");
address lists and port lists are unordered; a single prefix can come back in `sourceAddressPrefix`
or `sourceAddressPrefixes` (network `securityRule` schema has both). Everything here maps both sides
to one form so the diff only sees real differences.
"""

from __future__ import annotations

import contextlib
import ipaddress
import re
from collections.abc import Iterable, Mapping
from typing import Any


def location(value: Any) -> str | None:
    """"East US" and "eastus" are the same ARM location."""
    if value is None:
        return None
    return str(value).replace(" ", "").lower()


def enum(value: Any) -> str | None:
    """ARM enums are case-insensitive on input ("TCP" == "Tcp")."""
    if value is None:
        return None
    return str(value).lower()


def arm_id(value: Any) -> str | None:
    if value is None:
        return None
    return str(value).rstrip("/").lower()


def ref_id(value: Any) -> str | None:
    """The id of a `{"id": ...}` sub-resource reference (e.g. a subnet's networkSecurityGroup)."""
    if isinstance(value, Mapping):
        return arm_id(value.get("id"))
    return arm_id(value)


def cidr(value: Any) -> str:
    """Canonical text of a CIDR / IP / service tag: a bare IP becomes /32 (/128); tags lower-cased.

    A prefix with host bits set ("10.0.0.1/24") keeps them: NSG rules accept it as written."""
    text = str(value).strip()
    with contextlib.suppress(ValueError):  # not a network address: try an interface, else a tag
        return str(ipaddress.ip_network(text, strict=True))
    try:
        return str(ipaddress.ip_interface(text)).lower()
    except ValueError:
        return text.lower()  # service tag ("Internet", "VirtualNetwork") or "*"


def cidr_set(values: Iterable[Any]) -> frozenset[str]:
    return frozenset(cidr(v) for v in values)


def port(value: Any) -> str:
    """Ports compare as strings; "443-443" is "443"; "*" stays "*"."""
    text = str(value).strip()
    low, sep, high = text.partition("-")
    if sep and low.strip() == high.strip():
        return low.strip()
    return text.replace(" ", "")


def one_or_many(props: Mapping[str, Any], single: str, plural: str) -> frozenset[str]:
    """Union of `xxxPrefix` and `xxxPrefixes` (ARM fills one or the other)."""
    values: list[Any] = []
    if props.get(single) not in (None, ""):
        values.append(props[single])
    values.extend(props.get(plural) or ())
    return frozenset(str(v) for v in values)


def address_set(props: Mapping[str, Any], single: str, plural: str) -> frozenset[str]:
    return cidr_set(one_or_many(props, single, plural))


def port_set(props: Mapping[str, Any], single: str, plural: str) -> frozenset[str]:
    return frozenset(port(v) for v in one_or_many(props, single, plural))


def version_tuple(value: Any) -> tuple[int, ...] | None:
    if value is None:
        return None
    parts = re.findall(r"\d+", str(value))
    return tuple(int(p) for p in parts) if parts else None


def version_matches(desired: Any, live: Any) -> bool:
    """A spec's "1.30" is met by a live "1.30.5" (AKS picks the latest patch of a minor)."""
    want, have = version_tuple(desired), version_tuple(live)
    if want is None or have is None:
        return want == have
    return have[: len(want)] == want


def network(value: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    try:
        return ipaddress.ip_network(str(value), strict=False)
    except ValueError:
        return None


def is_superset(bigger: str, smaller: str) -> bool:
    """True when `bigger` contains the whole of `smaller` (R60 overlay pod CIDR expansion)."""
    big, small = network(bigger), network(smaller)
    if big is None or small is None or big.version != small.version:
        return False
    return small.subnet_of(big)  # type: ignore[arg-type]


def overlaps(a: str, b: str) -> bool:
    left, right = network(a), network(b)
    if left is None or right is None or left.version != right.version:
        return False
    return left.overlaps(right)


def by_name(items: Iterable[Mapping[str, Any]] | None) -> dict[str, Mapping[str, Any]]:
    """Child collections (rules, routes, subnets, pools) are identified by name, case-insensitively."""
    return {str(item.get("name", "")).lower(): item for item in items or ()}


def display(value: Any) -> Any:
    """A normalised value back to plain JSON data for a FieldChange (sets → sorted lists)."""
    if isinstance(value, frozenset | set):
        return sorted(str(v) for v in value)
    return value
