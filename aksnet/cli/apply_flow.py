"""What apply and destroy share: confirmation, locks, running the applier with progress, the
verification re-plan and the result document."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any, TextIO

from aksnet.cli.output import error_entry
from aksnet.cli.progress import make_progress
from aksnet.errors import UsageError
from aksnet.live.applier import ApplyOptions, ApplyResult, execute, plan_steps
from aksnet.live.events import Progress
from aksnet.live.steps import RetryPolicy, StepContext
from aksnet.model import Action, Plan
from aksnet.workflows.planning import PlanRun
from aksnet.workflows.targets import aksnet_home


def add_apply_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--auto-approve", action="store_true",
                        help="do not ask for confirmation (required when stdin is not a terminal)")
    parser.add_argument("--allow-delete", action="store_true",
                        help="allow deletes and replacements (delete then create) the plan lists")
    parser.add_argument("--parallelism", type=int, default=8, metavar="N",
                        help="at most N operations at once (default %(default)s; one write per VNet at a time)")
    parser.add_argument("--lock-timeout", type=float, default=float(os.environ.get("AKSNET_LOCK_TIMEOUT") or 0),
                        metavar="SECONDS", help="wait this long for another apply on the same spec (default: fail fast)")
    parser.add_argument("--timeout", type=float, default=3600.0, metavar="SECONDS",
                        help="give up waiting on one operation after this long (default %(default)s)")


def _int_env(name: str) -> int | None:
    value = os.environ.get(name)
    return int(value) if value else None


def apply_options(args: argparse.Namespace, *, emulator: bool) -> ApplyOptions:
    if args.parallelism < 1:
        raise UsageError("--parallelism must be at least 1")
    fast = emulator and os.environ.get("AKSNET_FAST_RETRY")
    return ApplyOptions(
        allow_delete=args.allow_delete,
        allow_migrate=getattr(args, "allow_migrate", False),
        parallelism=args.parallelism,
        retry=RetryPolicy(base_delay=0.2, max_delay=2.0) if fast else RetryPolicy(),
        poll_seconds=0.25 if emulator else 10.0,
        timeout=args.timeout,
        # Test seams (docs/development.md#test-seams): exit like SIGKILL after N finished steps / N accepted writes.
        kill_after_steps=_int_env("AKSNET_TEST_KILL_AFTER_STEP"),
        kill_after_writes=_int_env("AKSNET_TEST_KILL_AFTER_WRITE"),
    )


def confirm(args: argparse.Namespace, question: str, stream: TextIO) -> bool:
    """Terraform's prompt: only 'yes' proceeds. Without a terminal --auto-approve is required."""
    if args.auto_approve:
        return True
    if not sys.stdin.isatty():
        raise UsageError("no terminal to confirm on", hint="pass --auto-approve to apply without confirmation")
    print(f"\n{question}\n  Only 'yes' will be accepted to approve.\n", file=stream)
    stream.write("  Enter a value: ")
    stream.flush()
    return sys.stdin.readline().strip() == "yes"


@contextmanager
def spec_locks(paths: list[str], timeout: float) -> Iterator[None]:
    from aksnet.live.locking import spec_lock

    with ExitStack() as stack:
        for path in sorted(set(paths)):
            stack.enter_context(spec_lock(aksnet_home(), path, timeout=timeout))
        yield


