"""Spec -> the ARM resources it implies (ids and wire-format bodies). Pure.

Bodies hold only what the spec sets (plus values aksnet must send, listed in `Desired.unowned`), in
ARM wire format: camelCase under `properties`, associations as `{"id": ...}`. `depends_on` follows
Ordering (docs/architecture.md#ordering): resource group -> NSGs and route tables -> VNet -> cluster -> the cluster
identity's Network Contributor assignment on the node subnet (after the cluster for SystemAssigned,
as `az aks create` does, R56).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import Any

from aksnet.ids import (
    NETWORK_CONTRIBUTOR_ROLE_ID,
    Kind,
    resource_group_id,
    resource_id,
    role_assignment_id,
    subnet_id,
)
from aksnet.model import Desired, FieldPath
from aksnet.spec.types import Cluster, NetworkSecurityGroup, RouteTable, SecurityRule, Spec

UNKNOWN_KEY = "$knownAfterApply"


def known_after_apply(resource: str, path: str) -> dict[str, str]:
    """A value only Azure can give (e.g. the cluster's managed identity principal). JSON-safe, so a
    saved plan keeps it; the applier replaces it with `resolve_unknowns` once `resource` exists."""
    return {UNKNOWN_KEY: path, "resource": resource}


def is_unknown(value: Any) -> bool:
    return isinstance(value, Mapping) and UNKNOWN_KEY in value


def _lookup(body: Mapping[str, Any], dotted: str) -> Any:
    node: Any = body
    for part in dotted.split("."):
        if not isinstance(node, Mapping):
            return None
        node = node.get(part)
    return node


def resolve_unknowns(value: Any, live_bodies: Mapping[str, Mapping[str, Any]]) -> Any:
    """`value` with every known-after-apply marker replaced from `live_bodies` (ids compared
    case-insensitively); a marker whose resource or field is missing stays as it is."""
    if is_unknown(value):
        wanted = str(value["resource"]).lower()
        for rid, body in live_bodies.items():
            if rid.lower() == wanted:
                found = _lookup(body, str(value[UNKNOWN_KEY]))
                return value if found is None else found
        return value
    if isinstance(value, Mapping):
        return {k: resolve_unknowns(v, live_bodies) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve_unknowns(v, live_bodies) for v in value]
    return value


def plugin_key(plugin: str | None, mode: str | None) -> str:
    """"kubenet", "azure" (node subnet), "overlay" or "none"."""
    plugin = (plugin or "").lower()
    if plugin == "azure" and (mode or "").lower() == "overlay":
        return "overlay"
    return plugin


def role_assignment_name(cluster: str, scope: str, role: str) -> str:
    """Deterministic, so re-running apply PUTs the same assignment (idempotent)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{cluster.lower()}|{scope.lower()}|{role.lower()}"))


def default_dns_prefix(cluster: str, resource_group: str, subscription: str) -> str:
    """The dnsPrefix `az aks create` sends when none is given: `<name[:10]>-<rg[:16]>-<sub[:6]>`, each part
    stripped to [A-Za-z0-9-] and the name part starting with a letter (azure-cli `_get_default_dns_prefix`,
    https://github.com/Azure/azure-cli/blob/dev/src/azure-cli/azure/cli/command_modules/acs/custom.py).
    AKS requires a dnsPrefix (or fqdnSubdomain) on create, so an omitted one is sent as az would send it,
    and never compared afterwards (a cluster someone made with az keeps its own)."""
    name_part = re.sub("[^A-Za-z0-9-]", "", cluster)[0:10]
    if not name_part[:1].isalpha():
        name_part = ("a" + name_part)[0:10]
    group_part = re.sub("[^A-Za-z0-9-]", "", resource_group)[0:16]
    return f"{name_part}-{group_part}-{subscription[0:6]}"


def _tagged(spec: Spec, body: dict[str, Any]) -> dict[str, Any]:
    if spec.tags:
        body["tags"] = dict(spec.tags)
    return body


def _single_or_list(values: tuple[str, ...], single: str, plural: str) -> dict[str, Any]:
    """ARM has both a scalar and a list field; a single value goes in the scalar one."""
    if len(values) == 1:
        return {single: values[0]}
    return {plural: list(values)}


def security_rule_body(rule: SecurityRule) -> dict[str, Any]:
    props: dict[str, Any] = {
        "priority": rule.priority,
        "direction": rule.direction,
        "access": rule.access,
        "protocol": rule.protocol,
    }
    props |= _single_or_list(rule.source, "sourceAddressPrefix", "sourceAddressPrefixes")
    props |= _single_or_list(rule.source_ports, "sourcePortRange", "sourcePortRanges")
    props |= _single_or_list(rule.destination, "destinationAddressPrefix", "destinationAddressPrefixes")
    props |= _single_or_list(rule.destination_ports, "destinationPortRange", "destinationPortRanges")
    if rule.description is not None:
        props["description"] = rule.description
    return {"name": rule.name, "properties": props}


def _nsg(spec: Spec, nsg: NetworkSecurityGroup, rg: str, sub: str, index: int) -> Desired:
    body = _tagged(spec, {
        "location": spec.location,
        "properties": {"securityRules": [security_rule_body(r) for r in nsg.rules]},
    })
    return Desired(
        id=resource_id(sub, spec.resource_group, Kind.NSG, nsg.name), kind=Kind.NSG, name=nsg.name,
        body=body, depends_on=frozenset({rg}),
        location=spec.locate(("spec", "networkSecurityGroups", index)),
    )


def _route_table(spec: Spec, table: RouteTable, rg: str, sub: str, index: int) -> Desired:
    routes = []
    for route in table.routes:
        props: dict[str, Any] = {"addressPrefix": route.address_prefix, "nextHopType": route.next_hop_type}
        if route.next_hop_ip_address is not None:
            props["nextHopIpAddress"] = route.next_hop_ip_address
        routes.append({"name": route.name, "properties": props})
    body = _tagged(spec, {"location": spec.location, "properties": {"routes": routes}})
    return Desired(
        id=resource_id(sub, spec.resource_group, Kind.ROUTE_TABLE, table.name), kind=Kind.ROUTE_TABLE,
        name=table.name, body=body, depends_on=frozenset({rg}),
        location=spec.locate(("spec", "routeTables", index)),
    )


def _vnet(spec: Spec, rg: str, sub: str) -> Desired:
    vnet = spec.virtual_network
    subnets = []
    depends = {rg}
    for subnet in vnet.subnets:
        props: dict[str, Any] = {"addressPrefix": subnet.address_prefix}
        if subnet.network_security_group:
            nsg_id = resource_id(sub, spec.resource_group, Kind.NSG, subnet.network_security_group)
            props["networkSecurityGroup"] = {"id": nsg_id}
            depends.add(nsg_id)
        if subnet.route_table:
            rt_id = resource_id(sub, spec.resource_group, Kind.ROUTE_TABLE, subnet.route_table)
            props["routeTable"] = {"id": rt_id}
            depends.add(rt_id)
        subnets.append({"name": subnet.name, "properties": props})
    body = _tagged(spec, {
        "location": spec.location,
        "properties": {"addressSpace": {"addressPrefixes": list(vnet.address_space)}, "subnets": subnets},
    })
    return Desired(
        id=resource_id(sub, spec.resource_group, Kind.VNET, vnet.name), kind=Kind.VNET, name=vnet.name,
        body=body, depends_on=frozenset(depends), location=spec.locate(("spec", "virtualNetwork")),
    )


def _cluster_properties(cluster: Cluster, node_subnet: str, dns_prefix: str
                        ) -> tuple[dict[str, Any], set[FieldPath]]:
    """`dns_prefix`: the spec's, or az's default for an omitted one (unowned then)."""
    net = cluster.network
    unowned: set[FieldPath] = set()
    pool = cluster.node_pool
    profile: dict[str, Any] = {"name": pool.name, "count": pool.count}
    if pool.vm_size is not None:
        profile["vmSize"] = pool.vm_size
    # AKS needs one System pool on create (https://learn.microsoft.com/azure/aks/use-system-pools); the spec's pool is that pool, but the
    # spec never says "mode", so it is sent and not owned (a later switch to User mode is not drift).
    if pool.max_pods is not None:
        profile["maxPods"] = pool.max_pods
    # An omitted maxPods is not sent: AKS applies the plugin's default itself (R28; kubenet 110, Azure CNI
    # 30, overlay 250, https://learn.microsoft.com/azure/aks/concepts-network-ip-address-planning), and a
    # later plugin migration may change it, which is not drift.
    profile |= {"mode": "System", "vnetSubnetID": node_subnet}
    unowned.add(("properties", "agentPoolProfiles", pool.name, "mode"))
    if pool.max_surge is not None:
        profile["upgradeSettings"] = {"maxSurge": str(pool.max_surge)}
    network: dict[str, Any] = {"networkPlugin": net.plugin}
    optional = {
        "networkPluginMode": net.plugin_mode,
        "podCidr": net.pod_cidr,
        "serviceCidr": net.service_cidr,
        "dnsServiceIP": net.dns_service_ip,
        "networkPolicy": net.policy,
        "outboundType": net.outbound_type,
        "networkDataplane": net.dataplane,
    }
    network |= {k: v for k, v in optional.items() if v is not None}
    props: dict[str, Any] = {"dnsPrefix": dns_prefix}
    if cluster.dns_prefix is None:
        unowned.add(("properties", "dnsPrefix"))
    if cluster.kubernetes_version is not None:
        props["kubernetesVersion"] = cluster.kubernetes_version
    props["agentPoolProfiles"] = [profile]
    props["networkProfile"] = network
    api: dict[str, Any] = {}
    if cluster.api_server.authorized_ip_ranges is not None:
        api["authorizedIPRanges"] = list(cluster.api_server.authorized_ip_ranges)
    if cluster.api_server.private_cluster is not None:
        api["enablePrivateCluster"] = cluster.api_server.private_cluster
    if api:
        props["apiServerAccessProfile"] = api
    if cluster.linux_profile is not None:
        props["linuxProfile"] = {
            "adminUsername": cluster.linux_profile.admin_username,
            "ssh": {"publicKeys": [{"keyData": cluster.linux_profile.ssh_public_key}]},
        }
    return props, unowned


def desired_state(spec: Spec, subscription: str) -> dict[str, Desired]:
    """Every ARM resource the spec implies, keyed by ARM id."""
    rg = resource_group_id(subscription, spec.resource_group)
    out: dict[str, Desired] = {
        rg: Desired(
            id=rg, kind=Kind.RESOURCE_GROUP, name=spec.resource_group,
            body=_tagged(spec, {"location": spec.location}),
            location=spec.locate(("spec", "resourceGroup")),
        )
    }
    for i, nsg in enumerate(spec.network_security_groups):
        item = _nsg(spec, nsg, rg, subscription, i)
        out[item.id] = item
    for i, table in enumerate(spec.route_tables):
        item = _route_table(spec, table, rg, subscription, i)
        out[item.id] = item
    vnet = _vnet(spec, rg, subscription)
    out[vnet.id] = vnet

    cluster = spec.cluster
    cluster_id = resource_id(subscription, spec.resource_group, Kind.CLUSTER, cluster.name)
    node_subnet = subnet_id(vnet.id, cluster.subnet)
    dns_prefix = cluster.dns_prefix or default_dns_prefix(cluster.name, spec.resource_group, subscription)
    props, unowned = _cluster_properties(cluster, node_subnet, dns_prefix)
    out[cluster_id] = Desired(
        id=cluster_id, kind=Kind.CLUSTER, name=cluster.name,
        body=_tagged(spec, {"location": spec.location, "identity": {"type": cluster.identity},
                            "properties": props}),
        depends_on=frozenset({rg, vnet.id}), location=spec.locate(("spec", "cluster")),
        unowned=frozenset(unowned),
    )

    # R56: Network Contributor for the cluster identity on the node subnet. SystemAssigned: the
    # principal exists only once the cluster does, so the assignment follows the cluster.
    role_def = (f"/subscriptions/{subscription}/providers/Microsoft.Authorization/roleDefinitions/"
                f"{NETWORK_CONTRIBUTOR_ROLE_ID}")
    name = role_assignment_name(cluster_id, node_subnet, NETWORK_CONTRIBUTOR_ROLE_ID)
    assignment_id = role_assignment_id(node_subnet, name)
    out[assignment_id] = Desired(
        id=assignment_id, kind=Kind.ROLE_ASSIGNMENT, name=f"{cluster.name}-network-contributor",
        body={"properties": {
            "roleDefinitionId": role_def,
            "principalId": known_after_apply(cluster_id, "identity.principalId"),
            "principalType": "ServicePrincipal",
        }},
        depends_on=frozenset({cluster_id, vnet.id}), location=spec.locate(("spec", "cluster", "identity")),
    )
    from aksnet.core.identity import with_identities  # imports this module

    return with_identities(spec, subscription, out, cluster_id=cluster_id, node_subnet=node_subnet,
                           vnet_id=vnet.id)
