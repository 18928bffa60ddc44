"""The import contracts in pyproject.toml catch a wrong import anywhere: the real tree keeps them, and a copy
of the package with one deliberate violation per contract fails `lint-imports`, naming the import."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from paths import REPO

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

# (module in the copy, the import appended to it, what lint-imports reports, the contract it breaks)
VIOLATIONS = [
    ("aksnet/core/graph.py", "aksnet.live.applier", "aksnet.live.applier", "the pure core imports the live layer"),
    ("aksnet/emulator/arm/ids.py", "aksnet.core.plan", "aksnet.core.plan",
     "the sealed emulator imports aksnet outside itself"),
    ("aksnet/emulator/arm/store.py", "aksnet.emulator.control.faults", "aksnet.emulator.control.faults",
     "the ARM engine imports the control plane"),
    ("aksnet/spec/load.py", "azure.core", "azure", "a module outside aksnet.live.azure imports the Azure SDK"),
]


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    # PYTHONPATH first: the copy's `aksnet` shadows the editable install of the real one.
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=root, env=env, capture_output=True, text=True,
                          timeout=120)


def test_the_real_tree_keeps_every_contract() -> None:
    done = _lint_imports(REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    assert " 0 broken" in done.stdout


@pytest.fixture(scope="module")
def broken_copy(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    root = tmp_path_factory.mktemp("contracts")
    shutil.copytree(REPO / "aksnet", root / "aksnet", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    for module, imported, _, _ in VIOLATIONS:
        with (root / module).open("a") as handle:
            handle.write(f"\nimport {imported}  # deliberate contract violation\n")
    return _lint_imports(root)


@pytest.mark.parametrize(("module", "imported", "reported", "why"), VIOLATIONS, ids=[v[3] for v in VIOLATIONS])
def test_a_deliberate_wrong_import_fails_lint_imports(broken_copy: subprocess.CompletedProcess[str], module: str,
                                                      imported: str, reported: str, why: str) -> None:
    assert broken_copy.returncode != 0
    importer = module.removesuffix(".py").replace("/", ".")
    report = " ".join(broken_copy.stdout.split())  # the report wraps long lines
    assert f"{importer} -> {reported} (l." in report, f"{why}: not reported\n{broken_copy.stdout}"
