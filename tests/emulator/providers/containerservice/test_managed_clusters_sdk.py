"""Managed clusters through the real ContainerServiceClient / NetworkManagementClient and real pollers.

The walkthrough's three clusters (kubenet, Azure CNI, Azure CNI Overlay) on a BYO subnet
(the walkthrough specs of specs/), the RP's validation codes, in-place updates, migration and delete.
"""

from __future__ import annotations

import json
import ssl
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from aksnet.emulator.arm.contract import Settings
from aksnet.emulator.server import RunningEmulator, start_emulator

pytestmark = pytest.mark.emulator
SUB = "00000000-0000-0000-0000-000000000000"


class Clients:
    def __init__(self, emu: RunningEmulator) -> None:
        from azure.identity import ClientSecretCredential
        from azure.mgmt.containerservice import ContainerServiceClient
        from azure.mgmt.network import NetworkManagementClient
        from azure.mgmt.resource.resources import ResourceManagementClient

        cred = ClientSecretCredential("tenant", "client", "secret", authority=emu.endpoint,
                                      disable_instance_discovery=True, connection_verify=emu.ca_file)
        kw: dict[str, Any] = {"base_url": emu.endpoint, "connection_verify": emu.ca_file,
                              "credential_scopes": ["https://management.azure.com/.default"],
                              "retry_backoff_factor": 0.01, "polling_interval": 0.1}
        self.aks = ContainerServiceClient(cred, SUB, **kw)
        self.net = NetworkManagementClient(cred, SUB, **kw)
        self.res = ResourceManagementClient(cred, SUB, **kw)


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningEmulator]:
    db = str(tmp_path_factory.mktemp("aks-emulator") / "emulator.db")
    settings = Settings(default_aks_duration=0.3, default_network_duration=0.05, retry_after=0)
    with start_emulator(db, settings) as emu:
        yield emu


@pytest.fixture(scope="module")
def clients(emulator: RunningEmulator) -> Clients:
    return Clients(emulator)


def byo_network(c: Clients, rg: str, *, route_table: bool = False, prefix: str = "10.100.0.0/16") -> str:
    """The walkthrough's resource group, VNet 10.0.0.0/8 and node subnet; returns the subnet id."""
    c.res.resource_groups.create_or_update(rg, {"location": "eastus"})
    subnet: dict[str, Any] = {"name": "aks-subnet", "properties": {"addressPrefix": prefix}}
    if route_table:
        rt = c.net.route_tables.begin_create_or_update(rg, "aks-route-table", {
            "location": "eastus", "properties": {"routes": [{"name": "to-firewall", "properties": {
                "addressPrefix": "0.0.0.0/0", "nextHopType": "VirtualAppliance", "nextHopIpAddress": "10.1.0.4"}}]}}
        ).result()
        subnet["properties"]["routeTable"] = {"id": rt.id}
    c.net.virtual_networks.begin_create_or_update(rg, "vNet_aks_useast", {
        "location": "eastus", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/8"]},
                                             "subnets": [subnet]}}).result()
    return str(c.net.subnets.get(rg, "vNet_aks_useast", "aks-subnet").id)


def cluster(subnet_id: str, plugin: str, count: int = 2, identity: dict[str, Any] | None = None,
            **network: Any) -> dict[str, Any]:
    profile: dict[str, Any] = {"networkPlugin": "azure" if plugin != "kubenet" else "kubenet",
                               "serviceCidr": "10.32.0.0/16", "dnsServiceIP": "10.32.0.10"}
    if plugin == "kubenet":
        profile["podCidr"] = "10.244.0.0/16"
    if plugin == "overlay":
        profile.update(networkPluginMode="overlay", podCidr="172.17.0.0/16")
    profile.update(network)
    return {"location": "eastus", "identity": identity or {"type": "SystemAssigned"},
            "properties": {"dnsPrefix": "aks-cluster", "agentPoolProfiles": [{
                "name": "nodepool1", "count": count, "vmSize": "Standard_DS2_v2", "mode": "System",
                "osType": "Linux", "vnetSubnetID": subnet_id}], "networkProfile": profile}}


def aks_routes(c: Clients, rg: str, table: str) -> dict[str, tuple[str, str]]:
    return {r.name: (r.address_prefix, r.next_hop_ip_address) for r in c.net.routes.list(rg, table)
            if r.name.startswith("aks-")}


def node_rg_table(c: Clients, node_rg: str) -> str:
    tables = [t.name for t in c.net.route_tables.list(node_rg)]
    assert len(tables) == 1 and tables[0].startswith("aks-agentpool-") and tables[0].endswith("-routetable")
    return str(tables[0])


