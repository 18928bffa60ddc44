"""`aksnet apply` scenarios against the emulator through the real SDK and CLI:
migrations (R58), replace, owned children removed, in-place updates, the lock wait, retries of a busy
cluster and of a not-yet-replicated principal, and one write at a time per virtual network."""

from __future__ import annotations

import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from aksnet_run import SPECS, aksnet_env, arm_requests, last_index, run_cli, spec_copy, writes

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("aksnet_env")]
__all__ = ["aksnet_env"]

RG, CLUSTER = "aks-rg", "aks-cluster"
NETWORK_CONTRIBUTOR = "4d97b98b-1d4f-4787-a291-c67834d212e7"


def _path(entry: dict[str, Any]) -> str:
    return str(entry["path"]).split("?")[0]


def _apply(emulator: Any, spec: str, *flags: str) -> Any:
    result = run_cli(emulator, "apply", spec, "--auto-approve", *flags)
    return result


def _applied(emulator: Any, spec: str, *flags: str) -> Any:
    result = _apply(emulator, spec, *flags)
    assert result.code == 0, result.stdout + result.stderr
    return result


def _clean(emulator: Any, spec: str) -> None:
    plan = run_cli(emulator, "plan", spec, "--detailed-exitcode")
    assert plan.code == 0 and "No changes" in plan.stdout, plan.stdout + plan.stderr


def _network_assignments(sdk: Any, scope: str) -> list[Any]:
    return [a for a in sdk.authorization.role_assignments.list_for_scope(scope)
            if a.role_definition_id.lower().endswith(NETWORK_CONTRIBUTOR) and a.scope.lower() == scope.lower()]


def _aks_route_table(sdk: Any) -> tuple[str, str]:
    """(resource group, name) of the route table associated with the node subnet (AKS's with kubenet)."""
    subnet = sdk.network.subnets.get(RG, "vNet_aks_useast", "aks-subnet")
    assert subnet.route_table is not None
    parts = subnet.route_table.id.split("/")
    return parts[4], parts[-1]


# 1. Azure CNI (node subnet) -> Azure CNI Overlay, the supported one-way in-place migration (R58).
def test_azure_cni_to_overlay_migrates_only_with_allow_migrate(emulator: Any, admin: Any, sdk: Any,
                                                               tmp_path: Path) -> None:
    _applied(emulator, str(SPECS / "azure-cni.yaml"))
    overlay = spec_copy(tmp_path, "azure-cni.yaml", ("      plugin: azure\n",
                                                     "      plugin: azure\n      pluginMode: overlay\n"
                                                     "      podCidr: 172.17.0.0/16\n"))
    plan = run_cli(emulator, "plan", overlay, "--detailed-exitcode")
    assert plan.code == 2, plan.stdout + plan.stderr
    assert "Prerequisites (R58):" in plan.stdout and "[ ]" not in plan.stdout
    assert "[x] podCidr set in the spec" in plan.stdout and "--allow-migrate" in plan.stdout

    since = last_index(admin)
    refused = _apply(emulator, overlay)
    assert refused.code == 1 and "--allow-migrate" in refused.stderr
    assert writes(admin, since) == []

    result = _applied(emulator, overlay, "--allow-migrate")
    assert "1 changed" in result.stdout
    puts = [_path(e) for e in writes(admin, since)]
    assert [p.rsplit("/", 2)[-2:] for p in puts] == [["managedClusters", CLUSTER]]  # in place: one PUT, no DELETE
    network = sdk.aks.managed_clusters.get(RG, CLUSTER).network_profile
    assert (network.network_plugin, network.network_plugin_mode, network.pod_cidr) == ("azure", "overlay",
                                                                                        "172.17.0.0/16")
    _clean(emulator, overlay)


