"""Drift classification, exit codes, shards and the four renderings (pure)."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import pytest

from aksnet.core.drift import DriftReport, DriftStatus, classify, shard, spec_drift
from aksnet.ids import Kind
from aksnet.model import Action, Change, FieldChange, Plan
from aksnet.render.drift import render_json, render_junit, render_markdown, render_text

NSG_ID = "/subscriptions/s/resourceGroups/aks-rg/providers/Microsoft.Network/networkSecurityGroups/aks-nsg"
AKS_ID = "/subscriptions/s/resourceGroups/aks-rg/providers/Microsoft.ContainerService/managedClusters/aks"


def _plan(*changes: Change) -> Plan:
    return Plan(changes=changes, waves=(), fingerprints={}, spec_hash="h", subscription="s",
                spec_path="specs/a.yaml")


def _noop() -> Change:
    return Change(id=NSG_ID, kind=Kind.NSG, name="aks-nsg", action=Action.NOOP)


def _drifted() -> Change:
    field = FieldChange(("properties", "apiServerAccessProfile", "authorizedIPRanges"),
                        before=["0.0.0.0/0"], after=["39.100.100.100/32"])
    return Change(id=AKS_ID, kind=Kind.CLUSTER, name="aks", action=Action.UPDATE, fields=(field,))


def test_classify() -> None:
    assert classify(_noop()) is DriftStatus.IN_SYNC
    assert classify(_drifted()) is DriftStatus.DRIFTED
    assert classify(Change(id=AKS_ID, kind=Kind.CLUSTER, name="aks", action=Action.CREATE)) is DriftStatus.MISSING
    child = Change(id=NSG_ID + "/securityRules/x", kind=Kind.NSG, name="aks-nsg/x", action=Action.DELETE,
                   parent=NSG_ID)
    assert classify(child) is DriftStatus.DRIFTED


def test_in_sync_report_exits_zero() -> None:
    report = DriftReport(specs=(spec_drift(_plan(_noop()), spec_name="a"),))
    assert report.exit_code == 0
    assert report.footer() == "Checked 1 resource in 1 spec: 1 in sync, 0 drifted, 0 missing"
    assert "in sync (1 resource)" in render_text(report)


def test_footer_keeps_the_plural_shape_of_the_issue() -> None:
    specs = (spec_drift(_plan(_noop(), _drifted()), spec_name="a"), spec_drift(_plan(_noop()), spec_name="b"),
             spec_drift(_plan(), spec_name="c"))
    report = DriftReport(specs=specs, errors=(("x.yaml", "boom"), ("y.yaml", "boom")))
    assert report.footer() == ("Checked 3 resources in 3 specs: 2 in sync, 1 drifted, 0 missing; "
                               "2 specs could not be checked")


def test_drift_exits_two_and_error_exits_one() -> None:
    drifted = DriftReport(specs=(spec_drift(_plan(_noop(), _drifted()), spec_name="a"),))
    assert drifted.exit_code == 2
    assert DriftReport(specs=drifted.specs, errors=(("b.yaml", "boom"),)).exit_code == 1


def test_renderings_name_the_drifted_resource() -> None:
    report = DriftReport(specs=(spec_drift(_plan(_noop(), _drifted()), spec_name="a"),))
    text = render_text(report)
    assert "Objects have changed outside of aksnet" in text
    assert "# aks.aks has changed" in text
    assert '39.100.100.100/32' in text and '0.0.0.0/0' in text
    assert text.rstrip().endswith("1 in sync, 1 drifted, 0 missing")
    doc = json.loads(render_json(report))
    assert doc["result"] == "drift" and doc["summary"]["drifted"] == 1
    assert doc["specs"][0]["resource_drift"][1]["fields"][0]["expected"] == ["39.100.100.100/32"]
    assert "| `specs/a.yaml` | `aks.aks` | drifted |" in render_markdown(report)
    junit = ET.fromstring(render_junit(report))
    cases = junit.findall(".//testcase")
    assert [c.get("name") for c in cases] == ["nsg.aks-nsg", "aks.aks"]
    assert cases[0].find("failure") is None and cases[1].find("failure") is not None


def test_shards_partition_deterministically() -> None:
    paths = [f"specs/team-{i}.yaml" for i in range(20)]
    parts = [shard(paths, k, 3) for k in (1, 2, 3)]
    assert sorted(p for part in parts for p in part) == sorted(paths)
    assert shard(list(reversed(paths)), 2, 3) == parts[1]
    with pytest.raises(ValueError):
        shard(paths, 4, 3)
