"""Admin endpoints under `/_emulator/` (loopback only, like everything): journal, faults, config, throttle, reset.

Modelled on moto's `/moto-api/` control API (https://docs.getmoto.org/en/latest/docs/moto_apis.html): tests steer and observe the
emulator over HTTP, so a test and an emulator in another process work the same way.
"""

from __future__ import annotations

import json
from typing import Any

from aksnet.emulator.arm.contract import ArmError, Settings
from aksnet.emulator.arm.http import Request, Response
from aksnet.emulator.arm.store import Store
from aksnet.emulator.control import config, faults, journal, throttle


def _json(request: Request) -> Any:
    try:
        return json.loads(request.body or b"null")
    except json.JSONDecodeError as err:
        raise ArmError(400, "InvalidRequestContent", f"invalid JSON: {err}") from err


def _rules(data: Any) -> list[faults.FaultRule]:
    items = data.get("rules", [data]) if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ArmError(400, "InvalidFaultRule", "send a rule object, a list of rules or {\"rules\": [...]}")
    try:
        return [faults.FaultRule.from_dict(dict(item)) for item in items]
    except (TypeError, ValueError) as err:
        raise ArmError(400, "InvalidFaultRule", str(err)) from err


def handle(store: Store, base: Settings, request: Request) -> Response:
    what, method = request.path.rstrip("/").split("/")[-1].lower(), request.method
    if what == "health" and method == "GET":
        return Response(200, {"status": "ok"})
    if what == "journal":
        if method == "GET":
            entries = journal.read(store, int(request.param("since") or 0))
            return Response(200, {"value": entries, "last": entries[-1]["index"] if entries else int(request.param("since") or 0)})
        if method == "DELETE":
            journal.clear(store)
            return Response(204)
    if what == "faults":
        if method == "GET":
            return Response(200, {"value": faults.list_rules(store)})
        if method in ("PUT", "POST"):
            rules = _rules(_json(request))
            if method == "PUT":
                faults.clear_rules(store)
            faults.add_rules(store, rules)
            return Response(200, {"value": faults.list_rules(store)})
        if method == "DELETE":
            faults.clear_rules(store)
            return Response(204)
    if what == "config":
        if method == "GET":
            return Response(200, config.settings_to_dict(config.effective(store, base)))
        if method in ("PUT", "POST", "PATCH"):
            data = _json(request)
            if not isinstance(data, dict):
                raise ArmError(400, "InvalidConfig", "send a JSON object")
            try:
                return Response(200, config.settings_to_dict(config.update(store, base, data)))
            except (TypeError, ValueError) as err:
                raise ArmError(400, "InvalidConfig", str(err)) from err
    if what == "throttle":
        if method == "GET":
            return Response(200, throttle.current(store))
        if method in ("PUT", "POST", "DELETE"):
            try:
                throttle.configure(store, None if method == "DELETE" else (_json(request) or {}))
            except (TypeError, ValueError) as err:
                raise ArmError(400, "InvalidThrottle", str(err)) from err
            return Response(200, throttle.current(store))
    if what == "resourcegraph" and method in ("PUT", "DELETE"):
        # Resource Graph lag: PUT freezes its index as ARM has it now, DELETE thaws it (arm/index.py).
        from aksnet.emulator.arm import index

        if method == "DELETE":
            index.freeze(store, None)
            return Response(200, {"frozen": False, "rows": 0})
        with store.read(config.effective(store, base), request.base_url) as txn:
            rows = index.live_rows(txn)
        return Response(200, {"frozen": True, "rows": index.freeze(store, rows)})
    if what == "reset" and method == "POST":
        store.wipe()
        return Response(204)
    raise ArmError(404, "NotFound", f"no admin endpoint {method} {request.path}")
