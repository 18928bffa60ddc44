"""Fidelity fixes found by probing the emulator with the SDK, raw HTTPS and `az`: each test fails without its fix."""

from __future__ import annotations

import time

import pytest
from azure.core.exceptions import ResourceNotFoundError
from rawarm import RawArm
from sdk_clients import SUBSCRIPTION, SdkClients

from aksnet.emulator.control.client import EmulatorAdmin

pytestmark = pytest.mark.emulator
RG = f"/subscriptions/{SUBSCRIPTION}/resourcegroups"
NET = "api-version=2026-03-01"


def test_deleting_an_absent_resource_group_is_404_resource_group_not_found(sdk: SdkClients) -> None:
    # ARM: `az group delete` of a missing group fails with ResourceGroupNotFound (azure-cli#20316); a 204 would
    # make the SDK's begin_delete (accepts 200/202 only) raise an "invalid status" error instead.
    raw = RawArm(sdk.endpoint, sdk.ca_file)
    answer = raw.call("DELETE", f"{RG}/nope?api-version=2025-04-01")
    assert answer.status == 404 and answer.body["error"]["code"] == "ResourceGroupNotFound"
    with pytest.raises(ResourceNotFoundError) as missing:
        sdk.resource.resource_groups.begin_delete("nope").result()
    assert missing.value.error is not None and missing.value.error.code == "ResourceGroupNotFound"


def test_resource_group_api_version_error_is_arms_own(sdk: SdkClients) -> None:
    raw = RawArm(sdk.endpoint, sdk.ca_file)
    for path in (f"{RG}/rg1?api-version=2023-02-02", f"{RG}?api-version=2023-02-02",
                 f"/subscriptions/{SUBSCRIPTION}/resources?api-version=2023-02-02"):
        answer = raw.call("GET", path)
        assert answer.status == 400, path
        assert answer.body["error"]["code"] == "InvalidApiVersionParameter", path
        assert answer.body["error"]["message"].startswith("The api-version '2023-02-02' is invalid. The supported versions")


def test_generic_resource_list_per_group_and_subscription(sdk: SdkClients) -> None:
    sdk.resource.resource_groups.create_or_update("rg1", {"location": "eastus"})
    sdk.resource.resource_groups.create_or_update("rg2", {"location": "westus"})
    vnet = {"location": "eastus", "tags": {"a": "b"}, "properties": {
        "addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
        "subnets": [{"name": "s1", "properties": {"addressPrefix": "10.0.0.0/24"}}]}}
    sdk.network.virtual_networks.begin_create_or_update("rg1", "vnet1", vnet).result()
    sdk.network.network_security_groups.begin_create_or_update("rg2", "nsg1", {"location": "westus"}).result()
    in_rg1 = list(sdk.resource.resources.list_by_resource_group("rg1"))
    assert [(r.name, r.type, r.location, r.tags) for r in in_rg1] == [
        ("vnet1", "Microsoft.Network/virtualNetworks", "eastus", {"a": "b"})]  # no subnet child rows
    everywhere = {r.name for r in sdk.resource.resources.list()}
    assert everywhere == {"vnet1", "nsg1"}
    only_nsgs = sdk.resource.resources.list(filter="resourceType eq 'Microsoft.Network/networkSecurityGroups'")
    assert [r.name for r in only_nsgs] == ["nsg1"]
    with pytest.raises(ResourceNotFoundError):
        list(sdk.resource.resources.list_by_resource_group("absent"))


def test_graph_lookups_az_role_assignment_makes_are_served(sdk: SdkClients) -> None:
    raw = RawArm(sdk.endpoint, sdk.ca_file)
    metadata = raw.call("GET", "/metadata/endpoints?api-version=2022-09-01", token=False).body
    assert metadata["microsoftGraphResourceId"] == f"{sdk.endpoint}/"  # az's Graph base URL: the emulator
    principal = "22222222-2222-2222-2222-222222222222"
    found = raw.call("POST", "/v1.0/directoryObjects/getByIds", {"ids": [principal], "types": ["servicePrincipal"]})
    assert found.status == 200
    assert [(o["id"], o["@odata.type"]) for o in found.body["value"]] == [
        (principal, "#microsoft.graph.servicePrincipal")]
    search = raw.call("GET", "/v1.0/servicePrincipals?$filter=servicePrincipalNames%2Fany%28c%3Ac%20eq%20%27x%27%29")
    assert search.status == 200 and search.body["value"] == []


def test_empty_vm_size_gets_a_server_chosen_size(sdk: SdkClients) -> None:
    # `az aks create` without --node-vm-size sends vmSize "" and lets the AKS RP choose.
    sdk.resource.resource_groups.create_or_update("rg1", {"location": "eastus"})
    body = {"location": "eastus", "identity": {"type": "SystemAssigned"}, "properties": {
        "dnsPrefix": "c1", "agentPoolProfiles": [{"name": "np1", "count": 1, "vmSize": "", "mode": "System"}],
        "networkProfile": {"networkPlugin": "azure", "networkPluginMode": "overlay"}}}
    cluster = sdk.aks.managed_clusters.begin_create_or_update("rg1", "c1", body).result()
    assert cluster.agent_pool_profiles[0].vm_size == "Standard_DS2_v2"


def test_ratelimit_remaining_headers_on_every_subscription_request(sdk: SdkClients) -> None:
    raw = RawArm(sdk.endpoint, sdk.ca_file)
    put = raw.call("PUT", f"{RG}/rg1?api-version=2025-04-01", {"location": "eastus"})
    get = raw.call("GET", f"{RG}/rg1?api-version=2025-04-01")
    gone = raw.call("DELETE", f"{RG}/rg1?api-version=2025-04-01")
    assert int(put.header("x-ms-ratelimit-remaining-subscription-writes") or "-1") >= 0
    assert int(get.header("x-ms-ratelimit-remaining-subscription-reads") or "-1") >= 0
    assert int(gone.header("x-ms-ratelimit-remaining-subscription-deletes") or "-1") >= 0
    assert raw.call("GET", "/metadata/endpoints", token=False).header("x-ms-ratelimit-remaining-subscription-reads") is None


def test_throttle_bucket_refuses_with_retry_after_and_the_sdk_waits(sdk: SdkClients, admin: EmulatorAdmin) -> None:
    sdk.resource.resource_groups.create_or_update("rg1", {"location": "eastus"})
    admin.throttle(reads={"bucket": 2, "refill": 1})
    raw = RawArm(sdk.endpoint, sdk.ca_file)
    path = f"{RG}/rg1?api-version=2025-04-01"
    remaining = [raw.call("GET", path).header("x-ms-ratelimit-remaining-subscription-reads") for _ in range(2)]
    assert remaining == ["1", "0"]
    refused = raw.call("GET", path)
    assert refused.status == 429 and refused.header("retry-after") == "1"
    assert refused.body["error"]["code"] == "SubscriptionRequestsThrottled"
    assert raw.call("PUT", path, {"location": "eastus"}).status == 200  # writes have their own bucket
    since = admin.journal()[-1]["index"]
    started = time.monotonic()
    assert sdk.resource.resource_groups.get("rg1").name == "rg1"  # the SDK honours Retry-After and gets through
    assert time.monotonic() - started >= 0.5
    statuses = [e["status"] for e in admin.journal(since) if e["method"] == "GET"]
    assert statuses[0] == 429 and statuses[-1] == 200
    admin.clear_throttle()
    assert all(raw.call("GET", path).status == 200 for _ in range(5))