# 2. kubenet -> overlay whose only unmet prerequisite is the identity (R58: a user-assigned identity).
def test_kubenet_to_overlay_with_an_unmet_prerequisite_is_refused_even_with_allow_migrate(
        emulator: Any, admin: Any, sdk: Any, tmp_path: Path) -> None:
    # A /9 VNet keeps the pod CIDR 10.244.0.0/16 outside it, so only the identity prerequisite fails.
    kubenet = spec_copy(tmp_path, "kubenet.yaml", ("addressSpace: [10.0.0.0/8]", "addressSpace: [10.0.0.0/9]"))
    _applied(emulator, kubenet)
    overlay = str(tmp_path / "overlay.yaml")
    Path(overlay).write_text(Path(kubenet).read_text().replace("plugin: kubenet",
                                                                "plugin: azure\n      pluginMode: overlay"))
    plan = run_cli(emulator, "plan", overlay)
    assert plan.code == 0, plan.stdout + plan.stderr
    unmet = [line for line in plan.stdout.splitlines() if "[ ]" in line]
    assert len(unmet) == 1 and "user-assigned cluster identity" in unmet[0], plan.stdout

    since = last_index(admin)
    refused = _apply(emulator, overlay, "--allow-migrate")
    assert refused.code == 1
    assert "prerequisites not met" in refused.stderr and "user-assigned cluster identity" in refused.stderr
    assert writes(admin, since) == []
    assert sdk.aks.managed_clusters.get(RG, CLUSTER).network_profile.network_plugin == "kubenet"


# 3. Replace: the service CIDR and DNS service IP are fixed at creation (R57).
@pytest.mark.parametrize("name", ["azure-cni.yaml", "kubenet.yaml"])
def test_service_cidr_change_replaces_the_cluster_only_with_allow_delete(emulator: Any, admin: Any, sdk: Any,
                                                                         tmp_path: Path, name: str) -> None:
    _applied(emulator, str(SPECS / name))
    before = sdk.aks.managed_clusters.get(RG, CLUSTER).identity.principal_id
    changed = spec_copy(tmp_path, name, ("serviceCidr: 10.32.0.0/16", "serviceCidr: 10.33.0.0/16"),
                        ("dnsServiceIp: 10.32.0.10", "dnsServiceIp: 10.33.0.10"))
    since = last_index(admin)
    refused = _apply(emulator, changed)
    assert refused.code == 1 and "--allow-delete" in refused.stderr and "aks-cluster (replace)" in refused.stderr
    assert writes(admin, since) == []

    result = _applied(emulator, changed, "--allow-delete")
    before_writes = result.stdout.partition("Destroying...")[0]
    assert "# aks.aks-cluster must be replaced" in before_writes
    assert ("Warning: aks.aks-cluster will be DELETED, then created again (the service CIDR is fixed at "
            "creation (R57)); it does not exist in between") in before_writes
    # The recreated cluster has a new principal, so its Network Contributor assignment is replaced too.
    assert "# role.aks-cluster-network-contributor must be replaced" in before_writes
    assert "2 replaced" in result.stdout
    cluster_writes = [(e["method"], e["status"]) for e in writes(admin, since)
                      if _path(e).lower().endswith("/managedclusters/aks-cluster")]
    assert [m for m, _ in cluster_writes] == ["DELETE", "PUT"], cluster_writes
    cluster = sdk.aks.managed_clusters.get(RG, CLUSTER)
    assert (cluster.network_profile.service_cidr, cluster.network_profile.dns_service_ip) == ("10.33.0.0/16",
                                                                                              "10.33.0.10")
    after = cluster.identity.principal_id
    assert after != before
    subnet_id = sdk.network.subnets.get(RG, "vNet_aks_useast", "aks-subnet").id
    assert [a.principal_id for a in _network_assignments(sdk, subnet_id)] == [after]
    if name == "kubenet.yaml":  # the new cluster's AKS route table and one route per node (R54, R55)
        group, table = _aks_route_table(sdk)
        assert len(list(sdk.network.routes.list(group, table))) == 2
    _clean(emulator, changed)


NSG_RULES = """      rules:
        - name: allow-https
          priority: 100
          direction: Inbound
          access: Allow
          protocol: Tcp
          source: Internet
          destination: '*'
          destinationPorts: '443'
        - name: deny-telnet
          priority: 200
          direction: Inbound
          access: Deny
          protocol: Tcp
          source: Internet
          destination: '*'
          destinationPorts: '23'
"""
ROUTES = """      routes:
        - name: to-onprem
          addressPrefix: 192.168.0.0/16
          nextHopType: VirtualAppliance
          nextHopIpAddress: 10.1.0.4
"""
AKS_NAMED_ROUTE = "aks-nodepool1-12345678-vmss000000"