def test_kubenet_walkthrough_cluster(clients: Clients) -> None:
    c, rg = clients, "kubenet-rg"
    subnet_id = byo_network(c, rg)
    poller = c.aks.managed_clusters.begin_create_or_update(rg, "aks-cluster", cluster(subnet_id, "kubenet"))
    mc = poller.result()
    assert poller.done() and mc.provisioning_state == "Succeeded"
    assert mc.node_resource_group == "MC_kubenet-rg_aks-cluster_eastus"
    assert mc.fqdn.endswith(".hcp.eastus.azmk8s.io") and mc.identity.principal_id
    net = mc.network_profile
    assert (net.load_balancer_sku, net.outbound_type, net.pod_cidrs, net.service_cidrs, net.ip_families) == (
        "standard", "loadBalancer", ["10.244.0.0/16"], ["10.32.0.0/16"], ["IPv4"])
    assert net.load_balancer_profile.managed_outbound_i_ps.count == 1
    assert mc.agent_pool_profiles[0].max_pods == 110
    assert c.res.resource_groups.check_existence(mc.node_resource_group)
    table = node_rg_table(c, mc.node_resource_group)
    digits = table.split("-")[2]
    assert aks_routes(c, mc.node_resource_group, table) == {
        f"aks-nodepool1-{digits}-vmss000000": ("10.244.0.0/24", "10.100.0.4"),
        f"aks-nodepool1-{digits}-vmss000001": ("10.244.1.0/24", "10.100.0.5")}
    subnet = c.net.subnets.get(rg, "vNet_aks_useast", "aks-subnet")
    assert subnet.route_table.id.lower().endswith(table.lower()) and len(subnet.ip_configurations) == 2

    # authorized ranges and scale are in place (R62, scale); routes follow the node count
    body = cluster(subnet_id, "kubenet", count=3)
    body["properties"]["apiServerAccessProfile"] = {"authorizedIPRanges": ["39.100.100.100/32"]}
    mc = c.aks.managed_clusters.begin_create_or_update(rg, "aks-cluster", body).result()
    assert mc.api_server_access_profile.authorized_ip_ranges == ["39.100.100.100/32"]
    assert len(aks_routes(c, mc.node_resource_group, table)) == 3
    pool = c.aks.agent_pools.get(rg, "aks-cluster", "nodepool1")
    assert pool.count == 3 and pool.provisioning_state == "Succeeded"
    assert [p.name for p in c.aks.agent_pools.list(rg, "aks-cluster")] == ["nodepool1"]
    pool.count = 4  # scale through the agentPools child: one more route once it reports Succeeded
    assert c.aks.agent_pools.begin_create_or_update(rg, "aks-cluster", "nodepool1", pool).result().count == 4
    assert len(aks_routes(c, mc.node_resource_group, table)) == 4

    # immutable: service CIDR (R20)
    from azure.core.exceptions import HttpResponseError

    with pytest.raises(HttpResponseError) as caught:
        c.aks.managed_clusters.begin_create_or_update(rg, "aks-cluster", cluster(
            subnet_id, "kubenet", count=4, serviceCidr="10.33.0.0/16", dnsServiceIP="10.33.0.10"))
    assert caught.value.error.code == "PropertyChangeNotAllowed"

    # delete: node RG gone, subnet free (deletable) again
    c.aks.managed_clusters.begin_delete(rg, "aks-cluster").result()
    assert not c.res.resource_groups.check_existence("MC_kubenet-rg_aks-cluster_eastus")
    subnet = c.net.subnets.get(rg, "vNet_aks_useast", "aks-subnet")
    assert not subnet.ip_configurations and subnet.route_table is None
    c.net.subnets.begin_delete(rg, "vNet_aks_useast", "aks-subnet").result()


def test_azure_cni_and_overlay_walkthrough_clusters(clients: Clients) -> None:
    c = clients
    subnet_id = byo_network(c, "cni-rg")
    mc = c.aks.managed_clusters.begin_create_or_update("cni-rg", "aks-cluster", cluster(subnet_id, "azure")).result()
    assert mc.agent_pool_profiles[0].max_pods == 30 and mc.network_profile.pod_cidr is None
    assert list(c.net.route_tables.list(mc.node_resource_group)) == []
    assert len(c.net.subnets.get("cni-rg", "vNet_aks_useast", "aks-subnet").ip_configurations) == 2
    from azure.core.exceptions import HttpResponseError

    with pytest.raises(HttpResponseError) as caught:  # from node subnet, the pod CIDR is required (R58)
        c.aks.managed_clusters.begin_create_or_update("cni-rg", "aks-cluster", cluster(
            subnet_id, "azure", networkPluginMode="overlay"))
    assert caught.value.error.code == "InvalidParameter"
    mc = c.aks.managed_clusters.begin_create_or_update("cni-rg", "aks-cluster", cluster(
        subnet_id, "azure", networkPluginMode="overlay", podCidr="172.17.0.0/16")).result()
    assert mc.network_profile.network_plugin_mode == "overlay"

    subnet_id = byo_network(c, "overlay-rg")
    mc = c.aks.managed_clusters.begin_create_or_update("overlay-rg", "aks-cluster",
                                                       cluster(subnet_id, "overlay")).result()
    net = mc.network_profile
    assert (mc.agent_pool_profiles[0].max_pods, net.pod_cidrs, net.network_dataplane) == (
        250, ["172.17.0.0/16"], "azure")


