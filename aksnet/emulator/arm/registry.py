"""The resource kinds the emulator serves, by ARM type.

Each package under `aksnet.emulator.providers` is one ARM namespace and exposes
`KINDS: tuple[Kind, ...]`, and may export `ROUTES` (arm/routing.py) for paths that are not plain
resources; packages are discovered, so adding a namespace edits nothing here nor in the router.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from types import ModuleType

from aksnet.emulator import providers as provider_root  # the namespace packages' parent (imports none)
from aksnet.emulator.arm.contract import Body, Kind, Txn
from aksnet.emulator.arm.ids import parse_any


def provider_packages() -> list[ModuleType]:
    """Every ARM namespace package under `aksnet.emulator.providers`, in name order."""
    return [importlib.import_module(f"{provider_root.__name__}.{info.name}")
            for info in sorted(pkgutil.iter_modules(provider_root.__path__), key=lambda i: i.name) if info.ispkg]


@cache
def kinds() -> dict[str, Kind]:
    """ARM type (lower-cased) -> kind."""
    table: dict[str, Kind] = {}
    for package in provider_packages():
        for kind in package.KINDS:
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
