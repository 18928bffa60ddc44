"""Desired vs live, per resource: which owned fields differ and what class of change that is. Pure.

Left-scoped (docs/architecture.md#ownership): only fields present in the desired body are compared, after
`normalize` brings both sides to one form; server-filled and read-only fields are never looked at.
Child collections the spec declares (NSG rules, routes; a VNet's subnets only with `otherSubnets: delete`)
are owned whole: a live child the spec does not list is reported by `child_deletes` as its own DELETE
change with `parent` set, so it shows, counts and needs consent like any delete; the applier deletes it
through the child endpoint.
Exceptions owned by AKS (its kubenet route table association and its routes, R54/R55) never appear.
"""

from __future__ import annotations

from aksnet.core import normalize as n
from aksnet.core.adopt import role_guid
from aksnet.core.desired import is_unknown, resolve_unknowns
from aksnet.core.diff import cluster as diff_cluster
from aksnet.core.diff import network as diff_network
from aksnet.core.diff.common import DiffContext, FieldDiffs, make_change
from aksnet.core.redact import redact_change
from aksnet.ids import Kind, same_id
from aksnet.model import Change, Desired, Live

__all__ = ["DiffContext", "child_deletes", "diff_resource"]


def diff_resource(desired: Desired | None, live: Live | None, *, context: DiffContext) -> Change:
    """The change that takes `live` to `desired` (children the spec drops: `child_deletes`). ssh key
    data in it shows as fingerprints (`aksnet.core.redact`): a Change is what plans and drift print."""
    return redact_change(_diff_resource(desired, live, context=context))


def _diff_resource(desired: Desired | None, live: Live | None, *, context: DiffContext) -> Change:
    if desired is None:
        if live is None:
            raise ValueError("diff_resource needs a desired or a live resource")
        raise ValueError(f"aksnet only deletes children of resources the spec names: {live.id}")
    if live is None:
        return make_change(desired, None, [], context=context)
    if desired.kind is Kind.CLUSTER:
        return diff_cluster.diff_cluster(desired, live, context)
    if desired.kind is Kind.ROLE_ASSIGNMENT:
        return _diff_role_assignment(desired, live, context)
    if desired.kind is Kind.RESOURCE_GROUP:
        # A resource group's location is metadata fixed at creation; the resources carry their own
        # location, so only tags are compared (ARM resource-groups REST reference).
        diffs = FieldDiffs(desired.kind)
        live_tags = {str(k).lower(): v for k, v in (live.body.get("tags") or {}).items()}
        for key, value in (desired.body.get("tags") or {}).items():
            diffs.compare(("tags", key), value, live_tags.get(str(key).lower()), str)
        return make_change(desired, live, diffs.fields, context=context)
    return diff_network.diff_network(desired, live, context)


def child_deletes(desired: Desired, live: Live | None, *, context: DiffContext,
                  keep_other_subnets: bool = True) -> list[Change]:
    """Live children (NSG rules, routes, subnets) the spec does not list: each a DELETE change. A VNet's
    unlisted subnets are someone else's (another spec or team sharing it) unless the spec claims the
    whole list (`otherSubnets: delete`)."""
    if live is None or (keep_other_subnets and desired.kind is Kind.VNET):
        return []
    return diff_network.child_deletes(desired, live, context)


def _diff_role_assignment(desired: Desired, live: Live, context: DiffContext) -> Change:
    diffs = FieldDiffs(desired.kind)
    want = desired.body.get("properties", {})
    have = live.body.get("properties", {})
    # The role is its GUID: Azure returns a built-in role's id under the subscription whatever prefix the
    # request used (a scope-, subscription- or tenant-level id names the same role; "Azure built-in roles",
    # https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
    diffs.compare(("properties", "roleDefinitionId"), want.get("roleDefinitionId"),
                  have.get("roleDefinitionId"), lambda v: role_guid(str(v or "")))
    principal = resolve_unknowns(want.get("principalId"), context.live_bodies)
    if is_unknown(principal) and not _exists(str(principal["resource"]), context):
        # The cluster is gone but its assignment is not: a system-assigned identity dies with its
        # cluster, so this grant names a deleted principal ("Identity not found", Azure RBAC
        # troubleshooting) and the recreated cluster needs a new one: replace, never "in sync".
        diffs.add(("properties", "principalId"), have.get("principalId"), principal)
    # Once the cluster exists, a recreated cluster has a new principal.
    diffs.compare(("properties", "principalId"), principal, have.get("principalId"), n.enum)
    return make_change(desired, live, diffs.fields, context=context)


def _exists(rid: str, context: DiffContext) -> bool:
    return any(same_id(rid, other) for other in context.live_bodies)
