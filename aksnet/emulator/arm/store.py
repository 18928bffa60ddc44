"""SQLite state: resources, operations, journal, faults, config. Safe for several processes.

WAL + busy_timeout let any number of emulator processes share one database file (https://sqlite.org/wal.html);
each write is one `BEGIN IMMEDIATE` transaction, so read-check-write sequences (etag, lock key,
replayed PUT) are atomic across threads and processes.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from aksnet.emulator.arm.contract import Body, Settings
from aksnet.emulator.arm.ids import RESOURCE_GROUP_TYPE, resource_group_id, row_meta

SCHEMA = """
CREATE TABLE IF NOT EXISTS resources(
  key TEXT PRIMARY KEY, id TEXT NOT NULL, type TEXT NOT NULL, parent TEXT, subscription TEXT NOT NULL,
  rg TEXT, body TEXT NOT NULL, updated REAL NOT NULL);
CREATE INDEX IF NOT EXISTS resources_parent ON resources(parent, type);
CREATE INDEX IF NOT EXISTS resources_type ON resources(type, subscription, rg);
CREATE TABLE IF NOT EXISTS operations(
  id TEXT PRIMARY KEY, resource_key TEXT NOT NULL, resource_id TEXT NOT NULL, type TEXT NOT NULL,
  action TEXT NOT NULL, status TEXT NOT NULL, lock_key TEXT, request_hash TEXT, due REAL,
  started REAL NOT NULL, ended REAL, outcome TEXT, error TEXT, namespace TEXT NOT NULL,
  location TEXT NOT NULL, subscription TEXT NOT NULL, api_version TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS operations_status ON operations(status, due);
CREATE INDEX IF NOT EXISTS operations_lock ON operations(lock_key, status);
CREATE TABLE IF NOT EXISTS journal(
  seq INTEGER PRIMARY KEY AUTOINCREMENT, ts REAL NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL,
  status INTEGER NOT NULL, ms REAL NOT NULL, client_request_id TEXT, request_id TEXT, note TEXT);
CREATE TABLE IF NOT EXISTS faults(seq INTEGER PRIMARY KEY AUTOINCREMENT, rule TEXT NOT NULL, remaining INTEGER);
CREATE TABLE IF NOT EXISTS config(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS buckets(subscription TEXT NOT NULL, class TEXT NOT NULL, tokens REAL NOT NULL,
  updated REAL NOT NULL, PRIMARY KEY(subscription, class));
"""

Viewer = Callable[["SqliteTxn", str, Body], Body]
# Removes everything inside a resource group (not the group row). Passed in, like the viewer, because it
# runs each kind's delete side effects: the store itself knows no kinds.
GroupCleaner = Callable[["SqliteTxn", str, str], None]


class Store:
    """One SQLite file. Connections are opened per transaction (threads and processes never share one)."""

    def __init__(self, path: str, viewer: Viewer, clear_group: GroupCleaner) -> None:
        self.path = path
        self._viewer = viewer
        self._clear_group = clear_group
        with self.connect() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(SCHEMA)

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA busy_timeout=30000")
            conn.execute("PRAGMA synchronous=NORMAL")
            yield conn
        finally:
            conn.close()

    @contextmanager
    def write(self, settings: Settings, base_url: str, tenant: str = "") -> Iterator[SqliteTxn]:
        """One write transaction: committed when the block ends normally, rolled back on any exception."""
        with self.connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield SqliteTxn(conn, settings, base_url, self._viewer, self._clear_group, tenant)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    @contextmanager
    def read(self, settings: Settings, base_url: str, tenant: str = "") -> Iterator[SqliteTxn]:
        with self.connect() as conn:
            conn.execute("BEGIN")
            try:
                yield SqliteTxn(conn, settings, base_url, self._viewer, self._clear_group, tenant)
            finally:
                conn.execute("ROLLBACK")

    def wipe(self) -> None:
        with self.connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            for table in ("resources", "operations", "journal", "faults", "config", "buckets"):
                conn.execute(f"DELETE FROM {table}")
            conn.execute("COMMIT")


class SqliteTxn:
    """The kinds.Txn protocol over one open transaction."""

    def __init__(self, conn: sqlite3.Connection, settings: Settings, base_url: str, viewer: Viewer,
                 clear_group: GroupCleaner, tenant: str = "") -> None:
        self.conn = conn
        self.settings = settings
        self.base_url = base_url
        self.tenant = tenant
        self._viewer = viewer
        self._clear_group = clear_group

    def now(self) -> datetime:
        return datetime.now(UTC)

    def get(self, resource_id: str) -> Body | None:
        row = self.conn.execute("SELECT body FROM resources WHERE key=?", (resource_id.lower(),)).fetchone()
        return _load(row[0]) if row else None

    def put(self, resource_id: str, body: Body) -> None:
        meta = row_meta(resource_id)
        self.conn.execute(
            "INSERT INTO resources(key, id, type, parent, subscription, rg, body, updated) VALUES (?,?,?,?,?,?,?,?)"
            " ON CONFLICT(key) DO UPDATE SET body=excluded.body, updated=excluded.updated",
            (meta.key, resource_id, meta.type, meta.parent, meta.subscription, meta.resource_group,
             json.dumps(body), time.time()))

    def delete(self, resource_id: str) -> None:
        key = resource_id.lower().rstrip("/")
        # Children and extension resources (role assignments at this scope) live under the id.
        self.conn.execute("DELETE FROM resources WHERE key=? OR substr(key, 1, ?)=?",
                          (key, len(key) + 1, key + "/"))

    def children(self, parent_id: str, type_segment: str) -> list[Body]:
        # In creation order (an upsert keeps its rowid): a parent PUT writes its inline children in the
        # request's order, a child PUT adds one at the end. Azure documents no order, and a public
        # transcript shows NSG rules not sorted by name (https://github.com/Azure/azure-xplat-cli/issues/2317).
        rows = self.conn.execute(
            "SELECT body, type FROM resources WHERE parent=? ORDER BY rowid", (parent_id.lower(),)).fetchall()
        suffix = "/" + type_segment.lower()
        return [_load(body) for body, arm_type in rows if arm_type.endswith(suffix)]

    def find(self, arm_type: str, *, subscription: str | None = None, resource_group: str | None = None) -> list[Body]:
        sql, args = "SELECT body FROM resources WHERE type=?", [arm_type.lower()]
        if subscription is not None:
            sql, args = sql + " AND subscription=?", [*args, subscription.lower()]
        if resource_group is not None:
            sql, args = sql + " AND rg=?", [*args, resource_group.lower()]
        return [_load(row[0]) for row in self.conn.execute(sql + " ORDER BY key", args).fetchall()]

    def ids_in_group(self, subscription: str, resource_group: str) -> list[str]:
        """Ids of every row in a resource group (not the group itself), parents before children."""
        rows = self.conn.execute(
            "SELECT id FROM resources WHERE subscription=? AND rg=? AND type<>? ORDER BY length(key)",
            (subscription.lower(), resource_group.lower(), RESOURCE_GROUP_TYPE.lower())).fetchall()
        return [row[0] for row in rows]

    def top_level(self, subscription: str, resource_group: str | None = None) -> list[Body]:
        """Stored bodies of every top-level resource in resource groups: what ARM's generic resource list shows
        (no child resources, no resource groups, no extension resources such as role assignments)."""
        sql, args = "SELECT key, type, body FROM resources WHERE subscription=? AND parent IS NULL AND rg IS NOT NULL", \
            [subscription.lower()]
        if resource_group is not None:
            sql, args = sql + " AND rg=?", [*args, resource_group.lower()]
        return [_load(body) for key, arm_type, body in self.conn.execute(sql + " ORDER BY key", args).fetchall()
                if key.count("/providers/") == 1 and arm_type != RESOURCE_GROUP_TYPE.lower()
                and not arm_type.startswith("microsoft.authorization/")]

    def stored_id(self, resource_id: str) -> str | None:
        """The id in the casing it was created with."""
        row = self.conn.execute("SELECT id FROM resources WHERE key=?", (resource_id.lower(),)).fetchone()
        return str(row[0]) if row else None

    def subscriptions(self) -> list[str]:
        return [row[0] for row in self.conn.execute("SELECT DISTINCT subscription FROM resources").fetchall()]

    def ensure_resource_group(self, subscription: str, name: str, location: str, *, managed_by: str | None = None) -> None:
        rg_id = resource_group_id(subscription, name)
        if self.get(rg_id) is not None:
            return
        body: Body = {"id": rg_id, "name": name, "type": RESOURCE_GROUP_TYPE, "location": location,
                      "properties": {"provisioningState": "Succeeded"}}
        if managed_by:
            body["managedBy"] = managed_by
        self.put(rg_id, body)

    def delete_resource_group(self, subscription: str, name: str) -> None:
        self._clear_group(self, subscription, name)
        self.delete(resource_group_id(subscription, name))

    def view(self, resource_id: str) -> Body | None:
        stored = self.get(resource_id)
        if stored is None:
            return None
        return self._viewer(self, self.stored_id(resource_id) or resource_id, stored)


def _load(text: Any) -> Body:
    body: Body = json.loads(text)
    return body