# 4. Children the spec no longer lists are deleted, with consent; AKS's routes never (R55).
def test_rules_and_routes_dropped_from_the_spec_are_deleted_with_consent(emulator: Any, admin: Any, sdk: Any,
                                                                         tmp_path: Path) -> None:
    full = spec_copy(tmp_path, "azure-cni.yaml", ("      rules: []\n", NSG_RULES), ("      routes: []\n", ROUTES))
    _applied(emulator, full)
    assert sorted(r.name for r in sdk.network.security_rules.list(RG, "aks-nsg")) == ["allow-https", "deny-telnet"]
    # A route named like the ones AKS writes (cloud-provider-azure azure_routes.go) is AKS's, never ours.
    sdk.network.routes.begin_create_or_update(RG, "aks-route-table", AKS_NAMED_ROUTE, {
        "properties": {"addressPrefix": "10.244.0.0/24", "nextHopType": "VirtualAppliance",
                       "nextHopIpAddress": "10.100.0.4"}}).result()
    smaller = str(tmp_path / "smaller.yaml")
    Path(smaller).write_text(Path(full).read_text().replace(NSG_RULES, NSG_RULES.split("        - name: deny")[0])
                             .replace(ROUTES, "      routes: []\n"))
    plan = run_cli(emulator, "plan", smaller)
    assert plan.code == 0, plan.stdout + plan.stderr
    assert "Plan: 0 to add, 0 to change, 0 to replace, 2 to destroy." in plan.stdout
    assert 'securityRules["deny-telnet"]' in plan.stdout and 'routes["to-onprem"]' in plan.stdout
    assert AKS_NAMED_ROUTE not in plan.stdout

    since = last_index(admin)
    refused = _apply(emulator, smaller)
    assert refused.code == 1 and "--allow-delete" in refused.stderr
    assert writes(admin, since) == []

    result = _applied(emulator, smaller, "--allow-delete")
    assert "2 destroyed" in result.stdout
    assert [r.name for r in sdk.network.security_rules.list(RG, "aks-nsg")] == ["allow-https"]
    assert [r.name for r in sdk.network.routes.list(RG, "aks-route-table")] == [AKS_NAMED_ROUTE]
    assert {e["method"] for e in writes(admin, since)} == {"DELETE"}
    _clean(emulator, smaller)


def test_aks_kubenet_routes_survive_an_apply_that_deletes_an_nsg_rule(emulator: Any, admin: Any, sdk: Any,
                                                                      tmp_path: Path) -> None:
    full = spec_copy(tmp_path, "kubenet.yaml", ("      rules: []\n", NSG_RULES))
    _applied(emulator, full)
    group, table = _aks_route_table(sdk)
    aks_routes = sorted(r.name for r in sdk.network.routes.list(group, table))
    assert len(aks_routes) == 2  # one per node (R55)
    smaller = str(tmp_path / "smaller.yaml")
    Path(smaller).write_text(Path(full).read_text().replace(NSG_RULES, NSG_RULES.split("        - name: deny")[0]))
    result = _applied(emulator, smaller, "--allow-delete")
    assert "1 destroyed" in result.stdout
    assert sorted(r.name for r in sdk.network.routes.list(group, table)) == aks_routes
    assert _aks_route_table(sdk) == (group, table)
    _clean(emulator, smaller)


