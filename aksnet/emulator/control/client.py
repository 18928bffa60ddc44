"""A small client for the admin endpoints (stdlib urllib, trusting the emulator's CA). Used by tests."""

from __future__ import annotations

import json
import ssl
import urllib.request
from typing import Any


class EmulatorAdmin:
    def __init__(self, endpoint: str, ca_file: str) -> None:
        self.endpoint = endpoint.rstrip("/")
        self._tls = ssl.create_default_context(cafile=ca_file)

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self.endpoint}/_emulator/{path}", data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, context=self._tls, timeout=30) as response:
            raw = response.read()
        return json.loads(raw) if raw else None

    def journal(self, since: int = 0) -> list[dict[str, Any]]:
        """Entries after index `since`: {index, time, method, path, status, ms, clientRequestId, requestId, note}."""
        result: list[dict[str, Any]] = self._call("GET", f"journal?since={since}")["value"]
        return result

    def clear_journal(self) -> None:
        self._call("DELETE", "journal")

    def faults(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._call("GET", "faults")["value"]
        return result

    def add_fault(self, **rule: Any) -> None:
        """Add one rule: method, path (regex), times, latency_ms, status, retry_after, code, message,
        drop ("before_commit"|"after_commit"), op_outcome ("Failed"|"never"), op_duration_s, foreign_tags
        (another client's tags written right before the matching request is handled)."""
        self._call("POST", "faults", rule)

    def set_faults(self, rules: list[dict[str, Any]]) -> None:
        self._call("PUT", "faults", rules)

    def clear_faults(self) -> None:
        self._call("DELETE", "faults")

    def config(self, **changes: Any) -> dict[str, Any]:
        """Read (no arguments) or change: durations={type: s}, default_network_duration, default_aks_duration, retry_after."""
        result: dict[str, Any] = self._call("POST", "config", changes) if changes else self._call("GET", "config")
        return result

    def throttle(self, **buckets: Any) -> dict[str, Any]:
        """Switch ARM throttling on: no arguments for Azure's buckets, or e.g. reads={"bucket": 5, "refill": 1}."""
        result: dict[str, Any] = self._call("PUT", "throttle", buckets)
        return result

    def clear_throttle(self) -> None:
        self._call("DELETE", "throttle")

    def freeze_resource_graph(self) -> int:
        """Resource Graph answers from the index as it is now until `thaw_resource_graph` (its lag)."""
        result: dict[str, Any] = self._call("PUT", "resourcegraph")
        return int(result["rows"])

    def thaw_resource_graph(self) -> None:
        self._call("DELETE", "resourcegraph")

    def reset(self) -> None:
        """Wipe resources, operations, journal, faults and run-time config."""
        self._call("POST", "reset")
