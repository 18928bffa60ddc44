"""If-Match / If-None-Match on PUT for every type aksnet writes, through the unmodified SDK clients, as
ARM answers them (learn.microsoft.com/azure/aks/use-etags, "Configuration and expected behavior"):
If-None-Match: * on an existing resource, a stale If-Match and If-Match on a missing resource are
412 PreconditionFailed; the current etag passes. Also the `foreign_tags` fault rule (a concurrent
writer between a GET and the next write) and AKS's provisioningError after a Failed operation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sdk_clients import SUBSCRIPTION, SdkClients

from aksnet.emulator.control.client import EmulatorAdmin

pytestmark = pytest.mark.emulator
RG = "cond-rg"
SUBNET_ID = (f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{RG}/providers/Microsoft.Network/virtualNetworks/"
             "vnet1/subnets/nodes")
CLUSTER: dict[str, Any] = {
    "location": "eastus", "identity": {"type": "SystemAssigned"},
    "properties": {"dnsPrefix": "cond", "agentPoolProfiles": [
        {"name": "nodepool1", "count": 1, "mode": "System", "vnetSubnetID": SUBNET_ID}],
        "networkProfile": {"networkPlugin": "kubenet", "podCidr": "10.244.0.0/16",
                           "serviceCidr": "10.32.0.0/16", "dnsServiceIP": "10.32.0.10"}},
}


def _base(sdk: SdkClients) -> None:
    sdk.resource.resource_groups.create_or_update(RG, {"location": "eastus"})
    sdk.network.virtual_networks.begin_create_or_update(RG, "vnet1", {
        "location": "eastus", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/8"]},
                                             "subnets": [{"name": "nodes", "properties": {"addressPrefix": "10.1.0.0/16"}}]},
    }).result()


Put = Callable[[dict[str, Any], dict[str, str]], Any]


def _writers(sdk: SdkClients) -> dict[str, tuple[Put, Callable[[], Any], dict[str, Any]]]:
    """name -> (PUT with extra headers, GET, body) for every type aksnet writes with an etag."""
    net, aks = sdk.network, sdk.aks
    return {
        "nsg": (lambda b, h: net.network_security_groups.begin_create_or_update(RG, "nsg1", b, headers=h).result(),
                lambda: net.network_security_groups.get(RG, "nsg1"), {"location": "eastus"}),
        "security rule": (
            lambda b, h: net.security_rules.begin_create_or_update(RG, "nsg1", "r1", b, headers=h).result(),
            lambda: net.security_rules.get(RG, "nsg1", "r1"),
            {"properties": {"priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
                            "sourceAddressPrefix": "*", "sourcePortRange": "*",
                            "destinationAddressPrefix": "*", "destinationPortRange": "443"}}),
        "route table": (lambda b, h: net.route_tables.begin_create_or_update(RG, "rt1", b, headers=h).result(),
                        lambda: net.route_tables.get(RG, "rt1"), {"location": "eastus"}),
        "route": (lambda b, h: net.routes.begin_create_or_update(RG, "rt1", "r1", b, headers=h).result(),
                  lambda: net.routes.get(RG, "rt1", "r1"),
                  {"properties": {"addressPrefix": "192.168.0.0/16", "nextHopType": "VirtualAppliance",
                                  "nextHopIpAddress": "10.1.0.4"}}),
        "vnet": (lambda b, h: net.virtual_networks.begin_create_or_update(RG, "vnet2", b, headers=h).result(),
                 lambda: net.virtual_networks.get(RG, "vnet2"),
                 {"location": "eastus", "properties": {"addressSpace": {"addressPrefixes": ["172.16.0.0/16"]}}}),
        "subnet": (lambda b, h: net.subnets.begin_create_or_update(RG, "vnet1", "extra", b, headers=h).result(),
                   lambda: net.subnets.get(RG, "vnet1", "extra"), {"properties": {"addressPrefix": "10.2.0.0/16"}}),
        "cluster": (lambda b, h: aks.managed_clusters.begin_create_or_update(RG, "aks1", b, headers=h).result(),
                    lambda: aks.managed_clusters.get(RG, "aks1"), CLUSTER),
    }


def _status(call: Callable[[], Any]) -> tuple[int, str]:
    from azure.core.exceptions import HttpResponseError

    try:
        call()
    except HttpResponseError as err:
        return int(err.status_code or 0), str(err.error.code if err.error else "")
    return 200, ""


@pytest.mark.parametrize("name", ["nsg", "security rule", "route table", "route", "vnet", "subnet", "cluster"])
def test_conditional_put_is_enforced_for_every_type(sdk: SdkClients, name: str) -> None:
    _base(sdk)
    writers = _writers(sdk)
    if name in ("security rule", "route"):  # their parent first
        parent = "nsg" if name == "security rule" else "route table"
        writers[parent][0](writers[parent][2], {})
    put, get, body = writers[name]
    precondition_failed = (412, "PreconditionFailed")
    assert _status(lambda: put(body, {"If-Match": "*"})) == precondition_failed  # missing
    assert _status(lambda: put(body, {"If-None-Match": "*"})) == (200, "")  # create
    current = get()
    etag = getattr(current, "etag", None) or current.e_tag  # AKS names it eTag
    assert etag
    assert _status(lambda: put(body, {"If-None-Match": "*"})) == precondition_failed  # exists
    assert _status(lambda: put(body, {"If-Match": 'W/"0000-stale"'})) == precondition_failed
    assert _status(lambda: put(body, {"If-Match": etag})) == (200, "")


def test_aks_match_condition_of_the_sdk_is_honoured(sdk: SdkClients) -> None:
    from azure.core import MatchConditions

    _base(sdk)
    clusters = sdk.aks.managed_clusters
    clusters.begin_create_or_update(RG, "aks1", CLUSTER, match_condition=MatchConditions.IfMissing).result()
    etag = clusters.get(RG, "aks1").e_tag
    stale = _status(lambda: clusters.begin_create_or_update(
        RG, "aks1", CLUSTER, etag="stale", match_condition=MatchConditions.IfNotModified).result())
    assert stale == (412, "PreconditionFailed")
    clusters.begin_create_or_update(RG, "aks1", CLUSTER, etag=etag,
                                    match_condition=MatchConditions.IfNotModified).result()


def test_foreign_tags_fault_lands_between_get_and_put(sdk: SdkClients, admin: EmulatorAdmin) -> None:
    _base(sdk)
    nsgs = sdk.network.network_security_groups
    nsgs.begin_create_or_update(RG, "nsg1", {"location": "eastus", "tags": {"mine": "1"}}).result()
    read = nsgs.get(RG, "nsg1")
    admin.add_fault(method="PUT", path="/networkSecurityGroups/nsg1$", times=1, foreign_tags={"theirs": "2"})
    refused = _status(lambda: nsgs.begin_create_or_update(
        RG, "nsg1", {"location": "eastus", "tags": {"mine": "1"}}, headers={"If-Match": read.etag}).result())
    assert refused == (412, "PreconditionFailed")
    now = nsgs.get(RG, "nsg1")
    assert now.tags == {"mine": "1", "theirs": "2"} and now.etag != read.etag


def test_failed_cluster_operation_records_provisioning_error(sdk: SdkClients, admin: EmulatorAdmin) -> None:
    from azure.core.exceptions import HttpResponseError

    _base(sdk)
    clusters = sdk.aks.managed_clusters
    admin.add_fault(method="PUT", path="/managedClusters/aks1$", times=1, op_outcome="Failed",
                    code="QuotaExceeded", message="quota exceeded")
    with pytest.raises(HttpResponseError):
        clusters.begin_create_or_update(RG, "aks1", CLUSTER).result()
    failed = clusters.get(RG, "aks1")
    assert failed.provisioning_state == "Failed"
    assert (failed.status.provisioning_error.code, failed.status.provisioning_error.message) == (
        "QuotaExceeded", "quota exceeded")
    repaired = clusters.begin_create_or_update(RG, "aks1", CLUSTER).result()
    assert repaired.provisioning_state == "Succeeded" and repaired.status is None
