"""User-assigned identities and the kubenet retirement path through the unmodified SDK clients.

azure-mgmt-msi's ManagedServiceIdentityClient (2024-11-30) for the identity itself; the
ContainerServiceClient for a cluster that uses it, the identity switch, `networkPolicy: none`,
the Cilium dataplane and the kubenet -> overlay migration's refusals.
"""

from __future__ import annotations

from typing import Any

import pytest
from sdk_clients import SdkClients

pytestmark = pytest.mark.emulator
RG = "uai-rg"


def msi(sdk: SdkClients) -> Any:
    from azure.mgmt.msi import ManagedServiceIdentityClient

    return ManagedServiceIdentityClient(sdk.credential, sdk.subscription_id, base_url=sdk.endpoint,
                                        connection_verify=sdk.ca_file, retry_backoff_factor=0.05)


def network(sdk: SdkClients, *, route_table: bool) -> str:
    sdk.resource.resource_groups.create_or_update(RG, {"location": "eastus"})
    subnet: dict[str, Any] = {"name": "aks-subnet", "properties": {"addressPrefix": "10.100.0.0/16"}}
    if route_table:
        rt = sdk.network.route_tables.begin_create_or_update(RG, "aks-route-table", {
            "location": "eastus", "properties": {"routes": [{"name": "to-firewall", "properties": {
                "addressPrefix": "0.0.0.0/0", "nextHopType": "VirtualAppliance", "nextHopIpAddress": "10.1.0.4"}}]}}
        ).result()
        subnet["properties"]["routeTable"] = {"id": rt.id}
    sdk.network.virtual_networks.begin_create_or_update(RG, "vnet", {
        "location": "eastus", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/8"]},
                                             "subnets": [subnet]}}).result()
    return str(sdk.network.subnets.get(RG, "vnet", "aks-subnet").id)


def cluster(subnet_id: str, identity: dict[str, Any], **net: Any) -> dict[str, Any]:
    profile = {"networkPlugin": "kubenet", "podCidr": "192.168.0.0/16", "serviceCidr": "10.32.0.0/16",
               "dnsServiceIP": "10.32.0.10", **net}
    return {"location": "eastus", "identity": identity, "properties": {
        "dnsPrefix": "aks", "kubernetesVersion": "1.30", "networkProfile": profile,
        "agentPoolProfiles": [{"name": "nodepool1", "count": 2, "mode": "System", "maxPods": 110,
                               "vnetSubnetID": subnet_id}]}}


def user(identity_id: str) -> dict[str, Any]:
    return {"type": "UserAssigned", "userAssignedIdentities": {identity_id: {}}}


def test_identity_crud_and_lists(sdk: SdkClients) -> None:
    client = msi(sdk)
    sdk.resource.resource_groups.create_or_update(RG, {"location": "eastus"})
    made = client.user_assigned_identities.create_or_update(RG, "id-aks", {"location": "East US", "tags": {"a": "b"}})
    assert made.location == "eastus" and made.principal_id and made.client_id and made.tenant_id
    again = client.user_assigned_identities.create_or_update(RG, "id-aks", {"location": "eastus"})
    assert (again.principal_id, again.client_id) == (made.principal_id, made.client_id)  # fixed for life
    assert [i.name for i in client.user_assigned_identities.list_by_resource_group(RG)] == ["id-aks"]
    assert "id-aks" in [i.name for i in client.user_assigned_identities.list_by_subscription()]
    client.user_assigned_identities.delete(RG, "id-aks")
    assert list(client.user_assigned_identities.list_by_resource_group(RG)) == []


