"""Schema-valid spec data -> typed `Spec`, with the defaults `az` would use applied (pure, no I/O).

Only defaults that are the user's contract are filled in here (NSG rule ports '*', identity
SystemAssigned, as `az network nsg rule create` and `az aks create` default them); everything else the
user omitted stays None and is left to Azure (an omitted field is never drift: docs/architecture.md#ownership).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aksnet.model import SourceLocation
from aksnet.spec.types import (
    ApiServer,
    Cluster,
    ClusterNetwork,
    LintSuppression,
    LinuxProfile,
    NetworkSecurityGroup,
    NodePool,
    Route,
    RouteTable,
    SecurityRule,
    Spec,
    SpecPath,
    Subnet,
    UserAssignedIdentity,
    VirtualNetwork,
)

ANY = ("*",)  # `az network nsg rule create` defaults --source/--destination-port-ranges to '*'


def _strings(value: Any) -> tuple[str, ...]:
    """'x' | 443 | ['x', 443] -> ('x',) | ('443',) | ('x', '443')."""
    items = value if isinstance(value, list) else [value]
    return tuple(str(item) for item in items)


def _lint(data: Mapping[str, Any]) -> LintSuppression | None:
    lint = data.get("lint")
    if lint is None:
        return None
    return LintSuppression(rules=tuple(lint["skip"]), reason=lint["reason"])


def _rule(data: Mapping[str, Any]) -> SecurityRule:
    return SecurityRule(
        name=data["name"],
        priority=int(data["priority"]),
        direction=data["direction"],
        access=data["access"],
        protocol=data["protocol"],
        source=_strings(data["source"]),
        destination=_strings(data["destination"]),
        source_ports=_strings(data["sourcePorts"]) if "sourcePorts" in data else ANY,
        destination_ports=_strings(data["destinationPorts"]) if "destinationPorts" in data else ANY,
        description=data.get("description"),
    )


def _nsg(data: Mapping[str, Any]) -> NetworkSecurityGroup:
    return NetworkSecurityGroup(
        name=data["name"], rules=tuple(_rule(r) for r in data.get("rules") or ()), lint=_lint(data)
    )


def _route_table(data: Mapping[str, Any]) -> RouteTable:
    routes = tuple(
        Route(
            name=r["name"],
            address_prefix=r["addressPrefix"],
            next_hop_type=r["nextHopType"],
            next_hop_ip_address=r.get("nextHopIpAddress"),
        )
        for r in data.get("routes") or ()
    )
    return RouteTable(name=data["name"], routes=routes)


def _vnet(data: Mapping[str, Any]) -> VirtualNetwork:
    subnets = tuple(
        Subnet(
            name=s["name"],
            address_prefix=s["addressPrefix"],
            network_security_group=s.get("networkSecurityGroup"),
            route_table=s.get("routeTable"),
            lint=_lint(s),
        )
        for s in data["subnets"]
    )
    return VirtualNetwork(name=data["name"], address_space=tuple(data["addressSpace"]), subnets=subnets,
                          delete_other_subnets=data.get("otherSubnets", "keep") == "delete")


def _identity(cluster: Mapping[str, Any]) -> Mapping[str, Any]:
    """`identity: SystemAssigned` (the v1 string form) or `identity: {type, name, kubeletIdentity}`."""
    value = cluster.get("identity", "SystemAssigned")
    return value if isinstance(value, Mapping) else {"type": value}


def _cluster(data: Mapping[str, Any], ssh_key: str | None) -> Cluster:
    pool = data["nodePool"]
    net = data["network"]
    api = data.get("apiServer") or {}
    ranges = api.get("authorizedIpRanges")
    linux = data.get("linuxProfile")
    surge = pool.get("maxSurge")
    return Cluster(
        name=data["name"],
        subnet=data["subnet"],
        node_pool=NodePool(
            name=pool["name"],
            count=int(pool["count"]),
            vm_size=pool.get("vmSize"),
            max_pods=int(pool["maxPods"]) if "maxPods" in pool else None,
            max_surge=str(surge) if surge is not None else None,
        ),
        network=ClusterNetwork(
            plugin=net["plugin"],
            plugin_mode=net.get("pluginMode"),
            pod_cidr=net.get("podCidr"),
            service_cidr=net.get("serviceCidr"),
            dns_service_ip=net.get("dnsServiceIp"),
            policy=net.get("policy"),
            outbound_type=net.get("outboundType"),
            dataplane=net.get("dataplane"),
        ),
        api_server=ApiServer(
            authorized_ip_ranges=tuple(ranges) if ranges is not None else None,
            private_cluster=api.get("privateCluster"),
        ),
        dns_prefix=data.get("dnsPrefix"),
        kubernetes_version=data.get("kubernetesVersion"),
        # az aks create's default; the object form names a user-assigned identity of the spec
        identity=_identity(data).get("type", "SystemAssigned"),
        identity_name=_identity(data).get("name"),
        kubelet_identity=_identity(data).get("kubeletIdentity"),
        linux_profile=(
            LinuxProfile(
                admin_username=linux["adminUsername"],
                ssh_public_key=linux.get("sshPublicKey") or ssh_key or "",
            )
            if linux is not None
            else None
        ),
        lint=_lint(data),
    )


def build_spec(
    data: Mapping[str, Any],
    *,
    file: str,
    sha256: str,
    locations: Mapping[SpecPath, SourceLocation],
    ssh_key: str | None = None,
) -> Spec:
    """The typed Spec of schema-valid `data`. `ssh_key` is the text of `linuxProfile.sshPublicKeyFile`."""
    spec = data["spec"]
    return Spec(
        name=data["metadata"]["name"],
        location=spec["location"],
        resource_group=spec["resourceGroup"],
        virtual_network=_vnet(spec["virtualNetwork"]),
        cluster=_cluster(spec["cluster"], ssh_key),
        network_security_groups=tuple(_nsg(n) for n in spec.get("networkSecurityGroups") or ()),
        route_tables=tuple(_route_table(r) for r in spec.get("routeTables") or ()),
        identities=tuple(UserAssignedIdentity(name=i["name"], resource_group=i.get("resourceGroup"))
                         for i in (spec.get("identities") or {}).get("userAssignedIdentities") or ()),
        subscription_id=spec.get("subscriptionId"),
        tags=dict(spec.get("tags") or {}),
        file=file,
        sha256=sha256,
        locations=dict(locations),
    )
