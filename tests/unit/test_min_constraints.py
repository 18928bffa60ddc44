"""constraints/min.txt (what `make test-min` installs) pins every runtime dependency at the floor
pyproject.toml declares, and is regenerated whenever a floor changes."""

from __future__ import annotations

import importlib.util
import tomllib

from paths import REPO

_spec = importlib.util.spec_from_file_location("min_constraints", REPO / "scripts" / "min_constraints.py")
assert _spec is not None and _spec.loader is not None
min_constraints = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(min_constraints)


def test_committed_constraints_match_pyproject_floors() -> None:
    assert (REPO / "constraints" / "min.txt").read_text() == min_constraints.render(), \
        "constraints/min.txt is stale: run python scripts/min_constraints.py"


def test_every_runtime_dependency_has_a_floor_pinned() -> None:
    declared = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    pinned = dict(min_constraints.floors())
    assert len(pinned) == len(declared)
    assert pinned["azure-mgmt-containerservice"] == "32" and pinned["azure-mgmt-resource"] == "23"
