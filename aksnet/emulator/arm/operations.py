"""Long-running operations: rows with a wall-clock due time, completed lazily on any later request.

ARM async pattern (https://github.com/Azure/azure-resource-manager-rpc/blob/master/v1.0/async-api-reference.md): the PUT/DELETE
answer carries an absolute `Azure-AsyncOperation` (status resource, always HTTP 200 with `status`
InProgress/Succeeded/Failed and `error` when Failed) and, on DELETE, `Location` (operation result:
202 while running, then 200/204), both built from the request's Host so the SDK polls the
emulator, plus an integer `Retry-After`. Completion is computed from the due time, not a timer,
so a restart in the middle of an operation loses nothing.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aksnet.emulator.arm import errors
from aksnet.emulator.arm.contract import ArmError, Body, Kind, Rid, Settings
from aksnet.emulator.arm.hooks import OperationFault
from aksnet.emulator.arm.http import Response
from aksnet.emulator.arm.ids import parse_any
from aksnet.emulator.arm.registry import kind_for, view
from aksnet.emulator.arm.store import SqliteTxn, Store

_COLUMNS = ("id, resource_key, resource_id, type, action, status, lock_key, request_hash, due, started, ended,"
            " outcome, error, namespace, location, subscription, api_version")


@dataclass(slots=True)
class Operation:
    id: str
    resource_key: str
    resource_id: str
    type: str
    action: str  # PUT | DELETE
    status: str  # InProgress | Succeeded | Failed | Canceled
    lock_key: str
    request_hash: str | None
    due: float | None  # None: never ends (fault)
    started: float
    ended: float | None
    outcome: str | None  # forced outcome from a fault rule: "Failed"
    error: str | None  # JSON {"status", "code", "message"} when Failed
    namespace: str
    location: str
    subscription: str
    api_version: str


MANAGED_CLUSTERS = "microsoft.containerservice/managedclusters"


def _row(values: Any) -> Operation:
    return Operation(*values)


def set_state(body: Body, state: str) -> Body:
    """Return a copy with `properties.provisioningState` set (network, AKS, RG all keep it there)."""
    copy = dict(body)
    properties = dict(copy.get("properties") or {})
    properties["provisioningState"] = state
    copy["properties"] = properties
    return copy


def operation_location(txn: SqliteTxn, rid: Rid, body: Body) -> str:
    """The region in operation URLs: the resource's, or its nearest stored parent's (children have none)."""
    location = body.get("location")
    parent = rid.parent
    while not location and parent is not None:
        location = (txn.get(parent.raw) or {}).get("location")
        parent = parent.parent
    return str(location or "eastus").replace(" ", "").lower()


def start(txn: SqliteTxn, rid: Rid, kind: Kind, action: str, body: Body, api_version: str,
          request_hash: str | None, fault: OperationFault | None) -> Operation:
    now = time.time()
    duration = txn.settings.duration(kind.type)
    if fault is not None and fault.op_duration_s is not None:
        duration = fault.op_duration_s
    due: float | None = None if fault is not None and fault.op_outcome == "never" else now + duration
    outcome = "Failed" if fault is not None and fault.op_outcome == "Failed" else None
    error = None
    if outcome:
        error = json.dumps({"status": 400, "code": fault.code if fault and fault.code else "InternalOperationError",
                            "message": fault.message if fault and fault.message else "The operation failed (injected fault)."})
    op = Operation(str(uuid.uuid4()), rid.key, rid.raw, kind.type, action, "InProgress",
                   kind.lock_key(rid) or rid.key, request_hash, due, now, None, outcome, error, rid.namespace,
                   operation_location(txn, rid, body), rid.subscription, api_version)
    txn.conn.execute(f"INSERT INTO operations({_COLUMNS}) VALUES ({', '.join('?' * 17)})",
                     (op.id, op.resource_key, op.resource_id, op.type, op.action, op.status, op.lock_key,
                      op.request_hash, op.due, op.started, op.ended, op.outcome, op.error, op.namespace,
                      op.location, op.subscription, op.api_version))
    return op


def running(txn: SqliteTxn, lock_key: str) -> Operation | None:
    row = txn.conn.execute(f"SELECT {_COLUMNS} FROM operations WHERE lock_key=? AND status='InProgress'"
                           " ORDER BY started DESC LIMIT 1", (lock_key,)).fetchone()
    return _row(row) if row else None


def cancel(txn: SqliteTxn, op: Operation) -> None:
    """Abort a running PUT: the operation ends `Canceled` and the resource keeps the body it was being
    written with, `provisioningState: Canceled` (a terminal state; AKS "moves the managed cluster to a
    Canceling state and eventually to a Canceled state": ManagedClusters - Abort Latest Operation,
    https://learn.microsoft.com/rest/api/aks/managed-clusters/abort-latest-operation). The emulator
    cancels at once."""
    stored_id = txn.stored_id(op.resource_id)
    stored = txn.get(op.resource_id)
    if stored is not None and stored_id is not None and op.action == "PUT":
        txn.put(stored_id, set_state(stored, "Canceled"))
    error = json.dumps({"status": 409, "code": "Canceled", "message": "The operation was aborted by a client."})
    txn.conn.execute("UPDATE operations SET status='Canceled', error=?, ended=? WHERE id=?", (error, time.time(), op.id))


def load(txn: SqliteTxn, op_id: str) -> Operation | None:
    row = txn.conn.execute(f"SELECT {_COLUMNS} FROM operations WHERE lower(id)=?", (op_id.lower(),)).fetchone()
    return _row(row) if row else None


def urls(base_url: str, op: Operation) -> tuple[str | None, str]:
    """(Azure-AsyncOperation, Location). Resource groups use `/subscriptions/{s}/operationresults/{id}`
    with Location only (ForceDeleteVMsInResourceGroup.json); providers use
    `/providers/{ns}/locations/{loc}/operations|operationResults/{id}`."""
    query = f"?api-version={op.api_version}"
    if op.namespace.lower() == "microsoft.resources":
        return None, f"{base_url}/subscriptions/{op.subscription}/operationresults/{op.id}{query}"
    prefix = f"{base_url}/subscriptions/{op.subscription}/providers/{op.namespace}/locations/{op.location}"
    return f"{prefix}/operations/{op.id}{query}", f"{prefix}/operationResults/{op.id}{query}"


def headers(base_url: str, op: Operation, settings: Settings) -> dict[str, str]:
    async_url, location = urls(base_url, op)
    result = {"Retry-After": str(settings.retry_after)}
    if async_url:
        result["Azure-AsyncOperation"] = async_url
    if op.action == "DELETE" or not async_url:
        result["Location"] = location
    return result


def settle(store: Store, settings: Settings, base_url: str) -> None:
    """Complete every operation whose due time has passed (each in the same transaction as its effects)."""
    now = time.time()
    with store.connect() as conn:
        if conn.execute("SELECT 1 FROM operations WHERE status='InProgress' AND due<=? LIMIT 1", (now,)).fetchone() is None:
            return
    with store.write(settings, base_url) as txn:
        rows = txn.conn.execute(f"SELECT {_COLUMNS} FROM operations WHERE status='InProgress' AND due<=?"
                                " ORDER BY due", (now,)).fetchall()
        for op in map(_row, rows):
            _complete(txn, op)


def _failed(body: Body, resource_type: str, error: str | None) -> Body:
    """The body after its operation ended: `Failed` with AKS's `properties.status.provisioningError`
    (ManagedClusterStatus, azure-rest-api-specs specification/containerservice) when `error` is given;
    a later success clears that error. Other types only carry the state."""
    if error is None:
        if resource_type.lower() != MANAGED_CLUSTERS or "status" not in (body.get("properties") or {}):
            return body
        cleared = dict(body)
        cleared["properties"] = {k: v for k, v in body["properties"].items() if k != "status"}
        return cleared
    failed = set_state(body, "Failed")
    if resource_type.lower() == MANAGED_CLUSTERS:
        detail = json.loads(error)
        failed["properties"]["status"] = {"provisioningError": {"code": detail.get("code"),
                                                                "message": detail.get("message")}}
    return failed


def _complete(txn: SqliteTxn, op: Operation) -> None:
    stored_id = txn.stored_id(op.resource_id)
    stored = txn.get(op.resource_id)
    status, error = "Succeeded", op.error
    if stored is None or stored_id is None:
        status = "Succeeded" if op.action == "DELETE" else "Canceled"
        if status == "Canceled":
            error = json.dumps({"status": 409, "code": "Canceled", "message": "The resource was deleted."})
    elif op.outcome == "Failed":
        status = "Failed"
        txn.put(stored_id, _failed(stored, op.type, op.error))
    else:
        rid = parse_any(stored_id)
        kind = kind_for(rid.type)
        try:
            if kind is None:
                raise errors.internal_server_error(f"no kind for {rid.type}")
            if op.action == "PUT":
                txn.put(stored_id, _failed(kind.complete_put(txn, rid, stored), op.type, None))
            else:
                kind.complete_delete(txn, rid, stored)
                txn.delete(stored_id)
        except ArmError as err:
            status = "Failed"
            error = json.dumps({"status": err.status, "code": err.code, "message": err.message})
            if txn.get(stored_id) is not None:
                txn.put(stored_id, _failed(stored, op.type, error))
    txn.conn.execute("UPDATE operations SET status=?, error=?, ended=? WHERE id=?", (status, error, time.time(), op.id))


def _iso(ts: float | None) -> str | None:
    return datetime.fromtimestamp(ts, UTC).isoformat().replace("+00:00", "Z") if ts is not None else None


def status_response(txn: SqliteTxn, op_id: str, results: bool) -> Response:
    """`.../operations/{id}` (status resource) or `.../operationResults/{id}` (the result)."""
    op = load(txn, op_id)
    if op is None:
        raise errors.operation_not_found(op_id)
    error = json.loads(op.error) if op.error else None
    if not results:
        body: Body = {"id": f"/subscriptions/{op.subscription}/providers/{op.namespace}/locations/{op.location}"
                            f"/operations/{op.id}",
                      "name": op.id, "status": op.status, "startTime": _iso(op.started)}
        if op.status != "InProgress":
            body["endTime"] = _iso(op.ended)
            body["percentComplete"] = 100.0
        if error and op.status in ("Failed", "Canceled"):
            body["error"] = {"code": error["code"], "message": error["message"], "details": []}
        extra = {"Retry-After": str(txn.settings.retry_after)} if op.status == "InProgress" else {}
        return Response(200, body, extra)
    if op.status == "InProgress":
        _, location = urls(txn.base_url, op)
        return Response(202, None, {"Location": location, "Retry-After": str(txn.settings.retry_after)})
    if op.status in ("Failed", "Canceled") and error:
        return Response(int(error.get("status", 400)), {"error": {"code": error["code"], "message": error["message"],
                                                                   "details": []}})
    if op.action == "DELETE":
        # RG: 200 (ForceDeleteVMsInResourceGroup.json); providers: 204 (ManagedClustersDelete.json).
        return Response(200 if op.namespace.lower() == "microsoft.resources" else 204)
    stored = txn.get(op.resource_id)
    stored_id = txn.stored_id(op.resource_id)
    if stored is None or stored_id is None:
        return Response(204)
    return Response(200, view(txn, stored_id, stored))
