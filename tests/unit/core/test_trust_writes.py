"""Pure pieces of apply's guarantees: a Failed resource is a change (with its reason), a 412 re-check
accepts only the planned change, a saved plan proves it is the plan the spec yields, and a saved
plan's target must be the one it is applied to."""

from __future__ import annotations

from typing import Any

from builders import walkthrough

from aksnet.core.desired import desired_state
from aksnet.core.diff import DiffContext, diff_resource
from aksnet.core.plan import tampered_reasons
from aksnet.ids import Kind
from aksnet.live.steps import still_planned
from aksnet.model import Action, Change, FieldChange, Live, Plan
from aksnet.workflows.targets import TargetOptions, apply_command, target_mismatch

SUB = "00000000-0000-0000-0000-000000000000"
NSG = f"/subscriptions/{SUB}/resourceGroups/aks-rg/providers/Microsoft.Network/networkSecurityGroups/aks-nsg"
VNET = f"/subscriptions/{SUB}/resourceGroups/aks-rg/providers/Microsoft.Network/virtualNetworks/vnet"


def _nsg_desired() -> Any:
    return next(d for d in desired_state(walkthrough(), SUB).values() if d.kind is Kind.NSG)


def _live(desired: Any, **properties: Any) -> Live:
    body = {**desired.body, "etag": 'W/"1"', "properties": {**desired.body.get("properties", {}), **properties}}
    return Live(desired.id, body)


def test_failed_provisioning_state_is_an_update_with_its_reason() -> None:
    nsg = _nsg_desired()
    assert diff_resource(nsg, _live(nsg, provisioningState="Succeeded"), context=DiffContext()).action is Action.NOOP
    failed = diff_resource(nsg, _live(nsg, provisioningState="Failed"), context=DiffContext())
    assert failed.action is Action.UPDATE
    assert failed.reason.startswith("provisioning failed")
    assert [f.path for f in failed.fields] == [("properties", "provisioningState")]


def test_canceled_provisioning_state_is_an_update_too() -> None:
    # `az aks operation-abort` leaves the cluster Canceled: its last PUT never finished.
    nsg = _nsg_desired()
    canceled = diff_resource(nsg, _live(nsg, provisioningState="Canceled"), context=DiffContext())
    assert canceled.action is Action.UPDATE and canceled.reason.startswith("provisioning canceled")
    assert [(f.path, f.before) for f in canceled.fields] == [(("properties", "provisioningState"), "Canceled")]


def test_aks_provisioning_error_is_the_reason() -> None:
    nsg = _nsg_desired()
    live = _live(nsg, provisioningState="Failed",
                 status={"provisioningError": {"code": "QuotaExceeded", "message": "no cores left"}})
    change = diff_resource(nsg, live, context=DiffContext())
    assert change.reason.startswith("provisioning failed: QuotaExceeded: no cores left")


def _change(action: Action, *fields: FieldChange, rid: str = NSG, parent: str | None = None) -> Change:
    return Change(rid, Kind.NSG, "aks-nsg", action, fields=fields, parent=parent)


TAG = FieldChange(("tags", "team"), "net", "platform", Action.UPDATE)


def test_still_planned_after_a_412() -> None:
    planned = _change(Action.UPDATE, TAG)
    assert still_planned(planned, _change(Action.UPDATE, TAG))  # a foreign tag elsewhere: same change
    assert not still_planned(planned, _change(Action.UPDATE, FieldChange(("tags", "team"), "other", "platform",
                                                                        Action.UPDATE)))
    assert not still_planned(planned, _change(Action.NOOP))
    assert not still_planned(planned, _change(Action.REPLACE, TAG))
    created = _change(Action.CREATE)
    assert still_planned(created, _change(Action.UPDATE, TAG))  # appeared meanwhile: read-modify-write
    assert still_planned(created, _change(Action.NOOP))
    assert not still_planned(created, _change(Action.REPLACE))


def _plan(*changes: Change, fingerprints: dict[str, str] | None = None) -> Plan:
    prints = {c.parent or c.id: "absent" for c in changes} if fingerprints is None else fingerprints
    return Plan(changes=changes, waves=(), fingerprints=prints, spec_hash="h", subscription=SUB)


def test_tampered_reasons() -> None:
    fresh = _plan(_change(Action.CREATE))
    assert tampered_reasons(_plan(_change(Action.CREATE)), fresh) == []
    assert tampered_reasons(_plan(_change(Action.CREATE, rid=NSG.upper())), fresh) == []  # ARM ids: any case
    moved = tampered_reasons(_plan(_change(Action.CREATE, rid=VNET)), fresh)
    assert any("does not yield" in p and VNET.lower() in p for p in moved)
    assert any("leaves out" in p for p in moved)
    assert tampered_reasons(_plan(_change(Action.DELETE)), fresh)
    assert tampered_reasons(_plan(_change(Action.CREATE), fingerprints={}), fresh) == [
        f"it has no fingerprint for {NSG}"]
    child = _change(Action.DELETE, rid=f"{NSG}/securityRules/ssh", parent=NSG)
    assert tampered_reasons(_plan(child), _plan(child)) == []  # a child's fingerprint is its parent's


def test_target_mismatch_and_the_apply_command() -> None:
    local = {"kind": "local", "database": "/h/emulator.db", "subscription": SUB}
    endpoint = {"kind": "endpoint", "endpoint": "https://127.0.0.1:8443", "subscription": SUB}
    assert target_mismatch(local, dict(local)) is None
    assert target_mismatch(endpoint, {**endpoint, "endpoint": "https://127.0.0.1:8443"}) is None
    assert "embedded emulator" in str(target_mismatch(local, endpoint))
    assert target_mismatch(endpoint, {**endpoint, "endpoint": "https://127.0.0.1:9"})
    assert target_mismatch({"kind": "azure", "tenant": "t1", "subscription": SUB},
                           {"kind": "azure", "tenant": "t2", "subscription": SUB})
    assert target_mismatch({}, endpoint) == "the plan does not record the target it was made against"
    assert apply_command(TargetOptions(local=True), "plan.json") == "aksnet apply --local plan.json"
    assert apply_command(TargetOptions(endpoint="https://h:1", ca_file="my ca.pem"), "p.json") == \
        "aksnet apply --endpoint https://h:1 --ca-file 'my ca.pem' p.json"
    assert apply_command(TargetOptions(), "p.json") == "aksnet apply p.json"
