"""Editors check specs out of the box: every spec in the repository and every spec example in the docs
starts with a `# yaml-language-server: $schema=...` modeline (the syntax of the YAML language server
behind VS Code's YAML extension, https://github.com/redhat-developer/yaml-language-server#using-inlined-schema)
that names the schema: a relative path to the schema file in this repository, or the schema's $id."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from paths import REPO

from aksnet.cli.cmd_schema import modeline
from aksnet.cli.discovery import looks_like_spec
from aksnet.spec.schema import SCHEMA_PATH

PREFIX = "# yaml-language-server: $schema="
SCHEMA_ID = json.loads(SCHEMA_PATH.read_text())["$id"]
REPO_SPECS = sorted(p for folder in ("specs", "examples") for p in (REPO / folder).rglob("*.y*ml") if looks_like_spec(p))


@pytest.mark.parametrize("spec", REPO_SPECS, ids=lambda p: str(p.relative_to(REPO)))
def test_repository_specs_start_with_a_modeline_to_the_schema_file(spec: Path) -> None:
    first = spec.read_text().splitlines()[0]
    assert first.startswith(PREFIX), f"{spec}: first line must be {PREFIX}<path to schemas/...>"
    target = (spec.parent / first.removeprefix(PREFIX)).resolve()
    assert target.is_file() and target.read_bytes() == SCHEMA_PATH.read_bytes()


def _yaml_blocks(markdown: str) -> list[str]:
    return re.findall(r"```ya?ml\n(.*?)```", markdown, flags=re.DOTALL)


def test_spec_examples_in_the_docs_start_with_the_schema_id_modeline() -> None:
    pages = [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]
    examples = [(page, block) for page in pages if page.exists() for block in _yaml_blocks(page.read_text())
                if re.search(r"^apiVersion: aksnet/", block, flags=re.MULTILINE)]
    assert examples, "the docs show at least one spec"
    for page, block in examples:
        assert block.startswith(PREFIX + SCHEMA_ID + "\n"), f"{page.relative_to(REPO)}: {block[:60]!r}"


def test_the_modeline_aksnet_prints_names_the_schema_id() -> None:
    assert modeline() == PREFIX + SCHEMA_ID
