"""Planning core on the walkthrough specs with realistic live bodies (pure, no emulator)."""

from __future__ import annotations

import dataclasses

import pytest
from livestate import add_aks_routes, edit, live_state
from paths import REPO

from aksnet.core.desired import desired_state, is_unknown
from aksnet.core.plan import build_plan, summary
from aksnet.ids import Kind
from aksnet.model import Action, Plan
from aksnet.render.json import plan_document, plan_from_document
from aksnet.render.markdown import render_plan_markdown
from aksnet.render.text import render_plan
from aksnet.spec.load import load_spec
from aksnet.spec.types import SecurityRule, Spec

ROOT = REPO
SUB = "00000000-0000-0000-0000-000000000000"
SPECS = ["kubenet", "azure-cni", "azure-cni-overlay"]


def spec_named(name: str) -> Spec:
    return load_spec(str(ROOT / "specs" / f"{name}.yaml"))


def plan_for(spec: Spec, live: dict) -> Plan:  # type: ignore[type-arg]
    return build_plan(desired_state(spec, SUB), live, spec=spec, subscription=SUB)


def with_rule(spec: Spec) -> Spec:
    rule = SecurityRule(name="allow-https", priority=100, direction="Inbound", access="Allow", protocol="Tcp",
                        source=("Internet",), destination=("*",), destination_ports=("443",))
    nsg = dataclasses.replace(spec.network_security_groups[0], rules=(rule,))
    return dataclasses.replace(spec, network_security_groups=(nsg,))


def only(plan: Plan, kind: Kind, action: Action | None = None) -> list:  # type: ignore[type-arg]
    return [c for c in plan.actionable if c.kind is kind and (action is None or c.action is action)]


@pytest.mark.parametrize("name", SPECS)
def test_empty_subscription_creates_everything_in_dependency_waves(name: str) -> None:
    spec = spec_named(name)
    desired = desired_state(spec, SUB)
    plan = build_plan(desired, {rid: None for rid in desired}, spec=spec, subscription=SUB)
    assert {c.action for c in plan.changes} == {Action.CREATE}
    kinds = [[desired[rid].kind for rid in wave] for wave in plan.waves]
    expected = [[Kind.RESOURCE_GROUP], [Kind.NSG, Kind.ROUTE_TABLE][: 1 + len(spec.route_tables)],
                [Kind.VNET], [Kind.CLUSTER], [Kind.ROLE_ASSIGNMENT]]
    assert kinds == expected
    assert summary(plan) == {"add": len(desired), "change": 0, "replace": 0, "destroy": 0}
    assert plan.fingerprints and set(plan.fingerprints.values()) == {"absent"}
    assert plan.spec_hash == spec.sha256 and plan.applyable


def test_desired_bodies_are_arm_wire_format() -> None:
    desired = desired_state(spec_named("kubenet"), SUB)
    cluster = next(d for d in desired.values() if d.kind is Kind.CLUSTER)
    pool = cluster.body["properties"]["agentPoolProfiles"][0]
    # an omitted maxPods is AKS's default (R28), not sent; the spec's pool is the cluster's System pool
    assert "maxPods" not in pool and pool["mode"] == "System"
    assert pool["vnetSubnetID"].endswith("/virtualNetworks/vNet_aks_useast/subnets/aks-subnet")
    assert cluster.body["properties"]["networkProfile"] == {
        "networkPlugin": "kubenet", "podCidr": "10.244.0.0/16", "serviceCidr": "10.32.0.0/16",
        "dnsServiceIP": "10.32.0.10"}
    role = next(d for d in desired.values() if d.kind is Kind.ROLE_ASSIGNMENT)
    assert is_unknown(role.body["properties"]["principalId"])
    assert role.body["properties"]["roleDefinitionId"].endswith("4d97b98b-1d4f-4787-a291-c67834d212e7")
    assert desired_state(spec_named("kubenet"), SUB).keys() == desired.keys()  # deterministic name


@pytest.mark.parametrize("name", SPECS)
def test_converged_state_with_aks_defaults_plans_no_changes(name: str) -> None:
    spec = with_rule(spec_named(name))
    live = live_state(desired_state(spec, SUB))
    if spec.route_tables:  # AKS's routes in a BYO table are AKS's (R55)
        add_aks_routes(live, next(k for k in live if "/routeTables/" in k))
    plan = plan_for(spec, live)
    assert plan.is_empty, render_plan(plan)
    assert render_plan(plan) == "No changes. Azure matches the spec.\n"
    assert all(not v.startswith("absent") for v in plan.fingerprints.values())


