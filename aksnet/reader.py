"""Live state: one GET per managed resource, concurrently, 404 meaning absent (issue 4 item 3).

The kubenet case needs no extra read: the VNet GET already carries each subnet's route table id,
which is how the diff recognises AKS's own route table. Concurrency is bounded here, and every GET
also takes a token from the subscription's shared bucket (`aksnet.ratelimit`).
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

from aksnet.model import Live

DEFAULT_READ_CONCURRENCY = 8


class Getter(Protocol):
    def get(self, rid: str) -> dict[str, Any] | None: ...


def to_live(rid: str, body: dict[str, Any] | None) -> Live | None:
    if body is None:
        return None
    etag = body.get("etag") or body.get("eTag")
    return Live(id=rid, body=body, etag=str(etag) if etag else None)


def read_live(api: Getter, ids: Iterable[str], *, concurrency: int = DEFAULT_READ_CONCURRENCY) -> dict[str, Live | None]:
    """id -> Live (None when absent) for every id, keyed as given; the first error is raised."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    with ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(wanted))),
                            thread_name_prefix="aksnet-read") as pool:
        bodies = list(pool.map(api.get, wanted))
    return {rid: to_live(rid, body) for rid, body in zip(wanted, bodies, strict=True)}
