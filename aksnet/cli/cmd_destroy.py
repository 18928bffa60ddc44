"""`aksnet destroy SPEC`: delete what the spec describes, dependents first (issue 5 item 8).

Needs confirmation and --allow-delete; the resource group stays unless --include-resource-group.
Only resources that exist are deleted; AKS removes its own node resource group with the cluster.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from graphlib import TopologicalSorter
from typing import Any

from aksnet.cli.apply_flow import (
    add_apply_arguments,
    apply_options,
    confirm,
    footer,
    progress_for,
    report_interrupted,
    result_document,
    run_plan,
    spec_locks,
)
from aksnet.cli.output import add_output_argument, print_json
from aksnet.cli.target import add_target_arguments, target_options
from aksnet.errors import AksnetError, ConsentRequiredError
from aksnet.ids import Kind
from aksnet.model import Action, Change, Desired, Live, Plan


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


def destroy_plan(desired: Mapping[str, Desired], live: Mapping[str, Live | None], *, include_group: bool,
                 spec_path: str, spec_hash: str, subscription: str) -> Plan:
    """Deletes of every existing resource, in waves on the reversed dependency graph (Terraform walks
    destroys that way): the role assignment and cluster before the VNet, the VNet before its NSGs."""
    lowered = {k.lower(): v for k, v in live.items()}
    doomed = {rid: d for rid, d in desired.items()
              if lowered.get(rid.lower()) is not None and (include_group or d.kind is not Kind.RESOURCE_GROUP)}
    graph: dict[str, set[str]] = {rid: set() for rid in doomed}
    for rid, item in doomed.items():
        for dep in item.depends_on:
            if dep in graph:
                graph[dep].add(rid)  # delete `rid` (the dependent) before `dep`
    sorter: TopologicalSorter[str] = TopologicalSorter(graph)
    sorter.prepare()
    waves: list[tuple[str, ...]] = []
    while sorter.is_active():
        ready = tuple(sorted(sorter.get_ready(), key=str.lower))
        waves.append(ready)
        sorter.done(*ready)
    changes = tuple(
        Change(id=rid, kind=doomed[rid].kind, name=doomed[rid].name, action=Action.DELETE,
               before=_body(lowered.get(rid.lower())), after=None,
               reason="destroy requested")
        for wave in waves for rid in wave)
    fingerprints: dict[str, str] = {}
    return Plan(changes=changes, waves=tuple(waves), fingerprints=fingerprints, spec_hash=spec_hash,
                subscription=subscription, spec_path=spec_path)


def run(args: argparse.Namespace) -> int:
    from aksnet.cli.planning import prepare_spec

    spec = prepare_spec(args.spec, lint=False)
    with spec_locks([spec.file], args.lock_timeout):
        return _destroy(args, spec)


def _destroy(args: argparse.Namespace, spec: Any) -> int:
    from aksnet.azure.clients import open_target
    from aksnet.cli.planning import PlanRun, api_for
    from aksnet.desired import desired_state
    from aksnet.reader import read_state
    from aksnet.render.text import render_plan

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
            return 130  # ux-conventions.md B4: interrupted (SIGINT)
        if result.error is not None:
            if isinstance(result.error, AksnetError):
                raise result.error
            raise AksnetError(str(result.error)) from result.error
        return 0


def _body(live: Live | None) -> dict[str, Any] | None:
    return dict(live.body) if live is not None else None