def test_kubenet_aks_route_table_association_is_never_drift() -> None:
    spec = spec_named("kubenet")
    live = live_state(desired_state(spec, SUB))
    vnet = next(v for k, v in live.items() if "/virtualNetworks/" in k and "/roleAssignments/" not in k)
    subnet = vnet.body["properties"]["subnets"][0]["properties"]
    assert "MC_aks-rg_aks-cluster_eastus" in subnet["routeTable"]["id"]
    assert plan_for(spec, live).is_empty


def test_nsg_rule_changed_is_an_update_and_casing_is_normalised() -> None:
    spec = with_rule(spec_named("kubenet"))
    live = live_state(desired_state(spec, SUB))
    body = edit(live, "networkSecurityGroups/aks-nsg")
    rule = body["properties"]["securityRules"][0]["properties"]
    rule["protocol"] = "TCP"  # same enum, other casing: not a change
    rule["destinationPortRange"] = "443-443"  # same port range
    rule["sourceAddressPrefix"] = ""
    rule["sourceAddressPrefixes"] = ["10.0.0.0/8", "192.168.0.0/16"]
    plan = plan_for(spec, live)
    [change] = plan.actionable
    assert change.kind is Kind.NSG and change.action is Action.UPDATE
    [field] = change.fields
    assert field.path == ("properties", "securityRules", "allow-https", "sourceAddressPrefix")
    assert field.before == ["10.0.0.0/8", "192.168.0.0/16"] and field.after == "Internet"
    assert summary(plan)["change"] == 1


def test_rule_added_out_of_band_is_a_delete_of_that_rule() -> None:
    spec = spec_named("kubenet")
    live = live_state(desired_state(spec, SUB))
    body = edit(live, "networkSecurityGroups/aks-nsg")
    nsg_id = body["id"]
    body["properties"]["securityRules"].append({
        "name": "ssh-from-anywhere", "id": f"{nsg_id}/securityRules/ssh-from-anywhere",
        "properties": {"priority": 200, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
                       "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "*",
                       "destinationPortRange": "22"}})
    plan = plan_for(spec, live)
    [change] = plan.actionable
    assert change.action is Action.DELETE and change.parent == nsg_id
    assert change.id.endswith("/securityRules/ssh-from-anywhere")
    assert change.address == 'nsg.aks-nsg.securityRules["ssh-from-anywhere"]'
    assert summary(plan) == {"add": 0, "change": 0, "replace": 0, "destroy": 1}
    assert plan.waves == ((change.id,),)


@pytest.mark.parametrize("other_subnets,deletes", [("keep", 0), ("delete", 1)])
def test_a_subnet_the_spec_does_not_list_is_left_alone_unless_the_spec_claims_the_whole_list(
        other_subnets: str, deletes: int) -> None:
    spec = spec_named("kubenet")
    spec = dataclasses.replace(spec, virtual_network=dataclasses.replace(
        spec.virtual_network, delete_other_subnets=other_subnets == "delete"))
    live = live_state(desired_state(spec, SUB))
    body = edit(live, "virtualNetworks/vNet_aks_useast")
    body["properties"]["subnets"].append({  # another spec's or team's subnet in the shared VNet
        "name": "team-b", "id": f"{body['id']}/subnets/team-b", "properties": {"addressPrefix": "10.50.0.0/24"}})
    plan = plan_for(spec, live)
    assert [c.action for c in plan.actionable] == [Action.DELETE] * deletes
    if deletes:
        assert plan.actionable[0].address == 'vnet.vNet_aks_useast.subnets["team-b"]'


def test_hand_route_in_byo_table_is_deleted_while_aks_routes_are_ignored() -> None:
    spec = spec_named("azure-cni")
    live = live_state(desired_state(spec, SUB))
    table = next(k for k in live if "/routeTables/" in k)
    add_aks_routes(live, table, 3)
    body = edit(live, "routeTables/aks-route-table")
    body["properties"]["routes"].append({
        "name": "to-onprem", "id": f"{table}/routes/to-onprem",
        "properties": {"addressPrefix": "192.168.0.0/16", "nextHopType": "VirtualNetworkGateway"}})
    plan = plan_for(spec, live)
    [change] = plan.actionable
    assert change.action is Action.DELETE and change.id.endswith("/routes/to-onprem")
    assert change.parent == table


def test_authorized_ranges_changed_is_an_update() -> None:
    spec = spec_named("kubenet")
    live = live_state(desired_state(spec, SUB))
    body = edit(live, "managedClusters/aks-cluster")
    body["properties"]["apiServerAccessProfile"]["authorizedIPRanges"] = ["0.0.0.0/0"]
    [change] = plan_for(spec, live).actionable
    assert change.action is Action.UPDATE
    [field] = change.fields
    assert field.path == ("properties", "apiServerAccessProfile", "authorizedIPRanges")
    assert (field.before, field.after) == (["0.0.0.0/0"], ["39.100.100.100/32"])
    assert "R62" in field.reason


