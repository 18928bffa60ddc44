"""Plan sees the live state that would make the cluster create fail, and refuses before any write:
a route table attached out of band to the node subnet of a kubenet cluster with a SystemAssigned identity
(CustomRouteTableWithUnsupportedMSIType), a subnet already holding another kubenet cluster's nodes, a
delegated subnet. Built with the real SDK against the emulator; plan and apply through the CLI."""

from __future__ import annotations

from typing import Any

import pytest
from aksnet_run import SPECS, aksnet_env, last_index, run_cli, writes

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("aksnet_env")]
__all__ = ["aksnet_env"]
SUB = "00000000-0000-0000-0000-000000000000"
RG = "aks-rg"
KUBENET = str(SPECS / "kubenet.yaml")
SUBNET = (f"/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.Network/virtualNetworks/vNet_aks_useast/"
          "subnets/aks-subnet")


def _network(sdk: Any, **subnet_extra: Any) -> None:
    """The walkthrough's network with the NSG the spec names, plus whatever was done out of band."""
    sdk.resource.resource_groups.create_or_update(RG, {"location": "eastus"})
    nsg = sdk.network.network_security_groups.begin_create_or_update(RG, "aks-nsg", {"location": "eastus"}).result()
    props = {"addressPrefix": "10.100.0.0/16", "networkSecurityGroup": {"id": nsg.id}, **subnet_extra}
    sdk.network.virtual_networks.begin_create_or_update(RG, "vNet_aks_useast", {
        "location": "eastus", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/8"]},
                                             "subnets": [{"name": "aks-subnet", "properties": props}]}}).result()


def _refused(emulator: Any, admin: Any, rule: str, command: str = "plan") -> str:
    since = last_index(admin)
    args = (command, KUBENET) if command == "plan" else (command, KUBENET, "--auto-approve")
    done = run_cli(emulator, *args)
    assert done.code == 1, done.stdout + done.stderr
    assert f"error[{rule}]" in done.stderr and "kubenet.yaml:" in done.stderr, done.stderr
    assert "nothing was sent to Azure" in done.stderr
    assert writes(admin, since) == []
    return done.stderr


def test_route_table_attached_out_of_band_blocks_plan_and_apply(emulator: Any, admin: Any, sdk: Any) -> None:
    sdk.resource.resource_groups.create_or_update(RG, {"location": "eastus"})
    table = sdk.network.route_tables.begin_create_or_update(RG, "aks-route-table", {"location": "eastus"}).result()
    _network(sdk, routeTable={"id": table.id})
    err = _refused(emulator, admin, "AKSNET-LIVE-001")
    assert "aks-route-table" in err and "CustomRouteTableWithUnsupportedMSIType" in err
    _refused(emulator, admin, "AKSNET-LIVE-001", command="apply")
    # Detached (as the walkthrough does before its kubenet create): the plan creates the cluster.
    subnet = sdk.network.subnets.get(RG, "vNet_aks_useast", "aks-subnet")
    subnet.route_table = None
    sdk.network.subnets.begin_create_or_update(RG, "vNet_aks_useast", "aks-subnet", subnet).result()
    plan = run_cli(emulator, "plan", KUBENET, "--detailed-exitcode")
    assert plan.code == 2, plan.stdout + plan.stderr


def test_subnet_holding_another_kubenet_cluster_blocks_plan(emulator: Any, admin: Any, sdk: Any) -> None:
    _network(sdk)
    sdk.aks.managed_clusters.begin_create_or_update(RG, "someone-elses", {
        "location": "eastus", "identity": {"type": "SystemAssigned"},
        "properties": {"dnsPrefix": "other", "agentPoolProfiles": [
            {"name": "nodepool1", "count": 1, "mode": "System", "vnetSubnetID": SUBNET}],
            "networkProfile": {"networkPlugin": "kubenet", "podCidr": "10.245.0.0/16",
                               "serviceCidr": "10.33.0.0/16", "dnsServiceIP": "10.33.0.10"}}}).result()
    err = _refused(emulator, admin, "AKSNET-LIVE-002")
    assert "MC_aks-rg_someone-elses_eastus".lower() in err.lower()


def test_delegated_subnet_blocks_plan(emulator: Any, admin: Any, sdk: Any) -> None:
    _network(sdk, delegations=[{"name": "web", "properties": {"serviceName": "Microsoft.Web/serverFarms"}}])
    err = _refused(emulator, admin, "AKSNET-LIVE-003")
    assert "Microsoft.Web/serverFarms" in err


def test_the_cluster_s_own_state_blocks_nothing(emulator: Any, admin: Any, sdk: Any) -> None:
    """After apply, the kubenet cluster's own (AKS-made) route table sits on the subnet with its nodes:
    the plan is clean, not blocked."""
    assert run_cli(emulator, "apply", KUBENET, "--auto-approve").code == 0
    assert sdk.network.subnets.get(RG, "vNet_aks_useast", "aks-subnet").route_table is not None
    plan = run_cli(emulator, "plan", KUBENET, "--detailed-exitcode")
    assert plan.code == 0, plan.stdout + plan.stderr


def test_an_nsg_attached_out_of_band_is_a_warning_that_plan_shows_and_writes_keep(
        emulator: Any, admin: Any, sdk: Any, tmp_path: Any) -> None:
    """Not a blocker: aksnet leaves an NSG it does not manage attached (an omitted field is Azure's), and
    says so on stderr, located on the subnet, without changing the exit code."""
    from aksnet_run import spec_copy

    spec = spec_copy(tmp_path, "kubenet.yaml", ("        networkSecurityGroup: aks-nsg\n", ""))
    assert run_cli(emulator, "apply", spec, "--auto-approve").code == 0
    portal = sdk.network.network_security_groups.begin_create_or_update(RG, "portal-nsg", {"location": "eastus"}).result()
    subnet = sdk.network.subnets.get(RG, "vNet_aks_useast", "aks-subnet")
    subnet.network_security_group = portal
    sdk.network.subnets.begin_create_or_update(RG, "vNet_aks_useast", "aks-subnet", subnet).result()
    plan = run_cli(emulator, "plan", spec, "--detailed-exitcode")
    assert plan.code == 0 and "No changes" in plan.stdout, plan.stdout + plan.stderr
    assert "warning[AKSNET-LIVE-004]" in plan.stderr and "portal-nsg" in plan.stderr
    assert "kubenet.yaml:" in plan.stderr and "subnets.0.networkSecurityGroup" in plan.stderr
    # A VNet write (a second subnet) keeps the association it does not own.
    grown = spec_copy(tmp_path, "kubenet.yaml", ("        networkSecurityGroup: aks-nsg\n",
                                                 "      - name: jump\n        addressPrefix: 10.101.0.0/24\n"))
    applied = run_cli(emulator, "apply", grown, "--auto-approve")
    assert applied.code == 0 and "AKSNET-LIVE-004" in applied.stderr, applied.stdout + applied.stderr
    assert sorted(s.name for s in sdk.network.subnets.list(RG, "vNet_aks_useast")) == ["aks-subnet", "jump"]
    assert sdk.network.subnets.get(RG, "vNet_aks_useast", "aks-subnet").network_security_group.id == portal.id