def test_kubenet_to_overlay_migration_removes_routes(clients: Clients) -> None:
    c, rg = clients, "migrate-rg"
    subnet_id = byo_network(c, rg)
    mc = c.aks.managed_clusters.begin_create_or_update(rg, "aks-cluster", cluster(
        subnet_id, "kubenet", podCidr="192.168.0.0/16")).result()
    node_rg_table(c, mc.node_resource_group)
    mc = c.aks.managed_clusters.begin_create_or_update(rg, "aks-cluster", cluster(
        subnet_id, "kubenet", podCidr="192.168.0.0/16", networkPlugin="azure", networkPluginMode="overlay")).result()
    assert mc.network_profile.network_plugin_mode == "overlay"
    assert list(c.net.route_tables.list(mc.node_resource_group)) == []
    assert c.net.subnets.get(rg, "vNet_aks_useast", "aks-subnet").route_table is None


def test_byo_route_table_rules(clients: Clients) -> None:
    from azure.core.exceptions import HttpResponseError

    c, rg = clients, "byo-rt-rg"
    subnet_id = byo_network(c, rg, route_table=True)
    with pytest.raises(HttpResponseError) as caught:  # R54
        c.aks.managed_clusters.begin_create_or_update(rg, "aks-cluster", cluster(subnet_id, "kubenet"))
    assert caught.value.error.code == "CustomRouteTableWithUnsupportedMSIType"
    uid = f"/subscriptions/{SUB}/resourceGroups/{rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1"
    c.res.resources.begin_create_or_update_by_id(uid, {"location": "eastus"}, api_version="2023-01-31").result()
    body = cluster(subnet_id, "kubenet", identity={"type": "UserAssigned", "userAssignedIdentities": {uid: {}}},
                   podCidr="192.168.0.0/16")
    c.aks.managed_clusters.begin_create_or_update(rg, "aks-cluster", body).result()
    names = [r.name for r in c.net.routes.list(rg, "aks-route-table")]
    assert "to-firewall" in names and len(names) == 3


@pytest.mark.parametrize(("network", "count", "prefix", "code"), [
    ({"serviceCidr": "10.100.0.0/16", "dnsServiceIP": "10.100.0.10"}, 2, "10.100.0.0/16",
     "ServiceCidrOverlapExistingSubnetsCidr"),
    ({"dnsServiceIP": "10.99.0.10"}, 2, "10.100.0.0/16", "DnsServiceIpOutOfServiceCidr"),
    ({"networkPlugin": "azure", "podCidr": "10.244.0.0/16"}, 2, "10.100.0.0/16", "InvalidParameter"),
    ({"networkPlugin": "azure", "networkPluginMode": "overlay", "podCidr": "10.200.0.0/16"}, 2, "10.100.0.0/16",
     "NetworkProfileCIDROverlapVNET"),
    ({"podCidr": "10.32.0.0/16"}, 2, "10.100.0.0/16", "PodCidrOverlapServiceCidr"),
    ({"networkPlugin": "azure"}, 10, "10.100.0.0/24", "InsufficientSubnetSize"),
])
def test_validation_codes(clients: Clients, network: dict[str, Any], count: int, prefix: str, code: str) -> None:
    from azure.core.exceptions import HttpResponseError

    rg = f"val-{code.lower()[:20]}-{count}"
    subnet_id = byo_network(clients, rg, prefix=prefix)
    body = cluster(subnet_id, "kubenet", count=count, **network)
    if network.get("networkPlugin") == "azure" and "podCidr" not in network:
        body["properties"]["networkProfile"].pop("podCidr")
    with pytest.raises(HttpResponseError) as caught:
        clients.aks.managed_clusters.begin_create_or_update(rg, "aks-cluster", body)
    assert (caught.value.status_code, caught.value.error.code) == (400, code)


def set_aks_duration(emu: RunningEmulator, seconds: float) -> None:
    request = urllib.request.Request(f"{emu.endpoint}/_emulator/config", method="PUT",
                                     data=json.dumps({"default_aks_duration": seconds}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, context=ssl.create_default_context(cafile=emu.ca_file)) as reply:
        assert reply.status == 200


def test_busy_cluster_rejects_second_write(clients: Clients, emulator: RunningEmulator) -> None:
    from azure.core.exceptions import HttpResponseError

    c, rg = clients, "busy-rg"
    subnet_id = byo_network(c, rg)
    set_aks_duration(emulator, 3)  # long enough that the second write surely lands mid-operation
    try:
        first = c.aks.managed_clusters.begin_create_or_update(rg, "aks-cluster", cluster(subnet_id, "overlay"))
        with pytest.raises(HttpResponseError) as caught:
            c.aks.managed_clusters.begin_create_or_update(rg, "aks-cluster", cluster(subnet_id, "overlay", count=3))
        assert (caught.value.status_code, caught.value.error.code) == (409, "OperationNotAllowed")
        assert c.aks.managed_clusters.get(rg, "aks-cluster").provisioning_state == "Creating"
    finally:
        set_aks_duration(emulator, 0.3)
    assert first.result().provisioning_state == "Succeeded"
