"""Dangling names and duplicate names are located AKSNET-REF-* errors."""

from __future__ import annotations

from spec_samples import BASE, errors_of, load, only, variant

ROUTE_TABLE = "  routeTables:\n    - name: rt\n      routes:\n        - {name: r1, addressPrefix: 0.0.0.0/0, nextHopType: Internet}\n"


def test_base_spec_has_no_reference_errors() -> None:
    assert load(BASE).cluster.subnet == "aks-subnet"


def test_subnet_names_an_undefined_nsg() -> None:
    finding = only(errors_of(variant("networkSecurityGroup: aks-nsg", "networkSecurityGroup: aks-nsgg")))
    assert finding.rule == "AKSNET-REF-001"
    assert finding.message == "network security group 'aks-nsgg' is not defined in this spec"
    assert finding.fix == "did you mean 'aks-nsg'?"
    assert (finding.line, finding.column) == (14, 31)
    assert finding.path == "spec.virtualNetwork.subnets[0].networkSecurityGroup"


def test_subnet_names_a_route_table_when_none_is_defined() -> None:
    finding = only(errors_of(variant("        networkSecurityGroup: aks-nsg\n", "        networkSecurityGroup: aks-nsg\n        routeTable: rt\n")))
    assert (finding.rule, finding.line, finding.path) == ("AKSNET-REF-002", 15, "spec.virtualNetwork.subnets[0].routeTable")
    assert finding.fix == "define a route table named 'rt' under spec.routeTables, or remove the reference"


def test_subnet_route_table_defined() -> None:
    text = variant("        networkSecurityGroup: aks-nsg\n", "        networkSecurityGroup: aks-nsg\n        routeTable: rt\n")
    text = variant("  cluster:\n", ROUTE_TABLE + "  cluster:\n", text)
    spec = load(text)
    assert spec.virtual_network.subnets[0].route_table == "rt"
    assert spec.route_tables[0].routes[0].next_hop_type == "Internet"


def test_cluster_subnet_not_a_subnet() -> None:
    finding = only(errors_of(variant("    subnet: aks-subnet", "    subnet: nodes")))
    assert (finding.rule, finding.path, finding.line, finding.column) == ("AKSNET-REF-003", "spec.cluster.subnet", 27, 13)
    assert finding.fix == "use one of: aks-subnet, or define 'nodes' under spec.virtualNetwork.subnets"


def test_duplicate_subnet_names_case_insensitive() -> None:
    text = variant(
        "  networkSecurityGroups:\n",
        "      - name: AKS-Subnet\n        addressPrefix: 10.101.0.0/16\n  networkSecurityGroups:\n",
    )
    finding = only(errors_of(text))
    assert (finding.rule, finding.path, finding.line) == ("AKSNET-REF-004", "spec.virtualNetwork.subnets[1].name", 15)
    assert "spec.virtualNetwork.subnets[0].name" in finding.message


def test_duplicate_nsg_route_table_rule_and_route_names() -> None:
    text = variant("  cluster:\n", "    - name: aks-nsg\n" + ROUTE_TABLE + "    - name: rt\n"
                   "        - {name: r1, addressPrefix: 10.0.0.0/8, nextHopType: None}\n".replace("        - ", "      routes:\n        - ")
                   + "  cluster:\n")
    text = variant("          destination: '*'\n", "          destination: '*'\n        - {name: allow-https, priority: 200, direction: Inbound,"
                   " access: Deny, protocol: '*', source: '*', destination: '*'}\n", text)
    text = variant("nextHopType: Internet}\n", "nextHopType: Internet}\n        - {name: R1, addressPrefix: 10.0.0.0/8, nextHopType: None}\n", text)
    findings = errors_of(text)
    assert {f.rule for f in findings} == {"AKSNET-REF-004"}
    assert [f.path for f in findings] == [
        "spec.networkSecurityGroups[0].rules[1].name",
        "spec.networkSecurityGroups[1].name",
        "spec.routeTables[0].routes[1].name",
        "spec.routeTables[1].name",
    ]