def test_service_cidr_changed_is_a_replace_with_the_field() -> None:
    spec = spec_named("kubenet")
    live = live_state(desired_state(spec, SUB))
    body = edit(live, "managedClusters/aks-cluster")
    body["properties"]["networkProfile"]["serviceCidr"] = "10.0.0.0/16"
    plan = plan_for(spec, live)
    # The recreated cluster has a new principal: its role assignment is replaced after it.
    [change, role] = plan.actionable
    assert change.action is Action.REPLACE and change.kind is Kind.CLUSTER
    assert role.action is Action.REPLACE and role.kind is Kind.ROLE_ASSIGNMENT
    assert [f.path for f in change.fields] == [("properties", "networkProfile", "serviceCidr")]
    assert "# forces replacement" in render_plan(plan)
    doc = plan_document(plan)
    [rc] = [r for r in doc["resource_changes"] if r["address"] == change.address]
    assert rc["change"]["actions"] == ["delete", "create"]
    assert rc["change"]["replace_paths"] == [["properties", "networkProfile", "serviceCidr"]]
    assert doc["summary"] == {"add": 0, "change": 0, "replace": 2, "destroy": 0}


def test_kubenet_to_overlay_same_pod_cidr_is_a_migrate_with_prerequisites() -> None:
    kubenet = spec_named("kubenet")
    live = live_state(desired_state(kubenet, SUB))
    net = dataclasses.replace(kubenet.cluster.network, plugin="azure", plugin_mode="overlay")
    overlay = dataclasses.replace(kubenet, cluster=dataclasses.replace(kubenet.cluster, network=net))
    plan = plan_for(overlay, live)
    [change] = plan.actionable
    assert change.action is Action.MIGRATE
    assert {f.path[-1] for f in change.fields} == {"networkPlugin", "networkPluginMode"}
    met = {p.description.split(" (")[0]: p.met for p in change.prerequisites}
    assert met["Kubernetes >= 1.27"] is True
    assert any("user-assigned" in d and not ok for d, ok in met.items())
    assert plan.applyable and summary(plan)["change"] == 1
    doc = plan_document(plan)
    [rc] = [r for r in doc["resource_changes"] if r["aksnet_action"] == "migrate"]
    assert rc["change"]["actions"] == ["update"] and rc["action_reason"] == "migrate"
    assert "Prerequisites" in render_plan(plan)


def test_walkthrough_kubenet_to_overlay_spec_is_unsupported_because_of_the_pod_cidr() -> None:
    live = live_state(desired_state(spec_named("kubenet"), SUB))
    plan = plan_for(spec_named("azure-cni-overlay"), live)
    cluster = next(c for c in plan.changes if c.kind is Kind.CLUSTER)
    assert cluster.action is Action.UNSUPPORTED
    pod = next(f for f in cluster.fields if f.path[-1] == "podCidr")
    assert pod.action is Action.UNSUPPORTED and "does not contain 10.244.0.0/16" in pod.reason
    assert not plan.applyable
    assert "172.17.0.0/16" in render_plan(plan) and "cannot be applied" in render_plan(plan)
    assert plan_document(plan)["applyable"] is False


def test_prefix_change_of_an_in_use_subnet_is_unsupported() -> None:
    spec = spec_named("kubenet")
    live = live_state(desired_state(spec, SUB))
    body = edit(live, "virtualNetworks/vNet_aks_useast")
    body["properties"]["subnets"][0]["properties"]["addressPrefix"] = "10.100.0.0/20"
    [change] = plan_for(spec, live).actionable
    assert change.kind is Kind.VNET and change.action is Action.UNSUPPORTED
    assert "InUseSubnetCannotBeUpdated" in change.fields[0].reason


def test_omitted_max_pods_is_not_owned_but_written() -> None:
    spec = spec_named("azure-cni")
    live = live_state(desired_state(spec, SUB))
    body = edit(live, "managedClusters/aks-cluster")
    body["properties"]["agentPoolProfiles"][0]["maxPods"] = 250
    assert plan_for(spec, live).is_empty


def test_saved_plan_round_trips() -> None:
    live = live_state(desired_state(spec_named("kubenet"), SUB))
    plan = plan_for(spec_named("azure-cni-overlay"), live)
    assert plan_from_document(plan_document(plan)) == plan
    md = render_plan_markdown(plan)
    assert md.index("</details>") < md.index("**Plan:")
