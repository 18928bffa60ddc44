"""The reads `aksnet export` needs: a cluster, its node subnet's VNet, and the NSGs and route tables
associated with that VNet's subnets. I/O shell: GETs only, through the same
`ResourceApi` (and so the same per-subscription token bucket) as the planner's reader.

What is the user's and what is AKS's is decided by the pure `aksnet.core.export.export_spec`: it gets
every route table associated with a subnet, AKS's own kubenet table in the node resource group
included, and leaves that one and the routes AKS writes out (docs/architecture.md#ownership, R54/R55).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aksnet.core import normalize as n
from aksnet.errors import AksnetError
from aksnet.ids import Kind, parse_id, resource_group_id, resource_id, same_id
from aksnet.live.reader import Getter, read_live

Body = Mapping[str, Any]


class ExportError(AksnetError):
    """The cluster cannot be exported as an aksnet/v1 spec (absent, or a topology the spec cannot say)."""


@dataclass(slots=True)
class LiveClusterNetwork:
    """The inputs of `export_spec`, plus notes about what was left out and why."""

    subscription: str
    resource_group: str
    location: str
    cluster: Body
    vnet: Body
    nsgs: list[Body] = field(default_factory=list)
    route_tables: list[Body] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def export_arguments(self) -> dict[str, Any]:
        return {"resource_group": self.resource_group, "location": self.location,
                "subscription": self.subscription, "vnet": self.vnet, "nsgs": self.nsgs,
                "route_tables": self.route_tables, "cluster": self.cluster}


def _props(body: Body) -> Mapping[str, Any]:
    return body.get("properties") or {}


def node_subnet_id(cluster: Body) -> str | None:
    """The system pool's vnetSubnetID (the spec's `cluster.subnet` is the system pool's subnet)."""
    pools = _props(cluster).get("agentPoolProfiles") or []
    system = next((p for p in pools if n.enum(p.get("mode")) == "system"), pools[0] if pools else {})
    value = system.get("vnetSubnetID")
    return str(value).rstrip("/") if value else None


def _vnet_of_subnet(subnet: str) -> str:
    head, _, _ = subnet.rstrip("/").rpartition("/subnets/")
    if not head:
        raise ExportError(f"the node subnet id {subnet!r} is not a subnet id")
    return head


def _in_group(rid: str, subscription: str, group: str) -> bool:
    parsed = parse_id(rid)
    return same_id(resource_group_id(parsed.subscription, parsed.resource_group),
                   resource_group_id(subscription, group))


def _associated(vnet: Body, key: str) -> list[str]:
    """Ids of the `key` resources (networkSecurityGroup / routeTable) the VNet's subnets point to, in
    subnet order, each once."""
    ids: dict[str, str] = {}
    for subnet in _props(vnet).get("subnets") or []:
        ref = _props(subnet).get(key)
        rid = str(ref.get("id") or "").rstrip("/") if isinstance(ref, Mapping) else ""
        if rid:
            ids.setdefault(rid.lower(), rid)
    return list(ids.values())


def read_cluster_network(api: Getter, subscription: str, resource_group: str, cluster_name: str) -> LiveClusterNetwork:
    """GET the cluster, its VNet, then every associated NSG and route table (concurrently)."""
    cluster_id = resource_id(subscription, resource_group, Kind.CLUSTER, cluster_name)
    cluster = api.get(cluster_id)
    if cluster is None:
        raise ExportError(f"cluster {cluster_name} not found in resource group {resource_group} "
                          f"(subscription {subscription})",
                          hint="check --resource-group, --cluster and --subscription")
    subnet = node_subnet_id(cluster)
    if not subnet:
        # An AKS-managed VNet lives in the node resource group and belongs to AKS; a spec names a
        # VNet the user brings (docs/spec.md).
        raise ExportError(f"cluster {cluster_name} has no vnetSubnetID: it uses the VNet AKS manages, "
                          "which an aksnet spec does not describe",
                          hint="aksnet adopts clusters on a VNet you bring (az aks create --vnet-subnet-id)")
    vnet_id = _vnet_of_subnet(subnet)
    if not _in_group(vnet_id, subscription, resource_group):
        raise ExportError(f"the node subnet's VNet {vnet_id} is not in resource group {resource_group}: "
                          "an aksnet/v1 spec keeps the VNet and the cluster in one resource group")
    vnet = api.get(vnet_id)
    if vnet is None:
        raise ExportError(f"the cluster's VNet {vnet_id} was not found", hint="is the cluster's subnet deleted?")

    nsg_ids = _associated(vnet, "networkSecurityGroup")
    table_ids = _associated(vnet, "routeTable")
    node_rg = _props(cluster).get("nodeResourceGroup")
    notes: list[str] = []
    wanted_nsgs = []
    for rid in nsg_ids:
        if _in_group(rid, subscription, resource_group):
            wanted_nsgs.append(rid)
        else:
            notes.append(f"left out NSG {rid}: it is outside resource group {resource_group}, and a spec "
                         "names NSGs of its own resource group; its subnet association is left out too")
    wanted_tables = []
    for rid in table_ids:
        # AKS's own kubenet table (node resource group) is passed through: export_spec drops it.
        in_node_rg = bool(node_rg) and parse_id(rid).resource_group.lower() == str(node_rg).lower()
        if in_node_rg or _in_group(rid, subscription, resource_group):
            wanted_tables.append(rid)
        else:
            notes.append(f"left out route table {rid}: it is outside resource group {resource_group}; "
                         "its subnet association is left out too")
    bodies: dict[str, Body] = {}
    for rid, found in read_live(api, [*wanted_nsgs, *wanted_tables]).items():
        if found is None:
            raise ExportError(f"{rid} is associated with a subnet of {vnet_id} but was not found",
                              hint="retry: it may have been deleted while exporting")
        bodies[rid] = found.body
    # One location per spec (docs/spec.md): the cluster's; a VNet elsewhere is worth a note.
    location = n.location(cluster.get("location")) or ""
    if n.location(vnet.get("location")) != location:
        notes.append(f"the VNet is in {vnet.get('location')} while the cluster is in {location}; the "
                     f"spec has one location ({location}), so planning it would show the difference")
    return LiveClusterNetwork(
        subscription=subscription, resource_group=resource_group, location=location, cluster=cluster,
        vnet=vnet, nsgs=[bodies[rid] for rid in wanted_nsgs],
        route_tables=[bodies[rid] for rid in wanted_tables], notes=notes,
    )
