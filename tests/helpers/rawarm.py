"""Raw HTTPS calls to the emulator (stdlib), for what the SDK hides: status codes, headers, bodies."""

from __future__ import annotations

import json
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any


@dataclass
class RawResponse:
    status: int
    headers: dict[str, str]  # lower-cased names
    body: Any  # parsed JSON, or None when empty

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


class RawArm:
    def __init__(self, endpoint: str, ca_file: str, tenant: str = "raw-tests") -> None:
        self.endpoint = endpoint.rstrip("/")
        self._tls = ssl.create_default_context(cafile=ca_file)
        token = self.call("POST", f"/{tenant}/oauth2/v2.0/token", raw_body=b"client_id=raw&client_secret=x"
                          b"&grant_type=client_credentials&scope=https%3A%2F%2Fmanagement.azure.com%2F.default",
                          token=False, content_type="application/x-www-form-urlencoded")
        self.token: str = token.body["access_token"]

    def call(self, method: str, path: str, body: Any = None, *, headers: dict[str, str] | None = None,
             token: bool = True, raw_body: bytes | None = None, content_type: str = "application/json") -> RawResponse:
        url = path if path.startswith("https://") else f"{self.endpoint}{path}"
        data = raw_body if raw_body is not None else (json.dumps(body).encode() if body is not None else None)
        all_headers = {"Content-Type": content_type, **(headers or {})}
        if token:
            all_headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(url, data=data, method=method, headers=all_headers)
        try:
            with urllib.request.urlopen(request, context=self._tls, timeout=30) as response:
                status, got, payload = response.status, dict(response.headers.items()), response.read()
        except urllib.error.HTTPError as err:
            status, got, payload = err.code, dict(err.headers.items()), err.read()
        return RawResponse(status, {k.lower(): v for k, v in got.items()}, json.loads(payload) if payload else None)
