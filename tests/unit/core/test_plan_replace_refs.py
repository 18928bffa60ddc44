"""A replaced cluster gets a new system-assigned principal, so what names the old one is replaced too."""

from __future__ import annotations

from livestate import PRINCIPAL, edit, live_state
from paths import REPO

from aksnet.core.desired import desired_state, is_unknown
from aksnet.core.plan import build_plan, summary
from aksnet.ids import Kind
from aksnet.model import Action
from aksnet.spec.load import load_spec

ROOT = REPO
SUB = "00000000-0000-0000-0000-000000000000"


def test_cluster_replace_replaces_its_role_assignment_after_it() -> None:
    spec = load_spec(str(ROOT / "specs" / "azure-cni.yaml"))
    desired = desired_state(spec, SUB)
    live = live_state(desired)
    network = edit(live, "managedClusters/aks-cluster")["properties"]["networkProfile"]
    network["serviceCidr"], network["dnsServiceIP"] = "10.31.0.0/16", "10.31.0.10"
    plan = build_plan(desired, live, spec=spec, subscription=SUB)
    by_kind = {c.kind: c for c in plan.actionable}
    assert set(by_kind) == {Kind.CLUSTER, Kind.ROLE_ASSIGNMENT}
    assert by_kind[Kind.CLUSTER].action is Action.REPLACE
    role = by_kind[Kind.ROLE_ASSIGNMENT]
    assert role.action is Action.REPLACE
    [field] = role.fields
    assert field.path == ("properties", "principalId") and field.before == PRINCIPAL
    assert is_unknown(role.after["properties"]["principalId"] if role.after else None)
    assert plan.waves == ((by_kind[Kind.CLUSTER].id,), (role.id,))
    assert summary(plan) == {"add": 0, "change": 0, "replace": 2, "destroy": 0}


def test_cluster_update_keeps_its_role_assignment() -> None:
    spec = load_spec(str(ROOT / "specs" / "azure-cni.yaml"))
    desired = desired_state(spec, SUB)
    live = live_state(desired)
    edit(live, "managedClusters/aks-cluster")["properties"]["agentPoolProfiles"][0]["count"] = 3
    plan = build_plan(desired, live, spec=spec, subscription=SUB)
    assert [(c.kind, c.action) for c in plan.actionable] == [(Kind.CLUSTER, Action.UPDATE)]
