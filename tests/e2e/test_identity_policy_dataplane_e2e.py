"""In-place changes on their own (no migration): SystemAssigned -> UserAssigned (with a kubelet identity),
`network.policy: none`, the Cilium dataplane; and a grant made under another name is adopted. Through
the aksnet CLI and the real SDK against the emulator."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from aksnet_run import aksnet_env, last_index, run_cli, spec_copy, writes

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("aksnet_env")]
__all__ = ["aksnet_env"]
IDENTITIES = ("  cluster:\n", "  identities:\n    userAssignedIdentities:\n      - name: id-aks\n"
              "      - name: id-kubelet\n  cluster:\n")
USE = ("    subnet: aks-subnet\n",
       "    subnet: aks-subnet\n    identity: {type: UserAssigned, name: id-aks, kubeletIdentity: id-kubelet}\n")


def ok(result: Any) -> Any:
    assert result.code == 0, result.stdout + result.stderr
    return result


def clean(emulator: Any, spec: str) -> None:
    again = run_cli(emulator, "plan", spec, "--detailed-exitcode")
    assert again.code == 0 and "No changes" in again.stdout, again.stdout + again.stderr


def test_system_to_user_assigned_switch_is_in_place_with_grants_first(emulator: Any, admin: Any, sdk: Any,
                                                                      tmp_path: Path) -> None:
    ok(run_cli(emulator, "apply", spec_copy(tmp_path, "kubenet.yaml"), "--auto-approve"))
    (tmp_path / "kubenet.yaml").unlink()
    switched = spec_copy(tmp_path, "kubenet.yaml", IDENTITIES, USE)
    plan = ok(run_cli(emulator, "plan", switched, "-o", "json")).json()
    actions = {c["address"]: c["aksnet_action"] for c in plan["resource_changes"]}
    assert actions["aks.aks-cluster"] == "update"  # in place, no --allow-delete / --allow-migrate
    cluster = next(c for c in plan["resource_changes"] if c["address"] == "aks.aks-cluster")
    assert any("may keep using the old identity" in f["reason"] for f in cluster["fields"])
    grants = [a for a in actions if a.startswith("role.id-aks")]
    assert sorted(grants) == ["role.id-aks-identity-operator-kubelet", "role.id-aks-network-contributor-subnet"]
    order = [c["address"] for c in plan["resource_changes"]]
    assert all(order.index(g) < order.index("aks.aks-cluster") for g in grants)
    text = ok(run_cli(emulator, "plan", switched)).stdout
    assert "Warning: aks.aks-cluster changes its identity in place" in text
    since = last_index(admin)
    ok(run_cli(emulator, "apply", switched, "--auto-approve"))
    paths = [w["path"].lower() for w in writes(admin, since)]
    cluster_write = next(i for i, p in enumerate(paths) if "managedclusters" in p)
    assert sum("roleassignments" in p for p in paths[:cluster_write]) == 2  # both grants before the switch
    clean(emulator, switched)
    mc = sdk.aks.managed_clusters.get("aks-rg", "aks-cluster")
    (value,) = mc.identity.user_assigned_identities.values()
    identity = sdk.resource.resources.get_by_id(next(iter(mc.identity.user_assigned_identities)),
                                                api_version="2023-01-31")
    assert value.principal_id == identity.properties["principalId"]
    assert mc.identity_profile["kubeletidentity"].resource_id.lower().endswith("/id-kubelet")


def test_policy_none_uninstalls_in_place(emulator: Any, sdk: Any, tmp_path: Path) -> None:
    calico = spec_copy(tmp_path, "kubenet.yaml", ("      podCidr:", "      policy: calico\n      podCidr:"))
    ok(run_cli(emulator, "apply", calico, "--auto-approve"))
    (tmp_path / "kubenet.yaml").unlink()
    none = spec_copy(tmp_path, "kubenet.yaml", ("      podCidr:", "      policy: none\n      podCidr:"))
    plan = ok(run_cli(emulator, "plan", none, "-o", "json")).json()
    cluster = next(c for c in plan["resource_changes"] if c["address"] == "aks.aks-cluster")
    assert cluster["aksnet_action"] == "update"
    assert [f["path"][-1] for f in cluster["fields"]] == ["networkPolicy"]
    assert "stop being enforced" in cluster["fields"][0]["reason"]
    ok(run_cli(emulator, "apply", none, "--auto-approve"))
    clean(emulator, none)
    assert sdk.aks.managed_clusters.get("aks-rg", "aks-cluster").network_profile.network_policy == "none"


def test_cilium_dataplane_on_overlay_is_its_own_update(emulator: Any, sdk: Any, tmp_path: Path) -> None:
    ok(run_cli(emulator, "apply", spec_copy(tmp_path, "azure-cni-overlay.yaml"), "--auto-approve"))
    (tmp_path / "azure-cni-overlay.yaml").unlink()
    cilium = spec_copy(tmp_path, "azure-cni-overlay.yaml", ("      pluginMode: overlay\n",
                                                            "      pluginMode: overlay\n      dataplane: cilium\n"))
    plan = ok(run_cli(emulator, "plan", cilium, "-o", "json")).json()
    cluster = next(c for c in plan["resource_changes"] if c["address"] == "aks.aks-cluster")
    assert cluster["aksnet_action"] == "update" and [f["path"][-1] for f in cluster["fields"]] == ["networkDataplane"]
    ok(run_cli(emulator, "apply", cilium, "--auto-approve"))
    clean(emulator, cilium)
    network = sdk.aks.managed_clusters.get("aks-rg", "aks-cluster").network_profile
    assert (network.network_dataplane, network.network_policy) == ("cilium", "cilium")


def test_grant_under_another_name_is_adopted(emulator: Any, admin: Any, sdk: Any, tmp_path: Path) -> None:
    """A team that granted the identity by hand (random assignment name): aksnet adopts it, never adds a
    second one (Azure would refuse it: RoleAssignmentExists)."""
    from azure.mgmt.msi import ManagedServiceIdentityClient

    from aksnet.ids import NETWORK_CONTRIBUTOR_ROLE_ID

    spec = spec_copy(tmp_path, "kubenet-route-table.yaml")
    sdk.resource.resource_groups.create_or_update("aks-rg", {"location": "eastus"})
    msi = ManagedServiceIdentityClient(sdk.credential, sdk.subscription_id, base_url=sdk.endpoint,
                                       connection_verify=sdk.ca_file)
    identity = msi.user_assigned_identities.create_or_update("aks-rg", "id-aks-cluster", {"location": "eastus"})
    ok(run_cli(emulator, "apply", spec, "--auto-approve"))
    # replace aksnet's subnet grant by one under a random name, as `az role assignment create` would
    subnet = sdk.network.subnets.get("aks-rg", "vNet_aks_useast", "aks-subnet").id
    mine = [a for a in sdk.authorization.role_assignments.list_for_scope(subnet, filter="atScope()")
            if a.principal_id == identity.principal_id]
    for assignment in mine:
        sdk.authorization.role_assignments.delete_by_id(assignment.id)
    role = f"/subscriptions/{sdk.subscription_id}/providers/Microsoft.Authorization/roleDefinitions/" \
           f"{NETWORK_CONTRIBUTOR_ROLE_ID}"
    sdk.authorization.role_assignments.create(subnet, str(uuid.uuid4()), {
        "role_definition_id": role, "principal_id": identity.principal_id, "principal_type": "ServicePrincipal"})
    since = last_index(admin)
    clean(emulator, spec)
    assert writes(admin, since) == []


def test_grant_for_a_new_identity_is_retried_on_principal_not_found(emulator: Any, admin: Any, sdk: Any,
                                                                    tmp_path: Path) -> None:
    """A new identity's service principal replicates for a while: its first grants may answer
    PrincipalNotFound (https://learn.microsoft.com/azure/role-based-access-control/troubleshooting);
    they are retried, and the cluster is written only once both grants exist."""
    spec = spec_copy(tmp_path, "kubenet-route-table.yaml")
    admin.add_fault(method="PUT", path="/providers/Microsoft.Authorization/roleAssignments/", times=2, status=400,
                    code="PrincipalNotFound", message="Principal 0000 does not exist in the directory.")
    since = last_index(admin)
    result = ok(run_cli(emulator, "apply", spec, "--auto-approve"))
    assert "PrincipalNotFound (retryable)" in result.stdout + result.stderr
    entries = writes(admin, since)
    grants = [e["status"] for e in entries if "/roleassignments/" in e["path"].lower()]
    assert sorted(grants) == [201, 201, 400, 400]
    first_cluster = next(i for i, e in enumerate(entries) if "managedclusters" in e["path"].lower())
    assert [e["status"] for e in entries[:first_cluster] if "/roleassignments/" in e["path"].lower()].count(201) == 2
    clean(emulator, spec)
