"""Spec lock and the client-side token bucket."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from aksnet.errors import LockHeldError
from aksnet.live.locking import spec_lock
from aksnet.live.ratelimit import TokenBucket


def test_second_holder_fails_fast_naming_the_first(tmp_path: Path) -> None:
    spec = tmp_path / "a.yaml"
    spec.write_text("x")
    with spec_lock(tmp_path, str(spec)):
        with pytest.raises(LockHeldError, match=f"pid {os.getpid()}"):
            with spec_lock(tmp_path, str(spec), timeout=0.3, poll=0.05):
                pass
    with spec_lock(tmp_path, str(spec)):  # released
        pass


def test_token_bucket_waits_for_refill() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    bucket = TokenBucket(2, 10, clock=lambda: now[0], sleep=sleep)
    assert bucket.acquire() == 0 and bucket.acquire() == 0
    waited = bucket.acquire()
    assert waited == pytest.approx(0.1)
