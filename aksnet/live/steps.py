"""One apply step against Azure: wait for the target to be idle, read-modify-write, watch the
long-running operation, retry what clears by itself. No scheduling here (see `aksnet.live.applier`).
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from aksnet.core.merge import merged_body
from aksnet.errors import AksnetError, ApplyInterrupted, AzureRequestError
from aksnet.live.azure.errors import is_retryable
from aksnet.live.events import Progress
from aksnet.model import Action, Change, Desired

# ARM RPC async-api-reference: the only terminal provisioning states; a resource without one is done.
TERMINAL_STATES = frozenset({"succeeded", "failed", "canceled"})
# The target (or a resource it references) is busy with another operation: AKS and the Network RP
# refuse writes meanwhile (reliability-security.md §2), so wait for idle, then retry.
BUSY_CODES = frozenset({"operationnotallowed", "etagmismatch", "anotheroperationinprogress",
                        "referencedresourcenotprovisioned", "retryableerrorduetoanotheroperation"})


class Operation(Protocol):
    body: dict[str, Any] | None

    def wait(self, timeout: float) -> bool: ...


class Api(Protocol):
    def get(self, rid: str) -> dict[str, Any] | None: ...
    def begin_put(self, rid: str, body: dict[str, Any]) -> Any: ...
    def begin_delete(self, rid: str) -> Any: ...


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Bounded retries on top of the SDK's own (which already honour Retry-After on 429/5xx)."""

    attempts: int = 8
    base_delay: float = 2.0
    max_delay: float = 60.0

    def delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return retry_after
        # Exponential with jitter: azure-core's backoff has none, so parallel workers would retry in
        # lock-step (reliability-security.md §5).
        return float(min(self.max_delay, self.base_delay * 2 ** (attempt - 1)) * random.uniform(0.5, 1.0))


@dataclass(slots=True)
class StepContext:
    api: Api
    progress: Progress
    retry: RetryPolicy
    poll_seconds: float  # between GETs while waiting for a resource to become idle
    timeout: float  # per operation
    live_bodies: dict[str, dict[str, Any]]  # id -> latest known live body (shared, updated per step)
    drop_children: Mapping[str, set[str]] = field(default_factory=dict)  # parent id -> child names to drop
    on_write_started: Callable[[], None] = lambda: None  # test seam (kill after N accepted writes)
    sleep: Callable[[float], None] = time.sleep
    # Set on SIGINT (ux-conventions.md B10): no new request starts; a request in flight finishes, and a
    # long-running operation it started is left to Azure (a re-run awaits it, never repeats it).
    stop: threading.Event = field(default_factory=threading.Event)


def _check_stop(ctx: StepContext, address: str, *, accepted: bool) -> None:
    if ctx.stop.is_set():
        if accepted:
            raise ApplyInterrupted(f"{address}: interrupted; the operation continues in Azure",
                                   hint="run apply again: it waits for the operation instead of repeating it")
        raise ApplyInterrupted(f"{address}: interrupted before its request was sent")


def provisioning_state(body: Mapping[str, Any] | None) -> str:
    if body is None:
        return ""
    return str((body.get("properties") or {}).get("provisioningState") or "Succeeded")


def wait_until_idle(ctx: StepContext, rid: str, address: str, *, announce: bool) -> dict[str, Any] | None:
    """Poll GET until the resource is absent or in a terminal provisioning state: an operation in
    flight (another actor's, or ours from a run that was killed) is awaited, never repeated."""
    body = ctx.api.get(rid)
    if body is None or provisioning_state(body).lower() in TERMINAL_STATES:
        return body
    start = time.monotonic()
    last_tick = start
    if announce:
        ctx.progress.started(address, "wait")
    while body is not None and provisioning_state(body).lower() not in TERMINAL_STATES:
        if time.monotonic() - start > ctx.timeout:
            raise AksnetError(f"{address} is still {provisioning_state(body)} after {int(ctx.timeout)}s",
                              hint="wait for the operation in progress to finish, then run apply again")
        _check_stop(ctx, address, accepted=True)
        ctx.sleep(ctx.poll_seconds)
        if time.monotonic() - last_tick >= ctx.progress.interval and announce:
            ctx.progress.still(address, "wait", time.monotonic() - start)
            last_tick = time.monotonic()
        body = ctx.api.get(rid)
    if announce:
        ctx.progress.finished(address, "wait", time.monotonic() - start, rid)
    return body


def _watch(ctx: StepContext, op: Operation, address: str, verb: str, start: float) -> None:
    deadline = start + ctx.timeout
    last_tick = time.monotonic()
    # Waits in slices of at most 1 s so an interrupt is noticed promptly; "Still ..." every interval.
    while not op.wait(min(1.0, ctx.progress.interval, max(0.1, deadline - time.monotonic()))):
        if time.monotonic() > deadline:
            raise AksnetError(f"{address}: still in progress after {int(ctx.timeout)}s",
                              hint="run apply again later: it waits for the operation instead of repeating it")
        _check_stop(ctx, address, accepted=True)
        if time.monotonic() - last_tick >= ctx.progress.interval:
            ctx.progress.still(address, verb, time.monotonic() - start)
            last_tick = time.monotonic()


