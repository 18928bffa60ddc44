"""Semantic rules of an aksnet/v1 spec (docs/reference/rules.md; catalogue numbers R1..R65 in `numbers`).

`check(spec)` runs every check and returns every finding (never first-error-wins). Checks are pure
and cheap: CIDR parsing is cached (`cidr.py`) and each spec's networks are parsed once (`context.py`).
The list of rules with ids, severities and sources is `catalogue.RULES`.
"""

from __future__ import annotations

from collections.abc import Callable

from aksnet.checks.rules import (
    addressing,
    apiserver,
    capacity,
    names,
    nsg,
    plugin,
    pods,
    pool,
    routes,
    service,
)
from aksnet.checks.rules.catalogue import BY_ID, RULES, RuleInfo
from aksnet.checks.rules.context import RuleContext
from aksnet.model import Finding, Severity
from aksnet.spec.types import Spec

Check = Callable[[RuleContext], None]

CHECKS: tuple[Check, ...] = (
    *names.CHECKS,
    *addressing.CHECKS,
    *service.CHECKS,
    *pods.CHECKS,
    *plugin.CHECKS,
    *pool.CHECKS,
    *capacity.CHECKS,
    *apiserver.CHECKS,
    *nsg.CHECKS,
    *routes.CHECKS,
)


def check(spec: Spec) -> list[Finding]:
    """Every finding of every rule for `spec`, errors first, then in document order."""
    ctx = RuleContext(spec)
    for run in CHECKS:
        run(ctx)
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    return sorted(ctx.findings, key=lambda f: (order[f.severity], f.line, f.column, f.rule))


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)


__all__ = ["BY_ID", "CHECKS", "RULES", "RuleInfo", "check", "has_errors"]
