"""Adopting the Network Contributor assignment `az aks create` made under a random name (aksnet.core.adopt),
and the assignment of a deleted cluster (never "in sync")."""

from __future__ import annotations

import copy
import uuid
from typing import Any

from livestate import PRINCIPAL, live_state
from paths import REPO

from aksnet.core.adopt import adopt, matching_assignment, role_guid, wanted_assignments
from aksnet.core.desired import desired_state, is_unknown
from aksnet.core.plan import build_plan
from aksnet.ids import NETWORK_CONTRIBUTOR_ROLE_ID, Kind
from aksnet.model import Action, Live
from aksnet.spec.load import load_spec

ROOT = REPO
SUB = "00000000-0000-0000-0000-000000000000"
SPEC = load_spec(str(ROOT / "specs" / "kubenet.yaml"))


def _state() -> tuple[dict[str, Any], dict[str, Live | None], str]:
    desired = desired_state(SPEC, SUB)
    live: dict[str, Live | None] = dict(live_state(desired))
    assignment = next(rid for rid, d in desired.items() if d.kind is Kind.ROLE_ASSIGNMENT)
    return desired, live, assignment


def _az_assignment(desired_id: str, *, principal: str = PRINCIPAL, role: str = NETWORK_CONTRIBUTOR_ROLE_ID,
                   scope: str | None = None) -> dict[str, Any]:
    """An assignment as the Authorization RP lists it, named like `az` names it (a random GUID)."""
    scope = scope or desired_id.split("/providers/Microsoft.Authorization/")[0]
    name = str(uuid.uuid4())
    return {"id": f"{scope}/providers/Microsoft.Authorization/roleAssignments/{name}", "name": name,
            "type": "Microsoft.Authorization/roleAssignments",
            "properties": {"roleDefinitionId": f"/subscriptions/{SUB}/providers/Microsoft.Authorization/"
                                               f"roleDefinitions/{role.upper()}",
                           "principalId": principal.upper(), "principalType": "ServicePrincipal", "scope": scope}}


def test_missing_assignment_of_an_existing_cluster_is_wanted_by_natural_key() -> None:
    desired, live, rid = _state()
    live[rid] = None
    [wanted] = wanted_assignments(desired, live)
    assert wanted.desired_id == rid
    assert wanted.principal_id == PRINCIPAL
    assert wanted.scope.lower().endswith("/subnets/aks-subnet")
    assert role_guid(wanted.role_definition_id) == NETWORK_CONTRIBUTOR_ROLE_ID


def test_nothing_is_wanted_when_the_assignment_exists_or_the_cluster_does_not() -> None:
    desired, live, rid = _state()
    assert wanted_assignments(desired, live) == []
    cluster = next(r for r, d in desired.items() if d.kind is Kind.CLUSTER)
    live[rid] = None
    live[cluster] = None
    assert wanted_assignments(desired, live) == []


def test_match_needs_same_scope_role_and_principal_any_case() -> None:
    desired, live, rid = _state()
    live[rid] = None
    [wanted] = wanted_assignments(desired, live)
    mine = _az_assignment(rid)
    other_principal = _az_assignment(rid, principal=str(uuid.uuid4()))
    other_role = _az_assignment(rid, role="b24988ac-6180-42a0-ab88-20f7382dd24c")
    inherited = _az_assignment(rid, scope=f"/subscriptions/{SUB}/resourceGroups/aks-rg")
    assert matching_assignment(wanted, [other_principal, other_role, inherited, mine]) is mine
    assert matching_assignment(wanted, [other_principal, other_role, inherited]) is None


def test_adopted_assignment_plans_no_change_under_its_real_id() -> None:
    desired, live, rid = _state()
    live[rid] = None
    found = _az_assignment(rid)
    before = copy.deepcopy(desired)
    new_desired, new_live = adopt(desired, live, {rid: found})
    assert desired == before  # inputs untouched
    assert rid not in new_desired and rid not in new_live
    assert new_desired[found["id"]].id == found["id"]
    plan = build_plan(new_desired, new_live, spec=SPEC, subscription=SUB)
    assert plan.is_empty
    assert found["id"] in plan.fingerprints and rid not in plan.fingerprints
    # Without adoption the same state is a create (which Azure refuses: RoleAssignmentExists).
    plain = build_plan(desired, live, spec=SPEC, subscription=SUB)
    assert [c.action for c in plain.actionable] == [Action.CREATE]


def test_assignment_of_a_deleted_cluster_is_replaced_not_in_sync() -> None:
    desired, live, rid = _state()
    cluster = next(r for r, d in desired.items() if d.kind is Kind.CLUSTER)
    live[cluster] = None
    plan = build_plan(desired, live, spec=SPEC, subscription=SUB)
    change = next(c for c in plan.changes if c.id == rid)
    assert change.action is Action.REPLACE
    [field] = change.fields
    assert field.path == ("properties", "principalId")
    assert field.before == PRINCIPAL and is_unknown(field.after)
