"""The IP-plan SVG never clips a label: the picture is as wide as its longest label (estimated from the
text, never narrower than the face it falls back to), and keeps its usual width when labels fit."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from paths import REPO

from aksnet.checks.ipplan import plan
from aksnet.render.ipplan_svg import WIDTH, render_svg, text_extents, text_width
from aksnet.spec.load import load_spec


def _svg(tmp_path: Path, *replacements: tuple[str, str]) -> str:
    text = (REPO / "specs" / "azure-cni.yaml").read_text()
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "spec.yaml"
    path.write_text(text)
    spec = load_spec(str(path))
    return render_svg(spec, plan(spec))


def _view_box(svg: str) -> tuple[float, float]:
    match = re.search(r"viewBox='(-?[\d.]+) 0 ([\d.]+) ", svg)
    assert match
    return float(match.group(1)), float(match.group(2))


def test_long_names_widen_the_picture_instead_of_being_cut(tmp_path: Path) -> None:
    long_subnet = "aks-node-subnet-for-the-payments-platform-in-east-us-production-zone-redundant"
    long_vnet = "vnet-shared-hub-spoke-payments-platform-production-eastus-001"
    svg = _svg(tmp_path, ("aks-subnet", long_subnet), ("vNet_aks_useast", long_vnet))
    assert long_subnet in svg and long_vnet in svg
    left, width = _view_box(svg)
    assert width > WIDTH or left < 0  # the picture grew
    parts = svg.split("\n")
    extents = text_extents(parts)
    assert len(extents) > 20
    for start, end in extents:
        assert left <= start and end <= left + width, (start, end, left, width)


def test_every_label_of_the_walkthrough_spec_is_inside_the_picture(tmp_path: Path) -> None:
    svg = _svg(tmp_path)
    left, width = _view_box(svg)
    assert left == 0 and width >= WIDTH
    assert all(left <= start and end <= left + width for start, end in text_extents(svg.split("\n")))


def test_the_width_estimate_grows_with_the_text_and_the_weight() -> None:
    assert text_width("MW", 12) > text_width("il", 12) > 0
    assert text_width("subnet", 11, "bold") > text_width("subnet", 11)
    assert text_width("x" * 40, 11) == pytest.approx(2 * text_width("x" * 20, 11))
