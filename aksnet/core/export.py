"""Live ARM bodies -> an aksnet/v1 spec document (the inverse of `desired`). Pure.

Leaves out what is not the user's (docs/architecture.md#ownership): AKS's own kubenet route table in the node
resource group and the routes AKS writes (R54, R55), server defaults (loadBalancerProfile,
podCidrs/serviceCidrs, ipFamilies, networkPolicy "none", ...) and read-only fields. Values a spec
would otherwise leave to a default that can move (maxPods, dnsPrefix, the service range) are written
explicitly, so `desired_state(load(export(live)))` diffs clean against the same live state.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from aksnet.core import normalize as n
from aksnet.core.diff.network import is_aks_route, is_aks_route_table


def _props(body: Mapping[str, Any]) -> Mapping[str, Any]:
    return body.get("properties") or {}


def _one_or_list(values: Sequence[str]) -> str | list[str]:
    return values[0] if len(values) == 1 else list(values)


def _rule(rule: Mapping[str, Any]) -> dict[str, Any]:
    p = _props(rule)
    out: dict[str, Any] = {
        "name": rule["name"], "priority": p["priority"], "direction": p["direction"], "access": p["access"],
        "protocol": p["protocol"],
        "source": _one_or_list(sorted(n.one_or_many(p, "sourceAddressPrefix", "sourceAddressPrefixes"))),
        "sourcePorts": _one_or_list(sorted(n.one_or_many(p, "sourcePortRange", "sourcePortRanges"))),
        "destination": _one_or_list(sorted(n.one_or_many(p, "destinationAddressPrefix",
                                                         "destinationAddressPrefixes"))),
        "destinationPorts": _one_or_list(sorted(n.one_or_many(p, "destinationPortRange",
                                                              "destinationPortRanges"))),
    }
    if p.get("description"):
        out["description"] = p["description"]
    return out


def _route(route: Mapping[str, Any]) -> dict[str, Any]:
    p = _props(route)
    out: dict[str, Any] = {"name": route["name"], "addressPrefix": p["addressPrefix"],
                           "nextHopType": p["nextHopType"]}
    if p.get("nextHopIpAddress"):
        out["nextHopIpAddress"] = p["nextHopIpAddress"]
    return out


def _name_of(ref: Any, candidates: Mapping[str, str]) -> str | None:
    """The spec name of a referenced NSG / route table, if it is one of the exported ones."""
    rid = n.ref_id(ref)
    return candidates.get(rid) if rid else None


def _user_identities(cluster: Mapping[str, Any]) -> list[str]:
    """Ids of the cluster's user-assigned control plane identity, then of its kubelet identity when that
    is one the user brought (AKS's own lives in the node resource group and is not the user's)."""
    out = [str(k) for k in ((cluster.get("identity") or {}).get("userAssignedIdentities") or {})][:1]
    kubelet = str(((_props(cluster).get("identityProfile") or {}).get("kubeletidentity") or {}).get("resourceId") or "")
    node_rg = str(_props(cluster).get("nodeResourceGroup") or "").lower()
    if out and kubelet and f"/resourcegroups/{node_rg}/" not in kubelet.lower():
        out.append(kubelet)
    return out


def _identities(cluster: Mapping[str, Any], resource_group: str) -> list[dict[str, Any]]:
    items = []
    for rid in _user_identities(cluster):
        parts = rid.split("/")
        group = parts[4] if len(parts) > 4 else resource_group
        item: dict[str, Any] = {"name": parts[-1]}
        if group.lower() != resource_group.lower():
            item["resourceGroup"] = group
        items.append(item)
    return items


def _cluster(cluster: Mapping[str, Any], subnet_names: Mapping[str, str]) -> dict[str, Any]:
    p = _props(cluster)
    pools = p.get("agentPoolProfiles") or []
    system = next((x for x in pools if n.enum(x.get("mode")) == "system"), pools[0] if pools else {})
    pool: dict[str, Any] = {"name": system.get("name"), "count": system.get("count")}
    if system.get("vmSize"):
        pool["vmSize"] = system["vmSize"]
    if system.get("maxPods"):
        pool["maxPods"] = system["maxPods"]  # explicit: R28 defaults differ per plugin
    surge = (system.get("upgradeSettings") or {}).get("maxSurge")
    if surge:
        pool["maxSurge"] = int(surge) if str(surge).isdigit() else str(surge)
    net = p.get("networkProfile") or {}
    network: dict[str, Any] = {"plugin": net.get("networkPlugin")}
    for spec_key, arm_key in (("pluginMode", "networkPluginMode"), ("podCidr", "podCidr"),
                              ("serviceCidr", "serviceCidr"), ("dnsServiceIp", "dnsServiceIP"),
                              ("outboundType", "outboundType")):
        if net.get(arm_key):
            network[spec_key] = net[arm_key]
    if n.enum(net.get("networkPlugin")) == "azure" and not net.get("networkPluginMode"):
        network.pop("podCidr", None)  # Azure CNI node subnet has no pod CIDR (R58)
    if net.get("networkPolicy") and n.enum(net["networkPolicy"]) != "none":
        network["policy"] = net["networkPolicy"]
    if n.enum(net.get("networkDataplane")) == "cilium":  # azure is AKS's default for Azure CNI
        network["dataplane"] = "cilium"
    out: dict[str, Any] = {
        "name": cluster["name"],
        "subnet": subnet_names.get(str(n.arm_id(system.get("vnetSubnetID"))), system.get("vnetSubnetID")),
        "dnsPrefix": p.get("dnsPrefix"),
    }
    if p.get("kubernetesVersion"):
        out["kubernetesVersion"] = str(p["kubernetesVersion"])
    identity = (cluster.get("identity") or {}).get("type")
    users = _user_identities(cluster)
    if n.enum(identity) == "userassigned" and users:
        out["identity"] = {"type": "UserAssigned", "name": users[0].rsplit("/", 1)[-1]}
        if len(users) > 1:
            out["identity"]["kubeletIdentity"] = users[1].rsplit("/", 1)[-1]
    elif identity:
        out["identity"] = identity
    out["nodePool"] = pool
    out["network"] = network
    api = p.get("apiServerAccessProfile") or {}
    api_out: dict[str, Any] = {}
    if api.get("authorizedIPRanges"):
        api_out["authorizedIpRanges"] = list(api["authorizedIPRanges"])
    if api.get("enablePrivateCluster"):
        api_out["privateCluster"] = True
    if api_out:
        out["apiServer"] = api_out
    linux = p.get("linuxProfile") or {}
    keys = (linux.get("ssh") or {}).get("publicKeys") or []
    if linux.get("adminUsername") and keys:
        out["linuxProfile"] = {"adminUsername": linux["adminUsername"], "sshPublicKey": keys[0]["keyData"]}
    return out


def export_spec(*, resource_group: str, location: str, subscription: str, vnet: Mapping[str, Any],
                nsgs: Sequence[Mapping[str, Any]], route_tables: Sequence[Mapping[str, Any]],
                cluster: Mapping[str, Any]) -> dict[str, Any]:
    """A ClusterNetwork document for the live `vnet`, `nsgs`, `route_tables` and `cluster` bodies."""
    node_rg = _props(cluster).get("nodeResourceGroup")
    byo_tables = [t for t in route_tables if not is_aks_route_table(str(t.get("id", "")), node_rg)]
    nsg_names = {str(n.arm_id(x["id"])): str(x["name"]) for x in nsgs}
    table_names = {str(n.arm_id(x["id"])): str(x["name"]) for x in byo_tables}
    subnets = []
    subnet_names: dict[str, str] = {}
    for subnet in _props(vnet).get("subnets") or []:
        sp = _props(subnet)
        prefixes = sorted(n.one_or_many(sp, "addressPrefix", "addressPrefixes"))
        item: dict[str, Any] = {"name": subnet["name"], "addressPrefix": prefixes[0] if prefixes else None}
        nsg = _name_of(sp.get("networkSecurityGroup"), nsg_names)
        if nsg:
            item["networkSecurityGroup"] = nsg
        table = _name_of(sp.get("routeTable"), table_names)
        if table:
            item["routeTable"] = table
        subnets.append(item)
        subnet_names[str(n.arm_id(subnet.get("id")))] = str(subnet["name"])
    spec: dict[str, Any] = {
        "subscriptionId": subscription,
        "location": location,
        "resourceGroup": resource_group,
        "virtualNetwork": {
            "name": vnet["name"],
            "addressSpace": list((_props(vnet).get("addressSpace") or {}).get("addressPrefixes") or []),
            "subnets": subnets,
        },
    }
    if nsgs:
        spec["networkSecurityGroups"] = [
            {"name": x["name"], "rules": [_rule(r) for r in _props(x).get("securityRules") or []]} for x in nsgs
        ]
    if byo_tables:
        spec["routeTables"] = [
            {"name": t["name"],
             "routes": [_route(r) for r in _props(t).get("routes") or [] if not is_aks_route(str(r.get("name")))]}
            for t in byo_tables
        ]
    identities = _identities(cluster, resource_group) if n.enum(
        (cluster.get("identity") or {}).get("type")) == "userassigned" else []
    if identities:
        spec["identities"] = {"userAssignedIdentities": identities}
    spec["cluster"] = _cluster(cluster, subnet_names)
    return {"apiVersion": "aksnet/v1", "kind": "ClusterNetwork", "metadata": {"name": str(cluster["name"])},
            "spec": spec}
