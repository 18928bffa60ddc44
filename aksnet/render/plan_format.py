"""Pieces every plan rendering shares: path and value text, symbols, headers. Pure."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aksnet.core.desired import UNKNOWN_KEY, is_unknown
from aksnet.core.diff.common import FAILED_STATE_PATH
from aksnet.model import Action, Change, FieldChange, FieldPath, Plan

# Collections whose items are identified by name: their path segment after the key is a name.
NAMED_COLLECTIONS = frozenset({"securityRules", "routes", "subnets", "agentPoolProfiles"})

SYMBOL = {
    Action.CREATE: "+",
    Action.UPDATE: "~",
    Action.MIGRATE: "~",
    Action.REPLACE: "-/+",
    Action.DELETE: "-",
    Action.UNSUPPORTED: "!",
    Action.NOOP: " ",
}

HEADLINE = {
    Action.CREATE: "will be created",
    Action.UPDATE: "will be updated in-place",
    Action.MIGRATE: "will be migrated in place (one-way)",
    Action.REPLACE: "must be replaced",
    Action.DELETE: "will be destroyed",
    Action.UNSUPPORTED: "cannot be changed: Azure has no path",
    Action.NOOP: "has no changes",
}

FIELD_NOTE = {
    Action.REPLACE: "# forces replacement",
    Action.MIGRATE: "# one-way migration",
    Action.UNSUPPORTED: "# unsupported",
    Action.DELETE: "# destroys",
}

LEGEND = (
    "Resource actions are indicated with the following symbols:\n"
    "  + create   ~ update in-place   -/+ destroy and then create replacement   - destroy\n"
    "  ! no Azure path: the plan cannot be applied"
)

EMPTY = "No changes. Azure matches the spec."

# Server-filled leaves of a child body (readOnly in the REST specs), hidden when a deleted child is listed.
READ_ONLY_LEAVES = frozenset({"name", "id", "etag", "type", "provisioningState", "hasBgpOverride"})


def format_path(path: FieldPath) -> str:
    out = ""
    named = False
    for part in path:
        if named:
            out += f'["{part}"]'
            named = False
            continue
        out += f".{part}" if out else part
        named = part in NAMED_COLLECTIONS
    return out


def format_value(value: Any) -> str:
    if is_unknown(value):
        return f"(known after apply: {value[UNKNOWN_KEY]})"
    return json.dumps(value, sort_keys=True)


def flatten(body: Any, prefix: FieldPath = ()) -> list[tuple[FieldPath, Any]]:
    """Leaves of a body, named lists flattened by item name, for create/destroy listings."""
    if isinstance(body, Mapping) and not is_unknown(body):
        if not body:
            return [(prefix, {})] if prefix else []
        out: list[tuple[FieldPath, Any]] = []
        for key, value in body.items():
            out.extend(flatten(value, (*prefix, str(key))))
        return out
    if (isinstance(body, list) and prefix and prefix[-1] in NAMED_COLLECTIONS
            and all(isinstance(i, Mapping) and "name" in i for i in body)):
        out = []
        for item in body:
            rest = {k: v for k, v in item.items() if k != "name"}
            out.extend(flatten(rest, (*prefix, str(item["name"]))) or [((*prefix, str(item["name"])), {})])
        return out or [(prefix, [])]
    return [(prefix, body)]


def field_symbol(field: FieldChange) -> str:
    if field.before is None:
        return "+"
    if field.after is None:
        return "-"
    return "~"


def field_line(field: FieldChange) -> str:
    """`path = before -> after  # note` (Terraform's attribute line)."""
    if field.before is None:
        text = f"{format_path(field.path)} = {format_value(field.after)}"
    elif field.after is None:
        text = f"{format_path(field.path)} = {format_value(field.before)} -> null"
    else:
        text = f"{format_path(field.path)} = {format_value(field.before)} -> {format_value(field.after)}"
    note = FIELD_NOTE.get(field.action)
    return f"{text} {note}" if note else text


def body_lines(change: Change) -> list[tuple[str, str]]:
    """(symbol, text) for every line inside a resource block."""
    if change.action is Action.CREATE:
        return [("+", f"{format_path(p)} = {format_value(v)}") for p, v in flatten(change.after or {})]
    if change.action is Action.DELETE:
        # What the user would recognise: the child's own settings, not ids, etags or empty twins.
        return [("-", f"{format_path(p)} = {format_value(v)}") for p, v in flatten(change.before or {})
                if p and p[-1] not in READ_ONLY_LEAVES and v not in ([], None, "")]
    return [(field_symbol(f), field_line(f)) for f in change.fields]


def reasons(change: Change) -> list[str]:
    """The distinct reasons of the fields that decide the change (strongest class first)."""
    seen: list[str] = []
    for field in sorted(change.fields, key=lambda f: f.action is not change.action):
        shown = field.action is not Action.UPDATE or field.path == FAILED_STATE_PATH  # "provisioning failed: ..."
        if field.reason and field.reason not in seen and shown:
            seen.append(field.reason)
    if not seen and change.action in (Action.DELETE,) and change.reason:
        seen.append(change.reason)
    return seen


def kind_label(change: Change) -> str:
    if change.parent:
        return change.address  # a child: nsg.aks-nsg.securityRules["ssh"]
    return f'{change.kind} "{change.name}"'


def warnings(plan: Plan) -> list[str]:
    out = []
    destructive = [c.address for c in plan.changes if c.action in (Action.REPLACE, Action.DELETE)]
    if destructive:
        out.append(f"Warning: {len(destructive)} resource(s) will be destroyed or replaced "
                   f"({', '.join(destructive)}); apply needs --allow-delete.")
    migrating = [c.address for c in plan.changes if c.action is Action.MIGRATE]
    if migrating:
        out.append(f"Warning: {', '.join(migrating)} will be migrated one-way (every node pool is "
                   "reimaged); apply needs --allow-migrate.")
    switching = [c.address for c in plan.changes if c.action is not Action.NOOP
                 and any(f.path[:1] == ("identity",) for f in c.fields)]
    if switching:
        # https://learn.microsoft.com/azure/aks/use-managed-identity#update-an-existing-cluster-to-use-a-user-assigned-managed-identity
        out.append(f"Warning: {', '.join(switching)} changes its identity in place: its grants are created first, "
                   "and the control plane may keep using the old identity for a while.")
    blocked = [c.address for c in plan.changes if c.action is Action.UNSUPPORTED]
    if blocked:
        out.append(f"Error: this plan cannot be applied: Azure has no path for {', '.join(blocked)}.")
    return out