def test_kubenet_byo_route_table_with_user_identity(sdk: SdkClients) -> None:
    from azure.core.exceptions import HttpResponseError

    subnet_id = network(sdk, route_table=True)
    missing = f"/subscriptions/{sdk.subscription_id}/resourceGroups/{RG}/providers/Microsoft.ManagedIdentity/" \
              "userAssignedIdentities/id-aks"
    with pytest.raises(HttpResponseError) as caught:
        sdk.aks.managed_clusters.begin_create_or_update(RG, "aks", cluster(subnet_id, user(missing)))
    assert (caught.value.status_code, caught.value.error.code) == (400, "ResourceNotFound")
    with pytest.raises(HttpResponseError) as caught:
        sdk.aks.managed_clusters.begin_create_or_update(RG, "aks", cluster(subnet_id, {"type": "SystemAssigned"}))
    assert caught.value.error.code == "CustomRouteTableWithUnsupportedMSIType"
    identity = msi(sdk).user_assigned_identities.create_or_update(RG, "id-aks", {"location": "eastus"})
    kubelet = msi(sdk).user_assigned_identities.create_or_update(RG, "id-kubelet", {"location": "eastus"})
    body = cluster(subnet_id, user(identity.id))
    body["properties"]["identityProfile"] = {"kubeletidentity": {"resourceId": kubelet.id}}
    mc = sdk.aks.managed_clusters.begin_create_or_update(RG, "aks", body).result()
    (value,) = mc.identity.user_assigned_identities.values()
    assert (value.principal_id, value.client_id) == (identity.principal_id, identity.client_id)
    assert mc.identity_profile["kubeletidentity"].object_id == kubelet.principal_id
    names = [r.name for r in sdk.network.routes.list(RG, "aks-route-table")]
    assert "to-firewall" in names and len(names) == 3  # the user's route plus one per node (AKS's)
    # back to system-assigned: the kubelet identity needs a user-assigned control plane identity
    with pytest.raises(HttpResponseError) as caught:
        sdk.aks.managed_clusters.begin_create_or_update(RG, "aks", cluster(subnet_id, {"type": "SystemAssigned"}))
    assert caught.value.error.target == "identityProfile.kubeletidentity"


def test_identity_switch_policy_none_migration_and_cilium(sdk: SdkClients) -> None:
    from azure.core.exceptions import HttpResponseError

    subnet_id = network(sdk, route_table=False)
    aks = sdk.aks.managed_clusters
    aks.begin_create_or_update(RG, "aks", cluster(subnet_id, {"type": "SystemAssigned"},
                                                  networkPolicy="calico")).result()
    identity = msi(sdk).user_assigned_identities.create_or_update(RG, "id-aks", {"location": "eastus"})
    mc = aks.begin_create_or_update(RG, "aks", cluster(subnet_id, user(identity.id), networkPolicy="calico")).result()
    assert mc.identity.type == "UserAssigned"
    overlay = {"networkPlugin": "azure", "networkPluginMode": "overlay", "networkPolicy": "calico"}
    with pytest.raises(HttpResponseError) as caught:  # a policy engine blocks the migration
        aks.begin_create_or_update(RG, "aks", cluster(subnet_id, user(identity.id), **overlay))
    assert caught.value.error.target == "networkProfile.networkPolicy"
    with pytest.raises(HttpResponseError) as caught:  # mode without the plugin (Azure/AKS#5662)
        aks.begin_create_or_update(RG, "aks", cluster(subnet_id, user(identity.id), networkPluginMode="overlay"))
    assert caught.value.error.code == "UnsupportedNetworkPluginModeWithNetworkPlugin"
    with pytest.raises(HttpResponseError) as caught:  # Cilium needs Azure CNI
        aks.begin_create_or_update(RG, "aks", cluster(subnet_id, user(identity.id), networkDataplane="cilium"))
    assert caught.value.error.target == "networkProfile.networkDataplane"
    mc = aks.begin_create_or_update(RG, "aks", cluster(subnet_id, user(identity.id), networkPolicy="none")).result()
    assert mc.network_profile.network_policy == "none"
    with pytest.raises(HttpResponseError) as caught:  # IPAM and dataplane never in one operation
        aks.begin_create_or_update(RG, "aks", cluster(subnet_id, user(identity.id), **{
            **overlay, "networkPolicy": "none", "networkDataplane": "cilium"}))
    assert caught.value.error.target == "networkProfile.networkDataplane"
    mc = aks.begin_create_or_update(RG, "aks", cluster(subnet_id, user(identity.id), **{
        **overlay, "networkPolicy": "none"})).result()
    assert (mc.network_profile.network_plugin, mc.network_profile.network_plugin_mode) == ("azure", "overlay")
    mc = aks.begin_create_or_update(RG, "aks", cluster(subnet_id, user(identity.id), **{
        **overlay, "networkPolicy": None, "networkDataplane": "cilium"})).result()
    assert (mc.network_profile.network_dataplane, mc.network_profile.network_policy) == ("cilium", "cilium")


def test_kubenet_migration_needs_kubernetes_1_27(sdk: SdkClients) -> None:
    from azure.core.exceptions import HttpResponseError

    subnet_id = network(sdk, route_table=False)
    old = cluster(subnet_id, {"type": "SystemAssigned"})
    old["properties"]["kubernetesVersion"] = "1.26"
    sdk.aks.managed_clusters.begin_create_or_update(RG, "old", old).result()
    old["properties"]["networkProfile"].update(networkPlugin="azure", networkPluginMode="overlay")
    with pytest.raises(HttpResponseError) as caught:
        sdk.aks.managed_clusters.begin_create_or_update(RG, "old", old)
    assert caught.value.status_code == 400 and "1.27" in caught.value.error.message
