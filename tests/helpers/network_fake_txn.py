"""A tiny in-memory `kinds.Txn` and a driver that calls network kinds the way the framework does
(put, then complete_put; check_delete, complete_delete, then removal), for fast validation tests."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

from aksnet.emulator.arm.contract import Body, Kind, Settings, parse_rid
from aksnet.emulator.providers.network import KINDS

SUB = "00000000-0000-0000-0000-000000000000"
RG = f"/subscriptions/{SUB}/resourceGroups/rg1"
NET = f"{RG}/providers/Microsoft.Network"

_BY_TYPE: dict[str, Kind] = {k.type.lower(): k for k in KINDS}


class FakeTxn:
    def __init__(self) -> None:
        self.rows: dict[str, tuple[str, Body]] = {}  # key -> (id as created, body)
        self.settings = Settings()
        self.base_url = "https://127.0.0.1:1"
        self.tenant = ""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def get(self, resource_id: str) -> Body | None:
        found = self.rows.get(resource_id.lower())
        return copy.deepcopy(found[1]) if found else None

    def put(self, resource_id: str, body: Body) -> None:
        key = resource_id.lower()
        shown = self.rows[key][0] if key in self.rows else resource_id
        self.rows[key] = (shown, copy.deepcopy(body))

    def delete(self, resource_id: str) -> None:
        key = resource_id.lower().rstrip("/")
        for k in [k for k in self.rows if k == key or k.startswith(key + "/")]:
            del self.rows[k]

    def children(self, parent_id: str, type_segment: str) -> list[Body]:
        prefix = parent_id.lower().rstrip("/") + "/" + type_segment.lower() + "/"
        return [copy.deepcopy(b) for k, (_, b) in self.rows.items()  # creation order, as the store
                if k.startswith(prefix) and "/" not in k[len(prefix):]]

    def find(self, arm_type: str, *, subscription: str | None = None, resource_group: str | None = None) -> list[Body]:
        out = []
        for shown, body in self.rows.values():
            rid = parse_rid(shown)
            if rid.type.lower() != arm_type.lower():
                continue
            if subscription and rid.subscription.lower() != subscription.lower():
                continue
            if resource_group and (rid.resource_group or "").lower() != resource_group.lower():
                continue
            out.append(copy.deepcopy(body))
        return out

    def ensure_resource_group(self, subscription: str, name: str, location: str, *, managed_by: str | None = None) -> None:
        raise NotImplementedError("network kinds never create resource groups")

    def delete_resource_group(self, subscription: str, name: str) -> None:
        raise NotImplementedError("network kinds never delete resource groups")

    def view(self, resource_id: str) -> Body | None:
        stored = self.get(resource_id)
        if stored is None:
            return None
        rid = parse_rid(self.rows[resource_id.lower()][0])
        return _BY_TYPE[rid.type.lower()].view(self, rid, stored)

    def show(self, resource_id: str) -> Body:
        shown = self.view(resource_id)
        assert shown is not None, resource_id
        return shown

    # ---- the framework's part, reduced to what the tests need ----

    def arm_put(self, resource_id: str, body: Body, *, complete: bool = True) -> Body:
        rid = parse_rid(resource_id)
        kind = _BY_TYPE[rid.type.lower()]
        row = kind.put(self, rid, self.get(resource_id), body)
        self.put(resource_id, row)
        if complete:
            self.put(resource_id, kind.complete_put(self, rid, row))
        view = self.view(resource_id)
        assert view is not None
        return view

    def arm_delete(self, resource_id: str) -> None:
        rid = parse_rid(resource_id)
        kind = _BY_TYPE[rid.type.lower()]
        existing = self.get(resource_id)
        if existing is None:
            return
        kind.check_delete(self, rid, existing)
        kind.complete_delete(self, rid, existing)
        self.delete(resource_id)

    def arm_patch(self, resource_id: str, body: Body) -> Body:
        rid = parse_rid(resource_id)
        kind = _BY_TYPE[rid.type.lower()]
        existing = self.get(resource_id)
        assert existing is not None
        self.put(resource_id, kind.patch(self, rid, existing, body))
        view = self.view(resource_id)
        assert view is not None
        return view
