"""Run every lint rule on a spec and apply the per-resource suppressions. Pure: Spec in, findings out."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

from aksnet.checks.lint import api_server, cluster, nsg, subnets
from aksnet.checks.lint.catalogue import RULES
from aksnet.checks.lint.hits import Hit
from aksnet.model import Finding, Severity
from aksnet.spec.types import Spec, format_path

CHECKS: tuple[Callable[[Spec], Iterator[Hit]], ...] = (
    api_server.check,
    nsg.check,
    subnets.check,
    cluster.check,
)

SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True, slots=True)
class LintReport:
    """Active findings and the ones a `lint: {skip: [...], reason}` (or `--skip`) suppressed.

    Suppressed findings carry `extra["suppressed"] = True` and `extra["suppressionReason"]`, so they
    stay visible in every output format instead of vanishing."""

    findings: tuple[Finding, ...]
    suppressed: tuple[Finding, ...]

    def at_or_above(self, threshold: Severity) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if SEVERITY_RANK[f.severity] >= SEVERITY_RANK[threshold])

    def merged(self, other: LintReport) -> LintReport:
        return LintReport(
            tuple(sorted((*self.findings, *other.findings), key=sort_key)),
            tuple(sorted((*self.suppressed, *other.suppressed), key=sort_key)),
        )


def sort_key(finding: Finding) -> tuple[str, int, int, str, str]:
    return (finding.file, finding.line, finding.column, finding.rule, finding.path)


def lint_report(spec: Spec, skip: Iterable[str] = ()) -> LintReport:
    """Every lint finding of `spec`, split into active and suppressed, each list sorted by file/line.

    `skip` holds rule ids suppressed for the whole run (the CLI's `--skip`)."""
    skipped = {s.strip().upper() for s in skip}
    active: list[Finding] = []
    suppressed: list[Finding] = []
    for check in CHECKS:
        for hit in check(spec):
            finding = _finding(spec, hit)
            reason = _suppression_reason(hit, skipped)
            if reason is None:
                active.append(finding)
            else:
                extra = {**finding.extra, "suppressed": True, "suppressionReason": reason}
                suppressed.append(replace(finding, extra=extra))
    return LintReport(tuple(sorted(active, key=sort_key)), tuple(sorted(suppressed, key=sort_key)))


def lint(spec: Spec) -> list[Finding]:
    """The active (not suppressed) lint findings of `spec`, sorted by file/line."""
    return list(lint_report(spec).findings)


def _suppression_reason(hit: Hit, skipped: set[str]) -> str | None:
    if hit.rule in skipped:
        return "skipped with --skip"
    if hit.suppression is not None and hit.rule in {r.strip().upper() for r in hit.suppression.rules}:
        return hit.suppression.reason or "suppressed in the spec (no reason given)"
    return None


def _finding(spec: Spec, hit: Hit) -> Finding:
    rule = RULES[hit.rule]
    where = spec.locate(hit.path)
    return Finding(
        rule=rule.id,
        severity=rule.severity,
        message=hit.message,
        fix=rule.fix,
        file=where.file,
        line=where.line,
        column=where.column,
        path=format_path(hit.path),
        source=rule.help_uri,
        extra={**rule.equivalents, "resource": hit.resource},
    )
