"""Converge: carry out a plan's changes in dependency order, independent ones in parallel.

A step starts as soon as everything it depends on is done (never later than its
plan wave), at most `parallelism` at a time, and never two writes to one top-level resource at once
(a VNet and its subnets, an NSG and its rules: the Network RP allows one write per VNet,
https://learn.microsoft.com/troubleshoot/azure/azure-kubernetes/create-upgrade-delete/operationnotallowed). On an error that is not retryable, nothing new starts, steps in flight
finish, and the error names the resource, ARM code and correlation id. Re-running is the recovery:
live state is read afresh, an operation still in flight is awaited (`apply_steps.await_idle`).
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from aksnet.core.graph import dependency_closure
from aksnet.core.plan import COUNT_SLOT
from aksnet.errors import AksnetError, ApplyInterrupted, ConsentRequiredError
from aksnet.live.steps import (
    TERMINAL_STATES,
    RetryPolicy,
    StepContext,
    await_idle,
    provisioning_state,
    run_change,
)
from aksnet.live.write_locks import WriteLocks
from aksnet.model import Action, Change, Desired, Live, Plan


@dataclass(frozen=True, slots=True)
class ApplyOptions:
    allow_delete: bool = False
    allow_migrate: bool = False
    parallelism: int = 8
    retry: RetryPolicy = RetryPolicy()
    poll_seconds: float = 5.0
    timeout: float = 3600.0
    # Test seams (docs/development.md#test-seams): SIGKILL itself after N finished steps / N accepted writes,
    # to prove that a re-run recovers from a crash at any step boundary.
    kill_after_steps: int | None = None
    kill_after_writes: int | None = None
    # Shared by specs applied concurrently: one write per VNet at a time across all of them.
    shared_locks: WriteLocks | None = None


@dataclass(slots=True)
class StepResult:
    address: str
    id: str
    action: str
    status: str  # done | failed | skipped (never started) | interrupted (left running in Azure on SIGINT)
    elapsed: float = 0.0
    error: str = ""
    started: float = 0.0  # seconds after the run began (for the critical-path benchmark)

    def as_dict(self) -> dict[str, Any]:
        return {"address": self.address, "azure_id": self.id, "action": self.action, "status": self.status,
                "started_seconds": round(self.started, 3), "elapsed_seconds": round(self.elapsed, 3),
                **({"error": self.error} if self.error else {})}


@dataclass(slots=True)
class ApplyResult:
    steps: list[StepResult] = field(default_factory=list)
    error: Exception | None = None
    interrupted: bool = False  # stopped on SIGINT (ctx.stop): nothing new started after it
    stop_signal: int | None = None  # the signal that set ctx.stop (SIGINT / SIGTERM), set by the caller

    @property
    def counts(self) -> dict[str, int]:
        out = {"add": 0, "change": 0, "replace": 0, "destroy": 0}
        for step in self.steps:
            slot = COUNT_SLOT.get(Action(step.action)) if step.action in set(Action) else None
            if step.status == "done" and slot:
                out[slot] += 1
        return out

    @property
    def writes(self) -> int:
        return sum(1 for s in self.steps if s.status == "done" and s.action != "await")


def check_consent(plan: Plan, options: ApplyOptions) -> None:
    """Refuse before any write: unsupported changes, deletes/replaces without --allow-delete,
    migrations without --allow-migrate or with unmet prerequisites."""
    unsupported = [c for c in plan.changes if c.action is Action.UNSUPPORTED]
    if unsupported:
        reasons = "; ".join(f"{c.address}: {c.reason}" for c in unsupported)
        raise AksnetError(f"the plan has changes Azure cannot make: {reasons}",
                          hint="change the spec (see `aksnet plan`), or recreate the resource yourself")
    destructive = [c for c in plan.changes if c.action in (Action.DELETE, Action.REPLACE)]
    if destructive and not options.allow_delete:
        names = ", ".join(f"{c.address} ({c.action})" for c in destructive)
        raise ConsentRequiredError(f"the plan deletes or replaces: {names}",
                                   hint="re-run with --allow-delete if that is intended")
    migrations = [c for c in plan.changes if c.action is Action.MIGRATE]
    if migrations and not options.allow_migrate:
        names = ", ".join(c.address for c in migrations)
        raise ConsentRequiredError(f"the plan migrates {names} (one-way, reimages every node pool)",
                                   hint="re-run with --allow-migrate if that is intended")
    for change in migrations:
        unmet = [p.description for p in change.prerequisites if not p.met]
        if unmet:
            where = f"{plan.spec_path}: " if plan.spec_path else ""
            raise AksnetError(f"{where}{change.address}: migration prerequisites not met: {'; '.join(unmet)}",
                              hint="nothing was written; `aksnet plan` shows each prerequisite with its live value "
                              "and docs/kubenet-migration.md why it matters: fix the spec (e.g. network.policy: "
                              "none) or the cluster, then plan again")


@dataclass(frozen=True, slots=True)
class Step:
    key: str
    address: str
    action: str  # an Action value, or "await"
    change: Change | None
    after: frozenset[str]
    lock: str | None  # top-level resource id (lower) the step writes


def _top_level(rid: str) -> str:
    """The id whose writes are serialised: a child's parent (subnet -> VNet), else itself."""
    lowered = rid.lower()
    marker = "/providers/"
    at = lowered.rfind(marker)
    if at < 0 or "/microsoft.authorization/" in lowered:
        return lowered
    parts = lowered[at + len(marker):].split("/")
    return lowered[: at + len(marker)] + "/".join(parts[:3])


