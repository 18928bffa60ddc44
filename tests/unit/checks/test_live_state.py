"""The live-state rules plan checks before any write (aksnet.checks.live_state), each triggered by a
hand-made live VNet body, located on the spec's node subnet."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from paths import REPO

from aksnet.checks.live_state import live_blocking_findings, live_warnings
from aksnet.checks.rules.catalogue import BY_ID
from aksnet.model import Live
from aksnet.spec.load import load_spec

SUB = "00000000-0000-0000-0000-000000000000"
KUBENET = load_spec(str(REPO / "specs" / "kubenet.yaml"))
OVERLAY = load_spec(str(REPO / "specs" / "azure-cni-overlay.yaml"))
VNET = f"/subscriptions/{SUB}/resourceGroups/aks-rg/providers/Microsoft.Network/virtualNetworks/vNet_aks_useast"
OWN_GROUP = "MC_aks-rg_aks-cluster_eastus"


def _live(**subnet: Any) -> dict[str, Live | None]:
    body = {"id": VNET, "properties": {"subnets": [{"name": "aks-subnet", "properties": {
        "addressPrefix": "10.100.0.0/16", **subnet}}]}}
    return {VNET: Live(VNET, body)}


def _table(group: str) -> dict[str, str]:
    return {"id": f"/subscriptions/{SUB}/resourceGroups/{group}/providers/Microsoft.Network/routeTables/rt"}


def _nic(group: str) -> dict[str, str]:
    return {"id": f"/subscriptions/{SUB}/resourceGroups/{group}/providers/Microsoft.Compute/"
                  "virtualMachineScaleSets/aks-nodepool1-1-vmss/virtualMachines/0/networkInterfaces/n/ipConfigurations/i"}


@pytest.mark.parametrize(("rule", "subnet"), [
    ("AKSNET-LIVE-001", {"routeTable": _table("aks-rg")}),
    ("AKSNET-LIVE-002", {"ipConfigurations": [_nic("MC_aks-rg_other_eastus")]}),
    ("AKSNET-LIVE-003", {"delegations": [{"name": "d", "properties": {"serviceName": "Microsoft.Web/serverFarms"}}]}),
])
def test_each_rule_fires_located_on_the_node_subnet(rule: str, subnet: dict[str, Any]) -> None:
    [finding] = live_blocking_findings(KUBENET, _live(**subnet), SUB, creates_cluster=True)
    assert finding.rule == rule and finding.source == BY_ID[rule].source
    assert finding.file.endswith("kubenet.yaml") and finding.line > 0
    assert finding.path.startswith("spec.virtualNetwork.subnets.0")


def test_nothing_blocks_when_the_cluster_is_not_created_or_the_state_is_its_own() -> None:
    busy = _live(routeTable=_table("aks-rg"), ipConfigurations=[_nic("MC_aks-rg_other_eastus")])
    assert live_blocking_findings(KUBENET, busy, SUB, creates_cluster=False) == []
    own = _live(routeTable=_table(OWN_GROUP), ipConfigurations=[_nic(OWN_GROUP)])
    assert live_blocking_findings(KUBENET, own, SUB, creates_cluster=True, node_resource_group=OWN_GROUP) == []
    assert live_blocking_findings(KUBENET, {VNET: None}, SUB, creates_cluster=True) == []


def test_kubenet_only_rules_leave_other_plugins_alone() -> None:
    busy = _live(routeTable=_table("aks-rg"), ipConfigurations=[_nic("MC_aks-rg_other_eastus")])
    assert live_blocking_findings(OVERLAY, busy, SUB, creates_cluster=True) == []


def test_a_user_assigned_identity_may_bring_its_route_table() -> None:
    """kubenet with a BYO route table is valid with a user-assigned identity (configure-kubenet)."""
    spec = dataclasses.replace(KUBENET, cluster=dataclasses.replace(KUBENET.cluster, identity="UserAssigned"))
    assert live_blocking_findings(spec, _live(routeTable=_table("aks-rg")), SUB, creates_cluster=True) == []


def _nsg(group: str) -> dict[str, str]:
    return {"id": f"/subscriptions/{SUB}/resourceGroups/{group}/providers/Microsoft.Network/networkSecurityGroups/portal-nsg"}


def _without_nsg(spec: Any) -> Any:
    vnet = spec.virtual_network
    subnets = tuple(dataclasses.replace(s, network_security_group=None) for s in vnet.subnets)
    return dataclasses.replace(spec, virtual_network=dataclasses.replace(vnet, subnets=subnets))


def test_an_nsg_attached_out_of_band_is_a_located_warning_and_never_blocks() -> None:
    spec = _without_nsg(KUBENET)
    live = _live(networkSecurityGroup=_nsg("aks-rg"))
    assert live_blocking_findings(spec, live, SUB, creates_cluster=True) == []
    [finding] = live_warnings(spec, live, SUB)
    assert finding.rule == "AKSNET-LIVE-004" and finding.severity.value == "warning"
    assert "portal-nsg" in finding.message and finding.path == "spec.virtualNetwork.subnets.0.networkSecurityGroup"
    assert finding.line > 0 and finding.source.startswith("https://learn.microsoft.com/")
    # Named in the spec, it is aksnet's: no warning.
    assert live_warnings(KUBENET, live, SUB) == []


def test_aks_s_own_route_table_is_not_out_of_band_but_another_is() -> None:
    own = _live(routeTable=_table(OWN_GROUP))
    assert live_warnings(KUBENET, own, SUB, node_resource_group=OWN_GROUP) == []
    [finding] = live_warnings(KUBENET, _live(routeTable=_table("aks-rg")), SUB, node_resource_group=OWN_GROUP)
    assert finding.rule == "AKSNET-LIVE-004" and finding.path.endswith(".routeTable")
