"""Adopting a cluster network built without aksnet (a new team adopts aksnet on
clusters they already run), against the emulator through the real SDK.

`az aks create` grants the cluster identity Network Contributor on the node subnet under a random
GUID; aksnet's own name for that grant is deterministic. Plan, apply and export must recognise the
existing grant by its natural key (scope, role, principal) instead of creating a duplicate, which
Azure refuses with 409 RoleAssignmentExists.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from aksnet_run import SPECS, aksnet_env, last_index, resource_reads, run_cli, spec_copy, writes
from test_plan_e2e import build_kubenet_with_sdk

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("aksnet_env")]
__all__ = ["aksnet_env"]
RG = "aks-rg"
SUB = "00000000-0000-0000-0000-000000000000"
KUBENET = str(SPECS / "kubenet.yaml")
AZ_DNS_PREFIX = "aks-cluste-aks-rg-000000"  # what az aks create -g aks-rg -n aks-cluster sends


def build_like_az(sdk: Any) -> str:
    """specs/kubenet.yaml built by hand the way the walkthrough's az commands do; returns the id of
    the Network Contributor assignment. As `az aks create` makes them: the dnsPrefix az derives when none
    is given (`_get_default_dns_prefix`: name[:10]-rg[:16]-sub[:6]), the grant named with a random GUID,
    and its role definition id as az resolves it, from a role definition listing at the subnet scope
    (azure-cli acs/_roleassignments.py `_resolve_role_id`)."""
    sdk.resource.resource_groups.create_or_update(RG, {"location": "eastus"})
    listed = list(sdk.authorization.role_definitions.list(
        f"/subscriptions/{SUB}/resourceGroups/{RG}", filter="roleName eq 'Network Contributor'"))
    return build_kubenet_with_sdk(sdk, assignment_name=str(uuid.uuid4()), dns_prefix=AZ_DNS_PREFIX,
                                  role_definition_id=listed[0].id)


def role_listings(admin: Any, since: int) -> list[dict[str, Any]]:
    return [e for e in resource_reads(admin, since) if e["path"].lower().split("?")[0].endswith("/roleassignments")]


def test_plan_and_apply_adopt_the_assignment_az_created(emulator: Any, admin: Any, sdk: Any) -> None:
    real_id = build_like_az(sdk)
    since = last_index(admin)
    plan = run_cli(emulator, "plan", KUBENET, "--detailed-exitcode", "-o", "json")
    assert plan.code == 0, plan.stdout + plan.stderr
    doc = plan.json()
    assert real_id.lower() in {rid.lower() for rid in doc["fingerprints"]}
    assert len(role_listings(admin, since)) == 1  # the one extra read, only because the name differs
    assert writes(admin, since) == []

    since = last_index(admin)
    applied = run_cli(emulator, "apply", KUBENET, "--auto-approve")
    assert applied.code == 0, applied.stdout + applied.stderr
    assert writes(admin, since) == []
    assignments = list(sdk.authorization.role_assignments.list_for_scope(real_id.split("/providers/Microsoft.A")[0]))
    assert [a.id.lower() for a in assignments] == [real_id.lower()]


def test_az_built_cluster_plans_no_changes(emulator: Any, admin: Any, sdk: Any) -> None:
    """Fields the spec omits (dnsPrefix, the pool's mode) are never compared, and the grant is matched by its
    role GUID whatever prefix its role definition id has: adoption is "No changes", not a replace."""
    real_id = build_like_az(sdk)
    cluster = sdk.aks.managed_clusters.get(RG, "aks-cluster")
    assert cluster.dns_prefix == AZ_DNS_PREFIX
    grant = sdk.authorization.role_assignments.get_by_id(real_id)
    assert grant.role_definition_id.lower().startswith(f"/subscriptions/{SUB}/providers/microsoft.authorization/")
    since = last_index(admin)
    plan = run_cli(emulator, "plan", KUBENET, "--detailed-exitcode")
    assert plan.code == 0, plan.stdout + plan.stderr
    assert "No changes" in plan.stdout
    assert writes(admin, since) == []


def test_saved_plan_of_an_adopted_cluster_is_not_stale(emulator: Any, admin: Any, sdk: Any, tmp_path: Path) -> None:
    build_like_az(sdk)
    saved = tmp_path / "plan.json"
    assert run_cli(emulator, "plan", KUBENET, "--out", str(saved)).code == 0
    since = last_index(admin)
    applied = run_cli(emulator, "apply", str(saved))
    assert applied.code == 0, applied.stdout + applied.stderr
    assert writes(admin, since) == []


def test_export_of_an_az_built_cluster_round_trips(emulator: Any, admin: Any, sdk: Any, tmp_path: Path) -> None:
    build_like_az(sdk)
    out = tmp_path / "exported.yaml"
    exported = run_cli(emulator, "export", "--resource-group", RG, "--cluster", "aks-cluster", "--out", str(out))
    assert exported.code == 0, exported.stderr
    since = last_index(admin)
    plan = run_cli(emulator, "plan", str(out), "--detailed-exitcode")
    assert plan.code == 0, plan.stdout + plan.stderr
    assert "No changes" in plan.stdout
    assert writes(admin, since) == []


def test_assignment_of_a_deleted_cluster_is_not_in_sync(emulator: Any, admin: Any, sdk: Any) -> None:
    assert run_cli(emulator, "apply", KUBENET, "--auto-approve").code == 0
    sdk.aks.managed_clusters.begin_delete(RG, "aks-cluster").result()
    # The grant outlives the cluster, naming a principal that no longer exists (as in Azure).
    drift = run_cli(emulator, "drift", KUBENET, "-o", "json")
    assert drift.code == 2, drift.stdout + drift.stderr
    statuses = {r["address"]: r["status"] for s in drift.json()["specs"] for r in s["resource_drift"]}
    role = next(a for a in statuses if a.startswith("role"))
    assert statuses[role] != "in_sync" and statuses["aks.aks-cluster"] == "missing"
    plan = run_cli(emulator, "plan", KUBENET, "-o", "json")
    change = next(c for c in plan.json()["resource_changes"] if c["address"] == role)
    assert change["change"]["actions"] == ["delete", "create"]
    # Re-creating the cluster grants its new identity (delete + create of the orphaned grant).
    again = run_cli(emulator, "apply", KUBENET, "--auto-approve", "--allow-delete")
    assert again.code == 0, again.stdout + again.stderr
    clean = run_cli(emulator, "plan", KUBENET, "--detailed-exitcode")
    assert clean.code == 0, clean.stdout + clean.stderr
    principal = sdk.aks.managed_clusters.get(RG, "aks-cluster").identity.principal_id
    scope = change["azure_id"].split("/providers/Microsoft.Authorization")[0]
    [grant] = sdk.authorization.role_assignments.list_for_scope(scope, filter="atScope()")
    assert grant.principal_id == principal and grant.id.lower() == change["azure_id"].lower()


def test_destroy_deletes_the_assignment_az_created(emulator: Any, admin: Any, sdk: Any) -> None:
    real_id = build_like_az(sdk)
    subnet = real_id.split("/providers/Microsoft.Authorization")[0]
    destroyed = run_cli(emulator, "destroy", KUBENET, "--auto-approve", "--allow-delete")
    assert destroyed.code == 0, destroyed.stdout + destroyed.stderr
    assert "role." in destroyed.stdout
    # The cluster and the az-named grant are gone (the grant first: it depends on the cluster).
    assert [a.id for a in sdk.authorization.role_assignments.list_for_scope(subnet)] == []


def test_saved_plan_replacing_an_adopted_assignment_applies(emulator: Any, admin: Any, sdk: Any,
                                                            tmp_path: Path) -> None:
    """A new service CIDR recreates the cluster (R57), so the az-named grant of the old identity is
    replaced too; applying that saved plan must act on the grant's real id."""
    old_id = build_like_az(sdk)
    spec = spec_copy(tmp_path, "kubenet.yaml", ("serviceCidr: 10.32.0.0/16", "serviceCidr: 10.33.0.0/16"),
                     ("dnsServiceIp: 10.32.0.10", "dnsServiceIp: 10.33.0.10"))
    saved = tmp_path / "plan.json"
    assert run_cli(emulator, "plan", spec, "--out", str(saved)).code == 0
    applied = run_cli(emulator, "apply", str(saved), "--allow-delete")
    assert applied.code == 0, applied.stdout + applied.stderr
    subnet = old_id.split("/providers/Microsoft.Authorization")[0]
    principal = sdk.aks.managed_clusters.get(RG, "aks-cluster").identity.principal_id
    grants = list(sdk.authorization.role_assignments.list_for_scope(subnet))
    assert [g.principal_id for g in grants] == [principal]
    assert run_cli(emulator, "plan", spec, "--detailed-exitcode").code == 0
