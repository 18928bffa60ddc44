"""The managed cluster kind through an in-memory Txn: defaults, validation, side effects."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from aks_fake_txn import FakeTxn
from paths import TESTS

from aksnet.emulator.arm.contract import ArmError, Body, parse_rid
from aksnet.emulator.providers.containerservice.common import cluster_digits
from aksnet.emulator.providers.containerservice.managed_clusters import KINDS

SUB = "00000000-0000-0000-0000-000000000000"
RG = f"/subscriptions/{SUB}/resourceGroups/aks-rg"
VNET = f"{RG}/providers/Microsoft.Network/virtualNetworks/vNet_aks_useast"
SUBNET = f"{VNET}/subnets/aks-subnet"
CLUSTER = f"{RG}/providers/Microsoft.ContainerService/managedClusters/aks-cluster"
RT = f"{RG}/providers/Microsoft.Network/routeTables/aks-route-table"
CLUSTERS, POOLS = KINDS
EXAMPLES = TESTS / "fixtures" / "arm-examples" / "managedClusters"


def network(txn: FakeTxn, subnet_prefix: str = "10.100.0.0/16", route_table: str | None = None) -> None:
    txn.put(VNET, {"id": VNET, "name": "vNet_aks_useast", "type": "Microsoft.Network/virtualNetworks",
                   "location": "eastus", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/8"]}}})
    sp: dict[str, Any] = {"addressPrefix": subnet_prefix}
    if route_table:
        txn.put(route_table, {"id": route_table, "name": route_table.rsplit("/", 1)[-1],
                              "type": "Microsoft.Network/routeTables", "location": "eastus", "properties": {}})
        route = f"{route_table}/routes/to-firewall"
        txn.put(route, {"id": route, "name": "to-firewall", "type": "Microsoft.Network/routeTables/routes",
                        "properties": {"addressPrefix": "0.0.0.0/0", "nextHopType": "VirtualAppliance",
                                       "nextHopIpAddress": "10.1.0.4"}})
        sp["routeTable"] = {"id": route_table}
    txn.put(SUBNET, {"id": SUBNET, "name": "aks-subnet", "type": "Microsoft.Network/virtualNetworks/subnets",
                     "properties": sp})


def body(plugin: str = "kubenet", count: int = 2, **net: Any) -> Body:
    network_profile: Body = {"networkPlugin": plugin, "serviceCidr": "10.32.0.0/16", "dnsServiceIP": "10.32.0.10"}
    if plugin == "overlay":
        network_profile.update(networkPlugin="azure", networkPluginMode="overlay", podCidr="172.17.0.0/16")
    elif plugin == "kubenet":
        network_profile["podCidr"] = "10.244.0.0/16"
    network_profile.update(net)
    return {"location": "eastus", "identity": {"type": "SystemAssigned"},
            "properties": {"dnsPrefix": "aks-cluster",
                           "agentPoolProfiles": [{"name": "nodepool1", "count": count, "vmSize": "Standard_DS2_v2",
                                                  "mode": "System", "vnetSubnetID": SUBNET}],
                           "networkProfile": network_profile}}


def put(txn: FakeTxn, request: Body, cluster_id: str = CLUSTER) -> Body:
    rid = parse_rid(cluster_id)
    row = CLUSTERS.put(txn, rid, txn.get(cluster_id), copy.deepcopy(request))
    txn.put(cluster_id, row)
    return row


def complete(txn: FakeTxn, cluster_id: str = CLUSTER) -> Body:
    rid = parse_rid(cluster_id)
    row = CLUSTERS.complete_put(txn, rid, txn.get(cluster_id) or {})
    txn.put(cluster_id, row)
    return CLUSTERS.view(txn, rid, row)


def create(txn: FakeTxn, request: Body) -> Body:
    put(txn, request)
    return complete(txn)


def routes(txn: FakeTxn, table: str) -> dict[str, tuple[str, str]]:
    return {r["name"]: (r["properties"]["addressPrefix"], r["properties"].get("nextHopIpAddress"))
            for r in txn.children(table, "routes")}


def error(txn: FakeTxn, request: Body) -> ArmError:
    with pytest.raises(ArmError) as caught:
        put(txn, request)
    return caught.value


def managed_rt(txn: FakeTxn) -> str:
    digits = cluster_digits(CLUSTER)
    return (f"/subscriptions/{SUB}/resourceGroups/MC_aks-rg_aks-cluster_eastus/providers/Microsoft.Network/"
            f"routeTables/aks-agentpool-{digits}-routetable")


def test_kubenet_create_fills_defaults_and_adds_routes() -> None:
    txn = FakeTxn()
    network(txn)
    pending = put(txn, body())
    assert pending["properties"]["provisioningState"] == "Creating"
    assert txn.get(managed_rt(txn)) is None  # side effects only once the operation completes
    view = complete(txn)
    p = view["properties"]
    assert p["provisioningState"] == "Succeeded"
    assert p["nodeResourceGroup"] == "MC_aks-rg_aks-cluster_eastus"
    assert p["fqdn"].startswith("aks-cluster-") and p["fqdn"].endswith(".hcp.eastus.azmk8s.io")
    assert p["servicePrincipalProfile"] == {"clientId": "msi"}
    assert view["identity"]["principalId"] and view["identity"]["tenantId"]
    assert "kubeletidentity" in p["identityProfile"]
    n = p["networkProfile"]
    assert n["loadBalancerSku"] == "standard" and n["outboundType"] == "loadBalancer"
    assert n["loadBalancerProfile"]["managedOutboundIPs"] == {"count": 1}
    assert len(n["loadBalancerProfile"]["effectiveOutboundIPs"]) == 1
    assert n["podCidrs"] == ["10.244.0.0/16"] and n["serviceCidrs"] == ["10.32.0.0/16"]
    assert n["ipFamilies"] == ["IPv4"]
    pool = p["agentPoolProfiles"][0]
    assert pool["maxPods"] == 110 and pool["provisioningState"] == "Succeeded" and pool["eTag"]
    assert txn.get(f"/subscriptions/{SUB}/resourceGroups/MC_aks-rg_aks-cluster_eastus")["managedBy"] == CLUSTER
    digits = cluster_digits(CLUSTER)
    assert routes(txn, managed_rt(txn)) == {
        f"aks-nodepool1-{digits}-vmss000000": ("10.244.0.0/24", "10.100.0.4"),
        f"aks-nodepool1-{digits}-vmss000001": ("10.244.1.0/24", "10.100.0.5"),
    }
    subnet = txn.get(SUBNET)["properties"]
    assert subnet["routeTable"]["id"] == managed_rt(txn)
    configs = [c["id"] for c in subnet["ipConfigurations"]]
    assert len(configs) == 2 and configs[0].endswith(
        f"/virtualMachineScaleSets/aks-nodepool1-{digits}-vmss/virtualMachines/0/networkInterfaces/"
        f"aks-nodepool1-{digits}-vmss/ipConfigurations/ipconfig1")


def test_scale_follows_routes_and_migration_removes_them() -> None:
    txn = FakeTxn()
    network(txn)
    create(txn, body(podCidr="192.168.0.0/16"))
    digits = cluster_digits(CLUSTER)
    create(txn, body(count=3, podCidr="192.168.0.0/16"))
    assert routes(txn, managed_rt(txn))[f"aks-nodepool1-{digits}-vmss000002"] == ("192.168.2.0/24", "10.100.0.6")
    create(txn, body(count=1, podCidr="192.168.0.0/16"))
    assert list(routes(txn, managed_rt(txn))) == [f"aks-nodepool1-{digits}-vmss000000"]
    assert len(txn.get(SUBNET)["properties"]["ipConfigurations"]) == 1
    migrated = body(count=1, networkPlugin="azure", networkPluginMode="overlay")
    del migrated["properties"]["networkProfile"]["podCidr"]  # kept from the kubenet cluster (R58)
    view = create(txn, migrated)
    assert view["properties"]["networkProfile"]["podCidr"] == "192.168.0.0/16"
    assert txn.get(managed_rt(txn)) is None
    assert "routeTable" not in txn.get(SUBNET)["properties"]


def test_delete_cleans_up() -> None:
    txn = FakeTxn()
    network(txn)
    create(txn, body())
    rid = parse_rid(CLUSTER)
    CLUSTERS.complete_delete(txn, rid, txn.get(CLUSTER) or {})
    assert txn.get(f"/subscriptions/{SUB}/resourceGroups/MC_aks-rg_aks-cluster_eastus") is None
    subnet = txn.get(SUBNET)["properties"]
    assert "ipConfigurations" not in subnet and "routeTable" not in subnet


def test_byo_route_table_keeps_user_routes() -> None:
    txn = FakeTxn()
    network(txn, route_table=RT)
    request = body(podCidr="192.168.0.0/16")
    assert error(txn, request).code == "CustomRouteTableWithUnsupportedMSIType"
    ident = f"{RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1"
    request["identity"] = {"type": "UserAssigned", "userAssignedIdentities": {ident: {}}}
    assert error(txn, request).code == "ResourceNotFound"  # the identity must exist first
    txn.put(ident, {"id": ident, "name": "id1", "type": "Microsoft.ManagedIdentity/userAssignedIdentities",
                    "location": "eastus", "properties": {"principalId": "p-1", "clientId": "c-1"}})
    view = create(txn, request)
    assert view["identity"]["userAssignedIdentities"][ident] == {"principalId": "p-1", "clientId": "c-1"}
    assert len(routes(txn, RT)) == 3 and "to-firewall" in routes(txn, RT)
    create(txn, {**request, "properties": {**request["properties"], "networkProfile": {
        "networkPlugin": "azure", "networkPluginMode": "overlay"}}})
    assert list(routes(txn, RT)) == ["to-firewall"]


def test_azure_cni_and_overlay_defaults() -> None:
    txn = FakeTxn()
    network(txn)
    view = create(txn, body("azure"))
    assert view["properties"]["agentPoolProfiles"][0]["maxPods"] == 30
    assert "podCidr" not in view["properties"]["networkProfile"]
    assert view["properties"]["networkProfile"]["networkDataplane"] == "azure"
    assert txn.get(managed_rt(txn)) is None
    txn2 = FakeTxn()
    network(txn2)
    view = create(txn2, body("overlay"))
    assert view["properties"]["agentPoolProfiles"][0]["maxPods"] == 250
    assert view["properties"]["networkProfile"]["podCidrs"] == ["172.17.0.0/16"]


@pytest.mark.parametrize(("request_body", "code", "fragment"), [
    (body(serviceCidr="10.100.0.0/16", dnsServiceIP="10.100.0.10"), "ServiceCidrOverlapExistingSubnetsCidr",
     "conflicted with an existing subnet CIDR 10.100.0.0/16"),
    (body(dnsServiceIP="10.33.0.10"), "DnsServiceIpOutOfServiceCidr", "is out of the range"),
    (body("azure", podCidr="10.244.0.0/16"), "InvalidParameter", "overlay"),
    (body("overlay", podCidr="10.200.0.0/16"), "NetworkProfileCIDROverlapVNET", "overlaps with reserved VNET"),
    (body(podCidr="10.32.0.0/16"), "PodCidrOverlapServiceCidr", "overlaps"),
    (body("azure", count=10), "InsufficientSubnetSize", "Pre-allocated IPs 310 exceeds IPs available in Subnet 251"),
    (body(count=401, podCidr="10.240.0.0/12"), "InvalidParameter", "at most 400 nodes"),
    (body(serviceCidr="172.30.0.0/16", dnsServiceIP="172.30.0.10"), "InvalidParameter", "reserves"),
    (body(podCidr="10.244.0.0/25"), "InsufficientSubnetSize", "networkProfile.podCIDR"),
])
def test_network_validation(request_body: Body, code: str, fragment: str) -> None:
    txn = FakeTxn()
    network(txn, "10.100.0.0/24" if "Subnet 251" in fragment else "10.100.0.0/16")
    if code == "InvalidParameter" and "400" in fragment:
        network(txn, "10.100.0.0/16")
    err = error(txn, request_body)
    assert (err.status, err.code) == (400, code)
    assert fragment in err.message


def _with(request: Body, path: str, value: Any) -> Body:
    out = copy.deepcopy(request)
    node = out
    keys = path.split(".")
    for key in keys[:-1]:
        node = node[int(key)] if key.isdigit() else node.setdefault(key, {})
    node[keys[-1]] = value
    return out


@pytest.mark.parametrize(("path", "value", "code", "fragment"), [
    ("properties.agentPoolProfiles.0.maxPods", 5, "InvalidParameter", "maxPods"),
    ("properties.apiServerAccessProfile.authorizedIPRanges", [f"20.0.{i}.0/24" for i in range(201)],
     "InvalidParameter", "greater than the allowed value 200"),
    ("properties.apiServerAccessProfile.authorizedIPRanges", ["0.0.0.0/32", "20.0.0.0/24"], "InvalidParameter",
     "0.0.0.0/32 is not allowed with other IP ranges"),
    ("properties.apiServerAccessProfile", {"enablePrivateCluster": True, "authorizedIPRanges": ["20.0.0.0/24"]},
     "InvalidParameter", "Private cluster cannot be enabled with AuthorizedIPRanges"),
    ("properties.agentPoolProfiles.0.vnetSubnetID", SUBNET + "x", "SubnetNotFound", "Could not find subnet"),
    ("properties.agentPoolProfiles.0.vnetSubnetID", "aks-subnet", "InvalidParameter", "vnetSubnetID is invalid"),
    ("properties.networkProfile.serviceCidr", "10.32.0.1/16", "CidrStringParseError", "invalid"),
])
def test_request_validation(path: str, value: Any, code: str, fragment: str) -> None:
    txn = FakeTxn()
    network(txn)
    err = error(txn, _with(body(), path, value))
    assert (err.code, fragment in err.message) == (code, True)


@pytest.mark.parametrize(("path", "value", "prop"), [
    ("properties.networkProfile.serviceCidr", "10.33.0.0/16", "networkProfile.serviceCidr"),
    ("properties.networkProfile.dnsServiceIP", "10.32.0.11", "networkProfile.dnsServiceIP"),
    ("properties.networkProfile.networkPlugin", "azure", "networkProfile.networkPlugin"),
    ("properties.networkProfile.podCidr", "10.245.0.0/16", "networkProfile.podCidr"),
    ("properties.agentPoolProfiles.0.maxPods", 50, "agentPoolProfile.maxPods"),
    ("properties.agentPoolProfiles.0.vmSize", "Standard_D4s_v5", "agentPoolProfile.vmSize"),
    ("properties.dnsPrefix", "other", "dnsPrefix"),
    ("location", "westus", "location"),
])
def test_immutable_on_update(path: str, value: Any, prop: str) -> None:
    txn = FakeTxn()
    network(txn)
    create(txn, body())
    request = _with(body(), path, value)
    if path.endswith("networkPlugin"):
        request["properties"]["networkProfile"].pop("podCidr")
    err = error(txn, request)
    assert (err.code, err.message) == ("PropertyChangeNotAllowed", f"Changing property '{prop}' is not allowed.")


def test_in_place_updates_and_read_back_body() -> None:
    txn = FakeTxn()
    network(txn)
    view = create(txn, body())
    etag = view["eTag"]
    again = create(txn, copy.deepcopy(view))  # a client PUTs back what it read: read-only fields ignored
    assert again["properties"]["networkProfile"] == view["properties"]["networkProfile"]
    assert again["eTag"] != etag
    updated = _with(body(), "properties.apiServerAccessProfile.authorizedIPRanges", ["39.100.100.100/32"])
    updated["tags"] = {"team": "platform"}
    updated["properties"]["kubernetesVersion"] = "1.34"
    view = create(txn, updated)
    assert view["properties"]["apiServerAccessProfile"]["authorizedIPRanges"] == ["39.100.100.100/32"]
    assert view["tags"] == {"team": "platform"} and view["properties"]["currentKubernetesVersion"].startswith("1.34.")
    cni = FakeTxn()
    network(cni)
    create(cni, body("azure"))
    assert error(cni, body("azure", networkPluginMode="overlay")).target == "networkProfile.podCIDR"
    assert create(cni, body("azure", networkPluginMode="overlay", podCidr="172.17.0.0/16"))["properties"][
        "agentPoolProfiles"][0]["maxPods"] == 30


def test_agent_pool_child_scale() -> None:
    txn = FakeTxn()
    network(txn)
    create(txn, body())
    pool_id = f"{CLUSTER}/agentPools/nodepool1"
    rid = parse_rid(pool_id)
    row = POOLS.put(txn, rid, txn.get(pool_id), {"properties": {"count": 4}})
    assert row["properties"]["provisioningState"] == "Updating"
    txn.put(pool_id, row)
    POOLS.complete_put(txn, rid, row)
    assert len(routes(txn, managed_rt(txn))) == 4
    with pytest.raises(ArmError) as caught:
        POOLS.put(txn, rid, txn.get(pool_id), {"properties": {"count": 4, "maxPods": 50}})
    assert caught.value.code == "PropertyChangeNotAllowed"
    with pytest.raises(ArmError) as caught:
        POOLS.check_delete(txn, rid, txn.get(pool_id) or {})
    assert caught.value.code == "OperationNotAllowed"


def _missing_keys(expected: Any, actual: Any, path: str = "") -> list[str]:
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [path]
        return [m for k, v in expected.items()
                for m in ([f"{path}.{k}"] if k not in actual else _missing_keys(v, actual[k], f"{path}.{k}"))]
    if isinstance(expected, list) and expected and isinstance(expected[0], dict):
        return _missing_keys(expected[0], actual[0] if isinstance(actual, list) and actual else None, path + "[0]")
    return []


@pytest.mark.parametrize("name", ["ManagedClustersCreate_Update.json", "ManagedClustersCreate_DualStackNetworking.json",
                                  "AdvancedNetworkingTransitEncryption.json"])
def test_example_requests_accepted(name: str) -> None:
    example = json.loads((EXAMPLES / name).read_text())
    params = example["parameters"]
    cluster_id = (f"/subscriptions/{params['subscriptionId']}/resourceGroups/{params['resourceGroupName']}/providers/"
                  f"Microsoft.ContainerService/managedClusters/{params['resourceName']}")
    txn = FakeTxn()
    for uid in (params["parameters"].get("identity") or {}).get("userAssignedIdentities") or {}:
        # the example names identities that must exist (the emulator refuses a missing one, as AKS does)
        txn.put(uid, {"id": uid, "name": uid.rsplit("/", 1)[-1], "location": "eastus",
                      "type": "Microsoft.ManagedIdentity/userAssignedIdentities",
                      "properties": {"principalId": "p-1", "clientId": "c-1"}})
    # the examples' placeholder location "location1" is no region: ARM would refuse it (LocationNotAvailableForResourceType)
    created = put(txn, {**params["parameters"], "location": "eastus"}, cluster_id)
    view = CLUSTERS.view(txn, parse_rid(cluster_id), created)
    assert _missing_keys(example["responses"]["201"]["body"], view) == []
    assert "secret" not in json.dumps(view) and "adminPassword" not in json.dumps(view)
    done = complete(txn, cluster_id)
    assert _missing_keys(example["responses"]["200"]["body"], done) == []
