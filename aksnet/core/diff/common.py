"""Shared pieces of the per-kind diffs: context, field collection, projection. Pure.

See `aksnet.core.diff` for the ownership model (left-scoped comparison, children owned whole).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aksnet.core import normalize as n
from aksnet.core.change_classes import IN_PLACE, ChangeClass, classify
from aksnet.core.desired import is_unknown, resolve_unknowns
from aksnet.core.diff.members import members_differ
from aksnet.ids import Kind, same_id
from aksnet.model import Action, Change, Desired, FieldChange, FieldPath, Live, Prerequisite

# Strongest first: a resource's action is the strongest of its fields'.
STRENGTH = {Action.UNSUPPORTED: 4, Action.REPLACE: 3, Action.MIGRATE: 2, Action.UPDATE: 1}


@dataclass(frozen=True, slots=True)
class DiffContext:
    """Cross-resource knowledge a single resource's diff needs."""

    live_cluster: Mapping[str, Any] | None = None  # the live managed cluster body, if it exists
    vnet_prefixes: tuple[str, ...] = ()  # the spec's VNet address space (pod CIDR overlap, R58)
    live_bodies: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # id -> live body

    @classmethod
    def from_state(cls, desired: Mapping[str, Desired], live: Mapping[str, Live | None]) -> DiffContext:
        bodies = {rid: item.body for rid, item in live.items() if item is not None}
        cluster = next((d for d in desired.values() if d.kind is Kind.CLUSTER), None)
        vnet = next((d for d in desired.values() if d.kind is Kind.VNET), None)
        live_cluster = None
        if cluster is not None:
            live_cluster = next((b for rid, b in bodies.items() if same_id(rid, cluster.id)), None)
        prefixes: tuple[str, ...] = ()
        if vnet is not None:
            prefixes = tuple(vnet.body.get("properties", {}).get("addressSpace", {}).get("addressPrefixes", ()))
        return cls(live_cluster=live_cluster, vnet_prefixes=prefixes, live_bodies=bodies)

    @property
    def node_resource_group(self) -> str | None:
        if self.live_cluster is None:
            return None
        value = self.live_cluster.get("properties", {}).get("nodeResourceGroup")
        return str(value) if value else None

    @property
    def live_plugin(self) -> str | None:
        if self.live_cluster is None:
            return None
        net = self.live_cluster.get("properties", {}).get("networkProfile") or {}
        return n.enum(net.get("networkPlugin"))

    def node_subnet_ids(self) -> set[str]:
        """Subnets the live cluster's node pools sit in (those subnets are in use)."""
        if self.live_cluster is None:
            return set()
        pools = self.live_cluster.get("properties", {}).get("agentPoolProfiles") or ()
        return {str(n.arm_id(p.get("vnetSubnetID"))) for p in pools if p.get("vnetSubnetID")}


class FieldDiffs:
    """Collects the FieldChanges of one resource, each classed by `immutable.classify`."""

    def __init__(self, kind: Kind, unowned: frozenset[FieldPath] = frozenset()) -> None:
        self.kind = kind
        self.unowned = unowned
        self.fields: list[FieldChange] = []

    def add(self, path: FieldPath, before: Any, after: Any, change_class: ChangeClass | None = None) -> None:
        cls = change_class or classify(self.kind, path)
        # A plain in-place update needs no words; a class with its own reason (a warning) keeps it.
        reason = "" if cls is IN_PLACE or (cls.action is Action.UPDATE and not cls.catalogue
                                           and cls.reason == IN_PLACE.reason) else cls.explain()
        self.fields.append(FieldChange(path, n.display(before), n.display(after), cls.action, reason))

    def compare(self, path: FieldPath, want: Any, have: Any, norm: Callable[[Any], Any] = lambda v: v,
                change_class: ChangeClass | None = None) -> None:
        if path in self.unowned or want is None or is_unknown(want):
            return
        if norm(want) != norm(have):
            self.add(path, have, want, change_class)

    def compare_members(self, path: FieldPath, want: Any, have: Any, member: Callable[[Any], Any] = lambda v: v,
                        change_class: ChangeClass | None = None) -> None:
        """A set-valued field: differs when the members differ after `member`, whatever their order."""
        if path in self.unowned or want is None or is_unknown(want):
            return
        if members_differ(want, have or (), member):
            self.add(path, have, want, change_class)


