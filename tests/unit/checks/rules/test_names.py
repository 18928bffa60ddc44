"""ARM naming rules per resource type and the region list: what Azure accepts passes, what it refuses is
a located error naming the rule (resource-name-rules: learn.microsoft.com)."""

from __future__ import annotations

import pytest

from aksnet.checks.rules.names import (
    AGENT_POOL,
    CLUSTER_NAME,
    DNS_PREFIX,
    IDENTITY,
    RESOURCE_GROUP,
    SUBNET,
    VNET,
    NameRule,
)
from aksnet.checks.rules.regions import KNOWN_LOCATIONS, normalize_location


@pytest.mark.parametrize(("rule", "name"), [
    (RESOURCE_GROUP, "aks-rg"), (RESOURCE_GROUP, "rg(prod)_1.a"), (RESOURCE_GROUP, "grupo-ñandú"),
    (RESOURCE_GROUP, "r" * 90), (VNET, "vNet_aks_useast"), (VNET, "v_"), (SUBNET, "a"), (SUBNET, "s" * 80),
    (CLUSTER_NAME, "aks_cluster-1"), (CLUSTER_NAME, "c" * 63), (AGENT_POOL, "nodepool1"), (AGENT_POOL, "a" * 12),
    (DNS_PREFIX, "my-cluster-dns"), (IDENTITY, "id-aks_1"),
])
def test_names_azure_accepts(rule: NameRule, name: str) -> None:
    assert rule.problem(name) is None


@pytest.mark.parametrize(("rule", "name", "why"), [
    (RESOURCE_GROUP, "rg.", "allows"), (RESOURCE_GROUP, "r" * 91, "91 characters"), (RESOURCE_GROUP, "a/b", "'/'"),
    (RESOURCE_GROUP, "rg\u202eevil", "allows"), (RESOURCE_GROUP, "rg\x00", "allows"),
    (VNET, "v", "1 characters"), (VNET, "vnet.", "allows"), (VNET, "-vnet", "allows"),
    (SUBNET, "s" * 81, "81 characters"), (SUBNET, "snet\u202e", "allows"), (SUBNET, "a b", "allows"),
    (CLUSTER_NAME, "c" * 64, "64 characters"), (CLUSTER_NAME, "aks-", "allows"), (CLUSTER_NAME, "aks.1", "allows"),
    (AGENT_POOL, "Pool1", "allows"), (AGENT_POOL, "1pool", "allows"), (AGENT_POOL, "nodepool12345", "13 characters"),
    (DNS_PREFIX, "dns_prefix", "allows"), (DNS_PREFIX, "d" * 55, "55 characters"),
    (IDENTITY, "id", "2 characters"), (IDENTITY, "_id", "allows"),
])
def test_names_azure_refuses(rule: NameRule, name: str, why: str) -> None:
    problem = rule.problem(name)
    assert problem is not None and why in problem


def test_a_refused_name_is_shown_with_invisible_characters_escaped() -> None:
    from builders import walkthrough

    from aksnet.checks.rules import check
    from aksnet.spec.types import Spec

    base = walkthrough("azure")
    spec = Spec(**{**{f: getattr(base, f) for f in Spec.__dataclass_fields__}, "resource_group": "rg\u202ex"})
    finding = next(f for f in check(spec) if f.rule == "AKSNET-NAME-001")
    assert "\\u202e" in finding.message and "\u202e" not in finding.message
    assert finding.path == "spec.resourceGroup"


@pytest.mark.parametrize("location", ["eastus", "East US", "WestEurope", "swedencentral", "usgovvirginia"])
def test_known_locations(location: str) -> None:
    assert normalize_location(location) in KNOWN_LOCATIONS


@pytest.mark.parametrize("location", ["mars", "east-us", "global", "eastus\u202e"])
def test_unknown_locations(location: str) -> None:
    assert normalize_location(location) not in KNOWN_LOCATIONS
