"""Editors complete and explain every field: each property of the JSON Schema has a description, the
`$id` is the raw URL of the file at this version's tag, and examples/defaults are valid values."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator
from typing import Any

from jsonschema import Draft202012Validator
from paths import REPO

from aksnet import __version__
from aksnet.spec.schema import SCHEMA_PATH


def _properties(node: Any, where: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    """(JSON pointer, schema) of every property declared anywhere in the schema. A condition (`if`, `not`)
    only tests values: the properties it names are declared elsewhere."""
    if isinstance(node, dict):
        for name, child in (node.get("properties") or {}).items():
            yield f"{where}/properties/{name}", child
        for key, value in node.items():
            if key not in ("if", "not"):
                yield from _properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _properties(value, f"{where}/{index}")


def test_every_property_has_a_description() -> None:
    schema = json.loads(SCHEMA_PATH.read_text())
    found = list(_properties(schema))
    assert len(found) > 40  # the walk reaches into $defs
    missing = [where for where, child in found if not str(child.get("description", "")).strip()]
    assert missing == [], "add a description to: " + ", ".join(missing)


def test_examples_and_defaults_are_valid_values_of_their_property() -> None:
    schema = json.loads(SCHEMA_PATH.read_text())
    checked = 0
    for where, child in _properties(schema):
        samples = list(child.get("examples", [])) + ([child["default"]] if "default" in child else [])
        for sample in samples:
            # the property's own schema, resolved against the whole document ($refs into $defs)
            validator = Draft202012Validator({**child, "$defs": schema["$defs"]})
            assert not list(validator.iter_errors(sample)), f"{where}: {sample!r}"
            checked += 1
    assert checked > 20


def test_id_is_the_raw_url_of_this_file_at_the_version_tag() -> None:
    schema = json.loads(SCHEMA_PATH.read_text())
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    repository = project["urls"]["Repository"]
    match = re.fullmatch(r"https://github\.com/([^/]+/[^/]+)", repository)
    assert match, repository
    expected = (f"https://raw.githubusercontent.com/{match.group(1)}/v{__version__}/"
                f"{SCHEMA_PATH.relative_to(REPO).as_posix()}")
    assert schema["$id"] == expected


def test_aksnet_schema_prints_the_shipped_schema_its_path_and_url() -> None:
    import subprocess
    import sys

    def run(*argv: str) -> str:
        done = subprocess.run([sys.executable, "-m", "aksnet", "schema", *argv], capture_output=True, text=True,
                              check=True, timeout=60)
        return done.stdout

    assert json.loads(run()) == json.loads(SCHEMA_PATH.read_text())
    assert run("--path").strip() == str(SCHEMA_PATH)
    assert run("--url").strip() == json.loads(SCHEMA_PATH.read_text())["$id"]
    assert run("--modeline").strip() == "# yaml-language-server: $schema=" + run("--url").strip()
