"""Golden renderings: tests/cases/<name>/{spec.yaml, live.json} -> plan.txt, plan.json, plan.md.

`UPDATE_GOLDEN=1 pytest tests/unit/core/test_golden.py` rewrites the expected files; review the
git diff before committing them."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from paths import REPO

from aksnet.core.desired import desired_state
from aksnet.core.plan import build_plan
from aksnet.model import Live
from aksnet.render.json import plan_document, plan_from_document
from aksnet.render.markdown import render_plan_markdown
from aksnet.render.text import render_plan
from aksnet.spec.load import load_spec_text

ROOT = REPO
CASES = sorted(p.name for p in (ROOT / "tests" / "cases").iterdir() if (p / "spec.yaml").exists())
SUB = "00000000-0000-0000-0000-000000000000"


def _check(path: Path, actual: str) -> None:
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(actual)
    assert path.exists(), f"{path} missing: run with UPDATE_GOLDEN=1"
    assert actual == path.read_text(), f"{path} differs (UPDATE_GOLDEN=1 rewrites it)"


@pytest.mark.parametrize("name", CASES)
def test_golden_renderings(name: str) -> None:
    case = ROOT / "tests" / "cases" / name
    spec = load_spec_text((case / "spec.yaml").read_bytes(), f"tests/cases/{name}/spec.yaml")
    raw = json.loads((case / "live.json").read_text())
    live = {rid: None if body is None else Live(rid, body) for rid, body in raw.items()}
    plan = build_plan(desired_state(spec, SUB), live, spec=spec, subscription=SUB)
    document = plan_document(plan)
    assert plan_from_document(json.loads(json.dumps(document))) == plan
    _check(case / "plan.txt", render_plan(plan))
    _check(case / "plan.json", json.dumps(document, indent=2) + "\n")
    _check(case / "plan.md", render_plan_markdown(plan))
    assert "\x1b[" not in render_plan(plan) and "\x1b[" in render_plan(plan, color=True) or plan.is_empty


def test_every_case_has_its_goldens() -> None:
    assert len(CASES) >= 6
    for name in CASES:
        for file in ("live.json", "plan.txt", "plan.json", "plan.md"):
            assert (ROOT / "tests" / "cases" / name / file).exists(), f"{name}/{file}"
