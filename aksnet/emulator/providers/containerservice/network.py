"""What AKS does to the network when a cluster operation completes (https://learn.microsoft.com/azure/aks/configure-kubenet, https://github.com/kubernetes-sigs/cloud-provider-azure/blob/master/pkg/provider/azure_routes.go).

State-based: `reconcile` makes the node subnets, AKS's route table and its routes match the nodes the
cluster has now, so create, scale, pool add/remove, overlay migration and delete are the same code:
- node NICs appear in each node subnet's `ipConfigurations` (VMSS ipconfig ids under the node RG);
- kubenet: the node subnet's route table (BYO), or AKS's `aks-agentpool-<digits>-routetable` created in
  the node RG and associated with the subnet, holds one route per node named after the node, its /24
  of the pod CIDR -> VirtualAppliance at the node's IP (cloud-provider-azure azure_routes.go);
- not kubenet (after a migration to overlay, R55/R58) or deleting: AKS's routes go, and so does its
  managed route table with its association.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from aksnet.emulator.arm.contract import Body, Rid, Txn, network_etag
from aksnet.emulator.providers.containerservice.common import (
    MANAGED_SUBNET_NAME,
    MANAGED_SUBNET_PREFIX,
    MANAGED_VNET_PREFIX,
    SUBNET_TYPE,
    cluster_digits,
    managed_route_table_name,
    managed_vnet_name,
    node_name,
    plugin_key,
    props,
    rg_scope,
    vmss_name,
)
from aksnet.emulator.providers.network.common import (
    add_subnet_ip_configurations,
    delete_route,
    ensure_route_table,
    ip_configurations,
    new_guid,
    put_route,
    remove_subnet_ip_configurations,
    set_subnet_route_table,
)

VNET_TYPE = "Microsoft.Network/virtualNetworks"


@dataclass(frozen=True)
class Node:
    pool: str
    instance: int
    name: str  # aks-nodepool1-26280851-vmss000000 (also the kubenet route name)
    subnet_id: str
    ip_configuration_id: str


@dataclass(frozen=True)
class ClusterNames:
    """Where a cluster's AKS-owned resources live."""

    subscription: str
    node_rg: str
    digits: str
    location: str

    @property
    def node_rg_id(self) -> str:
        return rg_scope(self.subscription, self.node_rg)

    @property
    def route_table_id(self) -> str:
        return f"{self.node_rg_id}/providers/Microsoft.Network/routeTables/{managed_route_table_name(self.digits)}"

    @property
    def vnet_id(self) -> str:
        return f"{self.node_rg_id}/providers/Microsoft.Network/virtualNetworks/{managed_vnet_name(self.digits)}"

    @property
    def managed_subnet_id(self) -> str:
        return f"{self.vnet_id}/subnets/{MANAGED_SUBNET_NAME}"


def names_of(rid: Rid, cluster: Body) -> ClusterNames:
    p = props(cluster)
    return ClusterNames(rid.subscription, str(p.get("nodeResourceGroup")), cluster_digits(rid.raw),
                        str(cluster.get("location", "")))


def pool_subnet_id(names: ClusterNames, pool: Body) -> str:
    return str(pool.get("vnetSubnetID") or names.managed_subnet_id)


def desired_nodes(names: ClusterNames, pools: list[Body]) -> list[Node]:
    nodes = []
    for pool in pools:
        vmss = vmss_name(str(pool["name"]), names.digits)
        for i in range(int(pool.get("count") or 0)):
            config = (f"{names.node_rg_id}/providers/Microsoft.Compute/virtualMachineScaleSets/{vmss}/virtualMachines/"
                      f"{i}/networkInterfaces/{vmss}/ipConfigurations/ipconfig1")
            nodes.append(Node(str(pool["name"]), i, node_name(str(pool["name"]), names.digits, i),
                              pool_subnet_id(names, pool), config))
    return nodes


def ensure_managed_vnet(txn: Txn, names: ClusterNames) -> None:
    """Without a BYO subnet AKS creates aks-vnet-<digits> in the node RG (Azure/AKS#2927)."""
    if txn.get(names.vnet_id) is None:
        name = names.vnet_id.rsplit("/", 1)[-1]
        txn.put(names.vnet_id, {"id": names.vnet_id, "name": name, "type": VNET_TYPE, "location": names.location,
                                "etag": network_etag(),
                                "properties": {"addressSpace": {"addressPrefixes": [MANAGED_VNET_PREFIX]},
                                               "resourceGuid": new_guid(), "provisioningState": "Succeeded"}})
    if txn.get(names.managed_subnet_id) is None:
        txn.put(names.managed_subnet_id, {"id": names.managed_subnet_id, "name": MANAGED_SUBNET_NAME,
                                          "type": SUBNET_TYPE, "etag": network_etag(),
                                          "properties": {"addressPrefix": MANAGED_SUBNET_PREFIX,
                                                         "provisioningState": "Succeeded"}})


def _subnets_used_by(txn: Txn, names: ClusterNames) -> list[str]:
    """Subnets that hold this cluster's NICs now (ipconfig ids under the node RG)."""
    prefix = names.node_rg_id.lower() + "/"
    out = []
    for subnet in txn.find(SUBNET_TYPE, subscription=names.subscription):
        if any(str(c.get("id", "")).lower().startswith(prefix) for c in ip_configurations(subnet)):
            out.append(str(subnet["id"]))
    return out


