"""`aksnet apply SPEC...|PLANFILE`: plan, show, confirm, converge, verify.

With a saved plan (`aksnet plan --out`), every resource it read is read again; if any fingerprint or
the spec's hash changed it refuses with "saved plan is stale" before writing anything (Terraform's
"Saved plan is stale", https://developer.hashicorp.com/terraform/cli/commands/apply). After applying, aksnet re-reads and plans again:
anything still differing is shown and the exit code is 1.
"""

from __future__ import annotations

import argparse
import sys
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from aksnet.cli.apply_flow import (
    add_apply_arguments,
    apply_options,
    confirm,
    footer,
    interrupted_exit_code,
    progress_for,
    replace_warnings,
    report_interrupted,
    result_document,
    run_plan,
    spec_locks,
)
from aksnet.cli.discovery import required_spec_args
from aksnet.cli.output import add_output_argument, print_json
from aksnet.cli.prepare import add_lint_argument
from aksnet.cli.target import add_target_arguments, target_options
from aksnet.errors import AksnetError, PlanStaleError, UsageError
from aksnet.model import Plan


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "apply", help="make Azure match the spec(s), or apply a saved plan exactly",
        description="Plan, show the plan, ask for confirmation, then create/update resources in dependency "
        "order (independent ones in parallel) and verify that nothing is left to change.")
    parser.add_argument("inputs", nargs="+", metavar="SPEC|PLAN",
                        help="spec file(s) or directories of specs, or one saved plan (JSON)")
    add_output_argument(parser)
    add_lint_argument(parser)
    add_apply_arguments(parser)
    parser.add_argument("--allow-migrate", action="store_true",
                        help="allow one-way migrations the plan lists (e.g. kubenet -> Azure CNI Overlay)")
    add_target_arguments(parser)
    parser.set_defaults(func=run)


def load_saved_plan(path: str) -> Plan | None:
    """The plan in `path` if it is a saved plan document, else None (a spec)."""
    from aksnet.spec.files import MAX_PLAN_BYTES, FileRefused, parse_json_capped, read_regular_file

    try:
        # Regular files only, at most the cap: a FIFO or a symlink to /dev/zero is refused by the spec
        # loader (located) instead of blocking or being read until memory runs out.
        raw = read_regular_file(path, MAX_PLAN_BYTES, refuse_over_cap=False)
    except (OSError, FileRefused):
        return None  # missing, a directory, not a regular file, unreadable: the spec loader reports it, located
    text = raw.decode("utf-8", errors="replace")
    if not text.lstrip().startswith("{"):
        return None
    if len(raw) > MAX_PLAN_BYTES:
        raise UsageError(f"{path} is over the {MAX_PLAN_BYTES}-byte cap for a saved plan",
                         hint="save a new one with `aksnet plan --out`")
    try:
        doc = parse_json_capped(text)
    except FileRefused as err:
        raise UsageError(f"{path} is not a usable aksnet plan: {err}",
                         hint="save a new one with `aksnet plan --out`") from None
    except ValueError:
        return None
    if not isinstance(doc, dict) or "resource_changes" not in doc:
        return None
    from aksnet.render.json import plan_from_document

    try:
        return plan_from_document(doc)
    except (KeyError, ValueError, TypeError, AttributeError) as err:
        reason = f"missing key {err}" if isinstance(err, KeyError) else str(err)
        raise UsageError(f"{path} is not a usable aksnet plan: {reason}",
                         hint="save a new one with `aksnet plan --out`") from err


def check_saved_plan(saved: Plan, spec_sha: str, live: Any) -> None:
    """Refuse a plan whose spec or read resources changed since it was made."""
    from aksnet.core.plan import stale_reasons

    problems = stale_reasons(saved, spec_sha, live)
    if problems:
        raise PlanStaleError("saved plan is stale: " + "; ".join(problems),
                             hint="run `aksnet plan --out` again, review it, and apply the new plan")


def check_plan_target(saved: Plan, conn: Any, path: str) -> None:
    """Refuse a plan made against another target (an emulator's plan applied to Azure, or to another
    emulator), before anything is read from this one."""
    from aksnet.workflows.targets import target_record

    _refuse_other_target(saved, target_record(conn, saved.subscription), path)


def check_plan_target_early(saved: Plan, args: argparse.Namespace, path: str) -> None:
    """The same refusal from the flags alone (kind, endpoint URL, local database), before the embedded
    emulator is started or a credential asked for: tenant and subscription are checked once connected."""
    from aksnet.workflows.targets import requested_target

    _refuse_other_target(saved, requested_target(target_options(args)), path)


