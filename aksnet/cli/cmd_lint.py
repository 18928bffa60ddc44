"""`aksnet lint SPEC...`: security findings AKSNET001-014 on specs, offline.

Exit code (docs/cli.md#exit-codes, the checkov convention): 1 when a spec is invalid, or when an active
finding is at or above `--fail-on` (default error) unless `--soft-fail`; 0 otherwise. With `-o json`,
`-o sarif` or `-o github`, standard output holds only that output; validation errors go to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from aksnet.checks.lint.catalogue import RULES
from aksnet.checks.lint.engine import LintReport, lint_report
from aksnet.checks.rules import check as check_rules
from aksnet.cli.discovery import add_only_specs_argument
from aksnet.cli.output import add_output_argument, print_findings, print_json
from aksnet.errors import SpecError, UsageError
from aksnet.model import Finding, Severity
from aksnet.spec.load import load_spec

FORMATS = ("text", "json", "sarif", "github")


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "lint",
        help="security lint of specs (AKSNET001-014), offline",
        description="Report insecure settings in specs (rules AKSNET001-014, with their Checkov / Azure "
        "Policy equivalents). Suppress one per resource with `lint: {skip: [ID], reason: ...}`.",
    )
    parser.add_argument("specs", nargs="+", metavar="SPEC", help="spec file(s), or directories: every aksnet spec (*.yaml, *.yml) below them")
    add_output_argument(parser, FORMATS)
    parser.add_argument(
        "--fail-on",
        choices=[str(s) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)],
        default=str(Severity.ERROR),
        help="exit 1 when a finding has this severity or higher (default error)",
    )
    parser.add_argument("--soft-fail", action="store_true", help="exit 0 whatever the lint findings")
    parser.add_argument(
        "--skip", action="append", default=[], metavar="RULE", help="suppress a rule for this run (repeatable)"
    )
    parser.add_argument("--sarif-file", metavar="PATH", help="also write the SARIF log to PATH")
    add_only_specs_argument(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    skip = [part.strip().upper() for item in args.skip for part in item.split(",") if part.strip()]
    unknown = [rule for rule in skip if rule not in RULES]
    if unknown:
        raise UsageError(f"unknown lint rule(s) for --skip: {', '.join(unknown)}", hint="rules are AKSNET001-014")

    report = LintReport((), ())
    invalid = linted = 0
    paths = expand_specs(args.specs, only_specs=args.only_specs)
    if not paths:
        return 0  # --only-specs and no spec among the files: nothing to lint
    for path in paths:
        try:
            spec = load_spec(path)
        except SpecError as err:  # cannot be typed: nothing to lint
            invalid += 1
            if err.findings:
                print_validation_errors(err.findings)
            else:
                print(f"Error: {err.message}", file=sys.stderr)
            continue
        # semantic rule errors make the spec invalid (exit 1) but the typed spec can still be linted
        errors = [f for f in check_rules(spec) if f.severity is Severity.ERROR]
        if errors:
            invalid += 1
            print_validation_errors(errors)
        report = report.merged(lint_report(spec, skip))
        linted += 1

    if linted or args.output != "text":  # a "Lint: 0 errors" line about no spec at all says nothing
        write_output(args.output, report, paths)
    if args.sarif_file:
        Path(args.sarif_file).write_text(json.dumps(sarif_log(report, paths), indent=2) + "\n", encoding="utf-8")

    if invalid:
        return 1  # an invalid spec fails even with --soft-fail (that flag is about lint findings)
    if args.soft_fail:
        return 0
    return 1 if report.at_or_above(Severity(args.fail_on)) else 0


def expand_specs(arguments: list[str], *, only_specs: bool = False) -> list[str]:
    """Files as given; a directory becomes every aksnet spec below it, sorted (`aksnet.cli.discovery`)."""
    from aksnet.cli.discovery import required_spec_args

    return required_spec_args(arguments, command="lint", only_specs=only_specs)


def print_validation_errors(findings: Sequence[Finding]) -> None:
    """Validation errors on stderr in `aksnet validate`'s shape, each once and located (no `Error:` line
    repeating the first); stdout keeps only the lint output."""
    print_findings(findings, sys.stderr)


def write_output(fmt: str, report: LintReport, paths: list[str]) -> None:
    if fmt == "json":
        print_json(
            {
                "findings": [f.as_dict() for f in report.findings],
                "suppressed": [f.as_dict() for f in report.suppressed],
            }
        )
    elif fmt == "sarif":
        print_json(sarif_log(report, paths))
    elif fmt == "github":
        from aksnet.render.github import render_github

        sys.stdout.write(render_github(repo_relative(f) for f in report.findings))
    else:
        from aksnet.render.lint_text import format_report

        sys.stdout.write(format_report(report) + "\n")


def sarif_log(report: LintReport, paths: list[str]) -> dict[str, Any]:
    from aksnet.render.sarif import build_sarif

    # one automation id per spec set, so SARIF files of different spec sets can share a commit (GitHub's runAutomationDetails)
    automation = f"aksnet/{repo_relative_path(paths[0])}/" if len(paths) == 1 else "aksnet/lint/"
    return build_sarif(
        [repo_relative(f) for f in report.findings],
        [repo_relative(f) for f in report.suppressed],
        automation_id=automation,
    )


def repo_relative(finding: Finding) -> Finding:
    return replace(finding, file=repo_relative_path(finding.file))


def repo_relative_path(file: str) -> str:
    """`file` relative to the root of the git work tree holding it (GitHub resolves annotation and SARIF
    paths from the repository root), else relative to the current directory; forward slashes."""
    absolute = Path(os.path.abspath(file))
    root = next((p for p in absolute.parents if (p / ".git").exists()), None)
    base = root if root is not None else Path.cwd()
    try:
        relative = absolute.relative_to(base)
    except ValueError:
        return file.replace("\\", "/")
    return relative.as_posix()
