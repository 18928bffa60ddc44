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
from aksnet.model import Desired
from aksnet.spec.types import Spec
from aksnet.workflows.planning import PlanRun, api_for

READ_STRATEGIES = ("auto", "per-resource", "per-type")


@dataclass(frozen=True, slots=True)
class FleetReads:
    requests: int  # HTTP requests sent while reading (measured)
    throttled: int  # of which ARM answered 429 (each waited and sent again)
    strategy: str  # "per-type" when any type was listed, else "per-resource"
    lists: int  # list reads that completed (each one or more pages)
    gets: int  # resources read one GET each
    failed_lists: int = 0  # lists that failed (their resources were read one by one instead)

    def as_dict(self) -> dict[str, Any]:
        return {"requests": self.requests, "throttled": self.throttled, "strategy": self.strategy,
                "lists": self.lists, "gets": self.gets, "failed_lists": self.failed_lists}


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
    return AksnetError(f"could not read live state ({type(err).__name__}: {err})",
                       hint="run `aksnet plan` on this spec alone for details")


def plan_fleet(conn: Any, specs: Mapping[str, Spec], subscription_flag: str | None, *,
               parallelism: int = 4, strategy: str = "auto") -> FleetPlan:
    from aksnet.core.desired import desired_state
    from aksnet.core.plan import build_plan
    from aksnet.live import pacing
    from aksnet.live.azure.listing import can_list, list_bodies
    from aksnet.live.reader import read_state
    from aksnet.live.snapshot import (
        STRATEGY_GET,
        STRATEGY_LIST,
        ListRead,
        SnapshotReader,
        choose_reads,
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

    snapshot = take_snapshot(plan, lister)

    def plan_one(path: str) -> PlanRun:
        subscription, api, desired = prepared[path]
        reader = SnapshotReader(snapshot, api)
        spec = specs[path]
        wanted, live = read_state(reader, desired)
        return PlanRun(spec, subscription, wanted, live,
                       build_plan(wanted, live, spec=spec, subscription=subscription), api)

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
    fleet.reads = FleetReads(
        requests=after.requests - start_requests, throttled=after.throttled - start_throttled,
        strategy=STRATEGY_LIST if snapshot.complete else STRATEGY_GET, lists=len(snapshot.complete),
        gets=gets, failed_lists=len(snapshot.failed))
    return fleet
