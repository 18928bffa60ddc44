"""The request and response values the pipeline passes around (no sockets here)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aksnet.emulator.arm.contract import ArmError, Body
from aksnet.emulator.arm.errors import invalid_request_content


@dataclass(slots=True)
class Request:
    method: str
    path: str  # without the query string, repeated slashes collapsed ("/x//y" from az's base URL + "/...")
    query: Mapping[str, str]  # first value of each parameter; keys as sent
    headers: Mapping[str, str]  # lower-cased names
    body: bytes
    base_url: str  # "https://127.0.0.1:PORT" as the client reached the emulator (its Host header)

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def param(self, name: str) -> str | None:
        """A query parameter by case-insensitive name (ARM query names are case-insensitive)."""
        for key, value in self.query.items():
            if key.lower() == name.lower():
                return value
        return None

    @property
    def api_version(self) -> str | None:
        return self.param("api-version")

    def json_object(self) -> Body:
        """The body as a JSON object, or the ARM error for unreadable content."""
        try:
            value: Any = json.loads(self.body or b"null")
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise invalid_request_content(
                f"The request content was invalid and could not be deserialized: '{err}'.") from err
        if not isinstance(value, dict):
            raise invalid_request_content(
                "The request content was invalid and could not be deserialized: a JSON object is required.")
        return value


@dataclass(slots=True)
class Response:
    status: int
    body: Any = None  # dict/list -> JSON; bytes -> as is; None -> empty
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False  # close the connection without answering (fault injection)

    def encoded(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        return json.dumps(self.body).encode()


def error_response(err: ArmError) -> Response:
    """ARM error body `{"error": {"code", "message", "details"}}` (https://github.com/Azure/azure-resource-manager-rpc/blob/master/v1.0/common-api-details.md)."""
    headers = {"x-ms-failure-cause": "gateway"} if err.status == 404 else {}
    if err.retry_after is not None:  # only on retryable errors: the SDK retries any >=400 with it, https://github.com/Azure/azure-sdk-for-python/blob/main/sdk/core/azure-core/azure/core/pipeline/policies/_retry.py
        headers["Retry-After"] = str(err.retry_after)
    return Response(err.status, err.body(), headers)
