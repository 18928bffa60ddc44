"""The wheel `pipx install` / `pip install` would get: built from this tree, it carries the JSON Schema
and the hooks' entry point, installs into a fresh virtualenv and runs `aksnet validate` there, outside the
repository (so nothing is imported from the work tree)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from paths import REPO

pytestmark = pytest.mark.e2e


def _run(argv: list[str], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def test_the_wheel_carries_the_schema_and_runs_from_an_isolated_venv(tmp_path: Path) -> None:
    source = tmp_path / "src"  # a copy, so the build leaves no build/ or egg-info in the work tree
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(".venv*", ".git", "*.egg-info", "build", "dist",
                                                                 ".aksnet", "__pycache__", ".*_cache"))
    built = _run([sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path / "dist"),
                  str(source)], tmp_path)
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    [wheel] = (tmp_path / "dist").glob("aksnet-*-py3-none-any.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = next(archive.read(n).decode() for n in names if n.endswith(".dist-info/METADATA"))
        entry_points = next(archive.read(n).decode() for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "aksnet/schemas/clusternetwork.v1.json" in names
    assert "aksnet/py.typed" in names
    assert not any(n.startswith(("tests/", "specs/", "schemas/")) for n in names)
    assert "aksnet = aksnet.cli.main:main" in entry_points
    assert "Requires-Python: >=3.11" in metadata and "Operating System :: MacOS" in metadata

    venv = tmp_path / "venv"
    assert _run([sys.executable, "-m", "venv", str(venv)], tmp_path).returncode == 0
    installed = _run([str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", str(wheel)],
                     tmp_path)
    assert installed.returncode == 0, installed.stderr[-3000:]

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(REPO / "specs" / "azure-cni-overlay.yaml", elsewhere / "network.yaml")
    aksnet = str(venv / "bin" / "aksnet")
    validated = _run([aksnet, "validate", "network.yaml"], elsewhere)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "1 spec checked: 0 errors" in validated.stdout
    schema_path = Path(_run([aksnet, "schema", "--path"], elsewhere).stdout.strip())
    assert schema_path.is_file() and venv in schema_path.parents  # the shipped copy, not the work tree's
    completion = _run([aksnet, "completion", "bash"], elsewhere)
    assert completion.returncode == 0 and "complete -o bashdefault -F _shtab_aksnet aksnet" in completion.stdout