def _aks_route_pattern(names: ClusterNames) -> re.Pattern[str]:
    return re.compile(rf"^aks-[a-z0-9]+-{names.digits}-vmss[0-9a-z]{{6}}$", re.IGNORECASE)


def _route_table_of(txn: Txn, subnet_id: str) -> str | None:
    row = txn.get(subnet_id)
    ref = props(row or {}).get("routeTable")
    return str(ref["id"]) if isinstance(ref, dict) and ref.get("id") else None


def reconcile(txn: Txn, rid: Rid, cluster: Body, pools: list[Body]) -> None:
    """Make subnets, route table and routes match `pools` (an empty list tears everything down)."""
    names = names_of(rid, cluster)
    nodes = desired_nodes(names, pools)
    if nodes and any(not p.get("vnetSubnetID") for p in pools):
        ensure_managed_vnet(txn, names)
    wanted_subnets = {n.subnet_id.lower(): n.subnet_id for n in nodes}
    touched = {s.lower(): s for s in _subnets_used_by(txn, names)}
    touched.update({pool_subnet_id(names, p).lower(): pool_subnet_id(names, p) for p in pools})
    touched.update(wanted_subnets)
    for key, subnet_id in touched.items():
        remove_subnet_ip_configurations(txn, subnet_id, under=names.node_rg_id)
        mine = [n.ip_configuration_id for n in nodes if n.subnet_id.lower() == key]
        if mine and txn.get(subnet_id) is not None:
            add_subnet_ip_configurations(txn, subnet_id, mine)
    kubenet = plugin_key(props(cluster).get("networkProfile") or {}) == "kubenet"
    if kubenet and nodes:
        _reconcile_routes(txn, names, cluster, nodes)
    else:
        _remove_routes(txn, names, list(touched.values()))


def _kubenet_route_table(txn: Txn, names: ClusterNames, subnet_ids: list[str]) -> str:
    """The node subnet's route table (BYO, R54), else AKS's own in the node RG, associated to the subnets."""
    for subnet_id in subnet_ids:
        existing = _route_table_of(txn, subnet_id)
        if existing and existing.lower() != names.route_table_id.lower():
            return existing
    ensure_route_table(txn, names.route_table_id, names.location)
    for subnet_id in subnet_ids:
        if _route_table_of(txn, subnet_id) is None:
            set_subnet_route_table(txn, subnet_id, names.route_table_id)
    return names.route_table_id


def _reconcile_routes(txn: Txn, names: ClusterNames, cluster: Body, nodes: list[Node]) -> None:
    subnet_ids = list(dict.fromkeys(n.subnet_id for n in nodes))
    table = _kubenet_route_table(txn, names, subnet_ids)
    pattern = _aks_route_pattern(names)
    wanted = {n.name.lower(): n for n in nodes}
    used_prefixes: set[str] = set()
    used_ips: set[str] = set()
    have: set[str] = set()
    for route in txn.children(table, "routes"):
        name = str(route.get("name", ""))
        if not pattern.match(name):
            continue  # the user's own routes in a BYO table are not AKS's to touch
        if name.lower() not in wanted:
            delete_route(txn, table, name)
            continue
        have.add(name.lower())
        used_prefixes.add(str(props(route).get("addressPrefix")))
        used_ips.add(str(props(route).get("nextHopIpAddress")))
    pod_cidr = ipaddress.ip_network(str(props(cluster)["networkProfile"]["podCidr"]))
    free_prefixes = (str(n) for n in pod_cidr.subnets(new_prefix=24) if str(n) not in used_prefixes)
    for node in nodes:  # new nodes: the next free /24 of the pod CIDR, the next free subnet address
        if node.name.lower() in have:
            continue
        ip = _next_free_ip(txn, node.subnet_id, used_ips)
        used_ips.add(ip)
        put_route(txn, table, node.name, next(free_prefixes), "VirtualAppliance", ip)


def _next_free_ip(txn: Txn, subnet_id: str, used: set[str]) -> str:
    """Azure hands out .4 first (R5: .0-.3 and the last address are reserved)."""
    p = props(txn.get(subnet_id) or {})
    prefix = p.get("addressPrefix") or (p.get("addressPrefixes") or [MANAGED_SUBNET_PREFIX])[0]
    net = ipaddress.ip_network(str(prefix), strict=False)
    for offset in range(4, net.num_addresses - 1):
        candidate = str(net.network_address + offset)
        if candidate not in used:
            return candidate
    raise RuntimeError(f"subnet {subnet_id} has no free address")  # validation caps nodes first


def _remove_routes(txn: Txn, names: ClusterNames, subnet_ids: list[str]) -> None:
    """Migration to overlay / delete: AKS's routes leave a BYO table; its own table goes entirely (R55)."""
    pattern = _aks_route_pattern(names)
    tables = {t.lower(): t for t in (_route_table_of(txn, s) for s in subnet_ids) if t}
    for table in tables.values():
        if table.lower() == names.route_table_id.lower() or txn.get(table) is None:
            continue
        for route in txn.children(table, "routes"):
            if pattern.match(str(route.get("name", ""))):
                delete_route(txn, table, str(route["name"]))
    if txn.get(names.route_table_id) is None:
        return
    for subnet in txn.find(SUBNET_TYPE, subscription=names.subscription):
        if (_route_table_of(txn, str(subnet["id"])) or "").lower() == names.route_table_id.lower():
            set_subnet_route_table(txn, str(subnet["id"]), None)
    txn.delete(names.route_table_id)
