"""`aksnet drift SPEC_OR_DIR...`: read-only comparison of specs with live Azure.

Read-only by construction: each spec goes through the plan path only (`plan_spec`: one GET per
managed resource, `aksnet.live.reader`), never the applier. Specs are checked concurrently over one
Connection per run; every GET takes a token from the subscription's process-wide bucket
(`aksnet.live.ratelimit.limits_for`, ARM's per-subscription token bucket,
https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling),
so however many specs run at once they share one client-side rate limit.

Exit codes (docs/cli.md#exit-codes): 0 in sync, 2 drift, 1 error (a spec that does not validate or
could not be read). With `-o json|markdown|junit` stdout holds exactly one document; findings and
the footer go to stderr. When $GITHUB_STEP_SUMMARY is set the markdown report is appended to it
whatever `-o` is (https://docs.github.com/actions/reference/workflows-and-actions/workflow-commands#adding-a-job-summary).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from aksnet.cli.output import add_output_argument, info, is_machine, sort_findings
from aksnet.cli.prepare import add_lint_argument
from aksnet.cli.target import add_target_arguments, target_options
from aksnet.errors import AksnetError, SpecError, UsageError
from aksnet.model import Finding, Severity

FORMATS = ("text", "json", "markdown", "junit")
STEP_SUMMARY_LIMIT = 1024 * 1024


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "drift", help="report what changed in Azure behind the specs' back (read-only)",
        description="Validate and lint the specs, read the live resources they name (GETs only, never a "
        "write) and report each managed resource as in sync, drifted or missing. Exit 0 in sync, 2 drift, "
        "1 error.")
    parser.add_argument("paths", nargs="+", metavar="SPEC_OR_DIR",
                        help="spec file(s), or directories: every aksnet spec (*.yaml, *.yml) below them")
    add_output_argument(parser, FORMATS)
    add_lint_argument(parser)
    parser.add_argument("--shard", metavar="K/N", type=parse_shard,
                        help="check only the deterministic share K of N (1 <= K <= N), to split a fleet "
                        "over a CI matrix")
    parser.add_argument("--parallelism", type=int, default=4, metavar="N",
                        help="specs checked at once (default %(default)s); all share one rate limit per "
                        "subscription")
    parser.add_argument("--no-summary", action="store_true",
                        help="do not append the markdown report to $GITHUB_STEP_SUMMARY")
    parser.add_argument("--allow-empty", action="store_true",
                        help="exit 0 when no spec is found or the --shard selects none (default: exit 1, so a "
                        "misnamed directory is not reported as in sync)")
    parser.add_argument("--timeout", type=float, default=1800.0, metavar="SECONDS",
                        help="run deadline: throttled requests wait their Retry-After until it passes; a spec "
                        "not checked by then is an error (default %(default)s)")
    parser.add_argument("--reads", choices=("auto", "per-resource", "per-type"), default="auto",
                        help="how to read live state: one list per resource type, one GET per resource, or "
                        "whichever costs fewer requests for the specs at hand (default)")
    parser.add_argument("--via", choices=("arm", "resource-graph"), default="arm",
                        help="read live state from ARM (default), or from Azure Resource Graph: a few queries "
                        "for the whole fleet, across subscriptions; what differs is confirmed by an ARM GET "
                        "(the index can lag)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="say on stderr how live state was read (strategy, requests, 429s)")
    add_target_arguments(parser)
    parser.set_defaults(func=run)


def parse_shard(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r} is not K/N (e.g. 1/3)")
    index, total = int(match.group(1)), int(match.group(2))
    if total < 1 or not 1 <= index <= total:
        raise argparse.ArgumentTypeError(f"shard {text} is out of range: use K/N with 1 <= K <= N")
    return index, total


def expand_paths(arguments: Sequence[str]) -> list[str]:
    """Files as given; each directory replaced by the aksnet specs below it, sorted. Duplicates dropped."""
    from aksnet.cli.discovery import expand_spec_args

    return expand_spec_args(arguments, command="drift")


def _checked(path: str, fn: Callable[[], Any], errors: dict[str, str], *, findings_shown: bool = False) -> Any:
    """fn(), or None with the error recorded for `path` (one spec's failure never stops the others).
    `findings_shown`: fn printed a SpecError's located findings itself (`prepare_spec`), so they are not
    printed again; the report entry still says what is wrong."""
    try:
        return fn()
    except AksnetError as err:
        if findings_shown and isinstance(err, SpecError) and err.findings:
            errors[path] = _findings_message(err.findings)
        else:
            errors[path] = err.message + (f" ({err.hint})" if err.hint else "")
            print(f"drift: {path}: error: {errors[path]}", file=sys.stderr)
        return None


def _findings_message(findings: Sequence[Finding]) -> str:
    """The report entry of a spec that did not load or validate: its first error, located, and how many
    more (the findings themselves went to stderr once)."""
    located = sort_findings(f for f in findings if f.severity is Severity.ERROR) or sort_findings(findings)
    first = located[0]
    message = first.message + (f" (line {first.line}, column {first.column})" if first.line else "")
    if len(located) > 1:
        message += f"; and {len(located) - 1} more error{'' if len(located) == 2 else 's'}"
    return message


def _raise(err: AksnetError) -> None:
    raise err


def collect(paths: Sequence[str], args: argparse.Namespace) -> Any:
    """The DriftReport for `paths` (validation + lint first, then concurrent reads)."""
    from aksnet.cli.prepare import prepare_spec
    from aksnet.core.drift import DriftReport, spec_drift
    from aksnet.workflows.fleet import plan_fleet
    from aksnet.workflows.targets import open_target

    errors: dict[str, str] = {}
    specs = {}
    for path in paths:
        spec = _checked(path, partial(prepare_spec, path, lint_mode=getattr(args, "lint", "summary")), errors,
                        findings_shown=True)
        if spec is not None:
            specs[path] = spec
    runs: dict[str, Any] = {}
    reads: dict[str, Any] | None = None
    if specs:
        try:
            with open_target(target_options(args)) as conn:  # one Connection (clients, token) for every spec
                # One read of each resource type for the whole fleet, then each spec planned from it;
                # one spec's failure is that spec's error (aksnet.workflows.fleet).
                fleet = plan_fleet(conn, specs, args.subscription, parallelism=args.parallelism,
                                   strategy=getattr(args, "reads", "auto"), via=getattr(args, "via", "arm"))
                runs = dict(fleet.runs)
                for path, err in fleet.errors.items():
                    _checked(path, partial(_raise, err), errors)
                reads = fleet.reads.as_dict() if fleet.reads else None
        except AksnetError as err:
            # The target itself failed (e.g. a bad --endpoint): every spec not yet checked is an error,
            # and the report still comes out as one document.
            for path in specs:
                if path not in runs and path not in errors:
                    _checked(path, partial(_raise, err), errors)
    checked = tuple(spec_drift(runs[p].plan, spec_name=specs[p].name) for p in paths if runs.get(p) is not None)
    return DriftReport(specs=checked, errors=tuple((p, errors[p]) for p in paths if p in errors), reads=reads)


def render(report: Any, output: str) -> str:
    from aksnet.render import drift as r

    renderers: dict[str, Callable[[Any], str]] = {
        "text": r.render_text, "json": r.render_json, "markdown": r.render_markdown, "junit": r.render_junit,
    }
    return renderers[output](report)


def append_step_summary(report: Any) -> None:
    """GitHub's job summary: append markdown to the file $GITHUB_STEP_SUMMARY names
    (https://docs.github.com/actions/reference/workflows-and-actions/workflow-commands#adding-a-job-summary)."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    from aksnet.render.drift import render_markdown

    text = render_markdown(report)
    if len(text.encode()) > STEP_SUMMARY_LIMIT:
        # GitHub refuses a step summary over 1 MiB (workflow-commands#adding-a-job-summary): keep the head, footer first.
        head = text.encode()[:STEP_SUMMARY_LIMIT - 200].decode(errors="ignore")
        text = head.rsplit("\n", 1)[0] + "\n\n…cut at GitHub's 1 MiB step summary limit: see the job log.\n"
    try:
        with open(target, "a", encoding="utf-8") as summary:
            summary.write(text + "\n")
    except OSError as err:  # the summary is a convenience: never turn drift into an error for it
        info(f"drift: could not write the step summary {target}: {err}")


def _empty_fleet(message: str, args: argparse.Namespace) -> None:
    """No spec to check is an error unless --allow-empty: a renamed directory or a shard matrix wider
    than the fleet must not turn a nightly drift check green."""
    if args.allow_empty:
        info(f"drift: {message} (--allow-empty: nothing to check)")
        return
    raise UsageError(message, hint="check the paths (specs declare 'apiVersion: aksnet/v1'), or pass --allow-empty "
                     "when an empty fleet or shard is expected")


def run(args: argparse.Namespace) -> int:
    if args.parallelism < 1:
        raise UsageError("--parallelism must be at least 1")
    if args.timeout <= 0:
        raise UsageError("--timeout must be more than 0 seconds")
    from aksnet.live.pacing import set_run_deadline, start_command

    start_command(args.timeout)
    try:
        return _run(args)
    finally:
        set_run_deadline(None)  # the deadline is this command's, not the process's


def _run(args: argparse.Namespace) -> int:
    paths = expand_paths(args.paths)
    if not paths:
        _empty_fleet(f"no aksnet spec found in {', '.join(args.paths)}", args)
    if args.shard and paths:
        from aksnet.core.drift import shard

        index, total = args.shard
        selected = shard(paths, index, total)
        info(f"drift: shard {index}/{total}: {len(selected)} of {len(paths)} specs")
        if not selected:
            _empty_fleet(f"shard {index}/{total} selects none of the {len(paths)} specs", args)
        paths = selected
    report = collect(paths, args)
    if args.verbose and report.reads:
        reads = report.reads
        info(f"drift: reads: {reads['requests']} requests ({reads['strategy']}: {reads['lists']} lists, "
             f"{reads['gets']} GETs), {reads['throttled']} answered 429")
    sys.stdout.write(render(report, args.output))
    if is_machine(args):
        info(report.footer())
    if not args.no_summary:
        append_step_summary(report)
    code: int = report.exit_code
    return code
