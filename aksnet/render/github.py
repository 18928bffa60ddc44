"""GitHub Actions workflow commands (`::error file=...,line=...,col=...,title=...::message`) for findings.

Escaping as actions/toolkit packages/core/src/command.ts does: data `%`->%25, CR->%0D, LF->%0A; property
values additionally `:`->%3A and `,`->%2C. GitHub shows at most 10 error and 10 warning annotations per
step (https://docs.github.com/actions/reference/workflows-and-actions/workflow-commands), so past that a plain log line says how many were not annotated.
"""

from __future__ import annotations

from collections.abc import Iterable

from aksnet.checks.lint.catalogue import RULES
from aksnet.model import Finding, Severity

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
ANNOTATIONS_PER_LEVEL = 10


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    rule = RULES.get(finding.rule)
    title = f"{finding.rule} {rule.title}" if rule else finding.rule
    props = [f"file={escape_property(finding.file.replace(chr(92), '/'))}"]
    if finding.line > 0:
        props.append(f"line={finding.line}")
        if finding.column > 0:
            props.append(f"col={finding.column}")
    props.append(f"title={escape_property(title)}")
    message = f"{finding.message}. Fix: {finding.fix}."
    return f"::{COMMAND[finding.severity]} {','.join(props)}::{escape_data(message)}"


def render_github(findings: Iterable[Finding]) -> str:
    """One workflow command per finding (at most 10 per level), then a plain line for the rest."""
    lines: list[str] = []
    emitted = {s: 0 for s in Severity}
    held_back = 0
    for finding in findings:
        if emitted[finding.severity] >= ANNOTATIONS_PER_LEVEL:
            held_back += 1
            continue
        emitted[finding.severity] += 1
        lines.append(annotation(finding))
    if held_back:
        lines.append(
            f"aksnet: {held_back} more finding(s) not annotated (GitHub shows at most "
            f"{ANNOTATIONS_PER_LEVEL} per level per step); use -o sarif for the full list"
        )
    return "\n".join(lines) + ("\n" if lines else "")
