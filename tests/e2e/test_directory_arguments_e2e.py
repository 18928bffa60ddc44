"""plan, apply and drift take directories like lint does (one discovery, one skip rule), and `--lint
off|summary|full` decides how much of the security lint they print on stderr."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from aksnet_run import SPECS, aksnet_env, last_index, run_cli, writes

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("aksnet_env")]
__all__ = ["aksnet_env"]


def _fleet(tmp_path: Path) -> Path:
    """Two specs in nested folders, and YAML that is not a spec (a workflow) beside them."""
    root = tmp_path / "fleet"
    (root / "team-a").mkdir(parents=True)
    (root / ".github").mkdir()
    # the specs/ files are alternatives for one resource group: give each its own
    for source, target, group in (("kubenet.yaml", root / "team-a" / "kubenet.yaml", "dir-args-a-rg"),
                                  ("azure-cni.yaml", root / "azure-cni.yml", "dir-args-b-rg")):
        text = (SPECS / source).read_text()
        assert "resourceGroup: aks-rg\n" in text
        target.write_text(text.replace("resourceGroup: aks-rg\n", f"resourceGroup: {group}\n"))
    (root / "kustomization.yaml").write_text("resources: [deploy.yaml]\n")
    (root / ".github" / "ci.yml").write_text("on: push\n")
    return root


def test_plan_and_apply_a_directory_take_every_spec_below_it(emulator: Any, admin: Any, tmp_path: Path) -> None:
    root = _fleet(tmp_path)
    result = run_cli(emulator, "apply", str(root), "--auto-approve", "--lint", "off")
    assert result.code == 0, result.stdout + result.stderr
    assert "kustomization.yaml: not an aksnet spec" in result.stderr
    assert ".github" not in result.stderr  # hidden directories are not entered

    since = last_index(admin)
    plan = run_cli(emulator, "plan", str(root), "-o", "json", "--lint", "off")
    assert plan.code == 0, plan.stderr
    documents = plan.json()["plans"]
    assert sorted(Path(d["spec"]["path"]).name for d in documents) == ["azure-cni.yml", "kubenet.yaml"]
    assert all(d["result"] == "no_changes" for d in documents)
    assert writes(admin, since) == []


def test_a_directory_without_a_spec_is_a_usage_error(emulator: Any, tmp_path: Path) -> None:
    (tmp_path / "values.yaml").write_text("replicas: 2\n")
    for command in ("plan", "apply"):
        result = run_cli(emulator, command, str(tmp_path))
        assert result.code == 1
        assert "no aksnet spec found in" in result.stderr


def test_lint_modes_on_plan(emulator: Any, tmp_path: Path) -> None:
    spec = str(SPECS / "kubenet.yaml")  # has lint findings (e.g. no network policy)
    summary = run_cli(emulator, "plan", spec)
    lines = [line for line in summary.stderr.splitlines() if "Lint:" in line]
    assert len(lines) == 1 and f"Run `aksnet lint {spec}` for details." in lines[0]
    assert "AKSNET0" not in summary.stderr

    full = run_cli(emulator, "plan", spec, "--lint", "full")
    assert "AKSNET0" in full.stderr and "Lint:" in full.stderr

    off = run_cli(emulator, "plan", spec, "--lint", "off")
    assert "Lint:" not in off.stderr and "AKSNET0" not in off.stderr
    assert summary.code == full.code == off.code == 0
    assert summary.stdout == full.stdout == off.stdout  # lint never touches the plan itself
