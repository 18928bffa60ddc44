"""A small in-memory `Txn` for unit tests of the managed cluster kind (no server, no SQLite)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from aksnet.emulator.arm.contract import Body, Settings, parse_rid


def _type_of(resource_id: str) -> str:
    parts = [p for p in resource_id.split("/") if p]
    if len(parts) == 4 and parts[2].lower() == "resourcegroups":
        return "microsoft.resources/resourcegroups"
    return parse_rid(resource_id).type.lower()


class FakeTxn:
    def __init__(self) -> None:
        self.settings = Settings()
        self.base_url = "https://127.0.0.1:1"
        self.tenant = ""
        self.rows: dict[str, tuple[str, Body]] = {}

    def now(self) -> datetime:
        return datetime.now(UTC)

    def get(self, resource_id: str) -> Body | None:
        found = self.rows.get(resource_id.lower().rstrip("/"))
        return copy.deepcopy(found[1]) if found else None

    def put(self, resource_id: str, body: Body) -> None:
        key = resource_id.lower().rstrip("/")
        old = self.rows.get(key)
        self.rows[key] = (old[0] if old else resource_id, copy.deepcopy(body))

    def delete(self, resource_id: str) -> None:
        key = resource_id.lower().rstrip("/")
        for k in [k for k in self.rows if k == key or k.startswith(key + "/")]:
            del self.rows[k]

    def children(self, parent_id: str, type_segment: str) -> list[Body]:
        prefix = parent_id.lower().rstrip("/") + "/" + type_segment.lower() + "/"
        keys = [k for k in self.rows if k.startswith(prefix) and "/" not in k[len(prefix):]]  # creation order
        return [copy.deepcopy(self.rows[k][1]) for k in keys]

    def find(self, arm_type: str, *, subscription: str | None = None, resource_group: str | None = None) -> list[Body]:
        out = []
        for key in sorted(self.rows):
            rid_id, body = self.rows[key]
            if _type_of(rid_id) != arm_type.lower():
                continue
            parts = key.split("/")
            if subscription and parts[2] != subscription.lower():
                continue
            if resource_group and (len(parts) < 5 or parts[4] != resource_group.lower()):
                continue
            out.append(copy.deepcopy(body))
        return out

    def ensure_resource_group(self, subscription: str, name: str, location: str, *, managed_by: str | None = None) -> None:
        rg_id = f"/subscriptions/{subscription}/resourceGroups/{name}"
        if self.get(rg_id) is None:
            body: dict[str, Any] = {"id": rg_id, "name": name, "location": location,
                                    "properties": {"provisioningState": "Succeeded"}}
            if managed_by:
                body["managedBy"] = managed_by
            self.put(rg_id, body)

    def delete_resource_group(self, subscription: str, name: str) -> None:
        self.delete(f"/subscriptions/{subscription}/resourceGroups/{name}")

    def view(self, resource_id: str) -> Body | None:
        return self.get(resource_id)
