"""Faults injected by the emulator during apply are retried or stop the run (docs/plan-and-apply.md#retries)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from aksnet_run import SPECS, aksnet_env, run_cli, writes

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("aksnet_env")]
__all__ = ["aksnet_env"]
KUBENET = str(SPECS / "kubenet.yaml")


def _puts(admin: Any, fragment: str) -> list[dict[str, Any]]:
    return [e for e in writes(admin) if e["method"] == "PUT" and fragment.lower() in e["path"].split("?")[0].lower()
            and "/subnets/" not in e["path"].lower()]


def _converged(emulator: Any) -> None:
    plan = run_cli(emulator, "plan", KUBENET, "--detailed-exitcode")
    assert plan.code == 0, plan.stdout + plan.stderr


def test_429_with_retry_after_is_honoured(emulator: Any, admin: Any) -> None:
    admin.add_fault(method="PUT", path="/virtualNetworks/vNet_aks_useast$", times=1, status=429, retry_after=1)
    start = time.monotonic()
    result = run_cli(emulator, "apply", KUBENET, "--auto-approve")
    assert result.code == 0, result.stdout + result.stderr
    assert time.monotonic() - start >= 1
    assert [e["status"] for e in _puts(admin, "/virtualNetworks/vNet_aks_useast")][:2] == [429, 201]
    _converged(emulator)


def test_5xx_burst_is_survived(emulator: Any, admin: Any) -> None:
    admin.add_fault(method="PUT", path="/networkSecurityGroups/aks-nsg$", times=2, status=503)
    result = run_cli(emulator, "apply", KUBENET, "--auto-approve")
    assert result.code == 0, result.stdout + result.stderr
    assert [e["status"] for e in _puts(admin, "/networkSecurityGroups/aks-nsg")] == [503, 503, 201]
    _converged(emulator)


def test_another_operation_in_progress_is_retried(emulator: Any, admin: Any) -> None:
    admin.add_fault(method="PUT", path="/virtualNetworks/vNet_aks_useast$", times=1, op_outcome="Failed",
                    code="AnotherOperationInProgress",
                    message="Another operation on this or dependent resource is in progress.")
    result = run_cli(emulator, "apply", KUBENET, "--auto-approve")
    assert result.code == 0, result.stdout + result.stderr
    assert "AnotherOperationInProgress (retryable)" in result.stdout
    assert len(_puts(admin, "/virtualNetworks/vNet_aks_useast")) == 2
    _converged(emulator)


def test_failed_cluster_operation_stops_the_run_and_names_it(emulator: Any, admin: Any) -> None:
    admin.add_fault(method="PUT", path="/managedClusters/aks-cluster$", times=1, op_outcome="Failed",
                    code="VMExtensionProvisioningError", message="The node could not join the cluster.")
    result = run_cli(emulator, "apply", KUBENET, "--auto-approve", "-o", "json")
    assert result.code == 1
    assert "aks-cluster" in result.stderr and "VMExtensionProvisioningError" in result.stderr
    assert "correlation id" in result.stderr
    doc = result.json()
    assert doc["result"] == "error" and doc["errors"][0]["code"] == "VMExtensionProvisioningError"
    assert doc["errors"][0]["correlation_id"]
    assert _puts(admin, "/roleAssignments/") == []  # nothing new started after the failure
    # The next plan explains what is left, and a re-run finishes the job.
    plan = run_cli(emulator, "plan", KUBENET, "--detailed-exitcode")
    assert plan.code == 2, plan.stdout + plan.stderr
    again = run_cli(emulator, "apply", KUBENET, "--auto-approve")
    assert again.code == 0, again.stdout + again.stderr
    _converged(emulator)


def test_non_retryable_error_names_resource_code_and_correlation_id(emulator: Any, admin: Any) -> None:
    admin.add_fault(method="PUT", path="/networkSecurityGroups/aks-nsg$", status=403, code="AuthorizationFailed",
                    message="The client does not have authorization to perform action.")
    result = run_cli(emulator, "apply", KUBENET, "--auto-approve")
    assert result.code == 1
    assert "aks-nsg" in result.stderr and "(AuthorizationFailed)" in result.stderr
    assert "correlation id" in result.stderr
    assert _puts(admin, "/virtualNetworks/") == []  # the VNet depends on the NSG: never started