# 5. In place: authorized ranges (R62) and a scale; kubenet routes follow the nodes (R55).
def test_authorized_ranges_and_scale_update_in_place(emulator: Any, admin: Any, sdk: Any, tmp_path: Path) -> None:
    _applied(emulator, str(SPECS / "kubenet.yaml"))
    changed = spec_copy(tmp_path, "kubenet.yaml",
                        ("authorizedIpRanges: [39.100.100.100/32]", "authorizedIpRanges: [39.100.100.0/24, 52.1.1.1/32]"),
                        ("count: 2", "count: 3"))
    since = last_index(admin)
    result = _applied(emulator, changed)
    assert "0 added, 1 changed, 0 replaced, 0 destroyed" in result.stdout
    assert [(e["method"], _path(e).rsplit("/", 1)[-1]) for e in writes(admin, since)] == [("PUT", CLUSTER)]
    cluster = sdk.aks.managed_clusters.get(RG, CLUSTER)
    assert sorted(cluster.api_server_access_profile.authorized_ip_ranges) == ["39.100.100.0/24", "52.1.1.1/32"]
    assert cluster.agent_pool_profiles[0].count == 3
    group, table = _aks_route_table(sdk)
    assert len(list(sdk.network.routes.list(group, table))) == 3
    _clean(emulator, changed)


# 6. --lock-timeout: the second apply waits for the holder instead of failing fast.
def test_lock_timeout_waits_for_the_holder_then_applies(emulator: Any, admin: Any) -> None:
    from aksnet.live.locking import spec_lock
    from aksnet.workflows.targets import aksnet_home

    spec = str(SPECS / "kubenet.yaml")
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with spec_lock(aksnet_home(), spec):
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    assert held.wait(5)
    timer = threading.Timer(1.0, release.set)
    timer.start()
    start = time.time()  # wall clock, like the journal's times
    try:
        result = _apply(emulator, spec, "--lock-timeout", "30")
    finally:
        release.set()
        holder.join()
    assert result.code == 0, result.stdout + result.stderr
    assert time.time() - start >= 1.0
    # Nothing was sent before the holder let go (~1 s after the start).
    assert min(datetime.fromisoformat(e["time"]).timestamp() for e in arm_requests(admin)) >= start + 0.9
    assert "5 added" in result.stdout


# 7. Retries: a busy cluster is awaited; PrincipalNotFound right after create is retried.
def test_apply_waits_for_a_cluster_operation_in_flight(emulator: Any, admin: Any, sdk: Any, tmp_path: Path) -> None:
    _applied(emulator, str(SPECS / "kubenet.yaml"))
    admin.config(default_aks_duration=2.0)
    cluster = sdk.aks.managed_clusters.get(RG, CLUSTER)
    cluster.tags = {"touched-by": "someone-else"}
    poller = sdk.aks.managed_clusters.begin_create_or_update(RG, CLUSTER, cluster)
    assert sdk.aks.managed_clusters.get(RG, CLUSTER).provisioning_state == "Updating"
    changed = spec_copy(tmp_path, "kubenet.yaml", ("authorizedIpRanges: [39.100.100.100/32]",
                                                   "authorizedIpRanges: [39.100.100.101/32]"))
    since = last_index(admin)
    result = _applied(emulator, changed)
    poller.result()
    cluster_puts = [e["status"] for e in writes(admin, since) if _path(e).endswith(f"/managedClusters/{CLUSTER}")]
    assert cluster_puts == [200], cluster_puts  # sent once, after the other operation finished
    after = sdk.aks.managed_clusters.get(RG, CLUSTER)
    assert after.api_server_access_profile.authorized_ip_ranges == ["39.100.100.101/32"]
    assert after.tags == {"touched-by": "someone-else"}  # the other actor's update is kept
    assert "1 changed" in result.stdout
    _clean(emulator, changed)


def test_operation_not_allowed_from_a_busy_cluster_is_retried(emulator: Any, admin: Any, sdk: Any,
                                                             tmp_path: Path) -> None:
    _applied(emulator, str(SPECS / "kubenet.yaml"))
    admin.add_fault(method="PUT", path="/managedClusters/aks-cluster$", times=1, status=409,
                    code="OperationNotAllowed", message="Operation is not allowed because there's an in progress "
                    "operation on the managed cluster aks-cluster.")
    changed = spec_copy(tmp_path, "kubenet.yaml", ("authorizedIpRanges: [39.100.100.100/32]",
                                                   "authorizedIpRanges: [39.100.100.101/32]"))
    since = last_index(admin)
    result = _applied(emulator, changed)
    assert "OperationNotAllowed (retryable)" in result.stdout
    statuses = [e["status"] for e in writes(admin, since) if _path(e).endswith(f"/managedClusters/{CLUSTER}")]
    assert statuses == [409, 200]
    assert sdk.aks.managed_clusters.get(RG, CLUSTER).api_server_access_profile.authorized_ip_ranges == [
        "39.100.100.101/32"]
    _clean(emulator, changed)


