"""List responses in pages, as ARM sends them: `{"value": [...], "nextLink": "<same URL>&$skiptoken=..."}`.

ARM list operations return a page of results and a `nextLink` to follow until it is absent; the
link is the same request with an opaque `$skiptoken` (Azure REST API guidelines, "Collections":
https://github.com/microsoft/api-guidelines/blob/vNext/azure/Guidelines.md#collections, and e.g.
the Network RP's VirtualNetworkListResult in github.com/Azure/azure-rest-api-specs). The emulator's
token is the offset of the next row, encoded so clients treat it as opaque; the SDKs follow it.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Sequence
from urllib.parse import quote

from aksnet.emulator.arm.contract import ArmError, Body
from aksnet.emulator.arm.http import Request, Response

# Rows per page. ARM's resource providers choose their own page sizes; 100 keeps a fleet's list reads
# paged (so clients must follow nextLink) without making them chatty. AKSNET_EMULATOR_PAGE_SIZE
# changes it for a test of paging.
DEFAULT_PAGE_SIZE = 100
SKIP_TOKEN = "$skiptoken"


def page_size() -> int:
    text = os.environ.get("AKSNET_EMULATOR_PAGE_SIZE")
    try:
        return max(1, int(text)) if text else DEFAULT_PAGE_SIZE
    except ValueError:
        return DEFAULT_PAGE_SIZE


def encode_offset(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode().rstrip("=")


def decode_offset(token: str | None) -> int:
    if not token:
        return 0
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        kind, _, number = text.partition(":")
        if kind == "offset" and number.isdigit():
            return int(number)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise ArmError(400, "InvalidSkipToken", f"The skip token '{token}' is invalid.")


def next_link(request: Request, offset: int) -> str:
    query = [(k, v) for k, v in request.query.items() if k.lower() != SKIP_TOKEN]
    query.append((SKIP_TOKEN, encode_offset(offset)))
    text = "&".join(f"{quote(k, safe='$')}={quote(v, safe='')}" for k, v in query)
    return f"{request.base_url}{request.path}?{text}"


def paged(request: Request, rows: Sequence[Body], *, size: int | None = None) -> Response:
    """The page of `rows` the request's `$skiptoken` points at, with a nextLink when more follow."""
    limit = size or page_size()
    start = decode_offset(request.param(SKIP_TOKEN))
    body: Body = {"value": list(rows[start:start + limit])}
    if start + limit < len(rows):
        body["nextLink"] = next_link(request, start + limit)
    return Response(200, body)
