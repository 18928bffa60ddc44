"""`aksnet apply` against the emulator through the real SDK."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from aksnet_run import SPEC_FILES, SPECS, aksnet_env, last_index, run_cli, spec_copy, writes

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("aksnet_env")]
__all__ = ["aksnet_env"]


@pytest.mark.parametrize("spec", SPEC_FILES)
def test_each_spec_applies_from_empty_then_plans_clean_and_reapplies_with_zero_writes(
        emulator: Any, admin: Any, spec: str) -> None:
    path = str(SPECS / spec)
    first = run_cli(emulator, "apply", path, "--auto-approve")
    assert first.code == 0, first.stdout + first.stderr
    assert "Apply complete! Resources: " in first.stdout
    assert ": Creation complete after" in first.stdout
    plan = run_cli(emulator, "plan", path, "--detailed-exitcode")
    assert plan.code == 0 and "No changes" in plan.stdout
    since = last_index(admin)
    second = run_cli(emulator, "apply", path, "--auto-approve")
    assert second.code == 0
    assert "Apply complete! Resources: 0 added, 0 changed, 0 replaced, 0 destroyed." in second.stdout
    assert writes(admin, since) == []


def test_json_result_and_role_assignment_after_cluster(emulator: Any, admin: Any) -> None:
    result = run_cli(emulator, "apply", str(SPECS / "kubenet.yaml"), "--auto-approve", "-o", "json")
    assert result.code == 0, result.stderr
    doc = result.json()
    assert doc["result"] == "applied" and doc["summary"]["add"] == 5
    assert doc["specs"][0]["verified"] is True
    puts = [e["path"].split("?")[0] for e in writes(admin) if e["method"] == "PUT"]
    cluster = next(i for i, p in enumerate(puts) if "managedClusters" in p)
    role = next(i for i, p in enumerate(puts) if "roleAssignments" in p)
    assert role > cluster  # SystemAssigned: the assignment right after the cluster (R56)
    assert "Creating..." in result.stderr  # progress goes to stderr with -o json


def test_no_tty_requires_auto_approve(emulator: Any, admin: Any) -> None:
    result = run_cli(emulator, "apply", str(SPECS / "kubenet.yaml"))
    assert result.code == 1 and "--auto-approve" in result.stderr
    assert writes(admin) == []


def test_deletes_are_refused_without_allow_delete(emulator: Any, admin: Any, sdk: Any) -> None:
    spec = str(SPECS / "azure-cni.yaml")
    assert run_cli(emulator, "apply", spec, "--auto-approve").code == 0
    sdk.network.routes.begin_create_or_update("aks-rg", "aks-route-table", "by-hand", {
        "properties": {"addressPrefix": "0.0.0.0/0", "nextHopType": "Internet"}}).result()
    since = last_index(admin)
    refused = run_cli(emulator, "apply", spec, "--auto-approve")
    assert refused.code == 1 and "--allow-delete" in refused.stderr
    assert writes(admin, since) == []
    allowed = run_cli(emulator, "apply", spec, "--auto-approve", "--allow-delete")
    assert allowed.code == 0, allowed.stdout + allowed.stderr
    assert "1 destroyed" in allowed.stdout
    assert [r.name for r in sdk.network.routes.list("aks-rg", "aks-route-table")] == []


def test_read_modify_write_keeps_what_other_actors_own(emulator: Any, admin: Any, sdk: Any, tmp_path: Path) -> None:
    spec = str(SPECS / "kubenet.yaml")
    assert run_cli(emulator, "apply", spec, "--auto-approve").code == 0
    # Someone else tags the VNet and adds a service endpoint to the subnet.
    vnet = sdk.network.virtual_networks.get("aks-rg", "vNet_aks_useast")
    vnet.tags = {"owner": "someone-else"}
    vnet.subnets[0].service_endpoints = [{"service": "Microsoft.Storage"}]
    sdk.network.virtual_networks.begin_create_or_update("aks-rg", "vNet_aks_useast", vnet).result()
    # The spec now changes the VNet (adds an address prefix and a subnet): aksnet writes it.
    changed = spec_copy(tmp_path, "kubenet.yaml", ("addressSpace: [10.0.0.0/8]", "addressSpace: [10.0.0.0/8, 172.16.0.0/16]"))
    result = run_cli(emulator, "apply", changed, "--auto-approve")
    assert result.code == 0, result.stdout + result.stderr
    after = sdk.network.virtual_networks.get("aks-rg", "vNet_aks_useast")
    assert after.tags == {"owner": "someone-else"}
    assert [e.service for e in after.subnets[0].service_endpoints or []] == ["Microsoft.Storage"]
    assert after.subnets[0].route_table is not None  # AKS's kubenet route table association survives (R54)


def test_stale_saved_plan_is_refused_with_zero_writes(emulator: Any, admin: Any, sdk: Any, tmp_path: Path) -> None:
    spec = str(SPECS / "azure-cni.yaml")
    assert run_cli(emulator, "apply", spec, "--auto-approve").code == 0
    changed = spec_copy(tmp_path, "azure-cni.yaml", ("authorizedIpRanges: [39.51.100.100/32]",
                                                     "authorizedIpRanges: [39.51.100.101/32]"))
    saved = tmp_path / "plan.json"
    assert run_cli(emulator, "plan", changed, "--out", str(saved)).code == 0
    # The NSG is edited out of band after the plan was saved.
    sdk.network.network_security_groups.begin_create_or_update("aks-rg", "aks-nsg", {
        "location": "eastus", "tags": {"edited": "yes"}, "properties": {"securityRules": []}}).result()
    since = last_index(admin)
    result = run_cli(emulator, "apply", str(saved))
    assert result.code == 1 and "saved plan is stale" in result.stderr
    assert writes(admin, since) == []
    # The spec edited after the plan: refused too.
    fresh = tmp_path / "fresh.json"
    assert run_cli(emulator, "plan", changed, "--out", str(fresh)).code == 0
    Path(changed).write_text(Path(changed).read_text() + "\n# edited\n")
    result = run_cli(emulator, "apply", str(fresh))
    assert result.code == 1 and "saved plan is stale" in result.stderr and "spec" in result.stderr
    assert writes(admin, since) == []


def test_saved_plan_applies_exactly(emulator: Any, admin: Any, tmp_path: Path) -> None:
    saved = tmp_path / "plan.json"
    assert run_cli(emulator, "plan", str(SPECS / "kubenet.yaml"), "--out", str(saved)).code == 0
    result = run_cli(emulator, "apply", str(saved))
    assert result.code == 0, result.stdout + result.stderr
    assert "5 added" in result.stdout


def test_second_apply_on_a_locked_spec_fails_fast_naming_the_holder(emulator: Any, admin: Any, tmp_path: Path) -> None:
    import os

    from aksnet.live.locking import spec_lock
    from aksnet.workflows.targets import aksnet_home

    spec = str(SPECS / "kubenet.yaml")
    with spec_lock(aksnet_home(), spec):
        result = run_cli(emulator, "apply", spec, "--auto-approve")
    assert result.code == 1
    assert f"pid {os.getpid()}" in result.stderr and "--lock-timeout" in result.stderr
    assert writes(admin) == []


def test_destroy_needs_allow_delete_and_keeps_the_resource_group(emulator: Any, admin: Any, sdk: Any) -> None:
    spec = str(SPECS / "kubenet.yaml")
    assert run_cli(emulator, "apply", spec, "--auto-approve").code == 0
    since = last_index(admin)
    refused = run_cli(emulator, "destroy", spec, "--auto-approve")
    assert refused.code == 1 and "--allow-delete" in refused.stderr
    assert writes(admin, since) == []
    result = run_cli(emulator, "destroy", spec, "--auto-approve", "--allow-delete")
    assert result.code == 0, result.stdout + result.stderr
    assert "Destroy complete! Resources: 4 destroyed." in result.stdout
    # The type of each DELETE is the segment before the name: dependents first.
    deleted = [e["path"].split("?")[0].split("/")[-2] for e in writes(admin, since) if e["method"] == "DELETE"]
    assert deleted == ["roleAssignments", "managedClusters", "virtualNetworks", "networkSecurityGroups"]
    assert sdk.resource.resource_groups.check_existence("aks-rg")
    assert list(sdk.network.virtual_networks.list("aks-rg")) == []
