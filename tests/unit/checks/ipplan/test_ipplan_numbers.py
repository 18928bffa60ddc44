"""Planner numbers on the walkthrough specs (specs/) and edited copies."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from paths import REPO

from aksnet.checks.ipplan import compare, plan
from aksnet.render.ipplan_svg import render_svg
from aksnet.spec.load import load_spec
from aksnet.spec.types import Spec

ROOT = REPO
SPECS = ROOT / "specs"


def spec(name: str) -> Spec:
    return load_spec(str(SPECS / f"{name}.yaml"))


def limits(p: object) -> dict[str, int]:
    return {limit.name: limit.max_nodes for limit in p.limits}  # type: ignore[attr-defined]


def test_kubenet_pod_cidr_limits_to_255() -> None:
    p = plan(spec("kubenet"))
    assert limits(p)["pod CIDR"] == 255  # 256 /24 slots minus the surge node
    assert limits(p)["route limit"] == 400
    assert p.max_nodes == 255 and [lim.name for lim in p.limited_by] == ["pod CIDR"]
    assert p.headroom_nodes == 253
    node = p.node_subnet
    assert (node.size, node.reserved, node.usable, node.used) == (65536, 5, 65531, 3)


def test_cni_subnet_limit_and_pool_limit() -> None:
    p = plan(spec("azure-cni"))
    assert p.max_pods == 30 and p.ips_per_node == 31
    assert limits(p)["node subnet"] == 65531 // 31 - 1  # 2113 slots, minus the surge node
    assert limits(p)["pool limit"] == 999
    assert p.max_nodes == 999 and p.limited_by[0].name == "pool limit"
    assert p.node_subnet.used == 3 * 31


def test_overlay_pod_cidr_256_slots() -> None:
    p = plan(spec("azure-cni-overlay"))
    assert p.pod_cidr is not None and p.pod_cidr.size // 256 == 256
    assert limits(p)["pod CIDR"] == 255 and p.max_nodes == 255


def test_cni_small_subnet_is_the_limit() -> None:
    s = spec("azure-cni")
    small = replace(s, virtual_network=replace(s.virtual_network, subnets=(
        replace(s.virtual_network.subnets[0], address_prefix="10.100.0.0/24"),)))
    p = plan(small)
    assert p.max_nodes == 7 and p.limited_by[0].name == "node subnet"  # (7 + 1) x 31 = 248 <= 251


def test_percentage_surge_grows_with_n() -> None:
    s = spec("azure-cni-overlay")
    s = replace(s, cluster=replace(s.cluster, node_pool=replace(s.cluster.node_pool, max_surge="50%")))
    p = plan(s)
    assert p.max_nodes == 170  # 170 + ceil(85) = 255 <= 256; 171 + 86 = 257


def test_compare_three_plugins() -> None:
    plans = compare(spec("kubenet"))
    assert [p.plugin for p in plans] == ["kubenet", "azure", "overlay"]
    assert [p.max_nodes for p in plans] == [255, 999, 255]
    assert [p.vnet_ips_used for p in plans] == [3, 93, 3]


@pytest.mark.parametrize("name", ["kubenet", "azure-cni", "azure-cni-overlay"])
def test_svg_is_well_formed_and_labelled(name: str) -> None:
    s = spec(name)
    svg = render_svg(s, plan(s))
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    text = "".join(root.itertext())
    assert "10.100.0.0/16" in text and "10.32.0.0/16" in text and "Max nodes" in text


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "aksnet", "ipplan", *args], capture_output=True, text=True,
                          cwd=ROOT, check=False)


def test_cli_json_is_one_document() -> None:
    result = run_cli("-o", "json", "specs/kubenet.yaml")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["plugin"] == "kubenet" and doc["maxNodes"] == 255 and doc["limitedBy"] == "pod CIDR"
    assert isinstance(doc["maxNodes"], int)
    assert doc["subnets"] == [{"name": "aks-subnet", "prefix": "10.100.0.0/16", "size": 65536, "reserved": 5,
                               "usable": 65531, "used": 3, "free": 65528, "role": "nodes"}]


def test_cli_compare_and_svg(tmp_path: Path) -> None:
    out = tmp_path / "plan.svg"
    result = run_cli("--compare", "--svg", str(out), "specs/azure-cni.yaml")
    assert result.returncode == 0, result.stderr
    assert "Azure CNI Overlay" in result.stdout and "Max nodes: 999" in result.stdout
    assert out.read_text().startswith("<svg")
    doc = json.loads(run_cli("--compare", "-o", "json", "specs/azure-cni.yaml").stdout)
    assert [p["maxNodes"] for p in doc["compare"]] == [255, 999, 255]


def test_cli_bad_spec_is_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("apiVersion: aksnet/v1\nkind: [\n")
    result = run_cli(str(bad))
    assert result.returncode == 1 and "Traceback" not in result.stderr
