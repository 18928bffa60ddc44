"""Spec objects built directly (no loader) for the pure lint tests."""

from __future__ import annotations

from dataclasses import replace

from aksnet.model import SourceLocation
from aksnet.spec.types import (
    ApiServer,
    Cluster,
    ClusterNetwork,
    LintSuppression,
    NetworkSecurityGroup,
    NodePool,
    SecurityRule,
    Spec,
    Subnet,
    VirtualNetwork,
)

OFFICE_ONLY = ApiServer(authorized_ip_ranges=("203.0.113.0/24",), private_cluster=None)


def inbound(name: str, source: str, ports: str, protocol: str = "Tcp", access: str = "Allow") -> SecurityRule:
    return SecurityRule(
        name=name,
        priority=100,
        direction="Inbound",
        access=access,
        protocol=protocol,
        source=(source,),
        destination=("*",),
        destination_ports=(ports,),
    )


def clean_spec(
    *,
    rules: tuple[SecurityRule, ...] = (),
    nsg_lint: LintSuppression | None = None,
    subnets: tuple[Subnet, ...] = (),
    api: ApiServer = OFFICE_ONLY,
    network: ClusterNetwork | None = None,
    cluster_lint: LintSuppression | None = None,
) -> Spec:
    """A spec with no lint findings except AKSNET013 (info: not private), plus what the caller adds."""
    node_subnet = Subnet("aks-subnet", "10.240.0.0/16", network_security_group="aks-nsg")
    cluster = Cluster(
        name="aks-cluster",
        subnet="aks-subnet",
        node_pool=NodePool("nodepool1", 2),
        network=network
        or ClusterNetwork(
            plugin="azure",
            plugin_mode="overlay",
            pod_cidr="192.168.0.0/16",
            service_cidr="172.16.0.0/16",
            dns_service_ip="172.16.0.10",
            policy="calico",
        ),
        api_server=api,
        lint=cluster_lint,
    )
    spec = Spec(
        name="lint-test",
        location="eastus",
        resource_group="aks-rg",
        virtual_network=VirtualNetwork("aks-vnet", ("10.0.0.0/8",), (node_subnet, *subnets)),
        cluster=cluster,
        network_security_groups=(NetworkSecurityGroup("aks-nsg", rules, lint=nsg_lint),),
        file="specs/test.yaml",
    )
    # a few located nodes so findings carry lines (the loader fills every node)
    locations = {
        ("spec", "cluster"): SourceLocation(spec.file, 30, 5),
        ("spec", "cluster", "apiServer"): SourceLocation(spec.file, 40, 7),
        ("spec", "networkSecurityGroups", 0): SourceLocation(spec.file, 12, 5),
        ("spec", "virtualNetwork", "subnets", 0): SourceLocation(spec.file, 8, 7),
    }
    for index in range(len(rules)):
        locations[("spec", "networkSecurityGroups", 0, "rules", index)] = SourceLocation(spec.file, 14 + index, 9)
    return replace(spec, locations=locations)
