"""Diff every resource, order the changes into dependency waves, fingerprint what was read. Pure.

Ordering (docs/architecture.md#ordering): each `graphlib.TopologicalSorter` batch is a wave of independent
steps, sorted by (type rank, id) so plans are stable. Creates/updates/replaces come first in
dependency order; deletes of children the spec dropped run afterwards in reverse dependency order
(Terraform walks destroys on the reversed graph).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from graphlib import TopologicalSorter
from typing import Any

from aksnet.core.desired import is_unknown
from aksnet.core.diff import DiffContext, child_deletes, diff_resource
from aksnet.core.graph import dependency_closure
from aksnet.core.redact import redact_change
from aksnet.core.stages import live_vnet, readiness
from aksnet.ids import Kind
from aksnet.model import Action, Change, Desired, Live, Plan, Readiness
from aksnet.spec.types import Spec

TYPE_RANK = {Kind.RESOURCE_GROUP: 0, Kind.NSG: 1, Kind.ROUTE_TABLE: 1, Kind.IDENTITY: 1, Kind.VNET: 2,
             Kind.CLUSTER: 3, Kind.ROLE_ASSIGNMENT: 4}
ABSENT = "absent"  # fingerprint of a resource that was read and did not exist


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def fingerprint(live: Live | None) -> str:
    """The etag when Azure gives one (network `etag`, AKS `eTag`), else a hash of the body."""
    if live is None:
        return ABSENT
    etag = live.etag or live.body.get("etag") or live.body.get("eTag")
    if etag:
        return str(etag)
    return "sha256:" + hashlib.sha256(canonical_json(live.body).encode()).hexdigest()


def _lookup(live: Mapping[str, Live | None], rid: str) -> Live | None:
    if rid in live:
        return live[rid]
    lowered = rid.lower()
    return next((v for k, v in live.items() if k.lower() == lowered), None)


def _unknown_sources(value: Any) -> set[str]:
    """Ids (lower case) of the resources whose known-after-apply values `value` refers to."""
    if is_unknown(value):
        return {str(value["resource"]).lower()}
    if isinstance(value, Mapping):
        return {rid for item in value.values() for rid in _unknown_sources(item)}
    if isinstance(value, list):
        return {rid for item in value for rid in _unknown_sources(item)}
    return set()


def _waves(graph: Mapping[str, set[str]], rank: Mapping[str, tuple[int, str]]) -> list[tuple[str, ...]]:
    sorter: TopologicalSorter[str] = TopologicalSorter(graph)
    sorter.prepare()
    waves = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready(), key=rank.__getitem__)
        waves.append(tuple(ready))
        sorter.done(*ready)
    return waves


def build_plan(desired: Mapping[str, Desired], live: Mapping[str, Live | None], *, spec: Spec,
               subscription: str) -> Plan:
    context = DiffContext.from_state(desired, live)
    forward: dict[str, Change] = {}
    deletes: list[Change] = []
    for rid, item in desired.items():
        current = _lookup(live, rid)
        forward[rid] = diff_resource(item, current, context=context)
        deletes.extend(child_deletes(item, current, context=context,
                                     keep_other_subnets=not spec.virtual_network.delete_other_subnets))
    # A replaced resource comes back with new server-made values (a recreated cluster has a new
    # system-assigned principal, R56): what refers to them is diffed as if it did not exist yet, so
    # the role assignment naming the old principal is replaced too instead of left stale.
    replaced = {rid.lower() for rid, c in forward.items() if c.action is Action.REPLACE}
    if replaced:
        without = DiffContext(context.live_cluster, context.vnet_prefixes,
                              {k: v for k, v in context.live_bodies.items() if k.lower() not in replaced})
        for rid, item in desired.items():
            if rid.lower() not in replaced and _unknown_sources(item.body) & replaced:
                forward[rid] = diff_resource(item, _lookup(live, rid), context=without)

    ancestors = dependency_closure(desired)
    rank = {rid: (TYPE_RANK[c.kind], rid.lower()) for rid, c in forward.items()}
    order = [rid for wave in _waves({rid: set(ancestors[rid]) for rid in forward}, rank) for rid in wave]
    acting = {rid for rid, c in forward.items() if c.action is not Action.NOOP}
    # Waves hold only real steps; a no-op in between still orders its neighbours (via ancestors).
    waves = _waves({rid: ancestors[rid] & acting for rid in acting}, rank)

    by_id = {d.id: d for d in deletes}
    delete_rank = {d.id: (-TYPE_RANK[d.kind], d.id.lower()) for d in deletes}
    # Reverse dependency: a child of X is deleted before children of what X depends on.
    delete_graph = {
        d.id: {o.id for o in deletes if o is not d and d.parent in ancestors.get(str(o.parent), set())}
        for d in deletes
    }
    delete_waves = _waves(delete_graph, delete_rank)
    changes = [forward[rid] for rid in order] + [by_id[rid] for wave in delete_waves for rid in wave]
    return Plan(
        readiness=_readiness(desired, context),
        changes=tuple(changes),
        waves=tuple(waves) + tuple(delete_waves),
        fingerprints={rid: fingerprint(value) for rid, value in sorted(live.items())},
        spec_hash=spec.sha256,
        subscription=subscription,
        spec_path=spec.file,
    )


def _readiness(desired: Mapping[str, Desired], context: DiffContext) -> tuple[Readiness, ...]:
    """Per live kubenet cluster of the spec: can it move to Azure CNI Overlay now (what blocks it)."""
    cluster = next((d for d in desired.values() if d.kind is Kind.CLUSTER), None)
    if cluster is None or context.live_cluster is None or context.live_plugin != "kubenet":
        return ()
    return (readiness(cluster.address, context.live_cluster, vnet=live_vnet(context.live_bodies),
                      vnet_prefixes=context.vnet_prefixes, want=cluster.body),)


# Terraform's counters plus replace; a migrate is a change; no-op and unsupported count nowhere.
COUNT_SLOT = {Action.CREATE: "add", Action.UPDATE: "change", Action.MIGRATE: "change",
              Action.REPLACE: "replace", Action.DELETE: "destroy"}


def count(changes: Iterable[Change]) -> dict[str, int]:
    """How many changes fall under each of `COUNT_SLOT`'s counters."""
    out = {"add": 0, "change": 0, "replace": 0, "destroy": 0}
    for change in changes:
        if change.action in COUNT_SLOT:
            out[COUNT_SLOT[change.action]] += 1
    return out


