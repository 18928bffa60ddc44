"""`aksnet apply` of many specs at once against the emulator: the specs run concurrently (their
writes interleave in the emulator's journal), one spec's failure stops only that spec, and the
summary is per spec."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from aksnet_run import aksnet_env, last_index, run_cli, writes
from fleet import build_fleet

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("aksnet_env")]
__all__ = ["aksnet_env"]
_GROUP = re.compile(r"/resourcegroups/(fleet-rg-\d+)", re.IGNORECASE)


def write_spans(admin: Any, since: int) -> dict[str, tuple[datetime, datetime]]:
    """Per resource group of the fleet: (first write, last write) as the emulator journaled them."""
    spans: dict[str, tuple[datetime, datetime]] = {}
    for entry in writes(admin, since):
        found = _GROUP.search(entry["path"])
        if not found:
            continue
        at = datetime.fromisoformat(entry["time"])
        group = found.group(1).lower()
        first, last = spans.get(group, (at, at))
        spans[group] = (min(first, at), max(last, at))
    return spans


def test_ten_specs_apply_concurrently(emulator: Any, admin: Any, tmp_path: Path) -> None:
    paths = build_fleet(tmp_path / "fleet", 10)
    since = last_index(admin)
    result = run_cli(emulator, "apply", *paths, "--auto-approve", "--parallelism", "8", "-o", "json")
    assert result.code == 0, result.stderr[-3000:]
    doc = result.json()
    assert [s["spec"] for s in doc["specs"]] == paths
    assert all(s["verified"] is True for s in doc["specs"])
    spans = write_spans(admin, since)
    assert len(spans) == 10
    # Run one after another, the specs' write spans would be disjoint and their lengths would add up
    # to less than the whole run's; applied together they overlap.
    whole = max(last for _, last in spans.values()) - min(first for first, _ in spans.values())
    summed = sum(((last - first) for first, last in spans.values()), start=whole - whole)
    assert summed > whole, (summed, whole)
    overlapping = sum(1 for a, (fa, la) in spans.items() for b, (fb, lb) in spans.items() if a < b and fa < lb and fb < la)
    assert overlapping >= 5


def test_one_specs_failure_stops_only_that_spec(emulator: Any, admin: Any, tmp_path: Path) -> None:
    paths = build_fleet(tmp_path / "fleet", 4)
    # Spec 002's NSG is refused for good (not a transient code): its cluster, which needs the
    # subnet the NSG guards, is never attempted; the three other specs converge.
    admin.add_fault(method="PUT", path="/resourceGroups/fleet-rg-002/providers/Microsoft.Network/networkSecurityGroups/",
                    status=400, code="InvalidRequestFormat", message="Cannot parse the request.")
    result = run_cli(emulator, "apply", *paths, "--auto-approve", "-o", "json")
    assert result.code == 1
    doc = result.json()
    by_spec = {s["spec"]: s for s in doc["specs"]}
    assert set(by_spec) == set(paths)
    failed = by_spec[paths[2]]
    assert "InvalidRequestFormat" in failed["error"]
    assert failed["verified"] is None
    assert any(step["status"] == "skipped" for step in failed["steps"])
    for path in (paths[0], paths[1], paths[3]):
        assert by_spec[path]["verified"] is True, by_spec[path]
        assert "error" not in by_spec[path]
    assert doc["errors"] and "1 of 4 specs failed" in doc["errors"][0]["message"]
    assert f"{paths[2]}: stopped:" in result.stderr
    assert "the other specs went on" in result.stderr
