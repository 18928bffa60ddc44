"""Apply against other writers: a change made between aksnet's read and its write survives (If-Match,
412, re-read, re-merge), a change to what the spec owns stops the run, two applies creating one VNet
keep both subnets (If-None-Match: *), and a resource whose operation ended Failed is a change.

The concurrent writer is the emulator's `foreign_tags` fault rule: its tags PATCH commits right after
aksnet's GET and right before aksnet's PUT is handled, so the race is exact, not timed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from aksnet_run import SPECS, aksnet_env, run_cli, spec_copy, target_args, writes
from paths import REPO

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("aksnet_env")]
__all__ = ["aksnet_env"]
KUBENET = str(SPECS / "kubenet.yaml")
TOP_LEVEL = {"nsg": "/networkSecurityGroups/aks-nsg$", "vnet": "/virtualNetworks/vNet_aks_useast$",
             "cluster": "/managedClusters/aks-cluster$"}


def _tagged(tmp_path: Path, tags: str) -> str:
    """kubenet.yaml with spec-wide tags: every resource of it then plans an in-place update."""
    return spec_copy(tmp_path, "kubenet.yaml", ("  resourceGroup: aks-rg\n", f"  resourceGroup: aks-rg\n  tags: {tags}\n"))


def _puts(admin: Any, pattern: str, since: int = 0) -> list[int]:
    fragment = pattern.rstrip("$").lower()
    return [e["status"] for e in writes(admin, since) if e["method"] == "PUT"
            and e["path"].split("?")[0].lower().endswith(fragment)]


def _live_tags(sdk: Any) -> dict[str, dict[str, str]]:
    return {
        "nsg": sdk.network.network_security_groups.get("aks-rg", "aks-nsg").tags or {},
        "vnet": sdk.network.virtual_networks.get("aks-rg", "vNet_aks_useast").tags or {},
        "cluster": sdk.aks.managed_clusters.get("aks-rg", "aks-cluster").tags or {},
    }


def _apply(emulator: Any, spec: str, *extra: str) -> Any:
    return run_cli(emulator, "apply", spec, "--auto-approve", *extra)


def test_foreign_tag_written_between_read_and_write_survives(emulator: Any, admin: Any, sdk: Any,
                                                             tmp_path: Path) -> None:
    first = _apply(emulator, KUBENET)
    assert first.code == 0, first.stdout + first.stderr
    for name, path in TOP_LEVEL.items():
        admin.add_fault(method="PUT", path=path, times=1, foreign_tags={f"owner-{name}": "other-team"})
    index = admin.journal()[-1]["index"]
    result = _apply(emulator, _tagged(tmp_path, "{team: net}"))
    assert result.code == 0, result.stdout + result.stderr
    for name, path in TOP_LEVEL.items():
        # The first PUT carried the etag aksnet read; the concurrent tag made it stale: 412, then a
        # re-read, re-merge and a PUT with the new etag.
        assert _puts(admin, path, index) == [412, 200], name
    assert _live_tags(sdk) == {name: {"team": "net", f"owner-{name}": "other-team"} for name in TOP_LEVEL}
    clean = run_cli(emulator, "plan", _tagged(tmp_path, "{team: net}"), "--detailed-exitcode")
    assert clean.code == 0, clean.stdout + clean.stderr


def test_concurrent_change_to_an_owned_field_stops_the_run(emulator: Any, admin: Any, sdk: Any,
                                                           tmp_path: Path) -> None:
    first = _apply(emulator, _tagged(tmp_path, "{team: net}"))
    assert first.code == 0, first.stdout + first.stderr
    # Between aksnet's read and its write, someone else sets the tag the spec owns: the planned
    # change (team net -> platform) is no longer what the spec yields (other -> platform).
    admin.add_fault(method="PUT", path=TOP_LEVEL["nsg"], times=1, foreign_tags={"team": "other"})
    index = admin.journal()[-1]["index"]
    result = _apply(emulator, _tagged(tmp_path, "{team: platform}"))
    assert result.code == 1, result.stdout + result.stderr
    assert "aks-nsg" in result.stderr and "changed by someone else during apply" in result.stderr
    assert sdk.network.network_security_groups.get("aks-rg", "aks-nsg").tags == {"team": "other"}
    after = [e for e in writes(admin, index) if e["method"] != "PUT" or "resourcegroups/aks-rg?" not in
             e["path"].lower() + "?"]
    # Only the refused NSG PUT; the VNet and the cluster (after the NSG) are never written.
    assert [(e["method"], e["status"]) for e in after if "/providers/" in e["path"]] == [("PUT", 412)]


def _shared_vnet_spec(tmp_path: Path, suffix: str, prefix: str) -> str:
    path = spec_copy(tmp_path, "kubenet.yaml",
                     ("name: aks-kubenet", f"name: shared-{suffix}"),
                     ("- name: aks-subnet\n        addressPrefix: 10.100.0.0/16",
                      f"- name: subnet-{suffix}\n        addressPrefix: {prefix}"),
                     ("networkSecurityGroup: aks-nsg", f"networkSecurityGroup: nsg-{suffix}"),
                     ("- name: aks-nsg", f"- name: nsg-{suffix}"),
                     ("name: aks-cluster\n    subnet: aks-subnet", f"name: aks-{suffix}\n    subnet: subnet-{suffix}"))
    target = tmp_path / f"shared-{suffix}.yaml"
    Path(path).rename(target)
    return str(target)


def test_two_applies_creating_one_vnet_keep_both_subnets_and_clusters(emulator: Any, admin: Any, sdk: Any,
                                                                      tmp_path: Path) -> None:
    specs = [_shared_vnet_spec(tmp_path, "a", "10.1.0.0/16"), _shared_vnet_spec(tmp_path, "b", "10.2.0.0/16")]
    # The resource group PUT is slowed so both runs read (and plan "create VNet") before either writes.
    admin.add_fault(method="PUT", path="/resourcegroups/aks-rg$", latency_ms=2500)
    env = {**os.environ, "AKSNET_FAST_RETRY": "1", "AKSNET_SDK_RETRY_BACKOFF": "0.05"}
    procs = [subprocess.Popen([sys.executable, "-m", "aksnet", "apply", spec, "--auto-approve",
                               *target_args(emulator)], cwd=str(REPO), env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for spec in specs]
    outputs = [p.communicate(timeout=180) for p in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert "Plan: " in out and "vNet_aks_useast" in out, out + err
        # Each spec manages the subnets it lists; the other's subnet is left to it (otherSubnets: keep),
        # so both verification re-plans are clean.
        assert proc.returncode == 0, out + err
    subnets = {s.name for s in sdk.network.subnets.list("aks-rg", "vNet_aks_useast")}
    assert subnets == {"subnet-a", "subnet-b"}
    clusters = {c.name for c in sdk.aks.managed_clusters.list_by_resource_group("aks-rg")}
    assert clusters == {"aks-a", "aks-b"}
    vnet_puts = _puts(admin, "/virtualNetworks/vNet_aks_useast$")
    assert 412 in vnet_puts, vnet_puts  # the losing create met the winner's VNet: read-modify-write
    assert not [e for e in writes(admin) if e["method"] == "DELETE"]
    for spec in specs:
        replan = run_cli(emulator, "plan", spec, "--detailed-exitcode")
        assert replan.code == 0 and "No changes" in replan.stdout, replan.stdout + replan.stderr


@pytest.mark.parametrize("name,path", [("cluster", TOP_LEVEL["cluster"]), ("vnet", TOP_LEVEL["vnet"])])
def test_failed_resource_is_a_change_until_apply_repairs_it(emulator: Any, admin: Any, sdk: Any,
                                                            tmp_path: Path, name: str, path: str) -> None:
    first = _apply(emulator, KUBENET)
    assert first.code == 0, first.stdout + first.stderr
    spec = _tagged(tmp_path, "{team: net}")
    admin.add_fault(method="PUT", path=path, times=1, op_outcome="Failed", code="QuotaExceeded",
                    message="Operation could not be completed as it results in exceeding approved quota.")
    failed = _apply(emulator, spec)
    assert failed.code == 1 and "QuotaExceeded" in failed.stderr, failed.stdout + failed.stderr
    plan = run_cli(emulator, "plan", spec, "--detailed-exitcode")
    assert plan.code == 2, plan.stdout + plan.stderr
    assert "provisioning failed" in plan.stdout and "No changes" not in plan.stdout
    if name == "cluster":  # AKS keeps the cause in properties.status.provisioningError
        assert "QuotaExceeded" in plan.stdout
    drift = run_cli(emulator, "drift", spec)
    assert drift.code == 2 and "provisioning failed" in drift.stdout, drift.stdout + drift.stderr
    repaired = _apply(emulator, spec)
    assert repaired.code == 0, repaired.stdout + repaired.stderr
    clean = run_cli(emulator, "plan", spec, "--detailed-exitcode")
    assert clean.code == 0, clean.stdout + clean.stderr


def test_aborted_cluster_update_is_canceled_and_a_change_until_apply_repairs_it(emulator: Any, admin: Any,
                                                                                sdk: Any, tmp_path: Path) -> None:
    """`az aks operation-abort` leaves the cluster Canceled (ManagedClusters - Abort Latest Operation): its
    last PUT never finished, so it is not in sync whatever its fields say."""
    assert _apply(emulator, KUBENET).code == 0
    body = sdk.aks.managed_clusters.get("aks-rg", "aks-cluster")
    body.tags = {"changed-by": "someone-else"}
    admin.add_fault(method="PUT", path=TOP_LEVEL["cluster"], times=1, op_outcome="never")
    sdk.aks.managed_clusters.begin_create_or_update("aks-rg", "aks-cluster", body)  # left running
    sdk.aks.managed_clusters.begin_abort_latest_operation("aks-rg", "aks-cluster").result()
    assert sdk.aks.managed_clusters.get("aks-rg", "aks-cluster").provisioning_state == "Canceled"
    with pytest.raises(Exception) as nothing_running:  # a second abort finds nothing to abort
        sdk.aks.managed_clusters.begin_abort_latest_operation("aks-rg", "aks-cluster").result()
    assert getattr(nothing_running.value, "status_code", None) == 409
    plan = run_cli(emulator, "plan", KUBENET, "--detailed-exitcode")
    assert plan.code == 2 and "provisioning canceled" in plan.stdout, plan.stdout + plan.stderr
    drift = run_cli(emulator, "drift", KUBENET)
    assert drift.code == 2 and "provisioning canceled" in drift.stdout, drift.stdout + drift.stderr
    repaired = _apply(emulator, KUBENET)
    assert repaired.code == 0, repaired.stdout + repaired.stderr
    assert sdk.aks.managed_clusters.get("aks-rg", "aks-cluster").provisioning_state == "Succeeded"
    clean = run_cli(emulator, "plan", KUBENET, "--detailed-exitcode")
    assert clean.code == 0, clean.stdout + clean.stderr
