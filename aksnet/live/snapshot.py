"""Fleet reads that cost per type, not per resource: list each type once, answer lookups from that.

    plan = choose_reads(ids)                       # pure: which types to list, where, and what it costs
    snapshot = take_snapshot(plan, lister)         # the list requests (every page)
    reader = SnapshotReader(snapshot, fallback)    # get(id) / list_role_assignments(scope) like ResourceApi

Per (subscription, type) there are three ways to read n resources spread over r resource groups:
one GET each (n requests), one list per resource group (r), or one list of the subscription (1);
lists may take more than one page. The cheapest wins and a tie keeps the GETs, which fetch nothing
extra: a single spec (one resource of each type) reads as before, a fleet lists. Types aksnet
cannot list (or a list that fails) fall back to per-resource GETs, so a failing list costs at
worst what the GETs would have. A resource absent from a complete list is absent, as a GET's 404.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from aksnet.errors import AksnetError
from aksnet.ids import parse_id

Body = dict[str, Any]
ROLE_ASSIGNMENT_TYPE = "microsoft.authorization/roleassignments"
_ROLE_ASSIGNMENTS = "/providers/microsoft.authorization/roleassignments/"
STRATEGY_GET = "per-resource"
STRATEGY_LIST = "per-type"


def arm_type_of(rid: str) -> str:
    """Lower-case ARM type of a top-level id (a role assignment whatever its scope)."""
    if _ROLE_ASSIGNMENTS in rid.lower():
        return ROLE_ASSIGNMENT_TYPE
    parsed = parse_id(rid)
    if parsed.children:
        return "/".join([parsed.provider_type, *(c[0] for c in parsed.children)]).lower()
    return parsed.provider_type.lower()


def _subscription_of(rid: str) -> str:
    parts = rid.split("/")
    return parts[2].lower() if len(parts) > 2 and parts[1].lower() == "subscriptions" else ""


def subscription_of(rid: str) -> str:
    """The id's subscription, lower case ("" when it names none)."""
    return _subscription_of(rid)


def _group_of(rid: str) -> str | None:
    parts = rid.split("/")
    return parts[4].lower() if len(parts) > 4 and parts[3].lower() == "resourcegroups" else None


@dataclass(frozen=True, slots=True)
class ListRead:
    subscription: str
    arm_type: str
    resource_group: str | None  # None: the whole subscription


@dataclass(frozen=True, slots=True)
class ReadPlan:
    lists: tuple[ListRead, ...]
    gets: tuple[str, ...]  # ids read one by one
    # A subscription-wide list an identity may not be allowed (Reader on resource groups only answers
    # 403 to it): the per-group lists that read the same resources, when they cost less than GETs.
    fallbacks: Mapping[ListRead, tuple[ListRead, ...]] = field(default_factory=dict)

    @property
    def strategy(self) -> str:
        return STRATEGY_LIST if self.lists else STRATEGY_GET

    @property
    def estimate(self) -> int:
        """Requests if every list is one page (the floor: paging adds one per further page)."""
        return len(self.lists) + len(self.gets)


def choose_reads(ids: Iterable[str], listable: Callable[[str, bool], bool], *, force_lists: bool = False) -> ReadPlan:
    """The cheapest reads for `ids`; `listable(arm_type, per_group)` says which lists exist.
    `force_lists`: list every type that can be listed, whatever it costs (to compare strategies)."""
    by_type: dict[tuple[str, str], list[str]] = {}
    for rid in dict.fromkeys(ids):
        by_type.setdefault((_subscription_of(rid), arm_type_of(rid)), []).append(rid)
    lists: list[ListRead] = []
    gets: list[str] = []
    fallbacks: dict[ListRead, tuple[ListRead, ...]] = {}
    for (subscription, arm_type), members in by_type.items():
        groups = {_group_of(rid) for rid in members}
        options: list[tuple[int, int, tuple[ListRead, ...]]] = [(len(members), 0, ())]  # (cost, rank, lists)
        if subscription and listable(arm_type, False):
            options.append((1, 2, (ListRead(subscription, arm_type, None),)))
        if subscription and None not in groups and listable(arm_type, True):
            per_group = tuple(ListRead(subscription, arm_type, g) for g in sorted(g for g in groups if g))
            options.append((len(per_group), 1, per_group))
        if force_lists and len(options) > 1:
            options = options[1:]
        _, _, chosen = min(options, key=lambda o: (o[0], o[1]))
        if chosen:
            lists.extend(chosen)
            per_group_options = [o for o in options if o[1] == 1 and o[0] < len(members)]
            if len(chosen) == 1 and chosen[0].resource_group is None and per_group_options:
                fallbacks[chosen[0]] = per_group_options[0][2]
        else:
            gets.extend(members)
    return ReadPlan(tuple(lists), tuple(gets), fallbacks)


