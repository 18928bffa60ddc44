"""Passing and failing cases at the edges of each rule (exactly fits / one too many)."""

from __future__ import annotations

import pytest
from builders import (
    add_subnet,
    findings_of,
    nsg_rule,
    rule_ids,
    walkthrough,
    with_api,
    with_network,
    with_node_subnet,
    with_nsg_rules,
    with_pool,
    with_routes,
)

from aksnet.checks.rules.effective import surge_nodes
from aksnet.spec.types import Route


def cni_24(count: int, surge: str) -> set[str]:
    return rule_ids(with_pool(with_node_subnet(walkthrough("azure"), "10.100.0.0/24"), count=count, max_surge=surge))


def test_cni_24_maxpods_30_eight_nodes_fit_without_surge_nine_do_not() -> None:
    assert not {"AKSNET-CAP-001", "AKSNET-CAP-002"} & cni_24(8, "0")  # 8 x 31 = 248 <= 251
    assert "AKSNET-CAP-001" in cni_24(9, "0")  # 9 x 31 = 279


def test_cni_24_surge_counted_separately() -> None:
    assert not {"AKSNET-CAP-001", "AKSNET-CAP-002"} & cni_24(7, "1")  # (7 + 1) x 31 = 248
    ids = cni_24(8, "1")
    assert "AKSNET-CAP-002" in ids and "AKSNET-CAP-001" not in ids


def test_cni_message_names_the_numbers_and_a_bigger_subnet() -> None:
    finding = findings_of(with_pool(with_node_subnet(walkthrough("azure"), "10.100.0.0/24"), count=9,
                                    max_surge="0"), "AKSNET-CAP-001")[0]
    assert "279" in finding.message and "251" in finding.message
    assert "/23" in finding.fix
    assert finding.path == "spec.cluster.nodePool.count"


@pytest.mark.parametrize(("count", "surge", "expected"), [
    (400, "0", set()),
    (400, "1", {"AKSNET-CAP-005"}),
    (401, "0", {"AKSNET-CAP-004"}),
])
def test_kubenet_400_node_ceiling(count: int, surge: str, expected: set[str]) -> None:
    spec = with_pool(with_network(walkthrough("kubenet"), pod_cidr="10.244.0.0/15"), count=count, max_surge=surge)
    assert rule_ids(spec) & {"AKSNET-CAP-004", "AKSNET-CAP-005"} == expected


def test_kubenet_pod_cidr_slots_include_surge() -> None:
    def ids(pod: str, count: int) -> set[str]:
        return rule_ids(with_pool(with_network(walkthrough("kubenet"), pod_cidr=pod), count=count))

    assert "AKSNET-CAP-006" not in ids("10.244.0.0/16", 255)  # 255 + 1 = 256 slots
    assert "AKSNET-CAP-006" in ids("10.244.0.0/16", 256)
    assert "AKSNET-CAP-006" in ids("10.244.0.0/25", 1)  # smaller than a /24: no slot at all


def test_overlay_pod_cidr_slots_and_fix() -> None:
    spec = with_pool(with_network(walkthrough("overlay"), pod_cidr="172.17.0.0/22"), count=4)  # 4 slots, need 5
    finding = findings_of(spec, "AKSNET-CAP-007")[0]
    assert "/21" in finding.fix
    assert not findings_of(with_pool(spec, count=3), "AKSNET-CAP-007")


def test_node_subnet_one_ip_per_node_for_overlay() -> None:
    spec = with_node_subnet(walkthrough("overlay"), "10.100.0.0/29")  # 3 usable
    assert "AKSNET-CAP-003" not in rule_ids(with_pool(spec, count=2))  # 2 + 1 = 3
    assert "AKSNET-CAP-003" in rule_ids(with_pool(spec, count=3))


@pytest.mark.parametrize(("dns", "rule"), [
    ("10.32.0.0", "AKSNET-SVC-006"),
    ("10.32.0.1", "AKSNET-SVC-006"),
    ("10.32.255.255", "AKSNET-SVC-006"),
    ("10.32.0.2", "AKSNET-SVC-007"),
    ("10.32.255.254", "AKSNET-SVC-007"),
    ("10.33.0.0", "AKSNET-SVC-005"),
    ("10.31.255.255", "AKSNET-SVC-005"),
    ("not-an-ip", "AKSNET-SVC-005"),
])
def test_dns_service_ip_edges(dns: str, rule: str) -> None:
    ids = rule_ids(with_network(walkthrough("azure"), dns_service_ip=dns))
    assert rule in ids
    assert len(ids & {"AKSNET-SVC-005", "AKSNET-SVC-006", "AKSNET-SVC-007"}) == 1


def test_dns_service_ip_dot_10_is_clean() -> None:
    assert not rule_ids(walkthrough("azure")) & {"AKSNET-SVC-005", "AKSNET-SVC-006", "AKSNET-SVC-007"}


