"""Drift: what differs between a spec and live Azure, per managed resource. Pure.

A drift run is a plan seen the other way round: the same diff, but reported as "Azure changed behind
the spec's back" (Terraform's "Objects have changed outside of Terraform"), with every managed
resource classified as in sync, drifted or missing. It never proposes or performs writes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from aksnet.model import Action, Change, Plan, Readiness


class DriftStatus(StrEnum):
    IN_SYNC = "in_sync"
    DRIFTED = "drifted"
    MISSING = "missing"


@dataclass(frozen=True, slots=True)
class ResourceDrift:
    change: Change
    status: DriftStatus

    @property
    def address(self) -> str:
        return self.change.address


@dataclass(frozen=True, slots=True)
class SpecDrift:
    spec_path: str
    spec_name: str
    resources: tuple[ResourceDrift, ...]
    readiness: tuple[Readiness, ...] = ()  # live kubenet clusters: can they move to overlay now

    @property
    def drifted(self) -> bool:
        return any(r.status is not DriftStatus.IN_SYNC for r in self.resources)


@dataclass(frozen=True, slots=True)
class DriftReport:
    specs: tuple[SpecDrift, ...]
    errors: tuple[tuple[str, str], ...] = ()  # (spec path, message) of specs that could not be checked
    reads: Mapping[str, Any] | None = None  # how live state was read: {"requests": N, "strategy": ...}

    def count(self, status: DriftStatus) -> int:
        return sum(1 for s in self.specs for r in s.resources if r.status is status)

    @property
    def total(self) -> int:
        return sum(len(s.resources) for s in self.specs)

    @property
    def exit_code(self) -> int:
        """0 in sync, 2 drift, 1 error (docs/cli.md#exit-codes); an error outranks drift."""
        if self.errors:
            return 1
        return 2 if any(s.drifted for s in self.specs) else 0

    def footer(self) -> str:
        """driftctl-style footer (https://docs.driftctl.com): `Checked 18 resources in 3 specs: 17 in sync,
        1 drifted, 0 missing`, with "1 resource" / "1 spec" in the singular."""
        line = (
            f"Checked {plural(self.total, 'resource')} in {plural(len(self.specs), 'spec')}: "
            f"{self.count(DriftStatus.IN_SYNC)} in sync, {self.count(DriftStatus.DRIFTED)} drifted, "
            f"{self.count(DriftStatus.MISSING)} missing"
        )
        if self.errors:
            line += f"; {plural(len(self.errors), 'spec')} could not be checked"
        return line


def plural(count: int, noun: str) -> str:
    """`1 spec`, `0 specs`, `3 specs`."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def classify(change: Change) -> DriftStatus:
    if change.action is Action.NOOP:
        return DriftStatus.IN_SYNC
    if change.action is Action.CREATE and change.parent is None:
        return DriftStatus.MISSING
    return DriftStatus.DRIFTED


def spec_drift(plan: Plan, *, spec_name: str) -> SpecDrift:
    """Every change of the plan, creates and deletes of owned children included, as a drift entry."""
    return SpecDrift(
        spec_path=plan.spec_path,
        spec_name=spec_name,
        resources=tuple(ResourceDrift(c, classify(c)) for c in plan.changes),
        readiness=plan.readiness,
    )


def shard(paths: Sequence[str], index: int, total: int) -> list[str]:
    """The deterministic share `index` (1-based) of `total` shards: a stable hash of each path, so a
    fleet split over a CI matrix keeps each spec on the same shard whatever order files are listed in."""
    if total < 1 or not 1 <= index <= total:
        raise ValueError(f"shard {index}/{total} is out of range: use K/N with 1 <= K <= N")
    return [p for p in sorted(paths) if int(hashlib.sha256(p.encode()).hexdigest(), 16) % total == index - 1]
