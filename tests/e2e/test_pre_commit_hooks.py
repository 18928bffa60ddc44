"""The pre-commit hooks of .pre-commit-hooks.yaml, run by pre-commit itself (`pre-commit try-repo`, which
installs this repository into a fresh virtualenv, as a user's `pre-commit install` would) in a scratch git
repository that holds specs and other YAML."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from paths import REPO

pytestmark = pytest.mark.e2e
PRE_COMMIT = [sys.executable, "-m", "pre_commit"]


def test_the_hooks_are_declared_the_pre_commit_way() -> None:
    hooks = {hook["id"]: hook for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"aksnet-validate", "aksnet-lint"}
    for hook in hooks.values():
        assert hook["language"] == "python" and hook["files"] == r"\.ya?ml$"
        assert "--only-specs" in hook["entry"].split()


def _git(cwd: Path, *argv: str) -> None:
    subprocess.run(["git", *argv], cwd=cwd, check=True, capture_output=True, timeout=60)


def _try_repo(scratch: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1", "PRE_COMMIT_COLOR": "never"}
    return subprocess.run([*PRE_COMMIT, "try-repo", str(REPO), "--all-files", "--color", "never"], cwd=scratch,
                          env=env, capture_output=True, text=True, timeout=600)


def test_hooks_check_specs_skip_other_yaml_and_fail_on_a_broken_spec(tmp_path: Path) -> None:
    scratch = tmp_path / "gitops"
    (scratch / "clusters" / "prod").mkdir(parents=True)
    (scratch / ".github" / "workflows").mkdir(parents=True)
    shutil.copy(REPO / "specs" / "azure-cni-overlay.yaml", scratch / "clusters" / "prod" / "network.yaml")
    (scratch / ".github" / "workflows" / "ci.yml").write_text("on: push\njobs: {}\n")
    (scratch / "values.yaml").write_text("replicas: 2\nimage: nginx\n")
    _git(scratch, "init", "-q")
    _git(scratch, "add", ".")
    home = tmp_path / "pre-commit-home"

    passed = _try_repo(scratch, home)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "aksnet validate" in passed.stdout and "aksnet lint" in passed.stdout
    assert passed.stdout.count("Passed") == 2
    assert "values.yaml" not in passed.stdout and "ci.yml" not in passed.stdout  # skipped silently

    broken = scratch / "clusters" / "dev.yml"
    broken.write_text("apiVersion: aksnet/v1\nkind: ClusterNetwork\nmetadata: {name: dev}\nspec:\n  locaton: eastus\n")
    _git(scratch, "add", ".")
    failed = _try_repo(scratch, home)
    assert failed.returncode == 1
    assert failed.stdout.count("Failed") == 2  # an invalid spec fails validate, and lint (nothing to lint)
    assert "clusters/dev.yml" in failed.stdout and "unknown key 'locaton'" in failed.stdout
