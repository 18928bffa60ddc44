"""Fault rules: latency, 429/5xx (optionally with Retry-After), dropped connections, operation outcomes,
and a concurrent writer's change landing between a client's GET and its write (`foreign_tags`).

A rule matches a request by method and a regular expression searched (case-insensitively) in the
path; `times` limits how many matching requests it applies to. Rules live in the database so
every process sharing it sees them. The SDK's reactions these exercise are in
https://github.com/Azure/azure-sdk-for-python/blob/main/sdk/core/azure-core/azure/core/pipeline/policies/_retry.py (429 + Retry-After honoured exactly, 5xx retried with backoff, a PUT replayed
after a dropped connection, an operation ending Failed, `poller.done()` False for a never-ending one).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, fields
from typing import Any

from aksnet.emulator.arm.store import Store

DROP_MODES = ("before_commit", "after_commit")
OP_OUTCOMES = ("Failed", "never")
_DEFAULT_CODES = {429: "TooManyRequests", 500: "InternalServerError", 502: "BadGateway",
                  503: "ServiceUnavailable", 504: "GatewayTimeout"}


@dataclass(frozen=True, slots=True)
class FaultRule:
    method: str = "*"
    path: str = ".*"  # regex searched in the request path (no query string), case-insensitive
    times: int | None = None  # matching requests it applies to; None: all of them
    latency_ms: int = 0
    status: int | None = None  # answer this status instead of handling the request
    retry_after: int | None = None  # Retry-After header (seconds) on that answer
    code: str | None = None  # error code of the status answer or of a Failed operation
    message: str | None = None
    drop: str | None = None  # "before_commit" | "after_commit": close the socket without an answer
    op_outcome: str | None = None  # "Failed" | "never": the operation this request starts
    op_duration_s: float | None = None  # the operation this request starts takes this long
    # Another client's write that lands right before this request is handled (after the caller's
    # GET): these tags are added to the resource the request names, which gets a new etag. Lets a
    # test prove that a read-modify-write keeps a concurrent change (If-Match, 412, re-read).
    foreign_tags: dict[str, str] | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FaultRule:
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown fault rule field(s): {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}")
        rule = cls(**data)
        re.compile(rule.path)
        if rule.drop not in (None, *DROP_MODES):
            raise ValueError(f"drop must be one of {DROP_MODES}")
        if rule.op_outcome not in (None, *OP_OUTCOMES):
            raise ValueError(f"op_outcome must be one of {OP_OUTCOMES}")
        if rule.foreign_tags is not None and not (
                isinstance(rule.foreign_tags, dict)
                and all(isinstance(k, str) and isinstance(v, str) for k, v in rule.foreign_tags.items())):
            raise ValueError("foreign_tags must map tag names to string values")
        if rule.status is not None and not 400 <= rule.status <= 599:
            raise ValueError("status must be an HTTP error status (400-599)")
        return rule

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    def matches(self, method: str, path: str) -> bool:
        if self.method != "*" and self.method.upper() != method.upper():
            return False
        return re.search(self.path, path, re.IGNORECASE) is not None

    @property
    def error_code(self) -> str:
        return self.code or _DEFAULT_CODES.get(self.status or 0, "InjectedFault")


@dataclass(slots=True)
class FaultEffect:
    """What the matching rules of one request ask for."""

    latency_ms: int = 0
    status_rule: FaultRule | None = None
    drop: str | None = None
    op_rule: FaultRule | None = None  # op_outcome / op_duration_s for an operation this request starts
    foreign_tags: dict[str, str] | None = None  # a concurrent writer's tags, applied before handling


def add_rules(store: Store, rules: list[FaultRule]) -> None:
    with store.connect() as conn:
        conn.execute("BEGIN IMMEDIATE")
        for rule in rules:
            conn.execute("INSERT INTO faults(rule, remaining) VALUES (?, ?)", (json.dumps(rule.to_dict()), rule.times))
        conn.execute("COMMIT")


def clear_rules(store: Store) -> None:
    with store.connect() as conn:
        conn.execute("DELETE FROM faults")


def list_rules(store: Store) -> list[dict[str, Any]]:
    with store.connect() as conn:
        rows = conn.execute("SELECT seq, rule, remaining FROM faults ORDER BY seq").fetchall()
    return [{"id": seq, "rule": json.loads(rule), "remaining": remaining} for seq, rule, remaining in rows]


def take(store: Store, method: str, path: str) -> FaultEffect:
    """The effect of the rules matching this request; each applied rule's `times` is used up by one."""
    effect = FaultEffect()
    with store.connect() as conn:
        if conn.execute("SELECT 1 FROM faults LIMIT 1").fetchone() is None:
            return effect  # the common case: no rules, no write lock
        conn.execute("BEGIN IMMEDIATE")
        for seq, text, remaining in conn.execute("SELECT seq, rule, remaining FROM faults ORDER BY seq").fetchall():
            rule = FaultRule.from_dict(json.loads(text))
            if (remaining is not None and remaining <= 0) or not rule.matches(method, path):
                continue
            if remaining is not None:
                conn.execute("UPDATE faults SET remaining=remaining-1 WHERE seq=?", (seq,))
            effect.latency_ms += rule.latency_ms
            if rule.status is not None and effect.status_rule is None:
                effect.status_rule = rule
            if rule.drop and effect.drop is None:
                effect.drop = rule.drop
            if rule.foreign_tags and effect.foreign_tags is None:
                effect.foreign_tags = dict(rule.foreign_tags)
            if (rule.op_outcome or rule.op_duration_s is not None) and effect.op_rule is None:
                effect.op_rule = rule
        conn.execute("COMMIT")
    return effect
