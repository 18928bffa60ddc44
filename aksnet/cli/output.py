"""Shared CLI output helpers: `-o/--output`, findings as text (docs/cli.md#findings) or JSON.

For command authors:
    add_output_argument(parser)               # adds -o/--output {text,json} (default text)
    is_machine(args) -> bool                  # True when stdout must hold exactly one document
    print_json(document)                      # the one JSON document on stdout
    error_document(err) -> dict               # {"result": "error", "errors": [...]} for an error that ended a run
    print_findings(findings, stream)          # text blocks (docs/cli.md#findings), errors first in file order
    findings_document(findings) -> dict       # {"valid": bool, "findings": [Finding.as_dict()...]}
    summary_line(findings, checked) -> str    # "2 specs checked: 1 error, 0 warnings"
    is_valid(findings) -> bool                # no finding of severity error
    info(message)                             # a progress/log line: always stderr

Text shape of one finding (docs/cli.md#findings):
    error[AKSNET-SCHEMA-001]: unknown key 'adressPrefix' in spec.virtualNetwork.subnets[0]
      --> specs/x.yaml:21:9 (spec.virtualNetwork.subnets[0].adressPrefix)
      fix: did you mean 'addressPrefix'?
      source: https://learn.microsoft.com/...  # semantic rules: the public page the rule rests on
Machine formats (docs/cli.md#output): stdout holds exactly one document; everything else goes to
stderr. No colour and no `rich` here: this module is on the fast `validate` path.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from aksnet.model import Finding, Severity
from aksnet.render.findings import format_finding

OUTPUT_FORMATS = ("text", "json")
# JSON documents print_json wrote to stdout during this command: the CLI's error boundary prints an
# error document only when none was written, so stdout always holds exactly one (docs/cli.md#output).
_written = {"stdout": 0}
_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def add_output_argument(parser: argparse.ArgumentParser, formats: Sequence[str] = OUTPUT_FORMATS) -> None:
    parser.add_argument(
        "-o",
        "--output",
        choices=list(formats),
        default=formats[0],
        help="output format; with a machine format stdout holds exactly one document (default: %(default)s)",
    )


def is_machine(args: argparse.Namespace) -> bool:
    return getattr(args, "output", "text") != "text"


def print_json(document: Any, stream: TextIO | None = None) -> None:
    out = stream or sys.stdout
    out.write(json.dumps(document, indent=2, sort_keys=False, default=str))
    out.write("\n")
    if out is sys.stdout:
        _written["stdout"] += 1


def reset_documents() -> None:
    _written["stdout"] = 0


def documents_written() -> int:
    return _written["stdout"]


def info(message: str) -> None:
    print(message, file=sys.stderr)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Files in the order given (first appearance), then by position, errors before warnings."""
    items = list(findings)
    rank: dict[str, int] = {}
    for finding in items:
        rank.setdefault(finding.file, len(rank))
    return sorted(
        items, key=lambda f: (rank[f.file], f.line, f.column, _SEVERITY_ORDER.get(f.severity, 3), f.rule)
    )


def is_valid(findings: Iterable[Finding]) -> bool:
    return not any(f.severity is Severity.ERROR for f in findings)


def print_findings(findings: Iterable[Finding], stream: TextIO | None = None) -> None:
    out = stream or sys.stdout
    for finding in sort_findings(findings):
        out.write(format_finding(finding) + "\n\n")


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_line(findings: Sequence[Finding], checked: int) -> str:
    errors = sum(f.severity is Severity.ERROR for f in findings)
    warnings = sum(f.severity is Severity.WARNING for f in findings)
    text = f"{_count(checked, 'spec')} checked: {_count(errors, 'error')}, {_count(warnings, 'warning')}"
    infos = len(findings) - errors - warnings
    return text + (f", {infos} info" if infos else "")


def findings_document(findings: Iterable[Finding]) -> dict[str, Any]:
    """The `validate -o json` document; other commands may embed it."""
    ordered = sort_findings(findings)
    return {"valid": is_valid(ordered), "findings": [_stable(f) for f in ordered]}


def _stable(finding: Finding) -> dict[str, Any]:
    # Exactly the stable keys, in this order; `source`/`extra` are left to formats that want them.
    full = finding.as_dict()
    keys = ("rule", "catalogue", "severity", "message", "fix", "file", "line", "column", "path")
    return {key: full[key] for key in keys}


def error_entry(err: Exception) -> dict[str, Any]:
    """One `errors[]` item (docs/cli.md#errors): `kind` lets scripts branch without parsing text."""
    from aksnet.errors import (
        AzureRequestError,
        ConsentRequiredError,
        CredentialError,
        LockHeldError,
        PlanStaleError,
        SpecError,
        UsageError,
    )

    kinds: tuple[tuple[type[Exception], str], ...] = (
        (PlanStaleError, "stale_plan"), (LockHeldError, "lock"), (ConsentRequiredError, "consent"),
        (CredentialError, "auth"), (SpecError, "input"), (UsageError, "input"))
    kind = next((name for cls, name in kinds if isinstance(err, cls)), "api")
    entry: dict[str, Any] = {"kind": kind, "message": getattr(err, "message", str(err))}
    hint = getattr(err, "hint", "")
    if hint:
        entry["fix"] = hint
    if isinstance(err, AzureRequestError):
        entry.update({"code": err.code, "http_status": err.status, "azure_id": err.resource_id,
                      "correlation_id": err.correlation_id})
        if err.status == 429:
            entry["kind"] = "throttled"
        elif err.status == 409:
            entry["kind"] = "conflict"
    if isinstance(err, SpecError) and err.findings:
        entry["findings"] = [_stable(f) for f in sort_findings(err.findings)]
    return entry


def error_document(err: Exception) -> dict[str, Any]:
    """What `-o json` prints when an error ends the command before its own document."""
    return {"format_version": "1.0", "result": "error", "errors": [error_entry(err)]}
