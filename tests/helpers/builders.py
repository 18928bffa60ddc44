"""Build typed Specs for rule tests without the YAML loader: the walkthrough clusters plus small edits."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from aksnet.spec.types import (
    ApiServer,
    Cluster,
    ClusterNetwork,
    NetworkSecurityGroup,
    NodePool,
    Route,
    RouteTable,
    SecurityRule,
    Spec,
    Subnet,
    VirtualNetwork,
)


def walkthrough(plugin: str = "kubenet") -> Spec:
    """The three clusters of the walkthrough (specs/): 'kubenet', 'azure', 'overlay'."""
    network = {
        "kubenet": ClusterNetwork(plugin="kubenet", pod_cidr="10.244.0.0/16"),
        "azure": ClusterNetwork(plugin="azure"),
        "overlay": ClusterNetwork(plugin="azure", plugin_mode="overlay", pod_cidr="172.17.0.0/16"),
    }[plugin]
    network = replace(network, service_cidr="10.32.0.0/16", dns_service_ip="10.32.0.10")
    route_table = None if plugin == "kubenet" else "aks-route-table"
    return Spec(
        name=f"aks-{plugin}",
        location="eastus",
        resource_group="aks-rg",
        subscription_id="00000000-0000-0000-0000-000000000000",
        virtual_network=VirtualNetwork(
            name="vNet_aks_useast",
            address_space=("10.0.0.0/8",),
            subnets=(Subnet("aks-subnet", "10.100.0.0/16", network_security_group="aks-nsg", route_table=route_table),),
        ),
        network_security_groups=(NetworkSecurityGroup("aks-nsg"),),
        route_tables=(RouteTable("aks-route-table"),),
        cluster=Cluster(
            name="aks-cluster",
            subnet="aks-subnet",
            node_pool=NodePool(name="nodepool1", count=2, max_surge="1"),
            network=network,
            api_server=ApiServer(authorized_ip_ranges=("39.100.100.100/32",)),
        ),
        file="test.yaml",
    )


def with_network(spec: Spec, **changes: Any) -> Spec:
    return replace(spec, cluster=replace(spec.cluster, network=replace(spec.cluster.network, **changes)))


def with_pool(spec: Spec, **changes: Any) -> Spec:
    return replace(spec, cluster=replace(spec.cluster, node_pool=replace(spec.cluster.node_pool, **changes)))


def with_cluster(spec: Spec, **changes: Any) -> Spec:
    return replace(spec, cluster=replace(spec.cluster, **changes))


def with_api(spec: Spec, *ranges: str, private: bool | None = None) -> Spec:
    return with_cluster(spec, api_server=ApiServer(authorized_ip_ranges=tuple(ranges), private_cluster=private))


def with_vnet(spec: Spec, space: tuple[str, ...] | None = None, subnets: tuple[Subnet, ...] | None = None) -> Spec:
    vnet = spec.virtual_network
    return replace(spec, virtual_network=replace(
        vnet,
        address_space=space if space is not None else vnet.address_space,
        subnets=subnets if subnets is not None else vnet.subnets,
    ))


def with_node_subnet(spec: Spec, prefix: str, **changes: Any) -> Spec:
    """Replace the node subnet's prefix (and optionally its NSG / route table)."""
    subnets = tuple(
        replace(s, address_prefix=prefix, **changes) if s.name == spec.cluster.subnet else s
        for s in spec.virtual_network.subnets
    )
    return with_vnet(spec, subnets=subnets)


def add_subnet(spec: Spec, name: str, prefix: str) -> Spec:
    return with_vnet(spec, subnets=(*spec.virtual_network.subnets, Subnet(name, prefix)))


def nsg_rule(name: str = "r", priority: int = 100, direction: str = "Inbound", access: str = "Allow",
             protocol: str = "*", source: tuple[str, ...] = ("*",), destination: tuple[str, ...] = ("*",),
             destination_ports: tuple[str, ...] = ("*",), source_ports: tuple[str, ...] = ("*",)) -> SecurityRule:
    return SecurityRule(name=name, priority=priority, direction=direction, access=access, protocol=protocol,
                        source=source, destination=destination, source_ports=source_ports,
                        destination_ports=destination_ports)


def with_nsg_rules(spec: Spec, *rules: SecurityRule) -> Spec:
    """Set the rules of the NSG 'aks-nsg' (associated with the node subnet in the walkthrough)."""
    return replace(spec, network_security_groups=(NetworkSecurityGroup("aks-nsg", rules=tuple(rules)),))


def with_routes(spec: Spec, *routes: Route, associate: bool = True) -> Spec:
    spec = replace(spec, route_tables=(RouteTable("aks-route-table", routes=tuple(routes)),))
    if associate:
        node = spec.subnet(spec.cluster.subnet)
        assert node is not None
        spec = with_node_subnet(spec, node.address_prefix, route_table="aks-route-table")
    return spec


def rule_ids(spec: Spec) -> set[str]:
    from aksnet.checks.rules import check

    return {f.rule for f in check(spec)}


def findings_of(spec: Spec, rule: str) -> list[Any]:
    from aksnet.checks.rules import check

    return [f for f in check(spec) if f.rule == rule]
