"""`POST /providers/Microsoft.ResourceGraph/resources`: the exact Resource Graph queries aksnet sends.

Resource Graph (https://learn.microsoft.com/azure/governance/resource-graph/overview) answers Kusto
queries over an index of every resource. The emulator does not implement Kusto: it answers three
query shapes, and any other text is a 400 `InvalidQuery` naming the shapes it knows:

    resources | where type in~ ('microsoft.network/virtualnetworks', ...) | order by id asc
    resourcecontainers | where type =~ 'microsoft.resources/subscriptions/resourcegroups' | order by id asc
    authorizationresources | where type =~ 'microsoft.authorization/roleassignments' | order by id asc

over the request's `subscriptions`. Rows come as `resultFormat: objectArray` (a GET's body with
`type` in lower case, plus `subscriptionId`, `resourceGroup`, `tenantId`), at most `options.$top`
(≤ 1,000, default 100) a page, and `$skipToken` while more follow
(https://learn.microsoft.com/azure/governance/resource-graph/concepts/work-with-data). Every answer
carries the per-user quota headers `x-ms-user-quota-remaining` and `x-ms-user-quota-resets-after`
(hh:mm:ss); past 15 queries in a 5-second window the answer is 429 with Retry-After
(https://learn.microsoft.com/azure/governance/resource-graph/concepts/guidance-for-throttled-requests).

Lag: Resource Graph's index trails ARM. `PUT /_emulator/resourcegraph` keeps the index as it is now
(queries answer from that copy while ARM moves on); `DELETE` thaws it (arm/index.py, control/api.py).
"""

from __future__ import annotations

import math
import re
import threading
import time
from typing import Any

from aksnet.emulator.api_versions import resourcegraph as resourcegraph_versions
from aksnet.emulator.arm import index
from aksnet.emulator.arm.contract import ArmError, Body, Kind
from aksnet.emulator.arm.http import Request, Response
from aksnet.emulator.arm.routing import Route, route
from aksnet.emulator.arm.verbs import Ctx

KINDS: tuple[Kind, ...] = ()
# Every published api-version of the query API (aksnet/emulator/api_versions/resourcegraph.py).
API_VERSIONS = resourcegraph_versions.RESOURCES_QUERY
MAX_TOP = 1000
DEFAULT_TOP = 100
QUOTA = 15  # queries per window per user
WINDOW_SECONDS = 5.0
ROLE_ASSIGNMENT_TYPE = index.ROLE_ASSIGNMENT_TYPE
_NAME = r"'([^']+)'"
_ORDER = r"(?:\s*\|\s*order\s+by\s+id\s+asc)?"
_SHAPES = (
    ("resources", re.compile(rf"^\s*resources\s*\|\s*where\s+type\s+in~\s*\(((?:\s*{_NAME}\s*,?)+)\){_ORDER}\s*$",
                             re.IGNORECASE)),
    ("resourcecontainers", re.compile(rf"^\s*resourcecontainers\s*\|\s*where\s+type\s*=~\s*{_NAME}{_ORDER}\s*$",
                                      re.IGNORECASE)),
    ("authorizationresources", re.compile(
        rf"^\s*authorizationresources\s*\|\s*where\s+type\s*=~\s*{_NAME}{_ORDER}\s*$", re.IGNORECASE)),
)
_TABLE_TYPES = {"resourcecontainers": {index.GRAPH_RESOURCE_GROUP_TYPE},
                "authorizationresources": {ROLE_ASSIGNMENT_TYPE}}


def _invalid(message: str) -> ArmError:
    return ArmError(400, "InvalidQuery", message + ". The emulator answers only: `resources | where type in~ "
                    "('<type>', ...)`, `resourcecontainers | where type =~ "
                    "'microsoft.resources/subscriptions/resourcegroups'` and `authorizationresources | where type =~ "
                    "'microsoft.authorization/roleassignments'`, each optionally `| order by id asc`")


def parse_query(text: str) -> tuple[str, set[str]]:
    """(table, lower-case types) of a query aksnet sends, or the 400 for anything else."""
    for table, shape in _SHAPES:
        found = shape.match(text)
        if found is None:
            continue
        listed = re.findall(_NAME, found.group(1)) if table == "resources" else [found.group(1)]
        types = {t.lower() for t in listed}
        allowed = _TABLE_TYPES.get(table)
        if allowed is not None and not types <= allowed:
            raise _invalid(f"table {table} holds no resources of type {', '.join(sorted(types - allowed))}")
        return table, types
    raise _invalid(f"unsupported query {text[:200]!r}")


