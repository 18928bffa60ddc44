"""A client-side token bucket per subscription, shared by reader and applier in one process.

ARM throttles per subscription and principal with a token bucket (reads 250 burst / 25 per s, writes
200 / 10 per s; https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling). Staying under it keeps many concurrent specs from
turning into a 429 storm; the SDK still honours Retry-After when Azure throttles anyway.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(slots=True)
class TokenBucket:
    capacity: float
    refill_per_second: float
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _tokens: float = -1.0
    _stamp: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def acquire(self, tokens: float = 1.0) -> float:
        """Take `tokens`, sleeping until they are there; returns the seconds waited."""
        waited = 0.0
        while True:
            with self._lock:
                now = self.clock()
                if self._tokens < 0:
                    self._tokens, self._stamp = self.capacity, now
                self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.refill_per_second)
                self._stamp = now
                if self._tokens >= tokens:
                    self._tokens -= tokens
                    return waited
                delay = (tokens - self._tokens) / self.refill_per_second
            self.sleep(delay)
            waited += delay


@dataclass(slots=True)
class SubscriptionLimits:
    reads: TokenBucket
    writes: TokenBucket


_REGISTRY: dict[str, SubscriptionLimits] = {}
_REGISTRY_LOCK = threading.Lock()


def limits_for(subscription: str) -> SubscriptionLimits:
    """The process-wide buckets of one subscription (ARM's public-cloud sizes)."""
    key = subscription.lower()
    with _REGISTRY_LOCK:
        if key not in _REGISTRY:
            _REGISTRY[key] = SubscriptionLimits(reads=TokenBucket(250, 25), writes=TokenBucket(200, 10))
        return _REGISTRY[key]
