"""ARM subscription throttling during apply (429 honours Retry-After;
https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling): the emulator's token bucket (`/_emulator/throttle`) answers an empty
write bucket with 429 SubscriptionRequestsThrottled + Retry-After, as ARM does
(MicrosoftDocs/azure-docs#105248), and apply still converges."""

from __future__ import annotations

import time
from typing import Any

import pytest
from aksnet_run import SPECS, aksnet_env, run_cli, writes

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("aksnet_env")]
__all__ = ["aksnet_env"]
KUBENET = str(SPECS / "kubenet.yaml")


def test_apply_converges_under_a_tiny_write_bucket(emulator: Any, admin: Any) -> None:
    # One write in the bucket, one more per second: the kubenet spec's five PUTs cannot all pass at once.
    admin.throttle(writes={"bucket": 1, "refill": 1})
    from aksnet.live.pacing import reset_counts, shared_pacer

    reset_counts()
    result = run_cli(emulator, "apply", KUBENET, "--auto-approve", "-o", "json")
    paced = shared_pacer().counts.paced
    doc = result.json()
    # Should a 429 outlast every retry, the JSON names it for what it is.
    assert all(e["kind"] == "throttled" for e in doc["errors"] if e.get("http_status") == 429), doc["errors"]
    assert result.code == 0, result.stderr
    assert doc["result"] == "applied" and doc["specs"][0]["verified"] is True
    refused = [e for e in writes(admin) if e["status"] == 429]
    # The remaining-writes header reaches 0 after the first PUT: aksnet waits before the next one
    # (paced) or, should its estimate be off, ARM answers 429 and it waits the Retry-After.
    assert refused or paced, "the write bucket never ran dry: the test proves nothing"
    admin.clear_throttle()
    plan = run_cli(emulator, "plan", KUBENET, "--detailed-exitcode")
    assert plan.code == 0, plan.stdout + plan.stderr


def test_throttled_operation_outcome_is_retried_after_its_wait(emulator: Any, admin: Any) -> None:
    # A long-running operation can end Failed with the throttling code and no HTTP 429 to go by
    # (a resource provider throttled further down): the code alone must make it retryable.
    admin.add_fault(method="PUT", path="/networkSecurityGroups/aks-nsg$", times=1, op_outcome="Failed",
                    code="SubscriptionRequestsThrottled",
                    message="Number of 'write' requests for subscription exceeded the limit.")
    start = time.monotonic()
    result = run_cli(emulator, "apply", KUBENET, "--auto-approve")
    assert result.code == 0, result.stdout + result.stderr
    assert "SubscriptionRequestsThrottled (retryable)" in result.stdout
    nsg_puts = [e for e in writes(admin) if e["method"] == "PUT"
                and e["path"].split("?")[0].lower().endswith("/networksecuritygroups/aks-nsg")]
    assert len(nsg_puts) == 2
    assert time.monotonic() - start < 60
    plan = run_cli(emulator, "plan", KUBENET, "--detailed-exitcode")
    assert plan.code == 0, plan.stdout + plan.stderr
