"""Resource Graph queries for a fleet: a handful of queries instead of one ARM read per resource.

Resource Graph (https://learn.microsoft.com/azure/governance/resource-graph/overview) serves Kusto
queries over an index of every resource, across subscriptions, under its own quota rather than
ARM's per-subscription buckets. aksnet sends three query shapes (one per table: `resources` for the
types it manages, `resourcecontainers` for resource groups, `authorizationresources` for role
assignments), `resultFormat: objectArray`, 1,000 rows a page (the most it returns), following
`$skipToken` (https://learn.microsoft.com/azure/governance/resource-graph/concepts/work-with-data).
Every answer says how many queries the user has left in the window and when it resets
(`x-ms-user-quota-remaining`, `x-ms-user-quota-resets-after` as hh:mm:ss,
https://learn.microsoft.com/azure/governance/resource-graph/concepts/guidance-for-throttled-requests):
at zero, the next query waits for the reset (under the run's deadline) instead of earning a 429.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from aksnet.live.azure.clients import Connection
from aksnet.live.azure.errors import translate
from aksnet.live.pacing import shared_pacer

Body = dict[str, Any]
PAGE_ROWS = 1000
ROLE_ASSIGNMENT_TYPE = "microsoft.authorization/roleassignments"
RESOURCE_GROUP_TYPE = "microsoft.resources/subscriptions/resourcegroups"
# The resource group id has no `/providers/` segment; Resource Graph names its type this way.
ARM_RESOURCE_GROUP_TYPE = "microsoft.resources/resourcegroups"


def queries_for(types: Iterable[str]) -> list[str]:
    """The queries that read every resource of `types` (lower-case ARM types), one per table."""
    wanted = sorted({t.lower() for t in types})
    out = []
    plain = [t for t in wanted if t not in (ROLE_ASSIGNMENT_TYPE, ARM_RESOURCE_GROUP_TYPE)]
    if plain:
        listed = ", ".join(f"'{t}'" for t in plain)
        out.append(f"resources | where type in~ ({listed}) | order by id asc")
    if ARM_RESOURCE_GROUP_TYPE in wanted:
        out.append(f"resourcecontainers | where type =~ '{RESOURCE_GROUP_TYPE}' | order by id asc")
    if ROLE_ASSIGNMENT_TYPE in wanted:
        out.append(f"authorizationresources | where type =~ '{ROLE_ASSIGNMENT_TYPE}' | order by id asc")
    return out


def _seconds(hhmmss: str | None) -> float | None:
    if not hhmmss:
        return None
    try:
        hours, minutes, seconds = (float(p) for p in hhmmss.split(":"))
    except ValueError:
        return None
    return hours * 3600 + minutes * 60 + seconds


def run_query(conn: Connection, subscriptions: list[str], query: str) -> list[Body]:
    """Every row of `query` over `subscriptions`, all pages."""
    from azure.mgmt.resourcegraph.models import QueryRequest, QueryRequestOptions

    client = conn.client("resourcegraph", "")
    rows: list[Body] = []
    token: str | None = None
    pacer = shared_pacer()
    captured: dict[str, Any] = {}

    def keep(pipeline_response: Any, _deserialized: Any, _headers: Any) -> None:
        response = pipeline_response.http_response
        captured["body"] = json.loads(response.text() or "{}")
        captured["headers"] = response.headers

    while True:
        captured.clear()

        request = QueryRequest(subscriptions=subscriptions, query=query,
                               options=QueryRequestOptions(top=PAGE_ROWS, skip_token=token,
                                                           result_format="objectArray"))
        try:
            client.resources(request, cls=keep)
        except Exception as err:  # noqa: BLE001 - translated to an aksnet error
            raise translate(err, resource_id="Resource Graph", action="querying",
                            correlation_id=conn.correlation_id) from err
        body = captured.get("body") or {}
        data = body.get("data") or []
        rows.extend(dict(r) for r in data if isinstance(r, dict))
        headers = captured.get("headers") or {}
        remaining = headers.get("x-ms-user-quota-remaining")
        token = body.get("$skipToken") or None
        if token is None:
            return rows
        if remaining is not None and remaining.strip() == "0":
            wait = _seconds(headers.get("x-ms-user-quota-resets-after")) or 1.0
            pacer.wait_retry_after(wait)  # the quota is spent: wait for its window, not for a 429


def as_arm_body(row: Body) -> Body:
    """A Resource Graph row as the ARM body a GET returns: the index's own columns dropped; its type,
    which Resource Graph lower-cases, is left for the diff (it compares properties, not type casing)."""
    body = {k: v for k, v in row.items() if k not in ("subscriptionId", "resourceGroup", "tenantId")}
    return body


def graph_snapshot(conn: Connection, ids: Iterable[str]) -> Any:
    """A `Snapshot` of every resource of the ids' types in their subscriptions, from Resource Graph:
    one query per table (each all pages), whatever the number of resources or subscriptions."""
    from aksnet.live.snapshot import ListRead, Snapshot, arm_type_of, subscription_of

    wanted = list(dict.fromkeys(ids))
    subscriptions = sorted({subscription_of(rid) for rid in wanted if subscription_of(rid)})
    types = {arm_type_of(rid) for rid in wanted}
    snapshot = Snapshot()
    for query in queries_for(types):
        for row in run_query(conn, subscriptions, query):
            if row.get("id"):
                snapshot.bodies[str(row["id"]).lower()] = as_arm_body(row)
    for subscription in subscriptions:
        for arm_type in types:
            snapshot.complete.add(ListRead(subscription, arm_type, None))
    return snapshot