def test_principal_not_found_after_cluster_create_is_retried(emulator: Any, admin: Any, sdk: Any) -> None:
    spec = str(SPECS / "kubenet.yaml")
    admin.add_fault(method="PUT", path="/providers/Microsoft.Authorization/roleAssignments/", times=2, status=400,
                    code="PrincipalNotFound", message="Principal 0000 does not exist in the directory.")
    result = _applied(emulator, spec)
    assert "PrincipalNotFound (retryable)" in result.stdout
    statuses = [e["status"] for e in writes(admin) if "/roleassignments/" in _path(e).lower()]
    assert statuses == [400, 400, 201]
    principal = sdk.aks.managed_clusters.get(RG, CLUSTER).identity.principal_id
    subnet_id = sdk.network.subnets.get(RG, "vNet_aks_useast", "aks-subnet").id
    assert [a.principal_id for a in _network_assignments(sdk, subnet_id)] == [principal]
    _clean(emulator, spec)


SUBNETS = """      - name: aks-subnet
        addressPrefix: 10.100.0.0/16
        networkSecurityGroup: aks-nsg
"""
EXTRA_SUBNETS = "".join(f"      - name: extra-{i}\n        addressPrefix: 10.{200 + i}.0.0/24\n" for i in range(3))


# 8. Never two writes to one virtual network at once (RetryableErrorDueToAnotherOperation).
def test_subnet_changes_are_one_vnet_write_and_subnet_deletes_never_overlap(emulator: Any, admin: Any, sdk: Any,
                                                                           tmp_path: Path) -> None:
    # The spec claims the VNet's whole subnet list, so a subnet it drops is a delete (with consent).
    many = spec_copy(tmp_path, "kubenet.yaml", (SUBNETS, SUBNETS + EXTRA_SUBNETS),
                     ("    subnets:\n", "    otherSubnets: delete\n    subnets:\n"))
    _applied(emulator, many)
    # Two subnets change and one goes: the applier sends one VNet PUT (ARM removes the subnet it omits).
    edited = str(tmp_path / "edited.yaml")
    Path(edited).write_text(Path(many).read_text().replace("10.200.0.0/24", "10.200.1.0/24")
                            .replace("10.201.0.0/24", "10.201.1.0/24")
                            .replace("      - name: extra-2\n        addressPrefix: 10.202.0.0/24\n", ""))
    since = last_index(admin)
    _applied(emulator, edited, "--allow-delete")
    vnet_writes = [(e["method"], _path(e)) for e in writes(admin, since) if "/virtualnetworks/" in _path(e).lower()]
    assert [m for m, _ in vnet_writes] == ["PUT"], vnet_writes
    assert sorted(s.name for s in sdk.network.subnets.list(RG, "vNet_aks_useast")) == ["aks-subnet", "extra-0",
                                                                                       "extra-1"]
    _clean(emulator, edited)

    # Two subnets go and nothing else changes: two deletes through the subnet endpoint, one at a time.
    admin.config(default_network_duration=0.6)
    only_node = spec_copy(tmp_path, "kubenet.yaml", ("    subnets:\n", "    otherSubnets: delete\n    subnets:\n"))
    since = last_index(admin)
    _applied(emulator, only_node, "--allow-delete")
    deletes = [e for e in writes(admin, since) if e["method"] == "DELETE"]
    assert sorted(_path(e).rsplit("/", 1)[-1] for e in deletes) == ["extra-0", "extra-1"]
    first, second = (datetime.fromisoformat(e["time"]).timestamp() for e in deletes)
    assert second - first >= 0.6, "the second subnet delete started while the first was still running"
    assert [s.name for s in sdk.network.subnets.list(RG, "vNet_aks_useast")] == ["aks-subnet"]
