"""Live bodies as Azure / the emulator return them after the spec was applied: every server-filled
field, read-only field and AKS side effect that must NOT show as a change (shapes follow
tests/fixtures/arm-examples/ *Get.json responses and what AKS adds for kubenet)."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from aksnet.core.desired import plugin_key
from aksnet.ids import Kind
from aksnet.model import Desired, Live

PRINCIPAL = "5f7a1f9e-2c1d-4b7e-9a51-0c3c7d0d8e11"
NODE_RG = "MC_aks-rg_aks-cluster_eastus"


def _sub(rid: str) -> str:
    return rid.split("/")[2]


def aks_route_table_id(sub: str) -> str:
    return (f"/subscriptions/{sub}/resourceGroups/{NODE_RG}/providers/Microsoft.Network/routeTables/"
            "aks-agentpool-26280851-routetable")


def aks_routes(count: int = 2) -> list[dict[str, Any]]:
    """What cloud-provider-azure writes for kubenet: one /24 per node to the node IP (https://github.com/kubernetes-sigs/cloud-provider-azure/blob/master/pkg/provider/azure_routes.go)."""
    return [
        {
            "name": f"aks-nodepool1-26280851-vmss00000{i}",
            "id": f"(filled per table)/routes/aks-nodepool1-26280851-vmss00000{i}",
            "etag": 'W/"9a1c1c4e-0d5f-4c0a-a3c9-4f7e5c0f1d2e"',
            "type": "Microsoft.Network/routeTables/routes",
            "properties": {"provisioningState": "Succeeded", "addressPrefix": f"10.244.{i}.0/24",
                           "nextHopType": "VirtualAppliance", "nextHopIpAddress": f"10.100.0.{4 + i}",
                           "hasBgpOverride": False},
        }
        for i in range(count)
    ]


def _default_rules(nsg_id: str) -> list[dict[str, Any]]:
    rules = [("AllowVnetInBound", "Inbound", "Allow", 65000, "VirtualNetwork", "VirtualNetwork"),
             ("AllowAzureLoadBalancerInBound", "Inbound", "Allow", 65001, "AzureLoadBalancer", "*"),
             ("DenyAllInBound", "Inbound", "Deny", 65500, "*", "*"),
             ("AllowVnetOutBound", "Outbound", "Allow", 65000, "VirtualNetwork", "VirtualNetwork"),
             ("AllowInternetOutBound", "Outbound", "Allow", 65001, "*", "Internet"),
             ("DenyAllOutBound", "Outbound", "Deny", 65500, "*", "*")]
    return [{"name": name, "id": f"{nsg_id}/defaultSecurityRules/{name}", "etag": 'W/"00"',
             "type": "Microsoft.Network/networkSecurityGroups/defaultSecurityRules",
             "properties": {"access": access, "destinationAddressPrefix": dst, "destinationAddressPrefixes": [],
                            "destinationPortRange": "*", "destinationPortRanges": [], "direction": direction,
                            "priority": priority, "protocol": "*", "provisioningState": "Succeeded",
                            "sourceAddressPrefix": src, "sourceAddressPrefixes": [], "sourcePortRange": "*",
                            "sourcePortRanges": []}}
            for name, direction, access, priority, src, dst in rules]


def _rule(nsg_id: str, rule: Mapping[str, Any]) -> dict[str, Any]:
    props = copy.deepcopy(dict(rule["properties"]))
    props["provisioningState"] = "Succeeded"
    # ARM echoes both the scalar and the list field and upper-cases nothing: keep the client's
    # casing but fill the empty twin fields, as the NetworkSecurityGroupGet example shows.
    for _single, plural in (("sourceAddressPrefix", "sourceAddressPrefixes"),
                           ("destinationAddressPrefix", "destinationAddressPrefixes"),
                           ("sourcePortRange", "sourcePortRanges"),
                           ("destinationPortRange", "destinationPortRanges")):
        props.setdefault(plural, [])
    return {"name": rule["name"], "id": f"{nsg_id}/securityRules/{rule['name']}", "etag": 'W/"11"',
            "type": "Microsoft.Network/networkSecurityGroups/securityRules", "properties": props}


def live_state(desired: Mapping[str, Desired], *, kubenet_routes: int = 2) -> dict[str, Live]:
    """The converged live state of `desired` with everything Azure and AKS add."""
    out: dict[str, Live] = {}
    cluster = next(d for d in desired.values() if d.kind is Kind.CLUSTER)
    net = cluster.body["properties"]["networkProfile"]
    plugin = plugin_key(net.get("networkPlugin"), net.get("networkPluginMode"))
    node_subnet = cluster.body["properties"]["agentPoolProfiles"][0]["vnetSubnetID"]
    sub = _sub(cluster.id)
    byo_table = None
    for d in desired.values():
        body = copy.deepcopy(dict(d.body))
        if d.kind is Kind.RESOURCE_GROUP:
            body |= {"id": d.id, "name": d.name, "type": "Microsoft.Resources/resourceGroups",
                     "properties": {"provisioningState": "Succeeded"}}
        elif d.kind is not Kind.ROLE_ASSIGNMENT:
            body |= {"id": d.id, "name": d.name}
        if d.kind is Kind.VNET:
            for subnet in body["properties"]["subnets"]:
                sid = f"{d.id}/subnets/{subnet['name']}"
                subnet |= {"id": sid, "etag": 'W/"22"', "type": "Microsoft.Network/virtualNetworks/subnets"}
                subnet["properties"] |= {"provisioningState": "Succeeded", "privateEndpointNetworkPolicies":
                                         "Disabled", "privateLinkServiceNetworkPolicies": "Enabled"}
                if sid.lower() == node_subnet.lower():
                    subnet["properties"]["ipConfigurations"] = [
                        {"id": f"/subscriptions/{sub}/resourceGroups/{NODE_RG.upper()}/providers/"
                               f"Microsoft.Compute/virtualMachineScaleSets/aks-nodepool1-26280851-vmss/"
                               f"virtualMachines/{i}/networkInterfaces/aks-nodepool1-26280851-vmss/"
                               "ipConfigurations/ipconfig1"} for i in range(2)]
                    if plugin == "kubenet":
                        if "routeTable" in subnet["properties"]:
                            byo_table = subnet["properties"]["routeTable"]["id"]
                        else:  # AKS creates and associates its own table (configure-kubenet.md)
                            subnet["properties"]["routeTable"] = {"id": aks_route_table_id(sub)}
            body |= {"etag": 'W/"33"', "type": "Microsoft.Network/virtualNetworks"}
            body["properties"] |= {"provisioningState": "Succeeded", "resourceGuid": "3b5c-vnet",
                                   "virtualNetworkPeerings": [], "enableDdosProtection": False}
        elif d.kind is Kind.NSG:
            body |= {"etag": 'W/"44"', "type": "Microsoft.Network/networkSecurityGroups"}
            body["properties"]["securityRules"] = [_rule(d.id, r) for r in body["properties"]["securityRules"]]
            body["properties"] |= {"provisioningState": "Succeeded", "resourceGuid": "9f2c-nsg",
                                   "defaultSecurityRules": _default_rules(d.id),
                                   "subnets": [{"id": node_subnet}]}
        elif d.kind is Kind.ROUTE_TABLE:
            body |= {"etag": 'W/"55"', "type": "Microsoft.Network/routeTables"}
            for route in body["properties"]["routes"]:
                route |= {"id": f"{d.id}/routes/{route['name']}", "etag": 'W/"56"'}
                route["properties"]["provisioningState"] = "Succeeded"
            body["properties"] |= {"provisioningState": "Succeeded", "resourceGuid": "7c1d-rt",
                                   "disableBgpRoutePropagation": False}
        elif d.kind is Kind.CLUSTER:
            body |= {"eTag": "beywbwei", "type": "Microsoft.ContainerService/managedClusters",
                     "sku": {"name": "Base", "tier": "Free"}}
            body["identity"] |= {"principalId": PRINCIPAL, "tenantId": "72f988bf-86f1-41af-91ab-2d7cd011db47"}
            p = body["properties"]
            p.setdefault("kubernetesVersion", "1.33")
            p |= {"currentKubernetesVersion": "1.33.2", "provisioningState": "Succeeded",
                  "powerState": {"code": "Running"}, "maxAgentPools": 100, "enableRBAC": True,
                  "nodeResourceGroup": NODE_RG, "fqdn": "aks-cluster-abcd1234.hcp.eastus.azmk8s.io",
                  "azurePortalFQDN": "aks-cluster-abcd1234.portal.hcp.eastus.azmk8s.io",
                  "servicePrincipalProfile": {"clientId": "msi"},
                  "identityProfile": {"kubeletidentity": {
                      "resourceId": f"/subscriptions/{sub}/resourceGroups/{NODE_RG}/providers/"
                                    "Microsoft.ManagedIdentity/userAssignedIdentities/aks-cluster-agentpool",
                      "clientId": "c1", "objectId": "o1"}}}
            for pool in p["agentPoolProfiles"]:
                # AKS fills maxPods with the plugin's default when the request omits it (R28).
                pool |= {"vmSize": pool.get("vmSize", "Standard_DS2_v2"), "osType": "Linux",
                         "maxPods": pool.get("maxPods", {"kubenet": 110, "azure": 30}.get(plugin, 250)),
                         "type": "VirtualMachineScaleSets", "provisioningState": "Succeeded",
                         "orchestratorVersion": "1.33.2", "currentOrchestratorVersion": "1.33.2",
                         "nodeImageVersion": "AKSUbuntu-2204gen2containerd-202501.12.0", "eTag": "nvewbvoi"}
                pool.setdefault("upgradeSettings", {"maxSurge": "10%"})
            n = p["networkProfile"]
            n.setdefault("serviceCidr", "10.0.0.0/16")
            n.setdefault("dnsServiceIP", "10.0.0.10")
            if plugin in ("kubenet", "overlay"):
                n.setdefault("podCidr", "10.244.0.0/16")
                n["podCidrs"] = [n["podCidr"]]
            n |= {"serviceCidrs": [n["serviceCidr"]], "ipFamilies": ["IPv4"], "loadBalancerSku": "standard",
                  "outboundType": n.get("outboundType", "loadBalancer"),
                  "networkPolicy": n.get("networkPolicy", "none"),
                  "loadBalancerProfile": {"managedOutboundIPs": {"count": 1}, "backendPoolType":
                                          "nodeIPConfiguration", "allocatedOutboundPorts": 0,
                                          "idleTimeoutInMinutes": 30, "effectiveOutboundIPs": [
                                              {"id": f"/subscriptions/{sub}/resourceGroups/{NODE_RG}/providers/"
                                                     "Microsoft.Network/publicIPAddresses/6a1f"}]}}
            if plugin == "overlay":
                n["networkDataplane"] = "azure"
            # The API server answers with its ranges in its own order.
            api = p.get("apiServerAccessProfile")
            if api and api.get("authorizedIPRanges"):
                api["authorizedIPRanges"] = list(reversed(api["authorizedIPRanges"]))
        elif d.kind is Kind.ROLE_ASSIGNMENT:
            scope = d.id.split("/providers/Microsoft.Authorization/")[0]
            body = {"id": d.id, "name": d.id.rsplit("/", 1)[-1], "type": "Microsoft.Authorization/roleAssignments",
                    "properties": {"roleDefinitionId": body["properties"]["roleDefinitionId"],
                                   "principalId": PRINCIPAL, "principalType": "ServicePrincipal",
                                   "scope": scope, "createdOn": "2025-01-01T00:00:00Z"}}
        out[d.id] = Live(d.id, body, etag=None)
    if byo_table is not None:
        add_aks_routes(out, byo_table, kubenet_routes)
    return out


def add_aks_routes(live: dict[str, Live], table_id: str, count: int = 2) -> None:
    key = next(k for k in live if k.lower() == table_id.lower())
    body = copy.deepcopy(dict(live[key].body))
    for route in aks_routes(count):
        route["id"] = f"{key}/routes/{route['name']}"
        body["properties"]["routes"].append(route)
    live[key] = Live(key, body)


def edit(live: dict[str, Live], rid_part: str) -> dict[str, Any]:
    """A deep copy of the body whose id ends with `rid_part`, stored back for in-place edits."""
    key = next(k for k in live if k.lower().endswith(rid_part.lower()))
    body = copy.deepcopy(dict(live[key].body))
    live[key] = Live(key, body)
    return body
