"""Every registered rule: complete metadata and a spec that triggers it (docs: tests/unit/docs)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

import pytest
from builders import (
    add_subnet,
    nsg_rule,
    walkthrough,
    with_api,
    with_cluster,
    with_network,
    with_node_subnet,
    with_nsg_rules,
    with_pool,
    with_routes,
    with_vnet,
)

from aksnet.checks.rules import check
from aksnet.checks.rules.catalogue import RULES
from aksnet.model import Severity
from aksnet.spec.types import NetworkSecurityGroup, Route, RouteTable, Spec, Subnet, UserAssignedIdentity


def _many_subnets() -> Spec:
    subnets = tuple(Subnet(f"s{i}", f"10.{i // 256}.{i % 256}.0/24") for i in range(3001))
    return with_network(with_vnet(walkthrough("azure"), subnets=subnets), service_cidr="192.168.0.0/16",
                        dns_service_ip="192.168.0.10")


TRIGGERS: dict[str, Callable[[], Spec]] = {
    "AKSNET-CIDR-001": lambda: with_vnet(walkthrough("azure"), space=("10.0.0.0/8", "bogus")),
    "AKSNET-CIDR-002": lambda: with_node_subnet(walkthrough("azure"), "10.100.0.1/16"),
    "AKSNET-VNET-001": lambda: with_node_subnet(walkthrough("azure"), "11.0.0.0/16"),
    "AKSNET-VNET-002": lambda: add_subnet(walkthrough("azure"), "other", "10.100.255.0/24"),
    "AKSNET-VNET-003": lambda: with_node_subnet(walkthrough("kubenet"), "10.100.0.0/30"),
    "AKSNET-VNET-004": lambda: with_vnet(walkthrough("azure"), space=("10.0.0.0/8", "127.0.0.0/8")),
    "AKSNET-VNET-005": _many_subnets,
    "AKSNET-CIDR-003": lambda: with_network(walkthrough("azure"), service_cidr="172.30.0.0/16",
                                            dns_service_ip="172.30.0.10"),
    "AKSNET-SVC-001": lambda: with_network(walkthrough("azure"), service_cidr="10.100.0.0/16",
                                           dns_service_ip="10.100.0.10"),
    "AKSNET-SVC-002": lambda: walkthrough("azure"),
    "AKSNET-SVC-003": lambda: with_network(walkthrough("azure"), service_cidr="10.0.0.0/12", dns_service_ip="10.0.0.10"),
    "AKSNET-SVC-004": lambda: with_network(walkthrough("azure"), dns_service_ip=None),
    "AKSNET-SVC-005": lambda: with_network(walkthrough("azure"), dns_service_ip="10.33.0.10"),
    "AKSNET-SVC-006": lambda: with_network(walkthrough("azure"), dns_service_ip="10.32.0.1"),
    "AKSNET-SVC-007": lambda: with_network(walkthrough("azure"), dns_service_ip="10.32.0.11"),
    "AKSNET-POD-001": lambda: with_network(walkthrough("overlay"), pod_cidr="10.32.0.0/16"),
    "AKSNET-POD-002": lambda: with_network(walkthrough("overlay"), pod_cidr="10.244.0.0/16"),
    "AKSNET-POD-003": lambda: with_network(walkthrough("kubenet"), pod_cidr="10.100.0.0/16"),
    "AKSNET-POD-004": lambda: walkthrough("kubenet"),
    "AKSNET-NET-001": lambda: with_network(walkthrough("azure"), plugin="flannel"),
    "AKSNET-NET-002": lambda: with_network(walkthrough("kubenet"), plugin_mode="overlay"),
    "AKSNET-NET-003": lambda: with_network(walkthrough("azure"), pod_cidr="192.168.0.0/16"),
    "AKSNET-NET-004": lambda: walkthrough("kubenet"),
    "AKSNET-NET-005": lambda: with_network(walkthrough("kubenet"), policy="azure"),
    "AKSNET-NET-006": lambda: Spec(**{**_fields(walkthrough("overlay")), "resource_group": "r" * 64}),
    "AKSNET-NET-007": lambda: with_network(walkthrough("kubenet"), dataplane="cilium"),
    "AKSNET-NET-008": lambda: with_network(walkthrough("overlay"), dataplane="cilium", policy="calico"),
    "AKSNET-POOL-001": lambda: with_pool(walkthrough("azure"), max_pods=251),
    "AKSNET-POOL-002": lambda: with_pool(walkthrough("azure"), max_pods=10),
    "AKSNET-POOL-003": lambda: with_pool(walkthrough("azure"), count=0),
    "AKSNET-POOL-004": lambda: with_pool(walkthrough("azure"), count=1),
    "AKSNET-POOL-005": lambda: with_pool(walkthrough("azure"), max_surge="lots"),
    "AKSNET-POOL-006": lambda: with_pool(walkthrough("overlay"), count=1000),
    "AKSNET-CAP-001": lambda: with_pool(with_node_subnet(walkthrough("azure"), "10.100.0.0/24"), count=9, max_surge="0"),
    "AKSNET-CAP-002": lambda: with_pool(with_node_subnet(walkthrough("azure"), "10.100.0.0/24"), count=8),
    "AKSNET-CAP-003": lambda: with_pool(with_node_subnet(walkthrough("kubenet"), "10.100.0.0/29"), count=3),
    "AKSNET-CAP-004": lambda: with_pool(with_network(walkthrough("kubenet"), pod_cidr="10.244.0.0/15"), count=401),
    "AKSNET-CAP-005": lambda: with_pool(with_network(walkthrough("kubenet"), pod_cidr="10.244.0.0/15"), count=400),
    "AKSNET-CAP-006": lambda: with_network(walkthrough("kubenet"), pod_cidr="10.244.0.0/24"),
    "AKSNET-CAP-007": lambda: with_network(walkthrough("overlay"), pod_cidr="172.17.0.0/24"),
    "AKSNET-CAP-008": lambda: with_pool(with_node_subnet(walkthrough("azure"), "10.100.0.0/14"), count=300,
                                        max_pods=250),
    "AKSNET-API-001": lambda: with_api(walkthrough("azure"), *(f"20.0.{i // 256}.{i % 256}/32" for i in range(201))),
    "AKSNET-API-002": lambda: with_api(walkthrough("azure"), "39.100.100.101/24"),
    "AKSNET-API-003": lambda: with_api(walkthrough("azure"), "10.0.0.0/8"),
    "AKSNET-API-004": lambda: with_api(walkthrough("azure"), "0.0.0.0/32", "39.100.100.100/32"),
    "AKSNET-API-005": lambda: with_api(walkthrough("azure"), "39.100.100.100/32", private=True),
    "AKSNET-NSG-001": lambda: with_nsg_rules(walkthrough("azure"), nsg_rule(priority=99, destination_ports=("443",))),
    "AKSNET-NSG-002": lambda: with_nsg_rules(walkthrough("azure"), nsg_rule("a", 200), nsg_rule("b", 200)),
    "AKSNET-NSG-003": lambda: with_nsg_rules(walkthrough("azure"), nsg_rule("-bad")),
    "AKSNET-NSG-004": lambda: with_nsg_rules(walkthrough("azure"), nsg_rule(destination_ports=("70000",))),
    "AKSNET-NSG-005": lambda: with_nsg_rules(walkthrough("azure"), nsg_rule(source=("Internet", "1.2.3.4"))),
    "AKSNET-NSG-006": lambda: with_nsg_rules(walkthrough("azure"),
                                             *(nsg_rule(f"r{i}", 100 + i % 3997, "Inbound" if i < 3997 else "Outbound")
                                               for i in range(1001))),
    "AKSNET-NSG-007": lambda: with_nsg_rules(walkthrough("overlay"), nsg_rule(
        "deny-pods", 4000, access="Deny", source=("172.17.0.0/16",))),
    "AKSNET-NSG-008": lambda: with_nsg_rules(walkthrough("azure"), nsg_rule(
        "deny-out", 4000, "Outbound", "Deny", destination=("Internet",))),
    "AKSNET-RT-001": lambda: with_routes(walkthrough("azure"), *(Route(f"r{i}", f"20.{i // 256}.{i % 256}.0/24", "None")
                                                                 for i in range(401))),
    "AKSNET-RT-002": lambda: with_routes(walkthrough("azure"), Route("fw", "0.0.0.0/0", "Firewall")),
    "AKSNET-RT-003": lambda: with_routes(walkthrough("azure"), Route("fw", "0.0.0.0/0", "VirtualAppliance")),
    "AKSNET-RT-004": lambda: with_network(walkthrough("azure"), outbound_type="userDefinedRouting"),
    "AKSNET-RT-005": lambda: with_routes(walkthrough("kubenet")),
    "AKSNET-NAME-001": lambda: Spec(**{**_fields(walkthrough("azure")), "resource_group": "rg."}),
    "AKSNET-NAME-002": lambda: with_vnet_name(walkthrough("azure"), "v"),
    "AKSNET-NAME-003": lambda: add_subnet(walkthrough("azure"), "snet\u202e", "10.101.0.0/24"),
    "AKSNET-NAME-004": lambda: Spec(**{**_fields(walkthrough("azure")),
                                       "network_security_groups": (NetworkSecurityGroup("aks/nsg"),)}),
    "AKSNET-NAME-005": lambda: Spec(**{**_fields(walkthrough("azure")), "route_tables": (RouteTable("rt-"),)}),
    "AKSNET-NAME-006": lambda: with_routes(walkthrough("azure"), Route("to\x00fw", "0.0.0.0/0", "Internet")),
    "AKSNET-NAME-007": lambda: with_cluster(walkthrough("azure"), name="c" * 64),
    "AKSNET-NAME-008": lambda: with_pool(walkthrough("azure"), name="Pool1"),
    "AKSNET-NAME-009": lambda: with_cluster(walkthrough("azure"), dns_prefix="dns_prefix"),
    "AKSNET-NAME-010": lambda: Spec(**{**_fields(walkthrough("azure")),
                                       "identities": (UserAssignedIdentity("id"),)}),
    "AKSNET-LOC-001": lambda: Spec(**{**_fields(walkthrough("azure")), "location": "mars"}),
}


def with_vnet_name(spec: Spec, name: str) -> Spec:
    return Spec(**{**_fields(spec), "virtual_network": replace(spec.virtual_network, name=name)})


def _fields(spec: Spec) -> dict[str, object]:
    return {name: getattr(spec, name) for name in Spec.__dataclass_fields__}


def test_every_rule_has_metadata_and_a_trigger() -> None:
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids)), "duplicate rule ids"
    for rule in RULES:
        assert re.fullmatch(r"AKSNET-[A-Z]+-\d{3}", rule.id)
        assert rule.severity in (Severity.ERROR, Severity.WARNING, Severity.INFO)
        assert rule.title and rule.fix and rule.source
        assert rule.catalogue is None or re.fullmatch(r"R\d{1,2}", rule.catalogue)
    # AKSNET-LIVE-* judge the live state, not the spec: tests/unit/checks/test_live_state.py triggers them.
    assert set(TRIGGERS) == {i for i in ids if not i.startswith("AKSNET-LIVE-")}


@pytest.mark.parametrize("rule_id", sorted(TRIGGERS))
def test_trigger_fires_with_a_located_finding(rule_id: str) -> None:
    findings = [f for f in check(TRIGGERS[rule_id]()) if f.rule == rule_id]
    assert findings, f"{rule_id} did not fire"
    finding = findings[0]
    assert finding.file == "test.yaml" and finding.path.startswith("spec")
    assert finding.fix and finding.message and finding.source


@pytest.mark.parametrize("plugin", ["kubenet", "azure", "overlay"])
def test_walkthrough_clusters_have_no_errors(plugin: str) -> None:
    assert [f for f in check(walkthrough(plugin)) if f.severity is Severity.ERROR] == []


def test_walkthrough_warnings_are_the_expected_ones() -> None:
    assert {f.rule for f in check(walkthrough("kubenet"))} == {"AKSNET-NET-004", "AKSNET-POD-004", "AKSNET-SVC-002"}
    assert {f.rule for f in check(walkthrough("overlay"))} == {"AKSNET-SVC-002"}


def test_all_rules_run_no_first_error_wins() -> None:
    spec = with_pool(with_network(walkthrough("azure"), dns_service_ip="10.32.0.1", policy=None), max_pods=5)
    spec = with_api(spec, "10.0.0.0/8")
    assert {"AKSNET-SVC-006", "AKSNET-POOL-001", "AKSNET-POOL-002", "AKSNET-API-003"} <= {f.rule for f in check(spec)}


def test_cluster_identity_other_than_system_assigned_allows_byo_route_table() -> None:
    spec = with_cluster(with_routes(walkthrough("kubenet")), identity="UserAssigned")
    assert "AKSNET-RT-005" not in {f.rule for f in check(spec)}