def _with_retries(ctx: StepContext, rid: str, address: str, attempt_once: Callable[[], None],
                  busy_wait: Callable[[], None]) -> None:
    attempt = 0
    while True:
        attempt += 1
        try:
            attempt_once()
            return
        except AzureRequestError as err:
            if not is_retryable(err) or attempt >= ctx.retry.attempts:
                raise
            delay = ctx.retry.delay(attempt, err.retry_after)
            ctx.progress.note(f"{address}: {err.code or err.status} (retryable), retrying in {delay:.0f}s "
                              f"[attempt {attempt + 1}/{ctx.retry.attempts}]")
            ctx.sleep(delay)
            _check_stop(ctx, address, accepted=False)
            if err.code.lower() in BUSY_CODES:
                busy_wait()


def _run_tracked(ctx: StepContext, rid: str, address: str, verb: str, start: float,
                 once: Callable[[], None]) -> None:
    """Run one write with retries (a busy resource is awaited before the next attempt) and report a
    failure or an interruption on the progress display before it propagates."""

    def busy() -> None:
        wait_until_idle(ctx, rid, address, announce=False)

    try:
        _with_retries(ctx, rid, address, once, busy)
    except ApplyInterrupted as err:
        ctx.progress.note(err.message)
        raise
    except Exception as err:
        ctx.progress.failed(address, verb, time.monotonic() - start, getattr(err, "message", str(err)))
        raise


def _put(ctx: StepContext, desired: Desired, address: str, verb: str, *, from_scratch: bool) -> None:
    rid = desired.id
    start = time.monotonic()
    started = False

    def once() -> None:
        nonlocal started
        # Read-modify-write from a fresh GET (issue 5 item 3); AKS writes only when idle (item 4).
        live = None if from_scratch else wait_until_idle(ctx, rid, address, announce=False)
        body = merged_body(desired, live, drop_children=ctx.drop_children.get(rid, set()),
                           live_bodies=ctx.live_bodies)
        if not started:
            ctx.progress.started(address, verb)
            started = True
        _check_stop(ctx, address, accepted=False)
        op = ctx.api.begin_put(rid, body)
        ctx.on_write_started()
        _watch(ctx, op, address, verb, start)
        result = op.body if op.body is not None else ctx.api.get(rid)
        if result is not None:
            ctx.live_bodies[rid] = result

    _run_tracked(ctx, rid, address, verb, start, once)
    ctx.progress.finished(address, verb, time.monotonic() - start, rid)


def _delete(ctx: StepContext, rid: str, address: str) -> None:
    start = time.monotonic()
    ctx.progress.started(address, "delete")

    def once() -> None:
        # Deletes also wait for an operation in flight; absent means done (a previous run, or the
        # parent's PUT already dropped this child).
        if wait_until_idle(ctx, rid, address, announce=False) is None:
            return
        _check_stop(ctx, address, accepted=False)
        op = ctx.api.begin_delete(rid)
        ctx.on_write_started()
        _watch(ctx, op, address, "delete", start)

    _run_tracked(ctx, rid, address, "delete", start, once)
    ctx.live_bodies.pop(rid, None)
    ctx.progress.finished(address, "delete", time.monotonic() - start, rid)


def run_change(ctx: StepContext, change: Change, desired: Desired | None) -> None:
    """Carry out one planned change (the caller checked consent and ordering)."""
    if change.action is Action.DELETE:
        _delete(ctx, change.id, change.address)
        return
    if desired is None:
        raise AksnetError(f"{change.address}: nothing in the spec describes it; re-run plan")
    if change.action is Action.REPLACE:
        # Delete then create (Terraform's default order): the name is fixed, so both cannot coexist.
        _delete(ctx, change.id, change.address)
        _put(ctx, desired, change.address, "create", from_scratch=True)
        return
    verb = "create" if change.action is Action.CREATE else "update"
    _put(ctx, desired, change.address, verb, from_scratch=change.action is Action.CREATE)


def await_idle(ctx: StepContext, rid: str, address: str) -> None:
    """A resource the plan leaves alone but which is mid-operation: wait for it (crash recovery)."""
    body = wait_until_idle(ctx, rid, address, announce=True)
    if body is not None:
        ctx.live_bodies[rid] = body
        if provisioning_state(body).lower() != "succeeded":
            raise AksnetError(f"{address}: the operation in progress ended {provisioning_state(body)}",
                              hint="run `aksnet plan` to see what is left; apply again to retry")
