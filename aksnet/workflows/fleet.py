"""Plan many specs at once (drift of a fleet): one read of each resource type, one error per spec.

    fleet = plan_fleet(conn, {path: spec}, subscription_flag, parallelism=4)
    fleet.runs[path] -> PlanRun      fleet.errors[path] -> AksnetError      fleet.reads -> FleetReads

The reads are chosen for the whole fleet (`aksnet.live.snapshot.choose_reads`): per type, a list of
the subscription or of each resource group when that is cheaper than a GET per resource, so 200
specs in one subscription cost a handful of list pages instead of 1,000+ GETs. Each spec is then
planned from that snapshot, concurrently; what one spec cannot read or plan is that spec's error
and the others go on. `reads.requests` is measured (every HTTP attempt the clients sent during the
reads, retries and 429s included), not estimated.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from aksnet.errors import AksnetError
from aksnet.model import Action, Desired
from aksnet.spec.types import Spec
from aksnet.workflows.planning import PlanRun, api_for, check_live_state

READ_STRATEGIES = ("auto", "per-resource", "per-type")
VIA_ARM = "arm"
VIA_RESOURCE_GRAPH = "resource-graph"


@dataclass(frozen=True, slots=True)
class FleetReads:
    requests: int  # HTTP requests sent while reading (measured)
    throttled: int  # of which ARM answered 429 (each waited and sent again)
    strategy: str  # "per-type" when any type was listed, else "per-resource"
    lists: int  # list reads that completed (each one or more pages)
    gets: int  # resources read one GET each
    failed_lists: int = 0  # lists that failed (their resources were read one by one instead)
    confirmed: int = 0  # Resource Graph path: resources read again from ARM because they differed

    def as_dict(self) -> dict[str, Any]:
        out = {"requests": self.requests, "throttled": self.throttled, "strategy": self.strategy,
               "lists": self.lists, "gets": self.gets, "failed_lists": self.failed_lists}
        if self.strategy == VIA_RESOURCE_GRAPH:
            out["confirmed_by_get"] = self.confirmed
        return out


@dataclass(slots=True)
class FleetPlan:
    runs: dict[str, PlanRun] = field(default_factory=dict)
    errors: dict[str, AksnetError] = field(default_factory=dict)
    reads: FleetReads | None = None


def _as_error(err: Exception) -> AksnetError:
    """A spec's failure as an AksnetError: an unexpected exception while reading one spec stays that
    spec's error (named by its type) instead of stopping the fleet."""
    if isinstance(err, AksnetError):
        return err
    wrapped = AksnetError(f"could not read live state ({type(err).__name__}: {err})",
                          hint="run `aksnet plan` on this spec alone for details")
    wrapped.__cause__ = err  # kept for a caller that stops on it (apply), and its traceback
    return wrapped


def plan_fleet(conn: Any, specs: Mapping[str, Spec], subscription_flag: str | None, *,
               parallelism: int = 4, strategy: str = "auto", via: str = "arm", check_live: bool = False) -> FleetPlan:
    """`via="resource-graph"`: read the fleet with Resource Graph queries instead of ARM lists, then
    confirm with an ARM GET each resource whose plan differs (the index can lag behind ARM).
    `check_live`: refuse (as that spec's error) a plan whose writes what Azure holds now would block,
    as a single spec's plan does (apply of several specs)."""
    from aksnet.core.desired import desired_state
    from aksnet.core.plan import build_plan
    from aksnet.live import pacing
    from aksnet.live.azure.listing import can_list, list_bodies
    from aksnet.live.reader import read_state
    from aksnet.live.snapshot import (
        STRATEGY_GET,
        STRATEGY_LIST,
        ConfirmedReader,
        ListRead,
        SnapshotReader,
        choose_reads,
        owning_id,
        take_snapshot,
    )

    fleet = FleetPlan()
    prepared: dict[str, tuple[str, Any, dict[str, Desired]]] = {}
    for path, spec in specs.items():
        try:
            subscription, api = api_for(conn, spec, subscription_flag)
            prepared[path] = (subscription, api, dict(desired_state(spec, subscription)))
        except Exception as err:  # noqa: BLE001 - one spec's error, the others go on
            fleet.errors[path] = _as_error(err)

    all_ids = [rid for _, _, desired in prepared.values() for rid in desired]

    def listable(arm_type: str, per_group: bool) -> bool:
        return strategy != STRATEGY_GET and can_list(arm_type, per_group=per_group)

    plan = choose_reads(all_ids, listable, force_lists=strategy == STRATEGY_LIST)
    before = pacing.shared_pacer().counts
    start_requests, start_throttled = before.requests, before.throttled

    def lister(read: ListRead) -> list[dict[str, Any]]:
        return list_bodies(conn, read.subscription, read.arm_type, read.resource_group)

    if via == VIA_RESOURCE_GRAPH:
        from aksnet.live.azure.resource_graph import graph_snapshot

        snapshot = graph_snapshot(conn, all_ids)
    else:
        snapshot = take_snapshot(plan, lister)
    confirmed_gets: list[int] = []

    def plan_one(path: str) -> PlanRun:
        subscription, api, desired = prepared[path]
        reader: Any = SnapshotReader(snapshot, api)
        spec = specs[path]
        wanted, live = read_state(reader, desired)
        built = build_plan(wanted, live, spec=spec, subscription=subscription)
        if via == VIA_RESOURCE_GRAPH and not built.is_empty:
            # Resource Graph can lag behind ARM: what differs is read again from ARM, and only that.
            differing = {owning_id(c.id, desired) for c in built.changes if c.action is not Action.NOOP}
            confirmed = {rid: api.get(rid) for rid in sorted(r for r in differing if r)}
            confirmed_gets.append(len(confirmed))
            reader = ConfirmedReader(confirmed, reader)
            wanted, live = read_state(reader, desired)
            built = build_plan(wanted, live, spec=spec, subscription=subscription)
        warnings = check_live_state(spec, live, built, subscription) if check_live else []
        return PlanRun(spec, subscription, wanted, live, built, api, tuple(warnings))

    if prepared:
        workers = max(1, min(parallelism, len(prepared)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="aksnet-fleet") as pool:
            futures = {path: pool.submit(plan_one, path) for path in prepared}
            for path, future in futures.items():
                try:
                    fleet.runs[path] = future.result()
                except Exception as err:  # noqa: BLE001 - one spec's error, the others go on
                    fleet.errors[path] = _as_error(err)
    after = pacing.shared_pacer().counts
    gets = sum(1 for rid in all_ids if not snapshot.covers(rid))
    if via == VIA_RESOURCE_GRAPH:
        used = VIA_RESOURCE_GRAPH
    else:
        used = STRATEGY_LIST if snapshot.complete else STRATEGY_GET
    fleet.reads = FleetReads(
        requests=after.requests - start_requests, throttled=after.throttled - start_throttled,
        strategy=used, lists=0 if via == VIA_RESOURCE_GRAPH else len(snapshot.complete),
        gets=gets + sum(confirmed_gets), failed_lists=len(snapshot.failed), confirmed=sum(confirmed_gets))
    return fleet
