"""Distribution: the wheel carries the JSON Schema and the entry point, and `pipx install` from a git tag
(the README's install line) gives a working `aksnet` in its own virtualenv, run outside the repository (so
nothing is imported from the work tree)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from paths import REPO

from aksnet import __version__ as version

pytestmark = pytest.mark.e2e


def _run(argv: list[str], cwd: Path, timeout: float = 600,
         extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(extra_env or {})
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def test_the_wheel_carries_the_schema_and_pipx_installs_a_tag(tmp_path: Path) -> None:
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

    # `pipx install git+<repository>@<tag>`, the README's install line, from a tagged clone of this
    # repository (a file:// URL: the same pip/git path as GitHub's, without the network)
    clone = tmp_path / "clone"
    assert _run(["git", "clone", "-q", str(REPO), str(clone)], tmp_path).returncode == 0
    assert _run(["git", "-C", str(clone), "tag", f"v{version}"], tmp_path).returncode == 0
    pipx_env = {"PIPX_HOME": str(tmp_path / "pipx"), "PIPX_BIN_DIR": str(tmp_path / "bin")}
    installed = _run([sys.executable, "-m", "pipx", "install", f"git+file://{clone}@v{version}"], tmp_path,
                     extra_env=pipx_env)
    assert installed.returncode == 0, installed.stdout[-2000:] + installed.stderr[-3000:]

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(REPO / "specs" / "azure-cni-overlay.yaml", elsewhere / "network.yaml")
    aksnet = str(tmp_path / "bin" / "aksnet")
    validated = _run([aksnet, "validate", "network.yaml"], elsewhere)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "1 spec checked: 0 errors" in validated.stdout
    assert _run([aksnet, "--version"], elsewhere).stdout.strip() == f"aksnet {version}"
    schema_path = Path(_run([aksnet, "schema", "--path"], elsewhere).stdout.strip())
    assert schema_path.is_file() and (tmp_path / "pipx") in schema_path.parents  # the shipped copy
    completion = _run([aksnet, "completion", "bash"], elsewhere)
    assert completion.returncode == 0 and "complete -o bashdefault -F _shtab_aksnet aksnet" in completion.stdout