def test_service_cidr_size_boundary() -> None:
    ok = with_network(walkthrough("azure"), service_cidr="10.8.0.0/13", dns_service_ip="10.8.0.10")
    assert "AKSNET-SVC-003" not in rule_ids(ok)
    bad = with_network(walkthrough("azure"), service_cidr="10.16.0.0/12", dns_service_ip="10.16.0.10")
    assert "AKSNET-SVC-003" in rule_ids(bad)


def test_service_cidr_outside_vnet_has_no_warning_and_inside_subnet_is_error_only() -> None:
    outside = with_network(walkthrough("azure"), service_cidr="192.168.0.0/16", dns_service_ip="192.168.0.10")
    assert not rule_ids(outside) & {"AKSNET-SVC-001", "AKSNET-SVC-002"}
    clash = with_network(walkthrough("azure"), service_cidr="10.100.128.0/17", dns_service_ip="10.100.128.10")
    assert rule_ids(clash) & {"AKSNET-SVC-001", "AKSNET-SVC-002"} == {"AKSNET-SVC-001"}


def test_service_cidr_checked_against_every_subnet_not_only_nodes() -> None:
    spec = add_subnet(walkthrough("azure"), "db", "10.32.5.0/24")
    assert "AKSNET-SVC-001" in rule_ids(spec)


def test_default_service_cidr_counts_when_omitted() -> None:
    spec = with_node_subnet(with_network(walkthrough("azure"), service_cidr=None, dns_service_ip=None), "10.0.4.0/24")
    finding = findings_of(spec, "AKSNET-SVC-001")[0]
    assert "AKS default" in finding.message


def test_subnets_adjacent_do_not_overlap_nested_do() -> None:
    spec = add_subnet(with_node_subnet(walkthrough("azure"), "10.100.0.0/24"), "next", "10.100.1.0/24")
    assert "AKSNET-VNET-002" not in rule_ids(spec)
    spec = add_subnet(with_node_subnet(walkthrough("azure"), "10.100.0.0/24"), "last", "10.100.0.248/29")
    assert "AKSNET-VNET-002" in rule_ids(spec)


def test_subnet_at_the_edge_of_the_vnet() -> None:
    assert "AKSNET-VNET-001" not in rule_ids(with_node_subnet(walkthrough("azure"), "10.255.255.0/24"))
    assert "AKSNET-VNET-001" in rule_ids(with_node_subnet(walkthrough("azure"), "10.0.0.0/7"))


def test_subnet_size_bounds() -> None:
    assert "AKSNET-VNET-003" not in rule_ids(with_node_subnet(walkthrough("overlay"), "10.100.0.0/29"))
    assert "AKSNET-VNET-003" in rule_ids(with_node_subnet(walkthrough("overlay"), "10.100.0.0/30"))


def test_reserved_range_adjacent_passes() -> None:
    """R8's own example: 172.28.0.0/15 ends at 172.29.255.255 and passes; 172.16.0.0/12 includes 172.30/16."""
    assert "AKSNET-CIDR-003" not in rule_ids(with_network(walkthrough("overlay"), pod_cidr="172.28.0.0/15"))
    assert "AKSNET-CIDR-003" in rule_ids(with_network(walkthrough("overlay"), pod_cidr="172.16.0.0/12"))


def test_host_bits_message_gives_the_network_address() -> None:
    finding = findings_of(with_node_subnet(walkthrough("azure"), "10.216.52.0/21"), "AKSNET-CIDR-002")[0]
    assert "10.216.48.0/21" in finding.message


def test_kubenet_pod_cidr_in_vnet_is_warning_in_node_subnet_error() -> None:
    assert "AKSNET-POD-004" in rule_ids(walkthrough("kubenet"))
    ids = rule_ids(with_network(walkthrough("kubenet"), pod_cidr="10.100.0.0/16"))
    assert "AKSNET-POD-003" in ids and "AKSNET-POD-004" not in ids
    assert not rule_ids(with_network(walkthrough("kubenet"), pod_cidr="192.168.0.0/16")) & {
        "AKSNET-POD-003", "AKSNET-POD-004"}


def test_max_pods_range_and_pool_minimum() -> None:
    assert "AKSNET-POOL-001" not in rule_ids(with_pool(walkthrough("overlay"), max_pods=250))
    assert "AKSNET-POOL-001" in rule_ids(with_pool(walkthrough("overlay"), max_pods=9))
    assert "AKSNET-POOL-002" not in rule_ids(with_pool(walkthrough("overlay"), max_pods=10, count=3))
    assert "AKSNET-POOL-002" in rule_ids(with_pool(walkthrough("overlay"), max_pods=10, count=2))


def test_pool_size_limits() -> None:
    assert "AKSNET-POOL-003" in rule_ids(with_pool(walkthrough("overlay"), count=1001))
    assert "AKSNET-POOL-006" not in rule_ids(with_pool(walkthrough("overlay"), count=999))
    assert "AKSNET-POOL-004" not in rule_ids(walkthrough("overlay"))


def test_surge_default_is_ten_percent_rounded_up_at_least_one() -> None:
    assert surge_nodes(2, None) == 1
    assert surge_nodes(10, None) == 1
    assert surge_nodes(11, None) == 2
    assert surge_nodes(10, "33%") == 4
    assert surge_nodes(10, "3") == 3


