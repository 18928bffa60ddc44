"""The shared pacer: no wait while ARM's remaining tokens are plenty, waits that grow as they run low,
every thread paused by a 429's Retry-After, and no wait past the run's deadline."""

from __future__ import annotations

import pytest

from aksnet.live.azure.throttle_policy import remaining_tokens
from aksnet.live.pacing import DeadlineExceeded, Pacer


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def pacer(deadline: float | None = None) -> tuple[Pacer, FakeTime]:
    fake = FakeTime()
    return Pacer(clock=fake.clock, sleep=fake.sleep,
                 deadline=None if deadline is None else fake.now + deadline), fake


def test_plenty_left_means_no_wait() -> None:
    shared, fake = pacer()
    shared.observe("s", "reads", 249)
    shared.before("s", "reads")
    assert fake.slept == []


def test_a_low_bucket_spaces_requests_and_lower_waits_longer() -> None:
    shared, fake = pacer()
    shared.observe("s", "reads", 250)
    shared.observe("s", "reads", 30)
    first = shared.delay("s", "reads")
    shared.observe("s", "reads", 2)
    second = shared.delay("s", "reads")
    assert 0 < first < second <= 2.0
    assert fake.slept == []


def test_a_429_pauses_the_class_for_its_retry_after() -> None:
    shared, fake = pacer()
    shared.pause("s", "writes", 3)
    shared.before("s", "writes")
    assert sum(fake.slept) == pytest.approx(3)
    assert shared.counts.throttled == 1
    shared.before("s", "reads")  # another class is not paused
    assert sum(fake.slept) == pytest.approx(3)


def test_no_wait_past_the_deadline() -> None:
    shared, _ = pacer(deadline=2)
    shared.pause("s", "reads", 30)
    with pytest.raises(DeadlineExceeded, match="deadline"):
        shared.before("s", "reads")
    with pytest.raises(DeadlineExceeded):
        shared.wait_retry_after(5)


def test_remaining_is_the_smallest_of_the_headers_arm_sent() -> None:
    headers = {"x-ms-ratelimit-remaining-subscription-reads": "240",
               "x-ms-ratelimit-remaining-subscription-global-reads": "3000"}
    assert remaining_tokens(headers, "reads") == 240
    assert remaining_tokens({"x-ms-ratelimit-remaining-subscription-deletes": "7"}, "deletes") == 7
    assert remaining_tokens({}, "writes") is None
