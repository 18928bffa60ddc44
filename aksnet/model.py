"""Shared vocabulary of the pure core: findings, desired and live resources, changes and plans.

Data only, no logic beyond trivial properties. Who fills what:
- `spec.load` / `rules` / `lint` produce `Finding`s;
- `desired` produces `Desired`; `reader` produces `Live`;
- `diff` produces `Change`; `plan` produces `Plan`; `applier` consumes a `Plan`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from aksnet.ids import Kind

FieldPath = tuple[str, ...]
"""A path into an ARM body or a spec in camelCase, e.g. ("properties", "securityRules", "ssh", "priority")."""


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class SourceLocation:
    file: str
    line: int  # 1-based; 0 when unknown
    column: int  # 1-based; 0 when unknown


@dataclass(frozen=True, slots=True)
class Finding:
    """One located problem in a spec (validation rule or lint rule)."""

    rule: str  # stable aksnet id, e.g. "AKSNET-CIDR-001" or "AKSNET006"
    severity: Severity
    message: str  # one line: what is wrong
    fix: str  # one line: how to fix it
    file: str
    line: int
    column: int
    path: str  # spec field path, e.g. "spec.virtualNetwork.subnets[0].addressPrefix"
    catalogue: str | None = None  # "R12" (docs/reference/rules.md#catalogue-numbers) when the rule implements one
    source: str | None = None  # the Azure doc / spec the behaviour comes from
    extra: Mapping[str, Any] = field(default_factory=dict)  # e.g. checkov / Azure Policy ids for lint

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule": self.rule,
            "catalogue": self.catalogue,
            "severity": str(self.severity),
            "message": self.message,
            "fix": self.fix,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
        }
        if self.source:
            data["source"] = self.source
        data.update(self.extra)
        return data


@dataclass(frozen=True, slots=True)
class Desired:
    """What the spec says one ARM resource must look like. `body` is ARM wire format (camelCase under
    `properties`) holding only the fields the spec sets: that key set is what aksnet owns."""

    id: str
    kind: Kind
    name: str
    body: Mapping[str, Any]
    depends_on: frozenset[str] = frozenset()
    location: SourceLocation | None = None
    # Fields sent on create but not compared afterwards: values aksnet writes for a field the spec
    # omits (e.g. maxPods, R28 "never rely on the default"), so Azure's own value is not drift.
    unowned: frozenset[FieldPath] = frozenset()

    @property
    def address(self) -> str:
        return f"{self.kind}.{self.name}"


@dataclass(frozen=True, slots=True)
class Live:
    """A resource as read from Azure (full GET body, server-filled fields included)."""

    id: str
    body: Mapping[str, Any]
    etag: str | None = None


class Action(StrEnum):
    NOOP = "no-op"
    CREATE = "create"
    UPDATE = "update"  # in place
    REPLACE = "replace"  # delete then create: a field cannot change in place
    MIGRATE = "migrate"  # in place but one-way and disruptive (e.g. kubenet -> overlay)
    UNSUPPORTED = "unsupported"  # Azure has no path; the plan cannot be applied
    DELETE = "delete"


@dataclass(frozen=True, slots=True)
class FieldChange:
    path: FieldPath
    before: Any  # None when absent
    after: Any  # None when removed
    action: Action = Action.UPDATE  # the class this field alone would force
    reason: str = ""  # why it forces replace / migrate / unsupported (with its catalogue rule)


@dataclass(frozen=True, slots=True)
class Prerequisite:
    """A condition a migrate change needs (R58), and whether the spec/live state meets it."""

    description: str
    met: bool


@dataclass(frozen=True, slots=True)
class Stage:
    """One ordered step of a staged migration (kubenet -> overlay): what it does, whether live state
    already shows it done, and the prerequisites that gate it."""

    name: str  # identity | policy | ipam | dataplane | verify
    description: str
    done: bool
    gate: tuple[Prerequisite, ...] = ()


@dataclass(frozen=True, slots=True)
class Readiness:
    """Whether a live kubenet cluster can migrate to Azure CNI Overlay now, and what blocks it."""

    cluster: str  # plan address, e.g. aks.aks-cluster
    ready: bool
    blockers: tuple[tuple[str, str], ...] = ()  # (category, description), e.g. ("policy engine", "...")
    checks: tuple[Prerequisite, ...] = ()


@dataclass(frozen=True, slots=True)
class Change:
    id: str
    kind: Kind
    name: str
    action: Action
    fields: tuple[FieldChange, ...] = ()
    before: Mapping[str, Any] | None = None  # live body projected on owned fields (None if absent)
    after: Mapping[str, Any] | None = None  # desired body (None for delete)
    reason: str = ""  # one line for the reader: why this action
    prerequisites: tuple[Prerequisite, ...] = ()
    depends_on: frozenset[str] = frozenset()
    parent: str | None = None  # for a deleted child (rule, route, subnet): the parent id
    stages: tuple[Stage, ...] = ()  # a staged migration's steps, in order (empty: one write)

    @property
    def address(self) -> str:
        return f"{self.kind}.{self.name}"


@dataclass(frozen=True, slots=True)
class Plan:
    changes: tuple[Change, ...]  # dependency order (creates/updates), deletes reversed
    waves: tuple[tuple[str, ...], ...]  # ids per wave; every id in a wave is independent of the others
    fingerprints: Mapping[str, str]  # id -> etag or canonical hash of every resource read
    spec_hash: str
    subscription: str
    spec_path: str = ""
    readiness: tuple[Readiness, ...] = ()  # per live kubenet cluster: can it migrate to overlay now
    # Where the plan was made (kind azure|local|endpoint, endpoint, database, tenant, subscription): a
    # saved plan applies only to that target (`aksnet.workflows.targets.target_mismatch`).
    target: Mapping[str, str] = field(default_factory=dict)

    @property
    def actionable(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.action is not Action.NOOP)

    @property
    def is_empty(self) -> bool:
        return not self.actionable

    @property
    def applyable(self) -> bool:
        return all(c.action is not Action.UNSUPPORTED for c in self.changes)