def compare_common(diffs: FieldDiffs, desired: Mapping[str, Any], live: Mapping[str, Any]) -> None:
    """location and the tags the spec sets (tags others add are theirs)."""
    diffs.compare(("location",), desired.get("location"), live.get("location"), n.location)
    live_tags = {str(k).lower(): v for k, v in (live.get("tags") or {}).items()}
    for key, value in (desired.get("tags") or {}).items():
        diffs.compare(("tags", key), value, live_tags.get(str(key).lower()), str)


def project(live: Any, desired: Any) -> Any:
    """The live body cut down to the keys the desired body has (named lists matched by name)."""
    if isinstance(desired, Mapping) and isinstance(live, Mapping):
        return {k: project(live.get(k), v) for k, v in desired.items() if k in live}
    if (isinstance(desired, list) and isinstance(live, list) and desired
            and all(isinstance(d, Mapping) and "name" in d for d in desired)):
        wanted = n.by_name(desired)
        return [project(item, wanted[str(item.get("name", "")).lower()]) for item in live
                if isinstance(item, Mapping) and str(item.get("name", "")).lower() in wanted]
    return live


def strongest(fields: tuple[FieldChange, ...]) -> Action:
    actions = [f.action for f in fields if f.action in STRENGTH]
    return max(actions, key=STRENGTH.__getitem__) if actions else Action.NOOP


FAILED_STATE_PATH: FieldPath = ("properties", "provisioningState")


def provisioning_failure(body: Mapping[str, Any]) -> str | None:
    """"provisioning failed[: code: message]" (or "... canceled") when the live resource's last operation
    ended Failed or Canceled, else None. Such a resource is not in sync whatever its fields say: ARM keeps
    the body of the unfinished PUT with a terminal `provisioningState` other than Succeeded
    (github.com/Azure/azure-resource-manager-rpc v1.0/async-api-reference.md; AKS leaves a cluster
    Canceled after `az aks operation-abort`: https://learn.microsoft.com/azure/aks/manage-abort-operations),
    and the fix is to PUT the desired body again, as Terraform does with a tainted resource
    (developer.hashicorp.com/terraform/cli/commands/taint). AKS reports the cause in
    `properties.status.provisioningError` (ManagedClusterStatus, github.com/Azure/azure-rest-api-specs
    specification/containerservice)."""
    props = body.get("properties")
    if not isinstance(props, Mapping):
        return None
    outcome = str(props.get("provisioningState") or "").lower()
    if outcome not in UNFINISHED_STATES:
        return None
    status = props.get("status")
    error = status.get("provisioningError") if isinstance(status, Mapping) else None
    if isinstance(error, Mapping) and (error.get("code") or error.get("message")):
        detail = ": ".join(str(error[k]) for k in ("code", "message") if error.get(k))
        return f"provisioning {outcome}: {detail}"
    return f"provisioning {outcome}"


# The terminal provisioning states other than Succeeded.
UNFINISHED_STATES = frozenset({"failed", "canceled"})


def _failure_field(live: Live) -> FieldChange | None:
    reason = provisioning_failure(live.body)
    if reason is None:
        return None
    state = str(live.body.get("properties", {}).get("provisioningState"))
    return FieldChange(FAILED_STATE_PATH, state, "Succeeded", Action.UPDATE, f"{reason}; apply sends the spec again")


def make_change(desired: Desired, live: Live | None, fields: list[FieldChange],
                prerequisites: tuple[Prerequisite, ...] = (), note: str = "",
                context: DiffContext | None = None) -> Change:
    after = desired.body
    if context is not None:
        after = resolve_unknowns(desired.body, context.live_bodies)
    if live is None:
        return Change(desired.id, desired.kind, desired.name, Action.CREATE, before=None, after=after,
                      reason="does not exist in Azure", depends_on=desired.depends_on)
    failure = _failure_field(live)
    if failure is not None and not any(f.path == FAILED_STATE_PATH for f in fields):
        fields = [failure, *fields]
    ordered = tuple(fields)
    action = strongest(ordered)
    reason = note
    if action is not Action.NOOP:
        top = failure if failure is not None and action is Action.UPDATE else next(
            f for f in ordered if f.action is action)
        reason = top.reason or f"{len(ordered)} owned field(s) differ"
    return Change(desired.id, desired.kind, desired.name, action, fields=ordered,
                  before=project(live.body, desired.body), after=after, reason=reason,
                  prerequisites=prerequisites if action is Action.MIGRATE else (),
                  depends_on=desired.depends_on)


