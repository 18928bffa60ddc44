"""Each fault knob against the SDK's retry policy and pollers (https://github.com/Azure/azure-sdk-for-python/blob/main/sdk/core/azure-core/azure/core/pipeline/policies/_retry.py)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError
from sdk_clients import SdkClients, build_sdk_clients

from aksnet.emulator.control.client import EmulatorAdmin

pytestmark = pytest.mark.emulator
VNET_BODY: dict[str, Any] = {"location": "eastus", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/8"]}}}


def attempts(admin: EmulatorAdmin, method: str, fragment: str) -> list[dict[str, Any]]:
    return [e for e in admin.journal() if e["method"] == method and fragment in e["path"]]


def test_429_with_retry_after_is_retried_after_the_given_seconds(sdk: SdkClients, admin: EmulatorAdmin) -> None:
    sdk.resource.resource_groups.create_or_update("rg1", {"location": "eastus"})
    admin.add_fault(method="GET", path="/resourcegroups/rg1$", status=429, retry_after=1, times=2)
    started = time.monotonic()
    assert sdk.resource.resource_groups.get("rg1").name == "rg1"
    assert time.monotonic() - started >= 2.0  # Retry-After slept exactly, twice
    seen = attempts(admin, "GET", "/resourcegroups/rg1?")
    assert [e["status"] for e in seen] == [429, 429, 200]


def test_5xx_burst_is_retried_with_backoff(sdk: SdkClients, admin: EmulatorAdmin) -> None:
    admin.add_fault(method="PUT", path="/resourcegroups/rg1$", status=503, times=2)
    assert sdk.resource.resource_groups.create_or_update("rg1", {"location": "eastus"}).name == "rg1"
    assert [e["status"] for e in attempts(admin, "PUT", "/resourcegroups/rg1?")] == [503, 503, 201]


def test_5xx_forever_exhausts_the_retries(emulator: Any, admin: EmulatorAdmin) -> None:
    sdk = build_sdk_clients(emulator.endpoint, emulator.ca_file, retry_total=2)
    admin.add_fault(method="GET", path="/resourcegroups/rg1$", status=500, code="InternalServerError")
    with pytest.raises(HttpResponseError) as failed:
        sdk.resource.resource_groups.get("rg1")
    assert failed.value.status_code == 500
    assert len(attempts(admin, "GET", "/resourcegroups/rg1?")) == 3


def test_dropped_connection_after_commit_put_is_replayed_safely(sdk: SdkClients, admin: EmulatorAdmin) -> None:
    sdk.resource.resource_groups.create_or_update("rg1", {"location": "eastus"})
    admin.add_fault(method="PUT", path="/virtualNetworks/vnet1$", drop="after_commit", times=1)
    vnet = sdk.network.virtual_networks.begin_create_or_update("rg1", "vnet1", VNET_BODY).result()
    assert vnet.provisioning_state == "Succeeded"
    puts = attempts(admin, "PUT", "/virtualNetworks/vnet1?")
    assert [e["status"] for e in puts] == [0, 200]  # dropped (but committed), then the replay sees it
    assert puts[0]["note"] == "dropped"
    assert [v.name for v in sdk.network.virtual_networks.list("rg1")] == ["vnet1"]


def test_dropped_connection_before_commit_is_retried(sdk: SdkClients, admin: EmulatorAdmin) -> None:
    admin.add_fault(method="PUT", path="/resourcegroups/rg1$", drop="before_commit", times=1)
    assert sdk.resource.resource_groups.create_or_update("rg1", {"location": "eastus"}).name == "rg1"
    assert [e["status"] for e in attempts(admin, "PUT", "/resourcegroups/rg1?")] == [0, 201]


def test_failed_operation_raises_with_its_code(sdk: SdkClients, admin: EmulatorAdmin) -> None:
    sdk.resource.resource_groups.create_or_update("rg1", {"location": "eastus"})
    admin.add_fault(method="PUT", path="/virtualNetworks/vnet1$", op_outcome="Failed",
                    code="AnotherOperationInProgress", message="Another operation on this or dependent resource is in progress.")
    with pytest.raises(HttpResponseError) as failed:
        sdk.network.virtual_networks.begin_create_or_update("rg1", "vnet1", VNET_BODY).result()
    assert "AnotherOperationInProgress" in str(failed.value)
    assert sdk.network.virtual_networks.get("rg1", "vnet1").provisioning_state == "Failed"


def test_never_ending_operation_leaves_the_poller_not_done(sdk: SdkClients, admin: EmulatorAdmin) -> None:
    sdk.resource.resource_groups.create_or_update("rg1", {"location": "eastus"})
    admin.add_fault(method="DELETE", path="/resourcegroups/rg1$", op_outcome="never")
    poller = sdk.resource.resource_groups.begin_delete("rg1")
    poller.result(timeout=1.5)
    assert not poller.done()
    assert sdk.resource.resource_groups.get("rg1").properties.provisioning_state == "Deleting"


def test_latency_is_added(sdk: SdkClients, admin: EmulatorAdmin) -> None:
    sdk.resource.resource_groups.create_or_update("rg1", {"location": "eastus"})
    admin.add_fault(method="GET", path="/resourcegroups/rg1$", latency_ms=400, times=1)
    started = time.monotonic()
    sdk.resource.resource_groups.get("rg1")
    assert time.monotonic() - started >= 0.4
    assert attempts(admin, "GET", "/resourcegroups/rg1?")[-1]["ms"] >= 400


def test_operation_duration_per_type_through_config(sdk: SdkClients, admin: EmulatorAdmin) -> None:
    sdk.resource.resource_groups.create_or_update("rg1", {"location": "eastus"})
    assert admin.config(durations={"Microsoft.Network/virtualNetworks": 1.5})["durations"] == {
        "microsoft.network/virtualnetworks": 1.5}
    started = time.monotonic()
    sdk.network.virtual_networks.begin_create_or_update("rg1", "vnet1", VNET_BODY).result()
    assert time.monotonic() - started >= 1.5


def test_fault_rules_are_listed_used_up_and_cleared(admin: EmulatorAdmin) -> None:
    admin.set_faults([{"method": "GET", "path": "x", "status": 503, "times": 1}, {"path": "y", "latency_ms": 5}])
    assert [(f["rule"].get("status"), f["remaining"]) for f in admin.faults()] == [(503, 1), (None, None)]
    admin.clear_faults()
    assert admin.faults() == []


def test_journal_reads_since_an_index_and_clears(sdk: SdkClients, admin: EmulatorAdmin) -> None:
    sdk.resource.resource_groups.create_or_update("rg1", {"location": "eastus"}, headers={"x-ms-client-request-id": "abc"})
    entries = admin.journal()
    put = [e for e in entries if e["method"] == "PUT"][-1]
    assert put["status"] == 201 and put["clientRequestId"] == "abc" and put["path"].endswith("api-version=2025-04-01")
    assert {"index", "time", "ms", "requestId"} <= set(put)
    sdk.resource.resource_groups.get("rg1")
    newer = admin.journal(since=put["index"])
    assert [e["method"] for e in newer] == ["GET"]
    admin.clear_journal()
    assert admin.journal() == []
