"""Adopting a role assignment someone else created (clusters teams already run). Pure.

aksnet names the cluster identity's Network Contributor assignment on the node subnet
deterministically (`desired.role_assignment_name`); `az aks create` names the same grant with a
random GUID. A role assignment's natural key is (scope, role definition, principal): Azure refuses a
second assignment with the same three under another name (409 RoleAssignmentExists, Azure docs
"Troubleshoot Azure RBAC"). So when the deterministic id is absent but an assignment with the same
natural key exists, that one IS the desired assignment: the plan uses its real id and body.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from aksnet.core.desired import is_unknown, resolve_unknowns
from aksnet.ids import Kind
from aksnet.model import Desired, Live

ROLE_ASSIGNMENTS = "/providers/microsoft.authorization/roleassignments/"


@dataclass(frozen=True, slots=True)
class WantedAssignment:
    """The natural key of a desired role assignment whose own id was not found."""

    desired_id: str
    scope: str
    role_definition_id: str
    principal_id: str


def assignment_scope(rid: str) -> str:
    """`{scope}/providers/Microsoft.Authorization/roleAssignments/{name}` -> scope."""
    at = rid.lower().rindex(ROLE_ASSIGNMENTS)
    return rid[:at]


def role_guid(role_definition_id: str) -> str:
    """Role definition ids differ in prefix (subscription- or tenant-scoped) but end in the role's GUID."""
    return role_definition_id.rstrip("/").rsplit("/", 1)[-1].lower()


def wanted_assignments(desired: Mapping[str, Desired], live: Mapping[str, Live | None]) -> list[WantedAssignment]:
    """Desired role assignments read as absent whose principal is known (the cluster exists): the only
    ones worth looking up by natural key. With the cluster absent there is nothing to adopt."""
    present = {rid.lower() for rid, item in live.items() if item is not None}
    bodies = {rid: item.body for rid, item in live.items() if item is not None}
    out = []
    for rid, item in desired.items():
        if item.kind is not Kind.ROLE_ASSIGNMENT or rid.lower() in present:
            continue
        props = item.body.get("properties") or {}
        principal = resolve_unknowns(props.get("principalId"), bodies)
        role = props.get("roleDefinitionId")
        if not principal or is_unknown(principal) or not role:
            continue
        out.append(WantedAssignment(rid, assignment_scope(rid), str(role), str(principal)))
    return out


def matching_assignment(wanted: WantedAssignment, assignments: Iterable[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The listed assignment (ARM wire format) with the wanted scope, role GUID and principal, any name.
    `atScope()` lists also return assignments inherited from above; those grant more widely than the
    spec asks and are not the subnet's assignment, so the scope must be the same too."""
    found = []
    for body in assignments:
        props = body.get("properties") or {}
        scope = str(props.get("scope") or "").rstrip("/").lower()
        if (body.get("id") and scope == wanted.scope.rstrip("/").lower()
                and role_guid(str(props.get("roleDefinitionId") or "")) == role_guid(wanted.role_definition_id)
                and str(props.get("principalId") or "").lower() == wanted.principal_id.lower()):
            found.append(body)
    # Azure allows one per natural key; should a listing show more, the choice is still stable.
    return min(found, key=lambda b: str(b["id"]).lower()) if found else None


def adopt(desired: Mapping[str, Desired], live: Mapping[str, Live | None],
          adopted: Mapping[str, Mapping[str, Any]]) -> tuple[dict[str, Desired], dict[str, Live | None]]:
    """Desired and live state with each adopted assignment (desired id -> live body) under its real id,
    so the diff compares it, fingerprints name it and apply/destroy act on the real resource."""
    new_desired: dict[str, Desired] = {}
    new_live: dict[str, Live | None] = dict(live)
    lowered = {k.lower(): v for k, v in adopted.items()}
    for rid, item in desired.items():
        body = lowered.get(rid.lower())
        if body is None:
            new_desired[rid] = item
            continue
        real = str(body["id"])
        new_desired[real] = dataclasses.replace(item, id=real)
        new_live.pop(rid, None)
        etag = body.get("etag") or body.get("eTag")
        new_live[real] = Live(id=real, body=dict(body), etag=str(etag) if etag else None)
    return new_desired, new_live


def adopt_read(desired: Mapping[str, Desired], live: Mapping[str, Live | None]
               ) -> tuple[dict[str, Desired], dict[str, Live | None]]:
    """Adopt from assignments already among the reads: a saved plan's reads hold an adopted assignment
    under its real id (its fingerprints name it), so re-reading them needs no second listing."""
    listed = [item.body for item in live.values()
              if item is not None and ROLE_ASSIGNMENTS in item.id.lower()]
    adopted: dict[str, Mapping[str, Any]] = {}
    for wanted in wanted_assignments(desired, live):
        found = matching_assignment(wanted, listed)
        if found is not None:
            adopted[wanted.desired_id] = found
    return adopt(desired, live, adopted) if adopted else (dict(desired), dict(live))
