"""Read-modify-write bodies (aksnet.core.merge): owned fields on top of live, others' fields kept."""

from __future__ import annotations

import pytest

from aksnet.core.desired import known_after_apply
from aksnet.core.merge import UnresolvedValueError, merged_body
from aksnet.ids import Kind
from aksnet.model import Desired

RT = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/routeTables/rt"
VNET = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v"
AKS = "/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerService/managedClusters/c"


def test_create_sends_the_desired_body() -> None:
    desired = Desired(RT, Kind.ROUTE_TABLE, "rt", {"location": "eastus", "properties": {"routes": []}})
    assert merged_body(desired, None) == {"location": "eastus", "properties": {"routes": []}}


def test_route_table_keeps_aks_routes_and_drops_planned_deletes_and_read_only_fields() -> None:
    desired = Desired(RT, Kind.ROUTE_TABLE, "rt", {"location": "eastus", "properties": {"routes": [
        {"name": "fw", "properties": {"addressPrefix": "0.0.0.0/0", "nextHopType": "Internet"}}]}})
    live = {"id": RT, "name": "rt", "etag": 'W/"1"', "location": "eastus", "tags": {"x": "y"},
            "properties": {"provisioningState": "Succeeded", "resourceGuid": "g", "subnets": [{"id": "s"}],
                           "routes": [
                               {"name": "aks-nodepool1-1234-vmss000000", "etag": 'W/"2"',
                                "properties": {"addressPrefix": "10.244.0.0/24", "nextHopType": "VirtualAppliance",
                                               "nextHopIpAddress": "10.0.0.4", "provisioningState": "Succeeded"}},
                               {"name": "FW", "properties": {"addressPrefix": "0.0.0.0/0",
                                                             "nextHopType": "VirtualAppliance",
                                                             "nextHopIpAddress": "10.1.0.4"}},
                               {"name": "by-hand", "properties": {"addressPrefix": "1.0.0.0/8",
                                                                  "nextHopType": "None"}}]}}
    body = merged_body(desired, live, drop_children={"by-hand"})
    routes = {r["name"]: r for r in body["properties"]["routes"]}
    assert set(routes) == {"fw", "aks-nodepool1-1234-vmss000000"}
    # Owned whole: the spec's route properties replace the live ones (no stale nextHopIpAddress).
    assert routes["fw"]["properties"] == {"addressPrefix": "0.0.0.0/0", "nextHopType": "Internet"}
    assert "provisioningState" not in routes["aks-nodepool1-1234-vmss000000"]["properties"]
    assert "etag" not in body and "etag" not in routes["aks-nodepool1-1234-vmss000000"]
    assert body["tags"] == {"x": "y"}
    assert not {"provisioningState", "resourceGuid", "subnets"} & set(body["properties"])


def test_subnet_keeps_delegations_service_endpoints_and_aks_route_table() -> None:
    desired = Desired(VNET, Kind.VNET, "v", {"location": "eastus", "tags": {"team": "a"}, "properties": {
        "addressSpace": {"addressPrefixes": ["10.0.0.0/8"]},
        "subnets": [{"name": "aks", "properties": {"addressPrefix": "10.1.0.0/16",
                                                   "networkSecurityGroup": {"id": "nsg"}}}]}})
    live = {"location": "eastus", "tags": {"other": "kept"}, "properties": {
        "addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
        "subnets": [{"name": "aks", "etag": "e", "properties": {
            "addressPrefix": "10.1.0.0/16", "serviceEndpoints": [{"service": "Microsoft.Storage"}],
            "delegations": [{"name": "d"}], "routeTable": {"id": "aks-rt", "etag": "x"},
            "ipConfigurations": [{"id": "nic"}], "provisioningState": "Succeeded"}}]}}
    body = merged_body(desired, live)
    subnet = body["properties"]["subnets"][0]["properties"]
    assert subnet["serviceEndpoints"] == [{"service": "Microsoft.Storage"}]
    assert subnet["delegations"] == [{"name": "d"}]
    assert subnet["routeTable"] == {"id": "aks-rt"}
    assert subnet["networkSecurityGroup"] == {"id": "nsg"}
    assert "ipConfigurations" not in subnet and "provisioningState" not in subnet
    assert body["properties"]["addressSpace"]["addressPrefixes"] == ["10.0.0.0/8"]
    assert body["tags"] == {"other": "kept", "team": "a"}


def test_cluster_keeps_unowned_values_and_drops_read_only_fields() -> None:
    desired = Desired(AKS, Kind.CLUSTER, "c", {"location": "eastus", "identity": {"type": "SystemAssigned"},
                                                "properties": {"agentPoolProfiles": [
                                                    {"name": "np", "count": 3, "maxPods": 110}],
                                                    "networkProfile": {"networkPlugin": "azure",
                                                                       "networkPluginMode": "overlay",
                                                                       "podCidr": "192.168.0.0/16"}}},
                      unowned=frozenset({("properties", "agentPoolProfiles", "np", "maxPods")}))
    live = {"location": "eastus", "eTag": "e", "identity": {"type": "SystemAssigned", "principalId": "p"},
            "properties": {"provisioningState": "Succeeded", "fqdn": "f", "agentPoolProfiles": [
                {"name": "np", "count": 2, "maxPods": 250, "eTag": "x", "provisioningState": "Succeeded"}],
                "networkProfile": {"networkPlugin": "kubenet", "podCidr": "10.244.0.0/16",
                                   "podCidrs": ["10.244.0.0/16"],
                                   "loadBalancerProfile": {"managedOutboundIPs": {"count": 1},
                                                           "effectiveOutboundIPs": [{"id": "ip"}]}}}}
    body = merged_body(desired, live)
    pool = body["properties"]["agentPoolProfiles"][0]
    assert pool == {"name": "np", "count": 3, "maxPods": 250}
    network = body["properties"]["networkProfile"]
    assert network["podCidrs"] == ["192.168.0.0/16"]
    assert network["loadBalancerProfile"] == {"managedOutboundIPs": {"count": 1}}
    assert "principalId" not in body["identity"] and "eTag" not in body
    assert not {"provisioningState", "fqdn"} & set(body["properties"])


def test_unknown_values_are_resolved_from_live_bodies_or_refused() -> None:
    rid = f"{VNET}/subnets/aks/providers/Microsoft.Authorization/roleAssignments/n"
    desired = Desired(rid, Kind.ROLE_ASSIGNMENT, "r", {"properties": {
        "principalId": known_after_apply(AKS, "identity.principalId")}})
    with pytest.raises(UnresolvedValueError):
        merged_body(desired, None, live_bodies={})
    body = merged_body(desired, {"properties": {"scope": "x"}},
                       live_bodies={AKS.upper(): {"identity": {"principalId": "abc"}}})
    assert body == {"properties": {"principalId": "abc"}}
