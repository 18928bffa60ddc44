"""Lint findings as text for people (the shape of docs/cli.md#findings), and the stderr report that plan, apply
and drift print before they work. Lint findings never change those commands' exit codes."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TextIO

from aksnet.checks.lint.catalogue import RULES
from aksnet.checks.lint.engine import LintReport
from aksnet.model import Finding, Severity
from aksnet.render.findings import format_finding


def format_lint_finding(finding: Finding) -> str:
    """The `validate` block (aksnet.render.findings) plus the lint rule's title, its Checkov / Azure Policy /
    AVD equivalents, and why it is suppressed."""
    rule = RULES.get(finding.rule)
    more: list[str] = []
    if rule is not None:
        more.append(f"  rule: {rule.title}" + (f"; same as {rule.equivalents_text}" if rule.equivalents else ""))
    if finding.extra.get("suppressed"):
        more.append(f"  suppressed: {finding.extra.get('suppressionReason', '')}")
    return format_finding(finding, more)


def summary_line(report: LintReport) -> str:
    counts = {s: sum(1 for f in report.findings if f.severity is s) for s in Severity}
    return (
        f"Lint: {counts[Severity.ERROR]} error(s), {counts[Severity.WARNING]} warning(s), "
        f"{counts[Severity.INFO]} info, {len(report.suppressed)} suppressed."
    )


def format_report(report: LintReport, *, show_suppressed: bool = True) -> str:
    """Every finding in file/line order, then the suppressed ones with their reason, then a summary line."""
    blocks = [format_lint_finding(f) for f in report.findings]
    if show_suppressed and report.suppressed:
        blocks.append(
            "Suppressed:\n"
            + "\n".join(
                f"  {f.rule} at {f.file}:{f.line}:{f.column} ({f.path}): {f.extra.get('suppressionReason', '')}"
                for f in report.suppressed
            )
        )
    blocks.append(summary_line(report))
    return "\n\n".join(blocks)


def report_to_stderr(findings: LintReport | Iterable[Finding], stream: TextIO | None = None) -> None:
    """For plan / apply / drift: print lint findings (if any) to standard error, one block each, and a
    summary line. Prints nothing when there are none. Never raises on findings; callers keep their exit
    code."""
    report = findings if isinstance(findings, LintReport) else LintReport(tuple(findings), ())
    if not report.findings and not report.suppressed:
        return
    out = stream if stream is not None else sys.stderr
    print(format_report(report, show_suppressed=False), file=out)
