"""Every published api-version of every modelled type is served (never NoRegisteredProviderFound /
InvalidApiVersionParameter), table-driven over the data modules in aksnet/emulator/api_versions; a version
that was never published is still refused."""

from __future__ import annotations

import pytest
from rawarm import RawArm
from sdk_clients import SUBSCRIPTION

from aksnet.emulator.api_versions import (
    authorization,
    containerservice,
    managedidentity,
    network,
    resourcegraph,
    resources,
)
from aksnet.emulator.server import RunningEmulator

pytestmark = pytest.mark.emulator
SUB = f"/subscriptions/{SUBSCRIPTION}"
RG = f"{SUB}/resourceGroups/versions-rg"
VNET = f"{RG}/providers/Microsoft.Network/virtualNetworks/v1"
NSG = f"{RG}/providers/Microsoft.Network/networkSecurityGroups/n1"
RT = f"{RG}/providers/Microsoft.Network/routeTables/t1"
AKS = f"{RG}/providers/Microsoft.ContainerService/managedClusters"

# (family, versions, path of a GET that lists the type, or reads an existing one)
FAMILIES = [
    ("resourceGroups", resources.RESOURCE_GROUPS, RG),
    ("virtualNetworks", network.VIRTUAL_NETWORKS, VNET),
    ("subnets", network.SUBNETS, f"{VNET}/subnets"),
    ("networkSecurityGroups", network.NETWORK_SECURITY_GROUPS, NSG),
    ("securityRules", network.SECURITY_RULES, f"{NSG}/securityRules"),
    ("routeTables", network.ROUTE_TABLES, RT),
    ("routes", network.ROUTES, f"{RT}/routes"),
    ("managedClusters", containerservice.MANAGED_CLUSTERS, AKS),
    ("roleAssignments", authorization.ROLE_ASSIGNMENTS, f"{RG}/providers/Microsoft.Authorization/roleAssignments"),
    ("roleDefinitions", authorization.ROLE_DEFINITIONS, f"{RG}/providers/Microsoft.Authorization/roleDefinitions"),
    ("userAssignedIdentities", managedidentity.USER_ASSIGNED_IDENTITIES,
     f"{RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities"),
]


@pytest.fixture(scope="module")
def raw(emulator: RunningEmulator) -> RawArm:
    arm = RawArm(emulator.endpoint, emulator.ca_file)
    assert arm.call("PUT", f"{RG}?api-version=2024-11-01", {"location": "eastus"}).status in (200, 201)
    for path, body in ((NSG, {"location": "eastus"}), (RT, {"location": "eastus"}),
                       (VNET, {"location": "eastus", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}}})):
        assert arm.call("PUT", f"{path}?api-version=2024-07-01", body).status in (200, 201)
    return arm


@pytest.mark.parametrize(("family", "version", "path"),
                         [(f, v, p) for f, versions, p in FAMILIES for v in sorted(versions)])
def test_published_version_is_served(raw: RawArm, family: str, version: str, path: str) -> None:
    got = raw.call("GET", f"{path}?api-version={version}")
    assert got.status == 200, (family, version, got.body)


@pytest.mark.parametrize("version", sorted(resourcegraph.RESOURCES_QUERY))
def test_every_published_resource_graph_version_answers_a_query(raw: RawArm, version: str) -> None:
    got = raw.call("POST", f"/providers/Microsoft.ResourceGraph/resources?api-version={version}", {
        "subscriptions": [SUBSCRIPTION], "options": {"resultFormat": "objectArray"},
        "query": "resources | where type in~ ('microsoft.network/virtualnetworks') | order by id asc"})
    assert got.status == 200, (version, got.body)


@pytest.mark.parametrize(("family", "versions"), [(f, v) for f, v, _ in FAMILIES])
def test_families_cover_2022_onwards_with_the_sdk_pins(family: str, versions: frozenset[str]) -> None:
    assert any(v.startswith("2022-") for v in versions), family
    assert len(versions) >= 4, family


def test_sdk_floors_and_current_pins_are_accepted() -> None:
    # azure-mgmt-containerservice 32.x sends 2024-08-01 (its floor); 41.x 2026-08-01; azure-mgmt-network
    # 28.x 2024-05-01, 33.x 2026-03-01; azure-mgmt-resource 23.x 2024-03-01, 26.x 2025-04-01.
    assert {"2024-08-01", "2026-08-01", "2025-10-02-preview"} <= containerservice.MANAGED_CLUSTERS
    assert {"2024-05-01", "2025-01-01", "2026-03-01"} <= network.STABLE
    assert {"2024-03-01", "2025-04-01"} <= resources.RESOURCE_GROUPS


@pytest.mark.parametrize("path", [VNET, AKS])
def test_an_unpublished_version_is_refused(raw: RawArm, path: str) -> None:
    got = raw.call("GET", f"{path}?api-version=2024-09-15")
    assert got.status == 400 and got.body["error"]["code"] == "NoRegisteredProviderFound"
