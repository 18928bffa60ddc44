"""docs/plan-and-apply.md "What apply guarantees": every test it names exists, so no guarantee is
backed by a test that was renamed or removed."""

from __future__ import annotations

import ast
import re

from paths import REPO

SECTION = re.compile(r"^## What apply guarantees\n(.*?)(?=^## )", re.MULTILINE | re.DOTALL)
REFERENCE = re.compile(r"`((?:tests/[\w/]+\.py)?)(?:::(\w+))?`")


def _tests_in(path: str) -> set[str]:
    tree = ast.parse((REPO / path).read_text())
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")}


def test_every_guarantee_names_a_test_that_exists() -> None:
    found = SECTION.search((REPO / "docs" / "plan-and-apply.md").read_text())
    assert found, "the section is missing"
    rows = [line for line in found.group(1).splitlines() if line.startswith("| ") and "tests/" in line]
    assert len(rows) >= 10
    for row in rows:
        current = ""
        for path, name in REFERENCE.findall(row.split("|")[2]):
            current = path or current
            assert (REPO / current).is_file(), row
            if name:
                assert name in _tests_in(current), f"{current}::{name} does not exist"
