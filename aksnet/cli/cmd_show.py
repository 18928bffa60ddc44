"""`aksnet show PLAN`: render a saved plan (`aksnet plan --out`) as text, JSON or markdown. No Azure call."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from aksnet.cli.output import add_output_argument, print_json
from aksnet.errors import UsageError


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "show", help="render a saved plan", description="Render a plan saved by `aksnet plan --out`.")
    parser.add_argument("plan", metavar="PLAN", help="saved plan (JSON)")
    add_output_argument(parser, ("text", "json", "markdown"))
    parser.add_argument("--no-color", action="store_true", help="no colour")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from aksnet.cli.cmd_plan import use_color
    from aksnet.render.json import plan_document, plan_from_document

    try:
        # Regular file, size cap, nesting cap: a FIFO, /dev/zero or a hostile plan is one clear error.
        from aksnet.spec.files import MAX_PLAN_BYTES, parse_json_capped, read_regular_file

        doc = parse_json_capped(read_regular_file(args.plan, MAX_PLAN_BYTES).decode("utf-8"))
        if not isinstance(doc, dict):
            raise ValueError(f"a plan is a JSON object, found {type(doc).__name__}")
        plan = plan_from_document(doc)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
        reason = f"missing key {err}" if isinstance(err, KeyError) else str(err)
        raise UsageError(f"cannot read the plan {args.plan}: {reason}", hint="save one with `aksnet plan --out`") from err
    if args.output == "json":
        print_json(plan_document(plan))
    elif args.output == "markdown":
        from aksnet.render.markdown import render_plan_markdown

        sys.stdout.write(render_plan_markdown(plan))
    else:
        from aksnet.render.text import render_plan

        sys.stdout.write(render_plan(plan, color=use_color(args)))
    return 0
