"""Pace requests from ARM's own throttling headers, shared by every process that uses one principal.

ARM answers every subscription request with how many tokens are left in its buckets
(`x-ms-ratelimit-remaining-subscription-reads|writes|deletes`, and since the 2024 token-bucket
limits `...-global-reads|global-writes`: https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling).
Those numbers already count what every other process with the same principal spent, so a CI matrix
of shards that each watch them slows down together, with no coordination between them: the
in-process token bucket (`aksnet.live.ratelimit`) only knows this process.

    pacer = shared_pacer()
    pacer.before(subscription, "reads")      # sleeps while a 429 pause runs or the bucket is low
    pacer.observe(subscription, "reads", remaining=12)
    pacer.pause(subscription, "reads", seconds=3)   # a 429's Retry-After: every thread waits it

Below a reserve (a fifth of the largest value seen, at least `MIN_RESERVE`), each request waits in
proportion to how far the bucket is below it at ARM's documented refill rate, so the spend falls
towards the refill and the bucket never quite empties; above it, requests go at once. A run
deadline (`set_run_deadline`, the command's `--timeout`) bounds every wait: past it,
`DeadlineExceeded` says the run is out of time instead of waiting further.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from aksnet.errors import AksnetError

# ARM's token-bucket refill per second per principal (the page above): reads 25, writes and deletes 10.
REFILL_PER_SECOND = {"reads": 25.0, "writes": 10.0, "deletes": 10.0}
MIN_RESERVE = 10
RESERVE_FRACTION = 0.2
# The longest single wait between two requests while the bucket is low (a 429's Retry-After is
# waited in full instead).
MAX_SPACING = 2.0


class DeadlineExceeded(AksnetError):
    """The run's deadline (`--timeout`) passed, or would pass during a wait."""

    def __init__(self, message: str) -> None:
        super().__init__(message, hint="raise --timeout, or split the fleet over CI jobs with --shard K/N")


def operation_class(method: str) -> str:
    method = method.upper()
    if method in ("GET", "HEAD"):
        return "reads"
    return "deletes" if method == "DELETE" else "writes"


@dataclass(slots=True)
class _Budget:
    remaining: float | None = None
    seen_at: float = 0.0
    largest: float = 0.0
    paused_until: float = 0.0


@dataclass(slots=True)
class RequestCounts:
    """What this process sent: every HTTP attempt, SDK retries included, and how many were 429."""

    requests: int = 0
    throttled: int = 0  # answered 429
    paced: int = 0  # waits before a request because the shared bucket was low
    by_class: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class Pacer:
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    deadline: float | None = None  # clock() value; None: no deadline
    counts: RequestCounts = field(default_factory=RequestCounts)
    _budgets: dict[tuple[str, str], _Budget] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _budget(self, subscription: str, klass: str) -> _Budget:
        key = (subscription.lower(), klass)
        if key not in self._budgets:
            self._budgets[key] = _Budget()
        return self._budgets[key]

    def seconds_left(self) -> float | None:
        return None if self.deadline is None else self.deadline - self.clock()

    def _wait(self, seconds: float, why: str) -> None:
        left = self.seconds_left()
        if left is not None and seconds > left:
            raise DeadlineExceeded(f"{why}: waiting {seconds:.0f} s more would pass the run's deadline")
        if seconds > 0:
            self.sleep(seconds)

    def delay(self, subscription: str, klass: str) -> float:
        """Seconds to wait before the next request of this class (0: go now)."""
        with self._lock:
            budget = self._budget(subscription, klass)
            now = self.clock()
            if budget.paused_until > now:
                return budget.paused_until - now
            if budget.remaining is None:
                return 0.0
            reserve = max(MIN_RESERVE, RESERVE_FRACTION * budget.largest)
            refill = REFILL_PER_SECOND.get(klass, 10.0)
            estimate = budget.remaining + (now - budget.seen_at) * refill
            if estimate >= reserve:
                return 0.0
            # Proportional: at the reserve no wait, at an empty bucket one refill interval per
            # missing token up to MAX_SPACING. Spending the estimate keeps concurrent threads apart.
            budget.remaining = budget.remaining - 1
            return min(MAX_SPACING, (reserve - estimate) / refill)

    def before(self, subscription: str, klass: str) -> None:
        """Wait as long as the shared budget asks (a 429 pause, a low bucket), within the deadline."""
        while True:
            wait = self.delay(subscription, klass)
            if wait <= 0:
                return
            with self._lock:
                self.counts.paced += 1
            self._wait(wait, "ARM throttling")
            with self._lock:
                if self._budget(subscription, klass).paused_until <= self.clock():
                    return

    def observe(self, subscription: str, klass: str, remaining: float | None) -> None:
        with self._lock:
            self.counts.requests += 1
            self.counts.by_class[klass] = self.counts.by_class.get(klass, 0) + 1
            if remaining is None:
                return
            budget = self._budget(subscription, klass)
            budget.remaining, budget.seen_at = remaining, self.clock()
            budget.largest = max(budget.largest, remaining)

    def pause(self, subscription: str, klass: str, seconds: float) -> None:
        """A 429: nobody in this process sends this class for `seconds` (its Retry-After)."""
        with self._lock:
            self.counts.throttled += 1
            budget = self._budget(subscription, klass)
            budget.paused_until = max(budget.paused_until, self.clock() + seconds)
            budget.remaining = 0.0
            budget.seen_at = self.clock() + seconds

    def wait_retry_after(self, seconds: float) -> None:
        self._wait(seconds, "ARM answered 429 Too Many Requests")


_SHARED = Pacer()


def shared_pacer() -> Pacer:
    """The process-wide pacer every client's pipeline reports to."""
    return _SHARED


def set_run_deadline(seconds: float | None) -> None:
    """Every throttling wait from now on ends by `seconds` from now (None: no deadline)."""
    _SHARED.deadline = None if seconds is None else _SHARED.clock() + seconds


def start_command(deadline_seconds: float | None = None) -> None:
    """A new command in this process: what earlier commands learnt (pauses, remaining tokens) is
    dropped, counts start at zero, and the deadline is this command's."""
    with _SHARED._lock:
        _SHARED._budgets.clear()
        _SHARED.counts = RequestCounts()
    set_run_deadline(deadline_seconds)


def reset_counts() -> RequestCounts:
    """Start counting afresh (a command's own requests); returns the previous counts."""
    with _SHARED._lock:
        previous, _SHARED.counts = _SHARED.counts, RequestCounts()
    return previous
