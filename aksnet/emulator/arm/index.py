"""The resource index Resource Graph answers from: every top-level resource, resource group and role
assignment as a row (a GET's body with `type` in lower case and `subscriptionId` / `resourceGroup`
columns, https://learn.microsoft.com/azure/governance/resource-graph/concepts/query-language).

Resource Graph's index trails ARM by a little (it is fed by change notifications), so an index can be
frozen: `freeze(store, rows_now)` keeps a copy that queries answer from while ARM moves on, until
`freeze(store, None)` thaws it. Used by the Resource Graph provider (queries) and the admin API
(`/_emulator/resourcegraph`).
"""

from __future__ import annotations

import json

from aksnet.emulator.arm.contract import Body, Txn
from aksnet.emulator.arm.ids import RESOURCE_GROUP_TYPE
from aksnet.emulator.arm.registry import kinds, view
from aksnet.emulator.arm.store import SqliteTxn, Store

ROLE_ASSIGNMENT_TYPE = "microsoft.authorization/roleassignments"
GRAPH_RESOURCE_GROUP_TYPE = "microsoft.resources/subscriptions/resourcegroups"
_FROZEN_KEY = "resourcegraph_frozen"


def as_row(body: Body) -> Body:
    rid = str(body.get("id") or "")
    parts = rid.split("/")
    row = dict(body)
    row["type"] = str(body.get("type") or "").lower()
    if row["type"] == RESOURCE_GROUP_TYPE.lower():
        row["type"] = GRAPH_RESOURCE_GROUP_TYPE  # Resource Graph's name for it (the resourcecontainers table)
    row["subscriptionId"] = parts[2] if len(parts) > 2 else ""
    row["resourceGroup"] = parts[4].lower() if len(parts) > 4 and parts[3].lower() == "resourcegroups" else ""
    return row


def indexed_types() -> list[str]:
    # Top-level types, resource groups and role assignments: children live in their parent's row.
    return sorted({t for t in kinds() if t.count("/") == 1} | {RESOURCE_GROUP_TYPE.lower(), ROLE_ASSIGNMENT_TYPE})


def live_rows(txn: SqliteTxn | Txn) -> list[Body]:
    rows: list[Body] = []
    for subscription in txn.subscriptions():  # type: ignore[union-attr]
        for arm_type in indexed_types():
            for body in txn.find(arm_type, subscription=subscription):
                if body.get("id"):
                    rows.append(as_row(view(txn, str(body["id"]), body)))
    return rows


def frozen_rows(store: Store) -> list[Body] | None:
    with store.connect() as conn:
        row = conn.execute("SELECT value FROM config WHERE key=?", (_FROZEN_KEY,)).fetchone()
    if row is None:
        return None
    rows: list[Body] = json.loads(row[0])
    return rows


def freeze(store: Store, rows: list[Body] | None) -> int:
    """Answer queries from `rows` from now on, or thaw with None. Returns the number of rows kept."""
    with store.connect() as conn:
        conn.execute("BEGIN IMMEDIATE")
        if rows is None:
            conn.execute("DELETE FROM config WHERE key=?", (_FROZEN_KEY,))
        else:
            conn.execute("INSERT OR REPLACE INTO config(key, value) VALUES (?, ?)", (_FROZEN_KEY, json.dumps(rows)))
        conn.execute("COMMIT")
    return len(rows or [])
