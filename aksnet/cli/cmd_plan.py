"""`aksnet plan SPEC...`: validate, lint, read live state, show what would change.

Exit codes (docs/cli.md#exit-codes): 0 success, 1 error, and with --detailed-exitcode 2 when there
are changes. With `-o json|markdown` stdout holds exactly one document; findings go to stderr.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from aksnet.cli.discovery import required_spec_args
from aksnet.cli.output import add_output_argument, is_machine, print_json
from aksnet.cli.prepare import add_lint_argument
from aksnet.cli.target import add_target_arguments, target_options
from aksnet.errors import AksnetError, UsageError
from aksnet.model import Action, Plan


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "plan", help="show what would change in Azure to match the spec(s)",
        description="Validate and lint the specs, read the live resources they name (one GET each, no "
        "writes) and print the ordered changes.")
    parser.add_argument("specs", nargs="+", metavar="SPEC",
                        help="spec file(s), or directories: every aksnet spec (*.yaml, *.yml) below them")
    add_output_argument(parser, ("text", "json", "markdown"))
    add_lint_argument(parser)
    parser.add_argument("--out", metavar="PLAN", help="save the plan (JSON) for `aksnet apply PLAN`")
    parser.add_argument("--detailed-exitcode", action="store_true",
                        help="exit 0 when there are no changes, 2 when there are, 1 on error")
    parser.add_argument("--no-color", action="store_true", help="no colour (also off when not a TTY, or NO_COLOR)")
    add_target_arguments(parser)
    parser.set_defaults(func=run)


def use_color(args: argparse.Namespace) -> bool:
    return (not getattr(args, "no_color", False) and not os.environ.get("NO_COLOR")
            and sys.stdout.isatty() and getattr(args, "output", "text") == "text")


def save_plan(plan: Plan, path: str) -> None:
    from aksnet.cli.private_files import write_private_text
    from aksnet.render.json import plan_document

    try:
        write_private_text(path, json.dumps(plan_document(plan), indent=2, default=str) + "\n")
    except OSError as err:
        raise UsageError(f"cannot write the plan to {path}: {err.strerror or err}",
                         hint="pass --out a path in an existing, writable directory") from err


def check_out_path(path: str, *, what: str = "the plan", example: str = "plan.json") -> None:
    """Catch an unusable --out before reading Azure, not after the whole plan (or export) was made.
    `what` / `example` word the hint for the command (`export` writes a spec)."""
    target = Path(path)
    if target.is_dir():
        raise UsageError(f"--out {path} is a directory", hint=f"name a file, e.g. --out {example}")
    if not target.parent.is_dir():
        raise UsageError(f"--out {path}: the directory {target.parent} does not exist",
                         hint=f"create it, or save {what} elsewhere")


def print_live_warnings(runs: Any) -> None:
    """What Azure holds that the plan leaves alone but a user should know (stderr: stdout may be a document)."""
    from aksnet.render.findings import format_finding

    for item in runs:
        for finding in item.warnings:
            print(format_finding(finding), file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    from aksnet.cli.prepare import prepare_spec
    from aksnet.workflows.planning import plan_spec
    from aksnet.workflows.targets import apply_command, open_target, target_record

    paths = required_spec_args(args.specs, command="plan")
    if args.out and len(paths) > 1:
        raise UsageError("--out saves one plan; give one spec", hint="run plan once per spec with --out")
    if args.out:
        check_out_path(args.out)
    specs = [prepare_spec(path, lint_mode=args.lint) for path in paths]  # every spec is valid before any request
    with open_target(target_options(args)) as conn:
        with ThreadPoolExecutor(max_workers=min(4, len(specs)), thread_name_prefix="aksnet-plan") as pool:
            runs = list(pool.map(lambda spec: plan_spec(conn, spec, args.subscription), specs))
        # A saved plan names where it was made, so `apply PLAN` cannot send it anywhere else.
        plans = [dataclasses.replace(r.plan, target=target_record(conn, r.subscription)) for r in runs]
    print_live_warnings(runs)
    if args.out:
        save_plan(plans[0], args.out)
    if args.output == "json":
        from aksnet.render.json import plan_document
        from aksnet.render.readiness import readiness_summary

        docs = [plan_document(p) for p in plans]
        fleet = {"migration_readiness_summary": readiness_summary(plans)} if readiness_summary(plans) else {}
        print_json(docs[0] if len(docs) == 1 else {"plans": docs, **fleet})
    elif args.output == "markdown":
        from aksnet.render.markdown import render_plan_markdown
        from aksnet.render.readiness import readiness_markdown

        sys.stdout.write("\n".join(render_plan_markdown(p) for p in plans) + readiness_markdown(plans))
    else:
        from aksnet.render.text import render_plan

        for plan in plans:
            if len(plans) > 1:
                print(f"== {plan.spec_path} (subscription {plan.subscription})")
            sys.stdout.write(render_plan(plan, color=use_color(args)))
        from aksnet.render.readiness import readiness_text

        report = readiness_text(plans)
        if report:
            sys.stdout.write("\n" + report)
        if args.out:
            print(f"\nSaved the plan to {args.out}. To apply exactly it: {apply_command(target_options(args), args.out)}")
    if args.out and is_machine(args):
        print(f"Saved the plan to {args.out}. To apply exactly it: {apply_command(target_options(args), args.out)}",
              file=sys.stderr)
    blocked = [c.address for p in plans for c in p.changes if c.action is Action.UNSUPPORTED]
    if blocked:
        # Not "changes pending" (0 / 2): apply refuses this plan as it stands, so a pipeline must stop here.
        raise AksnetError(f"the plan cannot be applied: Azure has no path for {', '.join(blocked)}",
                          hint="change the spec (each reason is in the plan above), or recreate the resource yourself")
    changed = any(not p.is_empty for p in plans)
    return 2 if args.detailed_exitcode and changed else 0