def _refuse_other_target(saved: Plan, current: dict[str, str], path: str) -> None:
    from aksnet.workflows.targets import target_mismatch

    why = target_mismatch(saved.target, current)
    if why:
        raise UsageError(f"{path}: {why}",
                         hint="apply it with the target flags it was made with (`aksnet plan --out` prints the "
                         "command), or plan again against this target")


def check_untampered(saved: Plan, fresh: Plan, path: str) -> None:
    """Refuse a plan file whose changes are not those the spec yields now (an edited azure_id or
    action, removed fingerprints): nothing is written."""
    from aksnet.core.plan import tampered_reasons

    problems = tampered_reasons(saved, fresh)
    if problems:
        raise PlanStaleError(f"{path} does not match what its spec yields against Azure now: " + "; ".join(problems),
                             hint="a saved plan cannot be edited: run `aksnet plan --out` again and apply that file")


def run(args: argparse.Namespace) -> int:
    from aksnet.cli.prepare import prepare_spec

    saved = load_saved_plan(args.inputs[0]) if len(args.inputs) == 1 else None
    if saved is not None:
        if not Path(saved.spec_path).is_file():
            # The plan names its spec by the path given to `plan` (relative to where it ran).
            raise UsageError(f"{args.inputs[0]} was planned from the spec {saved.spec_path!r}, which is not a file here",
                             hint="run apply from the directory where you ran `aksnet plan --out`")
        spec_paths = [saved.spec_path]
    else:
        spec_paths = required_spec_args(args.inputs, command="apply")
    if saved is not None:
        check_plan_target_early(saved, args, args.inputs[0])
    specs = [prepare_spec(path, lint=saved is None, lint_mode=args.lint) for path in spec_paths]  # no request before this
    with spec_locks([s.file for s in specs], args.lock_timeout):
        return _apply(args, specs, saved)


def _apply(args: argparse.Namespace, specs: list[Any], saved: Plan | None) -> int:
    from aksnet.render.text import render_plan
    from aksnet.workflows.planning import PlanRun, plan_spec
    from aksnet.workflows.targets import open_target

    machine = args.output == "json"
    out = sys.stderr if machine else sys.stdout
    with open_target(target_options(args)) as conn:
        options = apply_options(args, emulator=conn.is_emulator)
        runs: list[tuple[PlanRun, Plan]] = []
        if saved is not None:
            spec = specs[0]
            if args.subscription and args.subscription.lower() != saved.subscription.lower():
                raise UsageError(f"the saved plan is for subscription {saved.subscription}")
            check_plan_target(saved, conn, args.inputs[0])
            # The file only confirms: desired state comes from the spec, live state is read again, and
            # what runs is the plan they yield, after the file proved it is that plan, unchanged.
            fresh = plan_spec(conn, spec, saved.subscription)
            check_saved_plan(saved, spec.sha256, fresh.live)
            check_untampered(saved, fresh.plan, args.inputs[0])
            runs.append((fresh, fresh.plan))
        elif len(specs) == 1:
            planned = plan_spec(conn, specs[0], args.subscription)
            runs.append((planned, planned.plan))
        else:
            # Several specs are read concurrently, one GET per resource as for one spec (the writes
            # rely on what they read, etags included); the first spec that cannot be planned stops
            # the apply before anything is written.
            from aksnet.workflows.fleet import plan_fleet

            fleet = plan_fleet(conn, {spec.file: spec for spec in specs}, args.subscription,
                               parallelism=args.parallelism, strategy="per-resource", check_live=True)
            for spec in specs:
                if spec.file in fleet.errors:
                    failure = fleet.errors[spec.file]
                    cause = failure.__cause__
                    raise cause if isinstance(cause, Exception) and not isinstance(cause, AksnetError) else failure
                planned = fleet.runs[spec.file]
                runs.append((planned, planned.plan))
        from aksnet.cli.cmd_plan import print_live_warnings
        from aksnet.live.applier import busy_resources, check_consent

        print_live_warnings([run for run, _ in runs])

        for _, plan in runs:
            out.write(render_plan(plan))
        for _, plan in runs:
            check_consent(plan, options)
        busy = [address for run, plan in runs for address in busy_resources(plan, run.live)]
        for address in busy:
            print(f"{address}: an operation is still running (an earlier apply was stopped after its "
                  "write); waiting for it, then verifying", file=out)
        if all(plan.is_empty for _, plan in runs) and not busy:
            print(footer({"add": 0, "change": 0, "replace": 0, "destroy": 0}), file=out)
            if machine:
                print_json(result_document([_entry(r, p, None, True) for r, p in runs], None))
            return 0
        for _, plan in runs:
            for line in replace_warnings(plan):
                print(line, file=out)
        only_waits = all(plan.is_empty for _, plan in runs)
        if saved is None and not only_waits and not confirm(args, "Do you want to perform these actions?", out):
            print("Apply cancelled.", file=out)
            return 1
        progress, _ = progress_for(args)
        counts = {"add": 0, "change": 0, "replace": 0, "destroy": 0}
        try:
            outcomes = apply_specs(runs, options, progress, out)
        finally:
            progress.close()
        entries = [o.entry for o in outcomes]
        for outcome in outcomes:
            for key, value in outcome.counts.items():
                counts[key] += value
        failed = [o for o in outcomes if o.error is not None]
        interrupted = any(o.interrupted for o in outcomes)
        interrupt_code = next((o.interrupt_code for o in outcomes if o.interrupted), 130)
        error: Exception | None = None
        if len(failed) == 1 and len(outcomes) == 1:
            error = failed[0].error
        elif failed:
            for outcome in failed:
                print(f"{outcome.entry['spec']}: stopped: {getattr(outcome.error, 'message', outcome.error)}; "
                      "its remaining steps were not run (the other specs went on)", file=out)
            error = AksnetError(f"{len(failed)} of {len(outcomes)} specs failed: "
                                + ", ".join(str(o.entry["spec"]) for o in failed),
                                hint="see each spec's error above; run apply again once fixed")
        if error is None and not interrupted:
            print("\n" + footer(counts), file=out)
        if machine:
            print_json(result_document(entries, error, interrupted=interrupted))
        if interrupted and error is None:
            return interrupt_code  # 130 SIGINT, 143 SIGTERM: docs/cli.md#exit-codes
        if error is not None:
            if isinstance(error, AksnetError):
                raise error
            raise AksnetError(str(error)) from error
        return 0