class _Quota:
    """Queries per user in a fixed 5-second window (the documented default), per emulator process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[float, int]] = {}

    def take(self, user: str) -> tuple[int, float, bool]:
        """(remaining, seconds until the window resets, allowed)."""
        with self._lock:
            now = time.monotonic()
            start, used = self._windows.get(user, (now, 0))
            if now - start >= WINDOW_SECONDS:
                start, used = now, 0
            allowed = used < QUOTA
            used += 1 if allowed else 0
            self._windows[user] = (start, used)
            return max(0, QUOTA - used), max(0.0, start + WINDOW_SECONDS - now), allowed


_QUOTA = _Quota()


def _resets_after(seconds: float) -> str:
    whole = math.ceil(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def index_rows(ctx: Ctx) -> list[Body]:
    """Every indexed resource as a row (or the frozen copy while the index lags)."""
    frozen = index.frozen_rows(ctx.store)
    if frozen is not None:
        return frozen
    with ctx.store.read(ctx.settings, ctx.request.base_url) as txn:
        return index.live_rows(txn)


def _request_body(request: Request) -> tuple[str, list[str], dict[str, Any]]:
    body = request.json_object()
    query = body.get("query")
    if not isinstance(query, str) or not query.strip():
        raise ArmError(400, "BadRequest", "The request body must carry a 'query' string.")
    subscriptions = body.get("subscriptions") or []
    if not isinstance(subscriptions, list) or not all(isinstance(s, str) for s in subscriptions):
        raise ArmError(400, "BadRequest", "'subscriptions' must be a list of subscription ids.")
    options = body.get("options") or {}
    if not isinstance(options, dict):
        raise ArmError(400, "BadRequest", "'options' must be an object.")
    return query, [s.lower() for s in subscriptions], options


def _page_options(options: dict[str, Any]) -> tuple[int, int]:
    top = options.get("$top", DEFAULT_TOP)
    if not isinstance(top, int) or not 1 <= top <= MAX_TOP:
        raise ArmError(400, "BadRequest", f"options.$top must be a whole number from 1 to {MAX_TOP}.")
    token = options.get("$skipToken")
    if token in (None, ""):
        return top, 0
    if not isinstance(token, str) or not token.isdigit():
        raise ArmError(400, "BadRequest", "options.$skipToken is not a token this service issued.")
    return top, int(token)


def _resources(ctx: Ctx, _m: dict[str, str]) -> Response:
    version = ctx.request.api_version
    if version not in API_VERSIONS:
        raise ArmError(400, "InvalidApiVersionParameter",
                       f"The api-version '{version}' is invalid. The supported versions are "
                       f"'{', '.join(sorted(API_VERSIONS))}'.")
    user = ctx.tenant + "/" + (ctx.request.header("authorization") or "")[-32:]
    remaining, resets, allowed = _QUOTA.take(user)
    quota = {"x-ms-user-quota-remaining": str(remaining), "x-ms-user-quota-resets-after": _resets_after(resets)}
    if not allowed:
        err = ArmError(429, "RateLimiting", "Please provide below info when asking for support: the query quota "
                       f"of {QUOTA} per {WINDOW_SECONDS:.0f} seconds is spent.", retry_after=max(1, math.ceil(resets)))
        response = Response(429, err.body(), {"Retry-After": str(err.retry_after), **quota})
        return response
    query, subscriptions, options = _request_body(ctx.request)
    if options.get("resultFormat", "objectArray") != "objectArray":
        raise ArmError(400, "BadRequest", "The emulator answers resultFormat 'objectArray' only.")
    _table, types = parse_query(query)
    top, start = _page_options(options)
    rows = [r for r in index_rows(ctx) if r["type"] in types and (not subscriptions or r["subscriptionId"].lower()
                                                                    in subscriptions)]
    rows.sort(key=lambda r: str(r.get("id", "")).lower())
    page = rows[start:start + top]
    body: Body = {"totalRecords": len(rows), "count": len(page), "resultTruncated": "false", "data": page,
                  "facets": []}
    if start + top < len(rows):
        body["$skipToken"] = str(start + top)
    return Response(200, body, quota)


ROUTES: tuple[Route, ...] = (
    ("POST", route(r"/providers/Microsoft\.ResourceGraph/resources"), _resources),
)