def busy_resources(plan: Plan, live: Mapping[str, Live | None]) -> list[str]:
    """Addresses of resources the plan leaves alone whose last operation is still running (an earlier
    run killed after its write was accepted): apply waits for them and verifies, never calls them done."""
    return [step.address for step in plan_steps(plan, live) if step.action == "await"]


def plan_steps(plan: Plan, live: Mapping[str, Live | None]) -> list[Step]:
    """Steps with their dependencies: forward changes after their (transitive) dependencies, an
    await step for a resource left alone but busy, child deletes after every forward step and in the
    plan's reverse order."""
    forward = {c.id: c for c in plan.changes if c.action is not Action.DELETE}
    ancestors = dependency_closure(forward)
    live_lower = {k.lower(): v for k, v in live.items()}
    steps: dict[str, Step] = {}
    for change in forward.values():
        if change.action is Action.NOOP:
            current = live_lower.get(change.id.lower())
            if current is None or provisioning_state(current.body).lower() in TERMINAL_STATES:
                continue
            action = "await"
        else:
            action = str(change.action)
        steps[change.id] = Step(change.id, change.address, action, change, frozenset(), _top_level(change.id))
    for key, step in list(steps.items()):
        steps[key] = Step(step.key, step.address, step.action, step.change,
                          frozenset(a for a in ancestors.get(key, set()) if a in steps),
                          None if step.action == "await" else step.lock)
    forward_keys = frozenset(steps)
    delete_rank = {rid: i for i, wave in enumerate(plan.waves) for rid in wave}
    deletes = [c for c in plan.changes if c.action is Action.DELETE]
    for change in deletes:
        earlier = {d.id for d in deletes if delete_rank.get(d.id, 0) < delete_rank.get(change.id, 0)}
        steps[change.id] = Step(change.id, change.address, str(change.action), change,
                                forward_keys | earlier, _top_level(change.id))
    return list(steps.values())


def child_drops(plan: Plan) -> dict[str, set[str]]:
    """parent id -> names of its children the plan deletes (so the parent's PUT leaves them out)."""
    out: dict[str, set[str]] = {}
    for change in plan.changes:
        if change.action is Action.DELETE and change.parent:
            out.setdefault(change.parent, set()).add(change.id.rstrip("/").rsplit("/", 1)[-1])
    return out


class _Killer:
    """The crash test seam: a real SIGKILL of this process at a chosen step boundary (no cleanup, no finally blocks, no flushed buffers; the parent sees returncode -9)."""

    def __init__(self, after_steps: int | None, after_writes: int | None) -> None:
        self.after_steps, self.after_writes = after_steps, after_writes
        self.steps = self.writes = 0

    def step_done(self) -> None:
        self.steps += 1
        if self.after_steps is not None and self.steps >= self.after_steps:
            os.kill(os.getpid(), signal.SIGKILL)

    def write_started(self) -> None:
        self.writes += 1
        if self.after_writes is not None and self.writes >= self.after_writes:
            os.kill(os.getpid(), signal.SIGKILL)


