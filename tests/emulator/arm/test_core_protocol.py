"""ARM protocol through the emulator: discovery, auth, api-versions, errors, request ids, LROs, etags."""

from __future__ import annotations

import time
from typing import Any

import pytest
from rawarm import RawArm
from sdk_clients import SUBSCRIPTION, SdkClients

from aksnet.emulator.control.client import EmulatorAdmin
from aksnet.emulator.server import RunningEmulator

pytestmark = pytest.mark.emulator
RG = f"/subscriptions/{SUBSCRIPTION}/resourcegroups/rg1"
VNET = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/vnet1"
NET = "api-version=2026-03-01"
VNET_BODY: dict[str, Any] = {"location": "eastus", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/8"]}}}


@pytest.fixture
def raw(emulator: RunningEmulator, admin: EmulatorAdmin) -> RawArm:
    arm = RawArm(emulator.endpoint, emulator.ca_file)
    assert arm.call("PUT", f"{RG}?api-version=2025-04-01", {"location": "eastus"}).status == 201
    return arm


def wait_op(raw: RawArm, url: str, timeout: float = 10) -> dict[str, Any]:
    deadline = time.time() + timeout
    while time.time() < deadline:
        status = raw.call("GET", url)
        assert status.status == 200
        if status.body["status"] != "InProgress":
            result: dict[str, Any] = status.body
            return result
        time.sleep(0.1)
    raise AssertionError("operation did not finish")


def test_discovery_endpoints_point_back_at_the_emulator(emulator: RunningEmulator, raw: RawArm) -> None:
    meta = raw.call("GET", "//metadata/endpoints?api-version=2022-09-01", token=False)  # az adds a slash
    assert meta.status == 200
    assert meta.body["authentication"]["loginEndpoint"] == emulator.endpoint
    assert meta.body["resourceManager"] == f"{emulator.endpoint}/"
    oidc = raw.call("GET", "/some-tenant/v2.0/.well-known/openid-configuration", token=False).body
    assert oidc["token_endpoint"] == f"{emulator.endpoint}/some-tenant/oauth2/v2.0/token"
    assert {"authorization_endpoint", "issuer"} <= set(oidc)


def test_subscriptions_default_first_and_any_guid_exists(raw: RawArm) -> None:
    other = "12345678-1234-1234-1234-123456789012"
    assert raw.call("PUT", f"/subscriptions/{other}/resourcegroups/x?api-version=2025-04-01", {"location": "eastus"}).status == 201
    listed = raw.call("GET", "/subscriptions?api-version=2022-12-01").body["value"]
    assert [s["subscriptionId"] for s in listed] == [SUBSCRIPTION, other]
    assert listed[0]["tenantId"] == "raw-tests" and listed[0]["state"] == "Enabled"
    one = raw.call("GET", "/subscriptions/aaaaaaaa-0000-0000-0000-000000000001?api-version=2022-12-01")
    assert one.status == 200 and one.body["subscriptionId"] == "aaaaaaaa-0000-0000-0000-000000000001"
    assert raw.call("GET", "/tenants?api-version=2022-12-01").body["value"][0]["tenantId"] == "raw-tests"
    provider = raw.call("GET", f"/subscriptions/{SUBSCRIPTION}/providers/Microsoft.Network?api-version=2021-04-01").body
    assert provider["registrationState"] == "Registered"


def test_arm_routes_need_a_bearer_token(raw: RawArm) -> None:
    missing = raw.call("GET", f"{RG}?api-version=2025-04-01", token=False)
    assert missing.status == 401 and missing.body["error"]["code"] == "AuthenticationFailed"
    bad = raw.call("GET", f"{RG}?api-version=2025-04-01", token=False, headers={"Authorization": "Bearer nope"})
    assert bad.status == 401 and bad.body["error"]["code"] == "InvalidAuthenticationToken"


def test_api_version_errors_and_error_body_shape(raw: RawArm) -> None:
    missing = raw.call("GET", VNET)
    assert missing.status == 400 and missing.body["error"]["code"] == "MissingApiVersionParameter"
    unknown = raw.call("PUT", f"{VNET}?api-version=2001-01-01", VNET_BODY)
    assert unknown.status == 400
    error = unknown.body["error"]
    assert error["code"] == "NoRegisteredProviderFound"
    assert "API version '2001-01-01' for type 'virtualNetworks'" in error["message"]
    assert set(error) >= {"code", "message", "details"}


def test_request_ids_are_sent_and_correlation_echoed(raw: RawArm) -> None:
    got = raw.call("GET", f"{RG}?api-version=2025-04-01",
                   headers={"x-ms-correlation-request-id": "corr-1", "x-ms-client-request-id": "client-1"})
    assert got.header("x-ms-request-id")
    assert got.header("x-ms-correlation-request-id") == "corr-1"
    assert got.header("x-ms-client-request-id") == "client-1"


def test_not_found_errors_use_arm_codes_and_wording(raw: RawArm) -> None:
    no_group = raw.call("GET", f"/subscriptions/{SUBSCRIPTION}/resourceGroups/ghost/providers/Microsoft.Network/"
                               f"virtualNetworks/v?{NET}")
    assert no_group.status == 404 and no_group.body["error"]["code"] == "ResourceGroupNotFound"
    assert no_group.body["error"]["message"] == "Resource group 'ghost' could not be found."
    no_vnet = raw.call("GET", f"{VNET}?{NET}")
    assert no_vnet.body["error"]["code"] == "ResourceNotFound"
    assert "'Microsoft.Network/virtualNetworks/vnet1' under resource group 'rg1' was not found" in no_vnet.body["error"]["message"]
    no_parent = raw.call("PUT", f"{VNET}/subnets/a?{NET}", {"properties": {"addressPrefix": "10.1.0.0/16"}})
    assert no_parent.status == 404 and no_parent.body["error"]["code"] == "ParentResourceNotFound"


def test_paths_match_case_insensitively_and_keep_the_users_casing(raw: RawArm) -> None:
    assert raw.call("PUT", f"/subscriptions/{SUBSCRIPTION}/resourceGroups/MyGroup?api-version=2025-04-01",
                    {"location": "eastus"}).status == 201
    got = raw.call("GET", f"/SUBSCRIPTIONS/{SUBSCRIPTION}/RESOURCEGROUPS/mygroup?api-version=2025-04-01")
    assert got.status == 200 and got.body["name"] == "MyGroup"


def test_long_running_put_and_delete_headers_and_operation_resources(emulator: RunningEmulator, raw: RawArm) -> None:
    created = raw.call("PUT", f"{VNET}?{NET}", VNET_BODY)
    assert created.status == 201
    assert created.body["properties"]["provisioningState"] in ("Updating", "Creating")
    async_url = created.header("azure-asyncoperation") or ""
    assert async_url.startswith(f"{emulator.endpoint}/subscriptions/{SUBSCRIPTION}/providers/Microsoft.Network/"
                                "locations/eastus/operations/")
    assert int(created.header("retry-after") or "x") >= 0
    assert wait_op(raw, async_url)["status"] == "Succeeded"
    assert raw.call("GET", f"{VNET}?{NET}").body["properties"]["provisioningState"] == "Succeeded"

    deleting = raw.call("DELETE", f"{VNET}?{NET}")
    assert deleting.status == 202
    location = deleting.header("location") or ""
    assert "/operationResults/" in location and location.startswith(emulator.endpoint)
    assert raw.call("GET", location).status == 202
    assert wait_op(raw, deleting.header("azure-asyncoperation") or "")["status"] == "Succeeded"
    assert raw.call("GET", location).status == 204
    assert raw.call("GET", f"{VNET}?{NET}").status == 404
    assert raw.call("DELETE", f"{VNET}?{NET}").status == 204


def test_sdk_poller_drives_a_network_lro(sdk: SdkClients, admin: EmulatorAdmin) -> None:
    sdk.resource.resource_groups.create_or_update("rg1", {"location": "eastus"})
    poller = sdk.network.virtual_networks.begin_create_or_update("rg1", "vnet1", VNET_BODY)
    assert poller.result().provisioning_state == "Succeeded"
    paths = [e["path"] for e in admin.journal()]
    assert any("/operations/" in p for p in paths)  # the SDK polled our Azure-AsyncOperation URL


def test_if_match_and_if_none_match(raw: RawArm) -> None:
    assert raw.call("PUT", f"{VNET}?{NET}", VNET_BODY, headers={"If-Match": "*"}).status == 412  # absent
    created = raw.call("PUT", f"{VNET}?{NET}", VNET_BODY, headers={"If-None-Match": "*"})
    assert created.status == 201
    wait_op(raw, created.header("azure-asyncoperation") or "")
    current = raw.call("GET", f"{VNET}?{NET}")
    etag = current.body["etag"]
    assert current.header("etag") == etag
    again = raw.call("PUT", f"{VNET}?{NET}", VNET_BODY, headers={"If-None-Match": "*"})
    assert again.status == 412 and again.body["error"]["code"] == "PreconditionFailed"
    assert raw.call("PUT", f"{VNET}?{NET}", VNET_BODY, headers={"If-Match": 'W/"stale"'}).status == 412
    assert raw.call("DELETE", f"{VNET}?{NET}", headers={"If-Match": 'W/"stale"'}).status == 412
    assert raw.call("PUT", f"{VNET}?{NET}", VNET_BODY, headers={"If-Match": etag}).status == 200


def test_replayed_put_during_its_operation_answers_200_with_the_same_operation(raw: RawArm, admin: EmulatorAdmin) -> None:
    admin.config(durations={"Microsoft.Network/virtualNetworks": 2})
    first = raw.call("PUT", f"{VNET}?{NET}", VNET_BODY)
    replay = raw.call("PUT", f"{VNET}?{NET}", VNET_BODY)
    assert (first.status, replay.status) == (201, 200)
    assert replay.header("azure-asyncoperation") == first.header("azure-asyncoperation")
    different = {**VNET_BODY, "tags": {"x": "y"}}
    busy = raw.call("PUT", f"{VNET}?{NET}", different)  # another write while the VNet is busy
    assert busy.status == 429 and busy.header("retry-after")


def test_list_endpoints_per_group_and_subscription(raw: RawArm) -> None:
    wait_op(raw, raw.call("PUT", f"{VNET}?{NET}", VNET_BODY).header("azure-asyncoperation") or "")
    per_group = raw.call("GET", f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg1/providers/Microsoft.Network/"
                                f"virtualNetworks?{NET}")
    everywhere = raw.call("GET", f"/subscriptions/{SUBSCRIPTION}/providers/Microsoft.Network/virtualNetworks?{NET}")
    assert [v["name"] for v in per_group.body["value"]] == ["vnet1"]
    assert [v["name"] for v in everywhere.body["value"]] == ["vnet1"]
    groups = raw.call("GET", f"/subscriptions/{SUBSCRIPTION}/resourcegroups?api-version=2025-04-01").body["value"]
    assert [g["name"] for g in groups] == ["rg1"]


def test_patch_tags_replaces_the_tag_map(sdk: SdkClients) -> None:
    sdk.resource.resource_groups.create_or_update("rg1", {"location": "eastus", "tags": {"a": "1"}})
    vnet = sdk.network.virtual_networks.begin_create_or_update("rg1", "vnet1", {**VNET_BODY, "tags": {"a": "1"}}).result()
    assert vnet.tags == {"a": "1"}
    assert sdk.network.virtual_networks.update_tags("rg1", "vnet1", {"tags": {"b": "2"}}).tags == {"b": "2"}
    assert sdk.resource.resource_groups.update("rg1", {"tags": {"c": "3"}}).tags == {"c": "3"}


@pytest.mark.parametrize(("declared", "status", "code"), [(str(10**10), 413, "RequestEntityTooLarge"),
                                                          ("abc", 400, "InvalidRequestContent")])
def test_a_huge_or_bogus_content_length_is_refused_before_the_body_is_read(emulator: RunningEmulator, raw: RawArm,
                                                                           declared: str, status: int,
                                                                           code: str) -> None:
    """The emulator answers from the headers alone (no body is ever sent here), so a client cannot make it
    hold an unbounded body; the connection is closed after the answer."""
    import http.client
    import json
    import ssl
    from urllib.parse import urlsplit

    where = urlsplit(emulator.endpoint)
    conn = http.client.HTTPSConnection(where.hostname or "", where.port, timeout=10,
                                       context=ssl.create_default_context(cafile=emulator.ca_file))
    conn.putrequest("PUT", f"/subscriptions/{SUBSCRIPTION}/resourcegroups/big?api-version=2021-04-01")
    conn.putheader("Authorization", f"Bearer {raw.token}")
    conn.putheader("Content-Type", "application/json")
    conn.putheader("Content-Length", declared)
    conn.endheaders()
    answer = conn.getresponse()
    assert answer.status == status and json.loads(answer.read())["error"]["code"] == code
    assert answer.getheader("Connection", "").lower() == "close" or answer.will_close
    conn.close()
    assert raw.call("GET", f"/subscriptions/{SUBSCRIPTION}/resourcegroups/big?api-version=2021-04-01").status == 404