def summary(plan: Plan) -> dict[str, int]:
    return count(plan.changes)


def summary_line(plan: Plan) -> str:
    """Terraform's counts, plus the changes Azure cannot make (they count nowhere else, and apply
    refuses the whole plan because of them: never left for the reader to find in the listing)."""
    s = summary(plan)
    blocked = sum(1 for c in plan.changes if c.action is Action.UNSUPPORTED)
    tail = f", {blocked} cannot be applied" if blocked else ""
    return (f"Plan: {s['add']} to add, {s['change']} to change, {s['replace']} to replace, "
            f"{s['destroy']} to destroy{tail}.")


def destroy_plan(desired: Mapping[str, Desired], live: Mapping[str, Live | None], *, include_group: bool,
                 spec_path: str, spec_hash: str, subscription: str) -> Plan:
    """Deletes of every existing resource the spec describes, in waves on the reversed dependency graph
    (Terraform walks destroys that way): the role assignment and cluster before the VNet, the VNet before
    its NSGs. The resource group stays unless `include_group` (deleting it takes everything in it)."""
    doomed = {rid: d for rid, d in desired.items()
              if _lookup(live, rid) is not None and (include_group or d.kind is not Kind.RESOURCE_GROUP)}
    graph: dict[str, set[str]] = {rid: set() for rid in doomed}
    for rid, item in doomed.items():
        for dep in item.depends_on:
            if dep in graph:
                graph[dep].add(rid)  # delete `rid` (the dependent) before `dep`
    waves = _waves(graph, {rid: (0, rid.lower()) for rid in doomed})
    changes = tuple(
        redact_change(Change(id=rid, kind=doomed[rid].kind, name=doomed[rid].name, action=Action.DELETE,
               before=dict(found.body) if (found := _lookup(live, rid)) is not None else None, after=None,
               reason="destroy requested"))
        for wave in waves for rid in wave)
    return Plan(changes=changes, waves=tuple(waves), fingerprints={}, spec_hash=spec_hash,
                subscription=subscription, spec_path=spec_path)


def stale_reasons(saved: Plan, spec_sha: str, live: Mapping[str, Live | None]) -> list[str]:
    """Why a saved plan no longer applies: its spec changed, or a resource it read changed in Azure
    (etag or body hash; Terraform refuses a stale plan the same way). Empty when it still applies."""
    problems = []
    if saved.spec_hash != spec_sha:
        problems.append(f"the spec {saved.spec_path} changed")
    for rid, printed in saved.fingerprints.items():
        if fingerprint(_lookup(live, rid)) != printed:
            problems.append(f"{rid} changed in Azure")
    return problems


def tampered_reasons(saved: Plan, fresh: Plan) -> list[str]:
    """Why a saved plan's changes are not the ones the spec yields against what was just read (empty:
    they are). Applying a saved plan executes the changes recomputed from the spec, so the file may
    only confirm them: every change it lists must be one of those (same id, same action) and cover
    all of them, and every resource a change touches (a child's parent) needs its fingerprint, or
    the staleness check would be switched off by leaving fingerprints out."""
    def key(change: Change) -> tuple[str, str]:
        return change.id.lower(), str(change.action)

    listed = {key(c): c for c in saved.actionable}
    yielded = {key(c): c for c in fresh.actionable}
    problems = [f"it lists {action} of {rid}, which the spec does not yield"
                for (rid, action) in sorted(listed.keys() - yielded.keys())]
    problems += [f"it leaves out {action} of {rid}, which the spec yields"
                 for (rid, action) in sorted(yielded.keys() - listed.keys())]
    printed = {rid.lower() for rid in saved.fingerprints}
    for change in saved.actionable:
        touched = (change.parent or change.id).lower()
        if touched not in printed:
            problems.append(f"it has no fingerprint for {change.parent or change.id}")
    return problems
