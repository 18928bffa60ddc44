"""The resource kinds the emulator serves, by ARM type.

Each provider module exposes `KINDS: tuple[Kind, ...]`. To add a provider module, add its module
name below (one line); nothing else in the framework changes.
"""

from __future__ import annotations

import importlib
from functools import cache

from aksnet.emulator.arm import parse_any
from aksnet.emulator.kinds import Body, Kind, Txn

PROVIDER_MODULES: tuple[str, ...] = (
    "resource_groups",
    "role_assignments",
    "network_kinds",
    "managed_clusters",
)


@cache
def kinds() -> dict[str, Kind]:
    """ARM type (lower-cased) -> kind."""
    table: dict[str, Kind] = {}
    for name in PROVIDER_MODULES:
        module = importlib.import_module(f"aksnet.emulator.providers.{name}")
        for kind in module.KINDS:
            table[kind.type.lower()] = kind
    return table


def kind_for(arm_type: str) -> Kind | None:
    return kinds().get(arm_type.lower())


def namespaces() -> set[str]:
    return {t.split("/", 1)[0] for t in kinds()}


def view(txn: Txn, resource_id: str, stored: Body) -> Body:
    """What a GET shows: the kind's view of the stored row (rows of unmodelled types as stored)."""
    rid = parse_any(resource_id)
    kind = kind_for(rid.type)
    return kind.view(txn, rid, stored) if kind else stored
