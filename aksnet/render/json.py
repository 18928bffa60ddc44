"""`aksnet plan -o json` in Terraform's plan shape (https://developer.hashicorp.com/terraform/internals/json-format), and back. Pure.

`plan_document(plan)` is what `--out PLAN` saves; `plan_from_document(doc)` rebuilds the Plan the
applier executes, so every Change field is in the document (Terraform's keys plus aksnet's own).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aksnet import __version__
from aksnet.core.plan import summary
from aksnet.ids import ARM_TYPE, Kind
from aksnet.model import Action, Change, FieldChange, Plan, Prerequisite, Readiness, Stage
from aksnet.render.plan_values import (
    PROVIDER_NAME,
    arm_type,
    restore_unknowns,
    sensitive_mirror,
    split_unknowns,
)

FORMAT_VERSION = "1.0"

ACTIONS = {
    Action.NOOP: ["no-op"],
    Action.CREATE: ["create"],
    Action.UPDATE: ["update"],
    Action.MIGRATE: ["update"],
    Action.UNSUPPORTED: ["update"],
    Action.REPLACE: ["delete", "create"],
    Action.DELETE: ["delete"],
}

ACTION_REASON = {
    Action.REPLACE: "replace_because_cannot_update",
    Action.DELETE: "delete_because_no_resource_config",
    Action.MIGRATE: "migrate",
    Action.UNSUPPORTED: "unsupported",
}


def _change_document(change: Change) -> dict[str, Any]:
    after, after_unknown, unknowns = split_unknowns(change.after)
    return {
        "address": change.address,
        # Terraform's resource change keys (type = the ARM type, not an azurerm_* type)
        "mode": "managed",
        "type": arm_type(change.id, ARM_TYPE.get(change.kind, str(change.kind))),
        "provider_name": PROVIDER_NAME,
        "kind": str(change.kind),
        "name": change.name,
        "azure_id": change.id,
        "parent": change.parent,
        "change": {
            "actions": ACTIONS[change.action],
            "before": change.before,
            "after": after,
            "after_unknown": after_unknown,
            "before_sensitive": sensitive_mirror(change.before),
            "after_sensitive": sensitive_mirror(after),
            "replace_paths": [list(f.path) for f in change.fields if f.action is Action.REPLACE],
        },
        **({"known_after_apply": unknowns} if unknowns else {}),
        "action_reason": ACTION_REASON.get(change.action),
        "aksnet_action": str(change.action),
        "reason": change.reason,
        "fields": [
            {"path": list(f.path), "before": f.before, "after": f.after, "action": str(f.action),
             "reason": f.reason}
            for f in change.fields
        ],
        "prerequisites": [{"description": p.description, "met": p.met} for p in change.prerequisites],
        "depends_on": sorted(change.depends_on),
        **({"stages": [_stage_document(st) for st in change.stages]} if change.stages else {}),
    }


def _stage_document(stage: Stage) -> dict[str, Any]:
    return {"name": stage.name, "description": stage.description, "done": stage.done,
            "gate": [{"description": p.description, "met": p.met} for p in stage.gate]}


def _stage_from(doc: Mapping[str, Any]) -> Stage:
    return Stage(doc["name"], doc["description"], bool(doc["done"]),
                 tuple(Prerequisite(p["description"], bool(p["met"])) for p in doc.get("gate", ())))


def readiness_document(item: Readiness) -> dict[str, Any]:
    return {"cluster": item.cluster, "ready": item.ready,
            "blockers": [{"category": c, "description": d} for c, d in item.blockers],
            "checks": [{"description": p.description, "met": p.met} for p in item.checks]}


def _readiness_from(doc: Mapping[str, Any]) -> Readiness:
    return Readiness(doc["cluster"], bool(doc["ready"]),
                     tuple((b["category"], b["description"]) for b in doc.get("blockers", ())),
                     tuple(Prerequisite(p["description"], bool(p["met"])) for p in doc.get("checks", ())))


def plan_document(plan: Plan) -> dict[str, Any]:
    return {
        "format_version": FORMAT_VERSION,
        "aksnet_version": __version__,
        "spec": {"path": plan.spec_path, "sha256": plan.spec_hash},
        "subscription_id": plan.subscription,
        "result": "no_changes" if plan.is_empty else "changes",
        "applyable": plan.applyable,
        "resource_changes": [_change_document(c) for c in plan.changes],
        "waves": [list(wave) for wave in plan.waves],
        "summary": summary(plan),
        "fingerprints": dict(plan.fingerprints),
        **({"migration_readiness": [readiness_document(r) for r in plan.readiness]} if plan.readiness else {}),
        **({"target": dict(plan.target)} if plan.target else {}),
    }


def _change_from(doc: Mapping[str, Any]) -> Change:
    action = Action(doc["aksnet_action"])
    # Policies and reviewers read Terraform's `change.actions`; apply reads `aksnet_action`. A file in
    # which they disagree was edited, and neither reading of it may be trusted.
    if list(doc["change"].get("actions", ())) != ACTIONS[action]:
        raise ValueError(f"{doc.get('address', doc['azure_id'])}: change.actions {doc['change'].get('actions')!r} "
                         f"does not match aksnet_action {str(action)!r}")
    return Change(
        id=doc["azure_id"],
        kind=Kind(doc["kind"]),
        name=doc["name"],
        action=action,
        fields=tuple(
            FieldChange(tuple(f["path"]), f["before"], f["after"], Action(f["action"]), f.get("reason", ""))
            for f in doc.get("fields", ())
        ),
        before=doc["change"].get("before"),
        after=restore_unknowns(doc["change"].get("after"), doc.get("known_after_apply", ())),
        reason=doc.get("reason", ""),
        prerequisites=tuple(Prerequisite(p["description"], bool(p["met"])) for p in doc.get("prerequisites", ())),
        depends_on=frozenset(doc.get("depends_on", ())),
        parent=doc.get("parent"),
        stages=tuple(_stage_from(st) for st in doc.get("stages", ())),
    )


def plan_from_document(doc: Mapping[str, Any]) -> Plan:
    """The Plan a saved `plan_document` describes (the applier reloads `--out` files with it)."""
    if str(doc.get("format_version", "")).split(".")[0] != FORMAT_VERSION.split(".")[0]:
        raise ValueError(f"unsupported plan format_version {doc.get('format_version')!r}")
    spec = doc.get("spec") or {}
    return Plan(
        changes=tuple(_change_from(c) for c in doc["resource_changes"]),
        waves=tuple(tuple(w) for w in doc.get("waves", ())),
        fingerprints=dict(doc.get("fingerprints", {})),
        spec_hash=str(spec.get("sha256", "")),
        subscription=str(doc.get("subscription_id", "")),
        spec_path=str(spec.get("path", "")),
        readiness=tuple(_readiness_from(r) for r in doc.get("migration_readiness", ())),
        target={str(k): str(v) for k, v in dict(doc.get("target") or {}).items()},
    )
