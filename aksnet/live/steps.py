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

from aksnet.core.diff import DiffContext, diff_resource
from aksnet.core.merge import merged_body
from aksnet.errors import AksnetError, ApplyInterrupted, AzureRequestError, ConcurrentChangeError
from aksnet.live.azure.errors import is_retryable
from aksnet.live.events import Progress
from aksnet.live.reader import to_live
from aksnet.model import Action, Change, Desired

# ARM RPC async-api-reference: the only terminal provisioning states; a resource without one is done.
TERMINAL_STATES = frozenset({"succeeded", "failed", "canceled"})
# The target (or a resource it references) is busy with another operation: AKS and the Network RP
# refuse writes meanwhile (https://learn.microsoft.com/troubleshoot/azure/azure-kubernetes/create-upgrade-delete/operationnotallowed), so wait for idle, then retry.
BUSY_CODES = frozenset({"operationnotallowed", "etagmismatch", "anotheroperationinprogress",
                        "referencedresourcenotprovisioned", "retryableerrorduetoanotheroperation"})


class Operation(Protocol):
    body: dict[str, Any] | None

    def wait(self, timeout: float) -> bool: ...


class Api(Protocol):
    def get(self, rid: str) -> dict[str, Any] | None: ...
    def begin_put(self, rid: str, body: dict[str, Any], *, if_match: str | None = None,
                  if_none_match: bool = False) -> Any: ...
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
        # lock-step (https://github.com/Azure/azure-sdk-for-python/blob/main/sdk/core/azure-core/azure/core/pipeline/policies/_retry.py).
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
    # Set on SIGINT (docs/plan-and-apply.md#interrupting-an-apply): no new request starts; a request in flight finishes, and a
    # long-running operation it started is left to Azure (a re-run awaits it, never repeats it).
    stop: threading.Event = field(default_factory=threading.Event)
    # Every resource the spec describes (set by the applier): re-diffing one after a 412 needs its
    # neighbours (the cluster's VNet prefixes, the live cluster for subnets in use).
    desired_state: Mapping[str, Desired] = field(default_factory=dict)


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
    started = time.monotonic()
    while True:
        attempt += 1
        try:
            attempt_once()
            return
        except AzureRequestError as err:
            if not is_retryable(err) or attempt >= ctx.retry.attempts:
                raise
            delay = ctx.retry.delay(attempt, err.retry_after)
            left = ctx.timeout - (time.monotonic() - started)
            if delay > left:
                # A Retry-After (3600, say) beyond this operation's --timeout is not slept through: the
                # wait is capped by the deadline, so the step stops now and says why.
                raise AksnetError(
                    f"{address}: Azure answered {err.code or err.status} and asked to retry after {delay:.0f}s, "
                    f"more than the {max(0, int(left))}s left of this operation's --timeout ({int(ctx.timeout)}s)",
                    hint="run apply again later, or raise --timeout") from err
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


def _etag(body: Mapping[str, Any] | None) -> str | None:
    value = (body or {}).get("etag") or (body or {}).get("eTag")
    return str(value) if value else None


def is_precondition_failure(err: AzureRequestError) -> bool:
    """412 PreconditionFailed (ARM, RPC "ETags for Resources"; learn.microsoft.com/azure/aks/use-etags),
    or AKS's EtagMismatch: the resource changed since the read the body was built from."""
    return err.status == 412 or err.code.lower() in ("preconditionfailed", "etagmismatch")


def _field_set(change: Change) -> set[tuple[Any, ...]]:
    return {(f.path, repr(f.before), repr(f.after), str(f.action)) for f in change.fields}


def still_planned(planned: Change, now: Change) -> bool:
    """Is `now` (the spec against what another writer left) the change the plan made? A planned create
    whose resource appeared meanwhile becomes a read-modify-write of it (an update, or nothing when it
    already matches); anything else must be the same action on the same fields, from the same values."""
    if planned.action in (Action.CREATE, Action.REPLACE):
        return now.action in (Action.NOOP, Action.UPDATE)
    return now.action is planned.action and _field_set(now) == _field_set(planned)


