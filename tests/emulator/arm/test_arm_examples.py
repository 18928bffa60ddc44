"""Every official example (tests/fixtures/arm-examples/, copied from azure-rest-api-specs' x-ms-examples) sent through the emulator.

For each file: the request is built from its `parameters` (path template per folder, method from the
operation), prerequisites are created first (resource group, parent, and for GET/PATCH/DELETE the
resource itself from the example's own 200 body, which also checks that read-only fields are ignored
on input), then the status must be one the example lists and every key of the example's response
body (recursively; list items matched by `name`, else by position) and every response header name
must be present in ours. Keys of features the emulator does not model are in SKIPPED_KEYS, with why.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from paths import TESTS
from rawarm import RawArm, RawResponse

from aksnet.emulator.control.client import EmulatorAdmin
from aksnet.emulator.server import RunningEmulator

pytestmark = pytest.mark.emulator
# Vendored byte-for-byte from the shared references (Azure/azure-rest-api-specs x-ms-examples), so a
# clean clone and CI run every example rather than collecting none.
EXAMPLES = TESTS / "fixtures" / "arm-examples"
_RG = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}"
_NET = _RG + "/providers/Microsoft.Network"
TEMPLATES = {
    "resourceGroups": _RG,
    "virtualNetworks": _NET + "/virtualNetworks/{virtualNetworkName}",
    "subnets": _NET + "/virtualNetworks/{virtualNetworkName}/subnets/{subnetName}",
    "networkSecurityGroups": _NET + "/networkSecurityGroups/{networkSecurityGroupName}",
    "securityRules": _NET + "/networkSecurityGroups/{networkSecurityGroupName}/securityRules/{securityRuleName}",
    "routeTables": _NET + "/routeTables/{routeTableName}",
    "routes": _NET + "/routeTables/{routeTableName}/routes/{routeName}",
    "managedClusters": _RG + "/providers/Microsoft.ContainerService/managedClusters/{resourceName}",
    "roleAssignments": "/{scope}/providers/Microsoft.Authorization/roleAssignments/{roleAssignmentName}",
}
# Parents seeded before a child example (wire-format bodies; the VNet space covers the examples' prefixes).
PARENT_BODIES = {
    "subnets": {"location": "eastus", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/8"]}}},
    "securityRules": {"location": "eastus"},
    "routes": {"location": "eastus"},
}
# The resource itself, for GET/DELETE examples whose responses carry no body to seed it with.
SEED_BODIES: dict[str, dict[str, Any]] = {
    "virtualNetworks": {"location": "eastus", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}}},
    "subnets": {"properties": {"addressPrefix": "10.0.0.0/24"}},
    "securityRules": {"properties": {"protocol": "*", "sourceAddressPrefix": "*", "destinationAddressPrefix": "*",
                                     "access": "Allow", "sourcePortRange": "*", "destinationPortRange": "80",
                                     "priority": 130, "direction": "Inbound"}},
    "routes": {"properties": {"addressPrefix": "10.0.3.0/24", "nextHopType": "VirtualNetworkGateway"}},
    "managedClusters": {"location": "eastus", "identity": {"type": "SystemAssigned"},
                        "properties": {"dnsPrefix": "dnsprefix1", "agentPoolProfiles": [
                            {"name": "nodepool1", "count": 3, "vmSize": "Standard_DS2_v2", "mode": "System"}]}},
}
# "<file>": {"<dotted key path>": "why it is not modelled"}
SKIPPED_KEYS: dict[str, dict[str, str]] = {
    "virtualNetworks/VirtualNetworkGet.json": {
        "properties.defaultPublicNatGateway": "read-only link to a default NAT gateway; NAT gateways are not modelled",
        "properties.subnets[subnet1].properties.ipConfigurations":
            "the example's subnet holds a NIC's IP configuration; NICs are not modelled (only AKS node NICs "
            "appear here), and read-only input is ignored as Azure does",
    },
}


def example_files() -> list[str]:
    return sorted(str(p.relative_to(EXAMPLES)) for p in EXAMPLES.glob("*/*.json"))


def test_every_shared_example_is_collected() -> None:
    # An empty parameter set would skip the examples silently: all 32 files of the nine types must be here.
    files = example_files()
    assert len(files) == 32
    assert {f.split("/")[0] for f in files} == {
        "managedClusters", "networkSecurityGroups", "resourceGroups", "roleAssignments", "routeTables",
        "routes", "securityRules", "subnets", "virtualNetworks"}


# The AKS examples write the placeholder "location1", which ARM (and so the emulator) refuses with
# LocationNotAvailableForResourceType: the request carries a real region instead (only keys are compared).
PLACEHOLDER_LOCATIONS = {"location1": "eastus"}


def real_location(body: dict[str, Any]) -> dict[str, Any]:
    location = body.get("location")
    if isinstance(location, str) and location in PLACEHOLDER_LOCATIONS:
        return {**body, "location": PLACEHOLDER_LOCATIONS[location]}
    return body


def request_body(params: dict[str, Any]) -> dict[str, Any] | None:
    for key, value in params.items():
        if isinstance(value, dict) and (key == "parameters" or key.endswith("Parameters")):
            return real_location(value)
    return None


def method_of(example: dict[str, Any], body: dict[str, Any] | None) -> str:
    operation = str(example.get("operationId") or "")
    if operation.endswith("UpdateTags"):
        return "PATCH"
    if body is not None:
        return "PUT"
    if {"202", "204"} & set(example["responses"]) and "Get" not in operation:
        return "DELETE"
    return "GET"


def wait_until_settled(raw: RawArm, path: str) -> None:
    deadline = time.time() + 15
    while time.time() < deadline:
        got = raw.call("GET", path)
        state = (got.body or {}).get("properties", {}).get("provisioningState")
        if got.status == 200 and state not in ("Creating", "Updating", "Deleting"):
            return
        time.sleep(0.1)
    raise AssertionError(f"{path} did not settle")


def missing_keys(expected: Any, actual: Any, path: str = "") -> list[str]:
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [path or "<body>"]
        found: list[str] = []
        for key, value in expected.items():
            here = f"{path}.{key}" if path else key
            if key not in actual:
                found.append(here)
            else:
                found += missing_keys(value, actual[key], here)
        return found
    if isinstance(expected, list) and expected and isinstance(expected[0], dict):
        if not isinstance(actual, list):
            return [path]
        found = []
        for index, item in enumerate(expected):
            named = [a for a in actual if isinstance(a, dict) and "name" in item and a.get("name") == item["name"]]
            match = named[0] if named else (actual[index] if index < len(actual) else None)
            found += missing_keys(item, match, f"{path}[{item.get('name', index)}]")
        return found
    return []


def _api(params: dict[str, Any], kind_folder: str) -> str:
    if kind_folder == "roleAssignments":
        return "2022-04-01"
    return "2025-04-01" if kind_folder == "resourceGroups" else str(params["api-version"])


def _named_identities(example: dict[str, Any]) -> list[str]:
    body = (example.get("parameters") or {}).get("parameters") or {}
    users = list(((body.get("identity") or {}).get("userAssignedIdentities") or {}) if isinstance(body, dict) else [])
    kubelet = (((body.get("properties") or {}).get("identityProfile") or {}).get("kubeletidentity") or {}) \
        if isinstance(body, dict) else {}
    return [str(u) for u in users] + ([str(kubelet["resourceId"])] if kubelet.get("resourceId") else [])


def seed(raw: RawArm, folder: str, params: dict[str, Any], path: str, example: dict[str, Any], method: str) -> None:
    sub = params.get("subscriptionId") or str(params.get("scope", "")).split("/")[1]
    group = params.get("resourceGroupName")
    if group is None and "resourceGroups/" in str(params.get("scope", "")):
        group = str(params["scope"]).split("resourceGroups/")[1].split("/")[0]
    if folder != "resourceGroups" and group:
        assert raw.call("PUT", f"/subscriptions/{sub}/resourcegroups/{group}?api-version=2025-04-01",
                        {"location": "eastus"}).status in (200, 201)
    for identity in _named_identities(example):
        # The example names user-assigned identities that must exist (AKS refuses a missing one).
        identity_group = identity.split("/resourceGroups/")[1].split("/")[0]
        assert raw.call("PUT", f"/subscriptions/{sub}/resourcegroups/{identity_group}?api-version=2025-04-01",
                        {"location": "eastus"}).status in (200, 201)
        assert raw.call("PUT", f"{identity}?api-version=2023-01-31", {"location": "eastus"}).status in (200, 201)
    if folder in PARENT_BODIES:
        parent = path.rsplit("/", 2)[0]
        query = f"?api-version={params['api-version']}"
        assert raw.call("PUT", parent + query, PARENT_BODIES[folder]).status in (200, 201)
        wait_until_settled(raw, parent + query)
    if method in ("GET", "PATCH", "DELETE"):
        shown = next((r.get("body") for code, r in example["responses"].items() if code == "200" and r.get("body")), None)
        seed_body = real_location(shown or SEED_BODIES.get(folder, {"location": "eastus"}))
        query = f"?api-version={_api(params, folder)}"
        created = raw.call("PUT", path + query, seed_body)
        assert created.status in (200, 201), f"seeding with the example's own body failed: {created.body}"
        wait_until_settled(raw, path + query)


@pytest.mark.parametrize("name", example_files())
def test_example(name: str, emulator: RunningEmulator, admin: EmulatorAdmin) -> None:
    folder = name.split("/")[0]
    example = json.loads((EXAMPLES / name).read_text())
    params = example["parameters"]
    body = request_body(params)
    method = method_of(example, body)
    path = TEMPLATES[folder].format(**params)
    raw = RawArm(emulator.endpoint, emulator.ca_file)
    seed(raw, folder, params, path, example, method)

    got: RawResponse = raw.call(method, f"{path}?api-version={params['api-version']}", body)
    assert str(got.status) in example["responses"], f"{method} {path}: {got.status} {got.body}"
    expected = example["responses"][str(got.status)]
    for header in expected.get("headers", {}):
        assert got.header(header), f"header {header} missing"
    skipped = SKIPPED_KEYS.get(name, {})
    missing = [k for k in missing_keys(expected.get("body"), got.body) if not any(k.startswith(s) for s in skipped)]
    assert not missing, f"keys of the example response missing from the emulator's: {missing}"
