"""The emulator refuses names and locations Azure refuses, with Azure's codes, through the real SDK:
resource groups (InvalidResourceGroup, LocationNotAvailableForResourceGroup), network resources
(InvalidResourceName, LocationNotAvailableForResourceType), AKS (InvalidParameter per aka.ms/aks-naming-rules)
and user-assigned identities. The emulator's region list is the one aksnet validates against."""

from __future__ import annotations

from typing import Any

import pytest
from rawarm import RawArm
from sdk_clients import SUBSCRIPTION, SdkClients

from aksnet.emulator.server import RunningEmulator

pytestmark = pytest.mark.emulator
RG = f"/subscriptions/{SUBSCRIPTION}/resourcegroups"
RES = "api-version=2025-04-01"


def _code(err: Any) -> str:
    return str(err.value.error.code)


def test_the_emulator_and_aksnet_know_the_same_regions() -> None:
    from aksnet.checks.rules.regions import KNOWN_LOCATIONS as CHECKED
    from aksnet.emulator.arm.names import KNOWN_LOCATIONS as SERVED

    assert CHECKED == SERVED


@pytest.mark.parametrize(("name", "code"), [("rg.", "InvalidResourceGroup"), ("r" * 91, "InvalidResourceGroup"),
                                            ("rg\u202ex", "InvalidResourceGroup"), ("rg x", "InvalidResourceGroup")])
def test_resource_group_names(emulator: RunningEmulator, admin: Any, name: str, code: str) -> None:
    from urllib.parse import quote

    raw = RawArm(emulator.endpoint, emulator.ca_file)
    answer = raw.call("PUT", f"{RG}/{quote(name)}?{RES}", {"location": "eastus"})
    assert (answer.status, answer.body["error"]["code"]) == (400, code)
    assert raw.call("PUT", f"{RG}/rg(ok)_1?{RES}", {"location": "eastus"}).status in (200, 201)


def test_unknown_locations_are_refused_per_type(sdk: SdkClients) -> None:
    from azure.core.exceptions import HttpResponseError

    with pytest.raises(HttpResponseError) as err:
        sdk.resource.resource_groups.create_or_update("rg-mars", {"location": "mars"})
    assert _code(err) == "LocationNotAvailableForResourceGroup" and "'mars'" in str(err.value.message)
    sdk.resource.resource_groups.create_or_update("rg-loc", {"location": "East US"})  # display names are fine
    with pytest.raises(HttpResponseError) as err:
        sdk.network.virtual_networks.begin_create_or_update("rg-loc", "vnet", {
            "location": "mars", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}}}).result()
    assert _code(err) == "LocationNotAvailableForResourceType"
    assert "Microsoft.Network/virtualNetworks" in str(err.value.message)


def test_network_names_with_a_trailing_newline_or_period_are_refused(sdk: SdkClients) -> None:
    from azure.core.exceptions import HttpResponseError

    sdk.resource.resource_groups.create_or_update("rg-net", {"location": "eastus"})
    for name in ("nsg.", "nsg\n"):
        with pytest.raises(HttpResponseError) as err:
            sdk.network.network_security_groups.begin_create_or_update("rg-net", name, {"location": "eastus"}).result()
        assert _code(err) == "InvalidResourceName"


def _cluster(pool: str = "nodepool1", dns_prefix: str = "aks") -> dict[str, Any]:
    return {"location": "eastus", "identity": {"type": "SystemAssigned"},
            "properties": {"dnsPrefix": dns_prefix, "agentPoolProfiles": [
                {"name": pool, "count": 1, "vmSize": "Standard_DS2_v2", "mode": "System"}]}}


@pytest.mark.parametrize(("name", "body", "parameter"), [
    ("aks-", _cluster(), "resourceName"),
    ("a" * 64, _cluster(), "resourceName"),
    ("aks", _cluster(pool="Pool1"), "agentPoolProfile.name"),
    ("aks", _cluster(pool="nodepool12345"), "agentPoolProfile.name"),
    ("aks", _cluster(dns_prefix="dns_prefix"), "properties.dnsPrefix"),
])
def test_aks_names(sdk: SdkClients, name: str, body: dict[str, Any], parameter: str) -> None:
    from azure.core.exceptions import HttpResponseError

    sdk.resource.resource_groups.create_or_update("rg-aks", {"location": "eastus"})
    with pytest.raises(HttpResponseError) as err:
        sdk.aks.managed_clusters.begin_create_or_update("rg-aks", name, body).result()
    assert _code(err) == "InvalidParameter" and parameter in str(err.value.message)
    assert "aka.ms/aks-naming-rules" in str(err.value.message)


def test_aks_unknown_location(sdk: SdkClients) -> None:
    from azure.core.exceptions import HttpResponseError

    sdk.resource.resource_groups.create_or_update("rg-aks", {"location": "eastus"})
    with pytest.raises(HttpResponseError) as err:
        sdk.aks.managed_clusters.begin_create_or_update("rg-aks", "aks", {**_cluster(), "location": "mars"}).result()
    assert _code(err) == "LocationNotAvailableForResourceType"


def test_identity_names(emulator: RunningEmulator, admin: Any) -> None:
    raw = RawArm(emulator.endpoint, emulator.ca_file)
    assert raw.call("PUT", f"{RG}/rg-id?{RES}", {"location": "eastus"}).status in (200, 201)
    base = f"{RG}/rg-id/providers/Microsoft.ManagedIdentity/userAssignedIdentities"
    version = "api-version=2023-01-31"
    short = raw.call("PUT", f"{base}/id?{version}", {"location": "eastus"})
    assert (short.status, short.body["error"]["code"]) == (400, "InvalidResourceName")
    mars = raw.call("PUT", f"{base}/id-aks?{version}", {"location": "mars"})
    assert (mars.status, mars.body["error"]["code"]) == (400, "LocationNotAvailableForResourceType")
    assert raw.call("PUT", f"{base}/id-aks?{version}", {"location": "eastus"}).status in (200, 201)


def test_list_locations_serves_every_public_region_az_can_show(emulator: RunningEmulator) -> None:
    """`az account list-locations` (Subscriptions - List Locations) lists what the emulator accepts, display
    names and all, so the hint aksnet prints for an unknown location works against the emulator too."""
    from aksnet.emulator.arm.regions import SOVEREIGN
    raw = RawArm(emulator.endpoint, emulator.ca_file)
    answer = raw.call("GET", f"/subscriptions/{SUBSCRIPTION}/locations?api-version=2022-12-01")
    assert answer.status == 200
    listed = {item["name"]: item for item in answer.body["value"]}
    assert listed["eastus"]["displayName"] == "East US" and listed["westus2"]["displayName"] == "West US 2"
    assert listed["uksouth"]["regionalDisplayName"] == "(Europe) UK South"
    assert listed["eastus"]["id"] == f"/subscriptions/{SUBSCRIPTION}/locations/eastus"
    assert not SOVEREIGN & set(listed)  # a public-cloud subscription does not list government or China regions
    for item in answer.body["value"]:  # every listed region's display name is accepted as a location
        put = raw.call("PUT", f"{RG}/rg-{item['name']}?{RES}", {"location": item["displayName"]})
        assert put.status in (200, 201), (item["name"], put.body)
