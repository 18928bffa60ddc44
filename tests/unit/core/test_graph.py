"""The dependency closure the planner and the applier both order by."""

from __future__ import annotations

from dataclasses import dataclass

from aksnet.core.graph import dependency_closure


@dataclass(frozen=True)
class Node:
    depends_on: frozenset[str] = frozenset()


def test_closure_is_transitive_and_ignores_ids_outside_the_map() -> None:
    nodes = {
        "rg": Node(),
        "vnet": Node(frozenset({"rg"})),
        "cluster": Node(frozenset({"vnet", "rg", "/elsewhere/not-planned"})),
        "grant": Node(frozenset({"cluster"})),
    }
    closure = dependency_closure(nodes)
    assert closure == {"rg": set(), "vnet": {"rg"}, "cluster": {"vnet", "rg"}, "grant": {"cluster", "vnet", "rg"}}


def test_a_cycle_terminates() -> None:
    closure = dependency_closure({"a": Node(frozenset({"b"})), "b": Node(frozenset({"a"}))})
    assert closure["a"] >= {"b"}
    assert closure["b"] >= {"a"}
