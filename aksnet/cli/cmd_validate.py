"""`aksnet validate SPEC...`: YAML, schema, references and the semantic rules; exit 0 iff no error.

Fast path (bench/validate_bench.py: < 0.3 s for one spec, < 3 s for 1,000): imports only the spec loader,
jsonschema (once) and `aksnet.checks.rules`; never the Azure SDK or rich.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from aksnet.cli.discovery import add_only_specs_argument, required_spec_args
from aksnet.cli.output import (
    add_output_argument,
    findings_document,
    is_machine,
    is_valid,
    print_findings,
    print_json,
    summary_line,
)
from aksnet.errors import SpecError
from aksnet.model import Finding
from aksnet.spec.load import load_spec
from aksnet.spec.types import Spec

RulesCheck = Callable[[Spec], Sequence[Finding]]


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "validate",
        help="check specs offline: YAML, schema, references and AKS networking rules",
        description="Check ClusterNetwork specs without calling Azure. Exit 0 when no error is found "
        "(warnings allowed), 1 otherwise.",
    )
    parser.add_argument("specs", nargs="+", metavar="SPEC",
                        help="spec file(s), or directories: every aksnet spec (*.yaml, *.yml) below them")
    add_output_argument(parser)
    add_only_specs_argument(parser)
    parser.set_defaults(func=run)


@cache
def semantic_rules() -> RulesCheck | None:
    """`aksnet.checks.rules.check` once it exists (written in parallel); None until then."""
    try:
        module = importlib.import_module("aksnet.checks.rules")
    except ModuleNotFoundError as err:
        if err.name != "aksnet.checks.rules":
            raise
        return None
    check: RulesCheck | None = getattr(module, "check", None)
    return check


def validate_path(path: str) -> list[Finding]:
    """All findings for one spec file: loader errors, or else the semantic rules' findings."""
    try:
        spec = load_spec(path)
    except SpecError as err:
        return list(err.findings)
    check = semantic_rules()
    return list(check(spec)) if check is not None else []


def run(args: argparse.Namespace) -> int:
    paths = required_spec_args(args.specs, command="validate", only_specs=args.only_specs)
    if not paths and not is_machine(args):
        return 0  # --only-specs and no spec among the files (pre-commit): nothing to say
    findings: list[Finding] = []
    for path in paths:
        findings.extend(validate_path(path))
    if is_machine(args):
        print_json(findings_document(findings))
    else:
        print_findings(findings)
        print(summary_line(findings, len(paths)))
    return 0 if is_valid(findings) else 1
