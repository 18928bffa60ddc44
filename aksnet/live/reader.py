"""Live state: one GET per managed resource, concurrently, 404 meaning absent.

The kubenet case needs no extra read: the VNet GET already carries each subnet's route table id,
which is how the diff recognises AKS's own route table. Concurrency is bounded here, and every GET
also takes a token from the subscription's shared bucket (`aksnet.live.ratelimit`).

`read_state` adds the one read adoption needs (`aksnet.core.adopt`): when the cluster exists but the
Network Contributor assignment's deterministic id is absent, one list of the assignments at its scope
finds the one `az aks create` made under a random name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

from aksnet.core.adopt import adopt, matching_assignment, wanted_assignments
from aksnet.model import Desired, Live

DEFAULT_READ_CONCURRENCY = 8


class Getter(Protocol):
    def get(self, rid: str) -> dict[str, Any] | None: ...


class StateReader(Getter, Protocol):
    def list_role_assignments(self, scope: str) -> list[dict[str, Any]]: ...


def to_live(rid: str, body: dict[str, Any] | None) -> Live | None:
    if body is None:
        return None
    etag = body.get("etag") or body.get("eTag")
    return Live(id=rid, body=body, etag=str(etag) if etag else None)


def read_live(api: Getter, ids: Iterable[str], *, concurrency: int = DEFAULT_READ_CONCURRENCY) -> dict[str, Live | None]:
    """id -> Live (None when absent) for every id, keyed as given; the first error is raised."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    with ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(wanted))),
                            thread_name_prefix="aksnet-read") as pool:
        bodies = list(pool.map(api.get, wanted))
    return {rid: to_live(rid, body) for rid, body in zip(wanted, bodies, strict=True)}


def read_state(api: StateReader, desired: Mapping[str, Desired], *,
               concurrency: int = DEFAULT_READ_CONCURRENCY) -> tuple[dict[str, Desired], dict[str, Live | None]]:
    """Desired and live state for planning: one GET per resource, plus one role assignment list per
    assignment that is absent while its cluster exists (adopted under its real id when it matches)."""
    live = read_live(api, desired, concurrency=concurrency)
    adopted: dict[str, dict[str, Any]] = {}
    for wanted in wanted_assignments(desired, live):
        found = matching_assignment(wanted, api.list_role_assignments(wanted.scope))
        if found is not None:
            adopted[wanted.desired_id] = dict(found)
    if not adopted:
        return dict(desired), live
    return adopt(desired, live, adopted)
