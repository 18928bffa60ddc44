"""Dependency closure over resources that name what they depend on (`depends_on`), shared by the
planner (wave order) and the applier (when a step may start)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Protocol


class HasDependencies(Protocol):
    @property
    def depends_on(self) -> Collection[str]: ...


def dependency_closure(nodes: Mapping[str, HasDependencies]) -> dict[str, set[str]]:
    """Every id -> all the ids it depends on, directly or through others (only ids present in `nodes`;
    a dependency outside the map is ignored). A cycle does not loop: a node met again while it is
    being walked contributes nothing more."""
    memo: dict[str, set[str]] = {}

    def walk(rid: str) -> set[str]:
        if rid not in memo:
            memo[rid] = set()
            found: set[str] = set()
            for dep in nodes[rid].depends_on if rid in nodes else ():
                if dep in nodes:
                    found |= {dep} | walk(dep)
            memo[rid] = found
        return memo[rid]

    for rid in nodes:
        walk(rid)
    return memo