def _blocked_elsewhere(pending: Iterable[Step], done: set[str], busy: set[str]) -> bool:
    """Some step is ready but for a lock another spec holds (so waiting, not a cycle)."""
    return any(s.lock and s.after <= done and s.lock not in busy for s in pending)


def execute(steps: list[Step], *, desired: Mapping[str, Desired], ctx: StepContext, options: ApplyOptions,
            clock: Callable[[], float] = time.monotonic) -> ApplyResult:
    """Run the steps; returns every step's outcome, with `error` set when the run stopped early."""
    result = ApplyResult()
    killer = _Killer(options.kill_after_steps, options.kill_after_writes)
    ctx.on_write_started = killer.write_started
    ctx.desired_state = desired
    desired_lower = {k.lower(): v for k, v in desired.items()}
    pending = {s.key: s for s in steps}
    done: set[str] = set()
    failed: set[str] = set()
    busy_locks: set[str] = set()
    running: dict[Future[None], tuple[Step, float]] = {}
    stopping = False
    origin = clock()
    shared = options.shared_locks

    def run(step: Step) -> None:
        if step.action == "await":
            await_idle(ctx, step.key, step.address)
        else:
            assert step.change is not None
            run_change(ctx, step.change, desired_lower.get(step.key.lower()))

    with ThreadPoolExecutor(max_workers=max(1, options.parallelism), thread_name_prefix="aksnet-apply") as pool:
        while pending or running:
            if ctx.stop.is_set() and not stopping:
                stopping = result.interrupted = True  # SIGINT: start nothing new; in-flight steps finish
            if not stopping:
                for key, step in sorted(pending.items()):
                    if len(running) >= options.parallelism:
                        break
                    if step.after & failed:
                        result.steps.append(StepResult(step.address, step.key, step.action, "skipped"))
                        del pending[key]
                        continue
                    if not step.after <= done or (step.lock and step.lock in busy_locks):
                        continue
                    if step.lock and shared is not None and not shared.try_acquire(step.lock):
                        continue  # another spec is writing this VNet: try again when it is done
                    if step.lock:
                        busy_locks.add(step.lock)
                    running[pool.submit(run, step)] = (step, clock())
                    del pending[key]
            if not running and pending and not stopping and shared is not None and _blocked_elsewhere(
                    pending.values(), done, busy_locks):
                shared.wait_for_release(0.5)
                continue
            if not running:
                if pending and not stopping:  # unreachable unless dependencies form a cycle
                    raise AksnetError("apply steps have circular dependencies: " + ", ".join(sorted(pending)))
                break
            finished, _ = wait(list(running), return_when=FIRST_COMPLETED)
            for future in finished:
                step, began = running.pop(future)
                if step.lock:
                    busy_locks.discard(step.lock)
                    if shared is not None:
                        shared.release(step.lock)
                err = future.exception()
                if err is None:
                    done.add(step.key)
                    result.steps.append(StepResult(step.address, step.key, step.action, "done", clock() - began,
                                                   started=began - origin))
                    killer.step_done()
                elif isinstance(err, ApplyInterrupted):
                    failed.add(step.key)
                    result.interrupted = stopping = True
                    result.steps.append(StepResult(step.address, step.key, step.action, "interrupted",
                                                   clock() - began, err.message, began - origin))
                else:
                    failed.add(step.key)
                    message = getattr(err, "message", str(err))
                    result.steps.append(StepResult(step.address, step.key, step.action, "failed",
                                                   clock() - began, message, began - origin))
                    if result.error is None:
                        result.error = err if isinstance(err, Exception) else AksnetError(str(err))
                    stopping = True  # start nothing new; in-flight steps finish
        for key, step in pending.items():
            result.steps.append(StepResult(step.address, key, step.action, "skipped"))
    return result
