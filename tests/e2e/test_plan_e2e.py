"""`aksnet plan` against the emulator through the real SDK."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from aksnet_run import (
    SPEC_FILES,
    SPECS,
    aksnet_env,
    arm_requests,
    last_index,
    resource_reads,
    run_cli,
    spec_copy,
    writes,
)

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("aksnet_env")]
__all__ = ["aksnet_env"]
SUB = "00000000-0000-0000-0000-000000000000"
RG = f"/subscriptions/{SUB}/resourceGroups/aks-rg"


@pytest.mark.parametrize("spec", SPEC_FILES)
def test_empty_subscription_plans_every_resource_as_create_in_order(emulator: Any, admin: Any, spec: str) -> None:
    result = run_cli(emulator, "plan", str(SPECS / spec), "-o", "json", "--detailed-exitcode")
    assert result.code == 2, result.stderr
    doc = result.json()
    changes = doc["resource_changes"]
    assert changes and all(c["change"]["actions"] == ["create"] for c in changes)
    kinds = [c["kind"] for c in changes]
    # SystemAssigned: the grant follows the cluster; UserAssigned: identity -> grants -> cluster
    assert kinds[0] == "rg" and kinds[-1] == ("aks" if "id" in kinds else "role")
    if "id" in kinds:
        assert kinds.index("id") < kinds.index("role") < kinds.index("aks")
    assert kinds.index("vnet") < kinds.index("aks") and all(kinds.index(k) < kinds.index("vnet") for k in ("nsg",))
    # Read budget: at most one GET per managed resource, and no write at all.
    assert len(resource_reads(admin)) <= len(changes)
    assert writes(admin) == []


def build_kubenet_with_sdk(sdk: Any, assignment_name: str | None = None, dns_prefix: str = "aks-cluster",
                           role_definition_id: str | None = None) -> str:
    """specs/kubenet.yaml built by hand with the SDK clients, the way `az` would; returns the id of the
    Network Contributor assignment (aksnet's deterministic name unless `assignment_name` is given: `az
    aks create` uses a random GUID; `role_definition_id`: the subscription-level id unless given)."""
    from aksnet.core.desired import role_assignment_name
    from aksnet.ids import NETWORK_CONTRIBUTOR_ROLE_ID

    sdk.resource.resource_groups.create_or_update("aks-rg", {"location": "eastus"})
    nsg = sdk.network.network_security_groups.begin_create_or_update(
        "aks-rg", "aks-nsg", {"location": "eastus", "properties": {"securityRules": []}}).result()
    sdk.network.virtual_networks.begin_create_or_update("aks-rg", "vNet_aks_useast", {
        "location": "eastus",
        "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/8"]},
                       "subnets": [{"name": "aks-subnet", "properties": {
                           "addressPrefix": "10.100.0.0/16", "networkSecurityGroup": {"id": nsg.id}}}]},
    }).result()
    subnet = f"{RG}/providers/Microsoft.Network/virtualNetworks/vNet_aks_useast/subnets/aks-subnet"
    cluster = sdk.aks.managed_clusters.begin_create_or_update("aks-rg", "aks-cluster", {
        "location": "eastus", "identity": {"type": "SystemAssigned"},
        "properties": {
            "dnsPrefix": dns_prefix,
            "agentPoolProfiles": [{"name": "nodepool1", "count": 2, "mode": "System", "vnetSubnetID": subnet,
                                   "upgradeSettings": {"maxSurge": "1"}}],
            "networkProfile": {"networkPlugin": "kubenet", "podCidr": "10.244.0.0/16",
                               "serviceCidr": "10.32.0.0/16", "dnsServiceIP": "10.32.0.10"},
            "apiServerAccessProfile": {"authorizedIPRanges": ["39.100.100.100/32"]},
        },
    }).result()
    cluster_id = f"{RG}/providers/Microsoft.ContainerService/managedClusters/aks-cluster"
    name = assignment_name or role_assignment_name(cluster_id, subnet, NETWORK_CONTRIBUTOR_ROLE_ID)
    sdk.authorization.role_assignments.create(subnet, name, {"properties": {
        "roleDefinitionId": role_definition_id or f"/subscriptions/{SUB}/providers/Microsoft.Authorization/"
                                                  f"roleDefinitions/{NETWORK_CONTRIBUTOR_ROLE_ID}",
        "principalId": cluster.identity.principal_id, "principalType": "ServicePrincipal"}})
    return f"{subnet}/providers/Microsoft.Authorization/roleAssignments/{name}"


def test_state_built_with_the_sdk_plans_no_changes(emulator: Any, admin: Any, sdk: Any) -> None:
    build_kubenet_with_sdk(sdk)
    # The emulator filled in AKS defaults and AKS's kubenet route table with its routes: not drift.
    since = last_index(admin)
    result = run_cli(emulator, "plan", str(SPECS / "kubenet.yaml"), "--detailed-exitcode")
    assert result.code == 0, result.stdout + result.stderr
    assert "No changes. Azure matches the spec." in result.stdout
    assert writes(admin, since) == []
    assert len(resource_reads(admin, since)) <= 5


def _apply(emulator: Any, spec: str) -> None:
    result = run_cli(emulator, "apply", spec, "--auto-approve")
    assert result.code == 0, result.stdout + result.stderr


def _plan_json(emulator: Any, spec: str) -> dict[str, Any]:
    result = run_cli(emulator, "plan", spec, "-o", "json")
    doc: dict[str, Any] = result.json()
    # A plan Azure cannot carry out still prints its document, and exits 1 (never 0: nothing to do).
    assert result.code == (0 if doc["applyable"] else 1), result.stderr
    return doc


def _acting(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in doc["resource_changes"] if c["change"]["actions"] != ["no-op"]]


def test_out_of_band_edits_plan_as_update_delete_update(emulator: Any, admin: Any, sdk: Any, tmp_path: Path) -> None:
    spec = spec_copy(tmp_path, "azure-cni.yaml",
                     ("      rules: []", "      rules:\n        - {name: allow-https, priority: 100, direction: Inbound,"
                      " access: Allow, protocol: Tcp, source: Internet, destination: '*', destinationPorts: '443'}"))
    _apply(emulator, spec)
    # NSG rule changed in the portal -> update of the NSG.
    rule = sdk.network.security_rules.get("aks-rg", "aks-nsg", "allow-https")
    body = rule.as_dict()
    sdk.network.security_rules.begin_create_or_update("aks-rg", "aks-nsg", "allow-https", {
        "properties": {**{k: v for k, v in {
            "priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
            "sourceAddressPrefix": "Internet", "sourcePortRange": "*", "destinationAddressPrefix": "*"}.items()},
            "destinationPortRange": "8443"}}).result()
    assert body  # the rule existed as applied
    # Route added by hand to the spec's route table -> delete of that route.
    sdk.network.routes.begin_create_or_update("aks-rg", "aks-route-table", "by-hand", {
        "properties": {"addressPrefix": "0.0.0.0/0", "nextHopType": "Internet"}}).result()
    # Authorized ranges changed -> in-place update of the cluster.
    cluster = sdk.aks.managed_clusters.get("aks-rg", "aks-cluster")
    cluster.api_server_access_profile.authorized_ip_ranges = ["1.2.3.4/32"]
    sdk.aks.managed_clusters.begin_create_or_update("aks-rg", "aks-cluster", cluster).result()

    since = last_index(admin)
    doc = _plan_json(emulator, spec)
    actions = {c["address"]: (c["change"]["actions"], c["aksnet_action"]) for c in _acting(doc)}
    assert actions["nsg.aks-nsg"] == (["update"], "update")
    assert actions["aks.aks-cluster"] == (["update"], "update")
    route = [a for a in actions if "by-hand" in a]
    assert len(route) == 1 and actions[route[0]] == (["delete"], "delete")
    assert writes(admin, since) == []


def test_service_cidr_changed_plans_replace(emulator: Any, admin: Any, sdk: Any) -> None:
    spec = str(SPECS / "azure-cni.yaml")
    _apply(emulator, spec)
    cluster = sdk.aks.managed_clusters.get("aks-rg", "aks-cluster")
    sdk.aks.managed_clusters.begin_delete("aks-rg", "aks-cluster").result()
    raw = cluster.as_dict()
    assert raw
    subnet = f"{RG}/providers/Microsoft.Network/virtualNetworks/vNet_aks_useast/subnets/aks-subnet"
    sdk.aks.managed_clusters.begin_create_or_update("aks-rg", "aks-cluster", {
        "location": "eastus", "identity": {"type": "SystemAssigned"},
        "properties": {
            "dnsPrefix": "aks-cluster",
            "agentPoolProfiles": [{"name": "nodepool1", "count": 2, "mode": "System", "vnetSubnetID": subnet,
                                   "maxPods": 30, "upgradeSettings": {"maxSurge": "1"}}],
            "networkProfile": {"networkPlugin": "azure", "serviceCidr": "10.33.0.0/16", "dnsServiceIP": "10.33.0.10"},
            "apiServerAccessProfile": {"authorizedIPRanges": ["39.51.100.100/32"]},
        }}).result()
    doc = _plan_json(emulator, spec)
    cluster_change = next(c for c in doc["resource_changes"] if c["address"] == "aks.aks-cluster")
    assert cluster_change["change"]["actions"] == ["delete", "create"]
    assert ["properties", "networkProfile", "serviceCidr"] in cluster_change["change"]["replace_paths"]


def test_kubenet_to_overlay_plans_as_migrate_with_prerequisites(emulator: Any, admin: Any, tmp_path: Path) -> None:
    # An overlay pod CIDR must not overlap the VNet (R12), so both sides use 192.168.0.0/16.
    pods = ("podCidr: 10.244.0.0/16", "podCidr: 192.168.0.0/16")
    (tmp_path / "kubenet").mkdir()
    _apply(emulator, spec_copy(tmp_path / "kubenet", "kubenet.yaml", pods))
    overlay = spec_copy(tmp_path, "kubenet.yaml", pods, ("plugin: kubenet", "plugin: azure\n      pluginMode: overlay"))
    doc = _plan_json(emulator, overlay)
    cluster = next(c for c in doc["resource_changes"] if c["address"] == "aks.aks-cluster")
    assert cluster["action_reason"] == "migrate" and cluster["change"]["actions"] == ["update"]
    assert cluster["prerequisites"], "a migrate shows its prerequisites"
    text = run_cli(emulator, "plan", overlay)
    assert "Prerequisites" in text.stdout


def test_walkthrough_overlay_is_unsupported_because_the_pod_cidr_changes(emulator: Any, admin: Any) -> None:
    _apply(emulator, str(SPECS / "kubenet.yaml"))
    doc = _plan_json(emulator, str(SPECS / "azure-cni-overlay.yaml"))
    cluster = next(c for c in doc["resource_changes"] if c["address"] == "aks.aks-cluster")
    assert cluster["action_reason"] == "unsupported"
    assert any(f["path"][-1] == "podCidr" for f in cluster["fields"])
    assert doc["applyable"] is False


def test_invalid_spec_exits_1_without_any_request(emulator: Any, admin: Any, tmp_path: Path) -> None:
    bad = spec_copy(tmp_path, "kubenet.yaml", ("dnsServiceIp: 10.32.0.10", "dnsServiceIp: 10.99.0.10"))
    result = run_cli(emulator, "plan", bad)
    assert result.code == 1
    assert "error[" in result.stderr
    assert arm_requests(admin) == []


def test_machine_formats_hold_one_document_and_out_saves_the_plan(emulator: Any, admin: Any, tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    result = run_cli(emulator, "plan", str(SPECS / "kubenet.yaml"), "-o", "json", "--out", str(out))
    assert result.code == 0
    assert result.json()["summary"]["add"] == 5  # stdout parses as exactly one JSON document
    assert "Lint: " in result.stderr and "AKSNET012" not in result.stderr  # a lint summary line on stderr
    full = run_cli(emulator, "plan", str(SPECS / "kubenet.yaml"), "-o", "json", "--lint", "full")
    assert "AKSNET012" in full.stderr and full.stdout == result.stdout  # --lint full: every finding
    shown = run_cli(None, "show", str(out))
    assert shown.code == 0 and "Plan: 5 to add" in shown.stdout
    markdown = run_cli(emulator, "plan", str(SPECS / "kubenet.yaml"), "-o", "markdown")
    assert markdown.code == 0 and "<details>" in markdown.stdout


def test_several_specs_are_planned_in_one_call(emulator: Any, admin: Any) -> None:
    result = run_cli(emulator, "plan", str(SPECS / "kubenet.yaml"), str(SPECS / "azure-cni.yaml"), "-o", "json")
    assert result.code == 0
    assert len(result.json()["plans"]) == 2


def test_spec_pinning_another_subscription_is_refused(emulator: Any, admin: Any) -> None:
    result = run_cli(emulator, "plan", str(SPECS / "kubenet.yaml"), "--subscription",
                     "99999999-0000-0000-0000-000000000000")
    assert result.code == 1 and "pins subscription" in result.stderr
    assert arm_requests(admin) == []


def test_missing_azure_credential_lists_what_was_tried(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_SECRET", "AZURE_FEDERATED_TOKEN_FILE",
                 "IDENTITY_ENDPOINT", "MSI_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AZURE_TOKEN_CREDENTIALS", "prod")  # environment, workload and managed identity only
    result = run_cli(None, "plan", str(SPECS / "kubenet.yaml"))
    assert result.code == 1
    assert "no Azure credential available" in result.stderr
    assert "EnvironmentCredential" in result.stderr and "ManagedIdentityCredential" in result.stderr


def test_local_starts_the_embedded_emulator_with_its_database_in_aksnet_home(tmp_path: Path) -> None:
    import os

    home = Path(os.environ["AKSNET_HOME"])
    result = run_cli(None, "plan", "--local", str(SPECS / "kubenet.yaml"), "-o", "json")
    assert result.code == 0, result.stderr
    assert result.json()["summary"]["add"] == 5
    assert (home / "emulator.db").exists() and (home / "ca.pem").exists()
