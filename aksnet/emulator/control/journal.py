"""The request journal: one row per request (method, path, status, time, ms, client request id)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aksnet.emulator.arm.store import Store


@dataclass(frozen=True, slots=True)
class Entry:
    ts: float
    method: str
    path: str  # with the query string
    status: int  # 0 when the connection was dropped by a fault
    ms: float
    client_request_id: str | None
    request_id: str
    note: str | None = None


def record(store: Store, entry: Entry) -> None:
    with store.connect() as conn:
        conn.execute(
            "INSERT INTO journal(ts, method, path, status, ms, client_request_id, request_id, note)"
            " VALUES (?,?,?,?,?,?,?,?)",
            (entry.ts, entry.method, entry.path, entry.status, round(entry.ms, 2), entry.client_request_id,
             entry.request_id, entry.note))


def read(store: Store, since: int = 0) -> list[dict[str, Any]]:
    """Entries with an index greater than `since`, oldest first."""
    with store.connect() as conn:
        rows = conn.execute(
            "SELECT seq, ts, method, path, status, ms, client_request_id, request_id, note FROM journal"
            " WHERE seq > ? ORDER BY seq", (since,)).fetchall()
    return [{"index": seq, "time": datetime.fromtimestamp(ts, UTC).isoformat(), "method": method, "path": path,
             "status": status, "ms": ms, "clientRequestId": crid, "requestId": rid, "note": note}
            for seq, ts, method, path, status, ms, crid, rid, note in rows]


def clear(store: Store) -> None:
    with store.connect() as conn:
        conn.execute("DELETE FROM journal")