def test_authorized_ranges_count_boundary_and_formats() -> None:
    ranges = [f"20.0.0.{i}/32" for i in range(200)]
    assert "AKSNET-API-001" not in rule_ids(with_api(walkthrough("azure"), *ranges))
    assert "AKSNET-API-002" in rule_ids(with_api(walkthrough("azure"), "2001:db8::/32"))
    assert not rule_ids(with_api(walkthrough("azure"), "0.0.0.0/32")) & {"AKSNET-API-003", "AKSNET-API-004"}
    assert not rule_ids(with_api(walkthrough("azure"), "39.100.100.100")) & {"AKSNET-API-002", "AKSNET-API-003"}


def test_nsg_priority_bounds_and_direction() -> None:
    def ids(*rules: object) -> set[str]:
        return rule_ids(with_nsg_rules(walkthrough("azure"), *rules))  # type: ignore[arg-type]

    assert "AKSNET-NSG-001" not in ids(nsg_rule("a", 100), nsg_rule("b", 4096))
    assert "AKSNET-NSG-001" in ids(nsg_rule("a", 4097))
    assert "AKSNET-NSG-002" not in ids(nsg_rule("a", 300, "Inbound"), nsg_rule("b", 300, "Outbound"))


def test_nsg_deny_with_earlier_allow_is_fine_and_later_allow_is_not() -> None:
    deny = nsg_rule("deny-all", 4000, access="Deny")
    allow_nodes = nsg_rule("allow-vnet", 200, source=("VirtualNetwork",), destination=("VirtualNetwork",))
    spec = walkthrough("overlay")
    assert "AKSNET-NSG-007" not in rule_ids(with_nsg_rules(spec, allow_nodes, deny))
    late_allow = nsg_rule("allow-vnet", 4001, source=("VirtualNetwork",), destination=("VirtualNetwork",))
    finding = findings_of(with_nsg_rules(spec, late_allow, deny), "AKSNET-NSG-007")[0]
    assert "pod CIDR 172.17.0.0/16" in finding.message


def test_nsg_partial_allow_does_not_hide_a_deny() -> None:
    https_only = nsg_rule("https", 200, protocol="Tcp", destination_ports=("443",))
    deny = nsg_rule("deny-all", 4000, access="Deny")
    assert "AKSNET-NSG-007" in rule_ids(with_nsg_rules(walkthrough("azure"), https_only, deny))


def test_nsg_deny_of_unrelated_traffic_is_fine() -> None:
    deny = nsg_rule("deny-ssh-internet", 300, access="Deny", source=("Internet",), protocol="Tcp",
                    destination_ports=("22",))
    assert not rule_ids(with_nsg_rules(walkthrough("overlay"), deny)) & {"AKSNET-NSG-007", "AKSNET-NSG-008"}


def test_nsg_egress_allow_443_before_deny() -> None:
    allow = nsg_rule("allow-443", 200, "Outbound", protocol="Tcp", destination=("AzureCloud",),
                     destination_ports=("443",))
    deny = nsg_rule("deny-out", 4000, "Outbound", "Deny", destination=("Internet",))
    assert "AKSNET-NSG-008" not in rule_ids(with_nsg_rules(walkthrough("azure"), allow, deny))


def test_routes_next_hop_shapes() -> None:
    ok = with_routes(walkthrough("azure"), Route("fw", "0.0.0.0/0", "VirtualAppliance", "10.1.0.4"))
    assert not rule_ids(ok) & {"AKSNET-RT-002", "AKSNET-RT-003"}
    bad = with_routes(walkthrough("azure"), Route("net", "0.0.0.0/0", "Internet", "10.1.0.4"))
    assert "AKSNET-RT-003" in rule_ids(bad)
    assert "AKSNET-RT-001" not in rule_ids(with_routes(walkthrough("azure"), *(
        Route(f"r{i}", f"20.{i // 256}.{i % 256}.0/24", "None") for i in range(400))))


def test_udr_needs_default_route_to_appliance() -> None:
    udr = with_network(walkthrough("azure"), outbound_type="userDefinedRouting")
    good = with_routes(udr, Route("fw", "0.0.0.0/0", "VirtualAppliance", "10.1.0.4"))
    assert "AKSNET-RT-004" not in rule_ids(good)
    internet = with_routes(udr, Route("out", "0.0.0.0/0", "Internet"))
    assert "RouteTableInvalidNextHop" in findings_of(internet, "AKSNET-RT-004")[0].message


def test_kubenet_byo_route_table_error_points_at_the_association() -> None:
    finding = findings_of(with_routes(walkthrough("kubenet")), "AKSNET-RT-005")[0]
    assert finding.path == "spec.virtualNetwork.subnets[0].routeTable"
    assert "AKSNET-RT-005" not in rule_ids(walkthrough("kubenet"))
    assert "AKSNET-RT-005" not in rule_ids(walkthrough("azure"))  # CNI may bring its table
