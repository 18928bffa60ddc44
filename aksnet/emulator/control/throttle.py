"""ARM's subscription throttling: a token bucket per subscription and operation class, with its headers.

Azure (https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling): each
subscription has a bucket per operation type (reads 250 tokens refilled 25/s, writes 200 / 10/s,
deletes 200 / 10/s); every response carries `x-ms-ratelimit-remaining-subscription-reads|writes|deletes`;
an empty bucket answers 429 with an integer `Retry-After`. The emulator always sends the header; it
only counts and refuses when throttling is switched on (`/_emulator/throttle`), so ordinary tests are
never throttled. State lives in the database, so every process sharing it shares the buckets. The
per-principal split of the real limits is not modelled (one bucket per subscription).
"""

from __future__ import annotations

import json
import math
import re
import time
from dataclasses import dataclass
from typing import Any

from aksnet.emulator.arm.contract import ArmError
from aksnet.emulator.arm.store import Store

CLASSES = ("reads", "writes", "deletes")
_SUBSCRIPTION = re.compile(r"^/subscriptions/([^/]+)", re.IGNORECASE)
_CONFIG_KEY = "throttle"


@dataclass(frozen=True, slots=True)
class Bucket:
    size: int  # burst: the most tokens the bucket holds
    refill: float  # tokens added per second


# The public-cloud limits since the 2024 migration (https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling).
AZURE_BUCKETS = {"reads": Bucket(250, 25.0), "writes": Bucket(200, 10.0), "deletes": Bucket(200, 10.0)}


@dataclass(frozen=True, slots=True)
class Decision:
    header: str  # "x-ms-ratelimit-remaining-subscription-reads"
    remaining: int
    retry_after: int | None  # set when the request is refused


def operation_class(method: str) -> str:
    method = method.upper()
    if method in ("GET", "HEAD"):
        return "reads"
    return "deletes" if method == "DELETE" else "writes"


def parse_config(data: Any) -> dict[str, Bucket]:
    """`{}` (Azure's limits) or `{"reads": {"bucket": 5, "refill": 1}, ...}`; classes not given keep Azure's."""
    if not isinstance(data, dict):
        raise ValueError("send a JSON object: {\"reads\": {\"bucket\": N, \"refill\": per_second}, ...}")
    unknown = set(data) - set(CLASSES)
    if unknown:
        raise ValueError(f"unknown throttle class(es): {', '.join(sorted(unknown))}; known: {', '.join(CLASSES)}")
    buckets = dict(AZURE_BUCKETS)
    for name, value in data.items():
        if not isinstance(value, dict) or set(value) - {"bucket", "refill"}:
            raise ValueError(f"{name}: want {{\"bucket\": N, \"refill\": per_second}}")
        size = int(value.get("bucket", AZURE_BUCKETS[name].size))
        refill = float(value.get("refill", AZURE_BUCKETS[name].refill))
        if size < 1 or refill <= 0:
            raise ValueError(f"{name}: bucket must be >= 1 and refill > 0")
        buckets[name] = Bucket(size, refill)
    return buckets


def configure(store: Store, data: Any) -> dict[str, Any]:
    """Switch throttling on with these buckets (full), or off with `None`. Returns the stored config."""
    with store.connect() as conn:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("DELETE FROM buckets")
        if data is None:
            conn.execute("DELETE FROM config WHERE key=?", (_CONFIG_KEY,))
            stored: dict[str, Any] = {}
        else:
            stored = {k: {"bucket": b.size, "refill": b.refill} for k, b in parse_config(data).items()}
            conn.execute("INSERT OR REPLACE INTO config(key, value) VALUES (?, ?)", (_CONFIG_KEY, json.dumps(stored)))
        conn.execute("COMMIT")
    return stored


def current(store: Store) -> dict[str, Any]:
    """`{"enabled": bool, "buckets": {...}, "tokens": {subscription: {class: tokens}}}`."""
    with store.connect() as conn:
        row = conn.execute("SELECT value FROM config WHERE key=?", (_CONFIG_KEY,)).fetchone()
        tokens: dict[str, dict[str, float]] = {}
        for subscription, klass, left in conn.execute("SELECT subscription, class, tokens FROM buckets").fetchall():
            tokens.setdefault(subscription, {})[klass] = round(left, 2)
    return {"enabled": row is not None, "buckets": json.loads(row[0]) if row else {}, "tokens": tokens}


def take(store: Store, method: str, path: str) -> Decision | None:
    """Spend one token for this request (None: not a subscription request, no header)."""
    found = _SUBSCRIPTION.match(path)
    if found is None:
        return None
    subscription, klass = found.group(1).lower(), operation_class(method)
    header = f"x-ms-ratelimit-remaining-subscription-{klass}"
    with store.connect() as conn:
        row = conn.execute("SELECT value FROM config WHERE key=?", (_CONFIG_KEY,)).fetchone()
        if row is None:  # not throttling: report a bucket that never empties
            return Decision(header, AZURE_BUCKETS[klass].size - 1, None)
        config = json.loads(row[0])[klass]
        bucket = Bucket(int(config["bucket"]), float(config["refill"]))
        now = time.time()
        conn.execute("BEGIN IMMEDIATE")
        state = conn.execute("SELECT tokens, updated FROM buckets WHERE subscription=? AND class=?",
                             (subscription, klass)).fetchone()
        tokens = float(bucket.size) if state is None else min(bucket.size, state[0] + (now - state[1]) * bucket.refill)
        retry_after = None
        if tokens >= 1:
            tokens -= 1
        else:  # the wait until one whole token is back, as an integer (RPC: Retry-After is integer seconds)
            retry_after = max(1, math.ceil((1 - tokens) / bucket.refill))
        conn.execute("INSERT OR REPLACE INTO buckets(subscription, class, tokens, updated) VALUES (?, ?, ?, ?)",
                     (subscription, klass, tokens, now))
        conn.execute("COMMIT")
    return Decision(header, int(tokens), retry_after)


def throttled(decision: Decision, path: str) -> ArmError:
    """ARM's answer to an empty bucket: 429 SubscriptionRequestsThrottled + Retry-After (MicrosoftDocs/azure-docs
    #105248, #51431: "Number of read requests for subscription '…' exceeded the limit … try again after '6' seconds")."""
    found = _SUBSCRIPTION.match(path)
    subscription = found.group(1) if found else ""
    kind = decision.header.rsplit("-", 1)[-1].rstrip("s")
    return ArmError(429, "SubscriptionRequestsThrottled",
                    f"Number of '{kind}' requests for subscription '{subscription}' exceeded the limit. Please try "
                    f"again after '{decision.retry_after}' seconds. Refer to https://aka.ms/arm-throttling",
                    retry_after=decision.retry_after)
