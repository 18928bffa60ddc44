"""Destroy plans (reverse dependency waves, resource group kept) and saved-plan staleness. Pure."""

from __future__ import annotations

from livestate import edit, live_state
from paths import REPO

from aksnet.core.desired import desired_state
from aksnet.core.plan import build_plan, destroy_plan, stale_reasons
from aksnet.ids import Kind
from aksnet.model import Action, Live
from aksnet.spec.load import load_spec

ROOT = REPO
SUB = "00000000-0000-0000-0000-000000000000"


def _state(name: str = "azure-cni") -> tuple:  # type: ignore[type-arg]
    spec = load_spec(str(ROOT / "specs" / f"{name}.yaml"))
    desired = desired_state(spec, SUB)
    return spec, desired, live_state(desired)


def test_destroy_deletes_dependents_first_and_keeps_the_group() -> None:
    spec, desired, live = _state()
    plan = destroy_plan(desired, live, include_group=False, spec_path=spec.file, spec_hash=spec.sha256,
                        subscription=SUB)
    kinds = [c.kind for c in plan.changes]
    assert all(c.action is Action.DELETE for c in plan.changes)
    assert Kind.RESOURCE_GROUP not in kinds
    assert kinds.index(Kind.ROLE_ASSIGNMENT) < kinds.index(Kind.CLUSTER) < kinds.index(Kind.VNET)
    assert kinds.index(Kind.VNET) < kinds.index(Kind.NSG) and kinds.index(Kind.VNET) < kinds.index(Kind.ROUTE_TABLE)
    with_group = destroy_plan(desired, live, include_group=True, spec_path=spec.file, spec_hash=spec.sha256,
                              subscription=SUB)
    assert with_group.changes[-1].kind is Kind.RESOURCE_GROUP


def test_destroy_skips_what_does_not_exist() -> None:
    spec, desired, live = _state()
    cluster = next(rid for rid, d in desired.items() if d.kind is Kind.CLUSTER)
    gone = {rid: (None if rid == cluster else value) for rid, value in live.items()}
    plan = destroy_plan(desired, gone, include_group=False, spec_path=spec.file, spec_hash=spec.sha256,
                        subscription=SUB)
    assert cluster not in {c.id for c in plan.changes} and plan.changes


def test_saved_plan_goes_stale_when_azure_or_the_spec_changes() -> None:
    spec, desired, live = _state()
    saved = build_plan(desired, live, spec=spec, subscription=SUB)
    assert stale_reasons(saved, spec.sha256, live) == []
    assert stale_reasons(saved, "another-hash", live) == [f"the spec {spec.file} changed"]
    changed = dict(live)
    nsg = next(rid for rid in live if "/networkSecurityGroups/" in rid)
    body = edit(changed, "/networkSecurityGroups/aks-nsg")
    body["properties"]["securityRules"] = [{"name": "added-in-the-portal"}]
    changed[nsg] = Live(id=nsg, body=body, etag='W/"written-in-the-portal"')
    assert stale_reasons(saved, spec.sha256, changed) == [f"{nsg} changed in Azure"]
