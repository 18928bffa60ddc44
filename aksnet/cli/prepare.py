"""Check a spec for plan, apply, destroy and drift, showing what the check found on stderr.

    add_lint_argument(parser)     --lint off|summary|full (default summary)
    prepare_spec(path, lint_mode=args.lint)
Lint findings never change these commands' exit codes; `aksnet lint` is the command that judges them.
"""

from __future__ import annotations

import argparse
import sys

from aksnet.cli.output import print_findings
from aksnet.errors import SpecError
from aksnet.spec.types import Spec
from aksnet.workflows.planning import check_spec

LINT_MODES = ("off", "summary", "full")


def add_lint_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lint", choices=LINT_MODES, default="summary",
                        help="security lint findings on stderr: off, summary (one line per spec, default) "
                        "or full (every finding)")


def prepare_spec(path: str, *, lint: bool = True, lint_mode: str = "full") -> Spec:
    """The spec, valid, or SpecError after its located findings were printed (no request is sent
    before this). Lint findings go to stderr as `lint_mode` says and never change the exit code."""
    lint = lint and lint_mode != "off"
    try:
        spec, report = check_spec(path, lint=lint)
    except SpecError as err:
        if err.findings:
            print_findings(err.findings, sys.stderr)
        raise
    if report is None:
        return spec
    if lint_mode == "summary":
        from aksnet.render.lint_text import summary_line

        if report.findings:
            print(f"{path}: {summary_line(report)} Run `aksnet lint {path}` for details.", file=sys.stderr)
    else:
        from aksnet.render.lint_text import report_to_stderr

        report_to_stderr(report)
    return spec
