"""azure-core pipeline pieces that put every request, SDK retries included, under the shared pacer.

The management clients build their pipeline as `... retry_policy, authentication_policy,
custom_hook_policy ...` (azure-mgmt-* `_client.py`), so the custom-hook slot runs once per attempt,
after the SDK's retry loop: `PacedHookPolicy` takes that slot, waits for the shared budget
(`aksnet.live.pacing`), records ARM's remaining-token headers, and answers a 429 itself: it waits
the response's Retry-After and sends again, until the run's deadline. `NoThrottleRetryPolicy`
takes 429 out of the SDK's own retry (which would otherwise wait and resend behind aksnet's back),
keeping its retries of 5xx and dropped connections.
Headers: https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling
"""

from __future__ import annotations

import re
from typing import Any

from azure.core.pipeline.policies import CustomHookPolicy, HTTPPolicy, RetryPolicy

from aksnet.live.azure.errors import retry_after_seconds
from aksnet.live.pacing import DeadlineExceeded, Pacer, operation_class

_SUBSCRIPTION = re.compile(r"/subscriptions/([^/?#]+)", re.IGNORECASE)
THROTTLED = 429
# The longest Retry-After the SDK's own retry may sleep (longer ones are aksnet's to cap or refuse).
MAX_SDK_RETRY_AFTER = 30.0
# Used when a 429 names no wait (ARM always does; a proxy might not).
DEFAULT_RETRY_AFTER = 5.0
# The longest single wait a 429 may ask for: ARM's buckets refill within seconds, so a bigger value
# is a broken or hostile header, not a reason to hang (the run's deadline bounds the total anyway).
MAX_RETRY_AFTER = 300.0
_REMAINING = {
    "reads": ("x-ms-ratelimit-remaining-subscription-global-reads", "x-ms-ratelimit-remaining-subscription-reads"),
    "writes": ("x-ms-ratelimit-remaining-subscription-global-writes", "x-ms-ratelimit-remaining-subscription-writes"),
    "deletes": ("x-ms-ratelimit-remaining-subscription-global-writes",
                "x-ms-ratelimit-remaining-subscription-deletes"),
}


def remaining_tokens(headers: Any, klass: str) -> float | None:
    """The smallest remaining count among the headers ARM sent for this class (None: none sent)."""
    values: list[float] = []
    for name in _REMAINING.get(klass, ()):
        text = headers.get(name) if headers is not None else None
        if text:
            try:
                values.append(float(text))
            except ValueError:
                continue
    return min(values) if values else None


class PacedHookPolicy(HTTPPolicy):  # type: ignore[type-arg]
    """The custom-hook slot: `raw_request_hook` / `raw_response_hook` as before, plus pacing."""

    def __init__(self, pacer: Pacer, **kwargs: Any) -> None:
        super().__init__()
        self._pacer = pacer
        self._hooks = CustomHookPolicy(**kwargs)

    def send(self, request: Any) -> Any:
        self._hooks.on_request(request)
        http = request.http_request
        found = _SUBSCRIPTION.search(http.url.split("?", 1)[0])
        subscription = found.group(1) if found else ""
        klass = operation_class(http.method)
        while True:
            if subscription:
                self._pacer.before(subscription, klass)
            response = self.next.send(request)
            headers = response.http_response.headers
            self._pacer.observe(subscription, klass, remaining_tokens(headers, klass) if subscription else None)
            if response.http_response.status_code != THROTTLED:
                break
            asked = retry_after_seconds(headers)
            wait = min(MAX_RETRY_AFTER, asked) if asked is not None and asked > 0 else DEFAULT_RETRY_AFTER
            self._pacer.pause(subscription, klass, wait)
            try:
                self._pacer.wait_retry_after(wait)
            except DeadlineExceeded:
                break  # the 429 goes back to the caller, which reports it; the deadline is spent
        self._hooks.on_response(request, response)
        return response


class NoThrottleRetryPolicy(RetryPolicy):  # type: ignore[type-arg]
    """The SDK's retry without 429: the paced hook has already waited every 429 it was allowed to."""

    def is_retry(self, settings: Any, response: Any) -> bool:
        if response.http_response.status_code == THROTTLED:
            return False
        # azure-core retries any answer carrying Retry-After (a 409 AnotherOperationInProgress too) and
        # sleeps it in full: a long one goes up to aksnet's retry loop instead, which caps every wait by
        # the operation's --timeout (aksnet.live.steps), so `Retry-After: 3600` is not an hour's sleep.
        wait = retry_after_seconds(response.http_response.headers)
        if wait is not None and wait > MAX_SDK_RETRY_AFTER:
            return False
        return bool(super().is_retry(settings, response))