@dataclass(slots=True)
class SpecOutcome:
    entry: dict[str, Any]
    counts: dict[str, int]
    error: Exception | None = None
    interrupted: bool = False
    interrupt_code: int = 130


def apply_one(planned: Any, plan: Plan, options: Any, progress: Any, out: Any,
              stop: threading.Event | None = None) -> SpecOutcome:
    """Apply one spec's plan and verify it; its failure is its own outcome (the other specs go on)."""
    from aksnet.render.text import render_plan
    from aksnet.workflows.planning import replan

    try:
        result = run_plan(planned, plan, options, progress, stop=stop)
    except AksnetError as err:
        return SpecOutcome(_entry(planned, plan, None, None, err), {}, err)
    verified = None
    outcome = SpecOutcome({}, dict(result.counts))
    if result.interrupted and result.error is None:
        outcome.interrupted = True
        outcome.interrupt_code = interrupted_exit_code(result)
        report_interrupted(result, out)
    elif result.error is None:
        again = replan(planned)
        verified = again.plan.is_empty
        if not verified:
            out.write(f"\n{plan.spec_path}: Azure still differs from the spec after applying:\n")
            out.write(render_plan(again.plan))
            outcome.error = AksnetError(f"{plan.spec_path}: Azure still differs from the spec after applying",
                                        hint="see the plan above; run `aksnet plan` for details")
    else:
        outcome.error = result.error
    outcome.entry = _entry(planned, plan, result, verified, outcome.error)
    return outcome


def apply_specs(runs: list[tuple[Any, Plan]], options: Any, progress: Any, out: Any) -> list[SpecOutcome]:
    """Every spec's plan, concurrently when there are several (at most --parallelism specs at once),
    sharing one write per VNet at a time (`WriteLocks`); each spec keeps its own steps, verification
    and error. Ctrl-C / SIGTERM stops them all (no new request starts)."""
    from concurrent.futures import ThreadPoolExecutor

    from aksnet.cli.apply_flow import sigint_stops
    from aksnet.live.write_locks import WriteLocks

    active = list(runs)
    if len(active) <= 1:
        return [apply_one(r, p, options, progress, out) for r, p in active]
    shared = replace(options, shared_locks=WriteLocks())
    stop = threading.Event()
    received: list[int] = []
    with sigint_stops(stop, received), ThreadPoolExecutor(
            max_workers=max(1, min(options.parallelism, len(active))), thread_name_prefix="aksnet-spec") as pool:
        futures = [pool.submit(apply_one, r, p, shared, progress, out, stop) for r, p in active]
        outcomes = [f.result() for f in futures]
    if received:
        for outcome in outcomes:
            outcome.interrupt_code = 128 + received[0]
    return outcomes


def _entry(run: Any, plan: Plan, result: Any, verified: bool | None,
           error: Exception | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"spec": plan.spec_path, "subscription_id": run.subscription}
    if result is not None:
        entry["summary"] = result.counts
        entry["steps"] = [s.as_dict() for s in result.steps]
    else:
        entry["summary"] = {"add": 0, "change": 0, "replace": 0, "destroy": 0}
        entry["steps"] = []
    entry["verified"] = verified
    if error is not None:
        entry["error"] = getattr(error, "message", str(error))
    return entry