@dataclass(slots=True)
class Snapshot:
    """Bodies by lower-case id, and which (subscription, type, group) lists completed."""

    bodies: dict[str, Body] = field(default_factory=dict)
    complete: set[ListRead] = field(default_factory=set)
    failed: dict[ListRead, str] = field(default_factory=dict)

    def covers(self, rid: str) -> bool:
        subscription, arm_type = _subscription_of(rid), arm_type_of(rid)
        return (ListRead(subscription, arm_type, None) in self.complete
                or ListRead(subscription, arm_type, _group_of(rid)) in self.complete)

    def role_assignments(self, subscription: str) -> list[Body] | None:
        if ListRead(subscription.lower(), ROLE_ASSIGNMENT_TYPE, None) not in self.complete:
            return None
        return [b for rid, b in self.bodies.items() if _ROLE_ASSIGNMENTS in rid and _subscription_of(rid) in
                ("", subscription.lower())]


def take_snapshot(plan: ReadPlan, lister: Callable[[ListRead], list[Body]]) -> Snapshot:
    """Run the plan's lists; a list that fails is recorded (its resources are then read one by one)."""
    snapshot = Snapshot()
    pending = list(plan.lists)
    while pending:
        read = pending.pop(0)
        try:
            bodies = lister(read)
        except AksnetError as err:
            snapshot.failed[read] = err.message
            pending.extend(plan.fallbacks.get(read, ()))  # e.g. Reader on the groups, not the subscription
            continue
        for body in bodies:
            if body.get("id"):
                snapshot.bodies[str(body["id"]).lower()] = body
        snapshot.complete.add(read)
    return snapshot


class Fallback(Protocol):
    def get(self, rid: str) -> Body | None: ...

    def list_role_assignments(self, scope: str) -> list[Body]: ...


class SnapshotReader:
    """`get` / `list_role_assignments` as `ResourceApi` has them, answered from a snapshot when it
    covers the id, otherwise by the fallback (a GET). Thread-safe: the snapshot is only read."""

    def __init__(self, snapshot: Snapshot, fallback: Fallback) -> None:
        self.snapshot = snapshot
        self.fallback = fallback

    def get(self, rid: str) -> Body | None:
        if self.snapshot.covers(rid):
            body = self.snapshot.bodies.get(rid.lower())
            return dict(body) if body is not None else None
        return self.fallback.get(rid)

    def list_role_assignments(self, scope: str) -> list[Body]:
        """Assignments at or above `scope` (the `atScope()` filter), from the subscription's list."""
        listed = self.snapshot.role_assignments(_subscription_of(scope))
        if listed is None:
            return self.fallback.list_role_assignments(scope)
        wanted = scope.lower().rstrip("/")
        found = []
        for body in listed:
            at = str((body.get("properties") or {}).get("scope") or "").lower().rstrip("/")
            if wanted == at or wanted.startswith(at + "/") or at == "":
                found.append(dict(body))
        return found


class ConfirmedReader:
    """A reader whose answers for some ids were confirmed by a GET (Resource Graph can lag); the rest
    come from the snapshot."""

    def __init__(self, confirmed: Mapping[str, Body | None], base: SnapshotReader) -> None:
        self.confirmed = {k.lower(): v for k, v in confirmed.items()}
        self.base = base

    def get(self, rid: str) -> Body | None:
        if rid.lower() in self.confirmed:
            body = self.confirmed[rid.lower()]
            return dict(body) if body is not None else None
        return self.base.get(rid)

    def list_role_assignments(self, scope: str) -> list[Body]:
        return self.base.list_role_assignments(scope)


def owning_id(changed_id: str, managed: Iterable[str]) -> str | None:
    """The managed (top-level) id a change belongs to: itself, or the longest one it lies below
    (a subnet's VNet, a rule's NSG)."""
    lower = changed_id.lower()
    best: str | None = None
    for rid in managed:
        key = rid.lower()
        if key == lower:
            return rid
        if lower.startswith(key + "/") and (best is None or len(key) > len(best)):
            best = rid
    return best


def read_counts(plan: ReadPlan, snapshot: Snapshot) -> Mapping[str, int]:
    """How the reads went, per way of reading (for -v and JSON)."""
    return {"lists": len(snapshot.complete), "failed_lists": len(snapshot.failed), "gets_planned": len(plan.gets)}
