"""`aksnet destroy SPEC`: delete what the spec describes, dependents first.

Needs confirmation and --allow-delete; the resource group stays unless --include-resource-group.
Only resources that exist are deleted; AKS removes its own node resource group with the cluster.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from aksnet.cli.apply_flow import (
    add_apply_arguments,
    apply_options,
    confirm,
    footer,
    interrupted_exit_code,
    progress_for,
    report_interrupted,
    result_document,
    run_plan,
    spec_locks,
)
from aksnet.cli.output import add_output_argument, print_json
from aksnet.cli.target import add_target_arguments, target_options
from aksnet.errors import AksnetError, ConsentRequiredError


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "destroy", help="delete the resources a spec describes (reverse dependency order)",
        description="Delete what the spec created, dependents first. Needs --allow-delete; keeps the "
        "resource group unless --include-resource-group.")
    parser.add_argument("spec", metavar="SPEC", help="spec file (YAML)")
    add_output_argument(parser)
    add_apply_arguments(parser)
    parser.add_argument("--include-resource-group", action="store_true",
                        help="also delete the resource group (and anything else in it)")
    add_target_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from aksnet.cli.prepare import prepare_spec

    spec = prepare_spec(args.spec, lint=False)
    with spec_locks([spec.file], args.lock_timeout):
        return _destroy(args, spec)


def _destroy(args: argparse.Namespace, spec: Any) -> int:
    from aksnet.core.desired import desired_state
    from aksnet.core.plan import destroy_plan
    from aksnet.live.reader import read_state
    from aksnet.render.text import render_plan
    from aksnet.workflows.planning import PlanRun, api_for
    from aksnet.workflows.targets import open_target

    machine = args.output == "json"
    out = sys.stderr if machine else sys.stdout
    with open_target(target_options(args)) as conn:
        options = apply_options(args, emulator=conn.is_emulator)
        subscription, api = api_for(conn, spec, args.subscription)
        # read_state adopts an assignment az created under another name, so destroy deletes the real one.
        desired, live = read_state(api, desired_state(spec, subscription))
        plan = destroy_plan(desired, live, include_group=args.include_resource_group, spec_path=spec.file,
                            spec_hash=spec.sha256, subscription=subscription)
        if plan.is_empty:
            print("Nothing to destroy: none of the spec's resources exist"
                  + ("" if args.include_resource_group else " (the resource group is kept)") + ".", file=out)
            if machine:
                print_json(result_document([], None))
            return 0
        out.write(render_plan(plan))
        if not args.allow_delete:
            raise ConsentRequiredError(f"destroy deletes {len(plan.changes)} resource(s)",
                                       hint="re-run with --allow-delete to delete them")
        if not confirm(args, "Do you really want to destroy these resources? There is no undo.", out):
            print("Destroy cancelled.", file=out)
            return 1
        progress, _ = progress_for(args)
        try:
            result = run_plan(PlanRun(spec, subscription, desired, live, plan, api), plan, options, progress)
        finally:
            progress.close()
        entry = {"spec": spec.file, "subscription_id": subscription, "summary": result.counts,
                 "steps": [s.as_dict() for s in result.steps]}
        interrupted = result.interrupted and result.error is None
        if interrupted:
            report_interrupted(result, out)
        elif result.error is None:
            print("\n" + footer(result.counts, destroy=True), file=out)
        if machine:
            print_json(result_document([entry], result.error, interrupted=interrupted))
        if interrupted:
            return interrupted_exit_code(result)  # 130 SIGINT, 143 SIGTERM: docs/cli.md#exit-codes
        if result.error is not None:
            if isinstance(result.error, AksnetError):
                raise result.error
            raise AksnetError(str(result.error)) from result.error
        return 0