@contextmanager
def sigint_stops(stop: threading.Event, received: list[int] | None = None) -> Iterator[None]:
    """Ctrl-C during apply (Terraform's "Interrupt received"): the first one sets
    `stop` (no new request starts; requests in flight finish; the run then reports and exits 130); a
    second one exits at once. Either way a re-run finishes the job: it awaits operations in flight.
    SIGTERM (a CI job cancelled: GitHub Actions and GitLab send it before SIGKILL,
    docs.github.com/actions/managing-workflow-runs/canceling-a-workflow) is handled like the first
    Ctrl-C; the exit code is then 128 + 15 = 143. `received` collects the signals that arrived."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be installed from the main thread
        return

    def handler(signum: int, _frame: Any) -> None:
        if received is not None:
            received.append(signum)
        if stop.is_set():
            print("\nTwo interrupts received. Exiting immediately: operations already sent continue in Azure. "
                  "Run apply again to finish (it waits for them).", file=sys.stderr, flush=True)
            os._exit(128 + signum)
        stop.set()
        what = "Interrupt" if signum == signal.SIGINT else f"{signal.Signals(signum).name}"
        print(f"\n{what} received. Waiting for the requests in flight to finish; nothing new starts. "
              "(Press Ctrl-C again to exit immediately.)", file=sys.stderr, flush=True)

    previous = {signum: signal.signal(signum, handler) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, former in previous.items():
            signal.signal(signum, former)


def run_plan(run: PlanRun, plan: Plan, options: ApplyOptions, progress: Progress,
             stop: threading.Event | None = None) -> ApplyResult:
    """Apply one plan. `stop`: an event shared by specs applied concurrently, whose signal handler the
    caller installed (handlers can only be installed from the main thread)."""
    from aksnet.live.applier import child_drops

    ctx = StepContext(api=run.api, progress=progress, retry=options.retry, poll_seconds=options.poll_seconds,
                      timeout=options.timeout,
                      live_bodies={rid: dict(v.body) for rid, v in run.live.items() if v is not None},
                      drop_children=child_drops(plan))
    if stop is not None:
        ctx.stop = stop
    received: list[int] = []
    with sigint_stops(ctx.stop, received):
        result = execute(plan_steps(plan, run.live), desired=run.desired, ctx=ctx, options=options)
    if received:
        result.stop_signal = received[0]
    return result


def interrupted_exit_code(result: ApplyResult) -> int:
    """130 after SIGINT, 143 after SIGTERM (128 + the signal number, as shells report it)."""
    return 128 + (result.stop_signal or signal.SIGINT)


def replace_warnings(plan: Plan) -> list[str]:
    """Said right before the writes (a replace is delete-then-create with a clear
    warning): the name is fixed, so the resource is gone until its new copy is created."""
    return [f"Warning: {c.address} will be DELETED, then created again ({c.reason}); "
            "it does not exist in between" for c in plan.changes if c.action is Action.REPLACE]


def report_interrupted(result: ApplyResult, stream: TextIO) -> None:
    """What finished before the interrupt, what Azure still runs, what never started
    (re-running apply is the recovery)."""
    groups = (("Finished", "done"), ("Left running in Azure", "interrupted"), ("Failed", "failed"),
              ("Not started", "skipped"))
    print("\nInterrupted.", file=stream)
    for title, status in groups:
        steps = [s for s in result.steps if s.status == status]
        if steps:
            print(f"  {title}: " + ", ".join(f"{s.address} ({s.action})" for s in steps), file=stream)
    print("Run apply again to finish: it waits for operations in flight instead of repeating them.", file=stream)


def progress_for(args: argparse.Namespace) -> tuple[Progress, TextIO]:
    """Progress to stdout in text mode (like Terraform), to stderr when stdout holds a document."""
    stream = sys.stderr if getattr(args, "output", "text") != "text" else sys.stdout
    return make_progress(stream, force_plain=stream is sys.stderr), stream


def footer(counts: dict[str, int], *, destroy: bool = False) -> str:
    if destroy:
        return f"Destroy complete! Resources: {counts['destroy']} destroyed."
    return (f"Apply complete! Resources: {counts['add']} added, {counts['change']} changed, "
            f"{counts['replace']} replaced, {counts['destroy']} destroyed.")


def result_document(entries: list[dict[str, Any]], error: Exception | None, *,
                    interrupted: bool = False) -> dict[str, Any]:
    totals = {"add": 0, "change": 0, "replace": 0, "destroy": 0}
    for entry in entries:
        for key in totals:
            totals[key] += entry.get("summary", {}).get(key, 0)
    outcome = "error" if error else "interrupted" if interrupted else "applied"
    doc: dict[str, Any] = {"format_version": "1.0", "result": outcome,
                           "summary": totals, "specs": entries, "errors": []}
    if error is not None:
        doc["errors"].append(error_entry(error))
    return doc
