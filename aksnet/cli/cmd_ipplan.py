"""`aksnet ipplan SPEC`: the address plan, max node count and its limit; `--compare`, `--svg FILE`.

Pure planning lives in `aksnet.checks.ipplan`; this module only loads, prints and writes the SVG file.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from aksnet.cli.output import add_output_argument
from aksnet.errors import UsageError


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "ipplan",
        help="show the address plan: capacity per subnet, max nodes and what limits it",
        description="Plan the spec's address space offline: per subnet size, reserved, usable and used "
        "addresses; the largest node count that still leaves room for an upgrade's surge, and what "
        "limits it.",
    )
    parser.add_argument("specs", nargs="+", metavar="SPEC",
                        help="spec file(s), or directories: every aksnet spec (*.yaml, *.yml) below them")
    parser.add_argument("--compare", action="store_true",
                        help="show the spec under kubenet, Azure CNI and Azure CNI Overlay side by side")
    parser.add_argument("--svg", metavar="FILE", help="also draw the address space as SVG into FILE")
    add_output_argument(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from aksnet.cli.discovery import required_spec_args

    paths = required_spec_args(args.specs, command="ipplan")
    if args.svg and len(paths) > 1:
        raise UsageError("--svg draws one spec; give one spec", hint="run ipplan once per spec with --svg")
    if len(paths) == 1:
        return _run_one(args, paths[0])
    documents: list[dict[str, Any]] = []
    for number, path in enumerate(paths):
        if args.output == "json":
            documents.append(_document(args, path))
            continue
        if number:
            print()
        print(f"== {path}")
        _run_one(args, path)
    if args.output == "json":
        sys.stdout.write(json.dumps({"specs": documents}, indent=2) + "\n")
    return 0


def _document(args: argparse.Namespace, path: str) -> dict[str, Any]:
    from aksnet.checks.ipplan import compare, plan

    spec = _load(path)
    document: dict[str, Any] = {"file": path, **plan(spec).as_dict()}
    if args.compare:
        document["compare"] = [p.as_dict() for p in compare(spec)]
    return document


def _load(path: str) -> Any:
    from aksnet.checks.rules import check
    from aksnet.model import Severity
    from aksnet.spec.load import load_spec

    spec = load_spec(path)
    errors = [f for f in check(spec) if f.severity is Severity.ERROR]
    if errors:
        print(f"note: {path} has {len(errors)} rule error(s); run `aksnet validate {path}`", file=sys.stderr)
    return spec


def _run_one(args: argparse.Namespace, path: str) -> int:
    from aksnet.checks.ipplan import compare, plan
    from aksnet.render.ipplan_svg import render_svg
    from aksnet.render.ipplan_text import compare_table, plan_text

    spec = _load(path)
    current = plan(spec)
    compared = compare(spec) if args.compare else None
    if args.svg:
        if args.svg == "-" and args.output == "json":
            raise UsageError("--svg - and -o json both want stdout", hint="write the SVG to a file")
        svg = render_svg(spec, current)
        if args.svg == "-":
            sys.stdout.write(svg)
            return 0
        with open(args.svg, "w", encoding="utf-8") as out:
            out.write(svg)
        print(f"wrote {args.svg}", file=sys.stderr)
    if args.output == "json":
        document: dict[str, Any] = current.as_dict()
        if compared is not None:
            document["compare"] = [p.as_dict() for p in compared]
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
        return 0
    print(plan_text(path, current))
    if compared is not None:
        print()
        print(compare_table(compared, current.plugin))
    return 0
