"""Check a spec for plan, apply, destroy and drift, showing what the check found on stderr."""

from __future__ import annotations

import sys

from aksnet.cli.output import print_findings
from aksnet.errors import SpecError
from aksnet.spec.types import Spec
from aksnet.workflows.planning import check_spec


def prepare_spec(path: str, *, lint: bool = True) -> Spec:
    """The spec, valid, or SpecError after its located findings were printed (no request is sent
    before this). Lint findings go to stderr and never change the exit code."""
    try:
        spec, report = check_spec(path, lint=lint)
    except SpecError as err:
        if err.findings:
            print_findings(err.findings, sys.stderr)
        raise
    if report is not None:
        from aksnet.render.lint_text import report_to_stderr

        report_to_stderr(report)
    return spec