def _rediff(ctx: StepContext, desired: Desired, live: dict[str, Any]) -> Change:
    bodies = {**ctx.live_bodies, desired.id: live}
    state = {rid: to_live(rid, body) for rid, body in bodies.items()}
    context = DiffContext.from_state(ctx.desired_state or {desired.id: desired}, state)
    return diff_resource(desired, to_live(desired.id, live), context=context)


def _put(ctx: StepContext, desired: Desired, address: str, verb: str, *, from_scratch: bool,
         planned: Change | None = None) -> None:
    """Read-modify-write with optimistic concurrency: an update carries `If-Match: <etag read>`, a
    create `If-None-Match: *`. On 412 the resource is read again and, if the spec still yields the
    planned change against it, merged and written again with the new etag; else the run stops with
    ConcurrentChangeError and writes nothing more (no lost update, no overwrite of a new resource)."""
    rid = desired.id
    start = time.monotonic()
    started = False
    fresh_create = from_scratch

    def once() -> None:
        nonlocal started, fresh_create
        # Read-modify-write from a fresh GET; AKS writes only when idle. Only
        # the first attempt of a create skips the read: a retry re-reads (the create may have landed).
        live = None if fresh_create else wait_until_idle(ctx, rid, address, announce=False)
        fresh_create = False
        conflicts = 0
        while True:
            body = merged_body(desired, live, drop_children=ctx.drop_children.get(rid, set()),
                               live_bodies=ctx.live_bodies)
            if not started:
                ctx.progress.started(address, verb)
                started = True
            _check_stop(ctx, address, accepted=False)
            try:
                op = ctx.api.begin_put(rid, body, if_match=_etag(live), if_none_match=live is None)
                break
            except AzureRequestError as err:
                conflicts += 1
                if not is_precondition_failure(err) or conflicts > ctx.retry.attempts:
                    raise
            live = wait_until_idle(ctx, rid, address, announce=False)
            if planned is not None:
                now = _rediff(ctx, desired, live) if live is not None else None
                if now is None or not still_planned(planned, now):
                    what = "was deleted" if live is None else "was changed"
                    raise ConcurrentChangeError(
                        f"{address}: changed by someone else during apply ({what} after aksnet read it); "
                        "nothing more was written",
                        hint="run `aksnet plan` to see the change against what is there now, then apply again")
                if now.action is Action.NOOP:
                    ctx.progress.note(f"{address}: another writer already made it match the spec")
                    if live is not None:
                        ctx.live_bodies[rid] = live
                    return
            ctx.progress.note(f"{address}: changed by another writer since it was read (412); "
                              "merged again with the new version")
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
    if change.action is Action.MIGRATE and change.stages:
        from aksnet.live.stages import run_staged  # a staged kubenet -> overlay migration

        run_staged(ctx, change, desired)
        return
    if change.action is Action.REPLACE:
        # Delete then create (Terraform's default order): the name is fixed, so both cannot coexist.
        _delete(ctx, change.id, change.address)
        _put(ctx, desired, change.address, "create", from_scratch=True, planned=change)
        return
    verb = "create" if change.action is Action.CREATE else "update"
    _put(ctx, desired, change.address, verb, from_scratch=change.action is Action.CREATE, planned=change)


def await_idle(ctx: StepContext, rid: str, address: str) -> None:
    """A resource the plan leaves alone but which is mid-operation: wait for it (crash recovery)."""
    body = wait_until_idle(ctx, rid, address, announce=True)
    if body is not None:
        ctx.live_bodies[rid] = body
        if provisioning_state(body).lower() != "succeeded":
            raise AksnetError(f"{address}: the operation in progress ended {provisioning_state(body)}",
                              hint="run `aksnet plan` to see what is left; apply again to retry")
