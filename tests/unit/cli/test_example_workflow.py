"""examples/github-actions/aksnet.yml uses only aksnet commands and flags that exist."""

from __future__ import annotations

import re
import shlex
from typing import Any

import pytest
import yaml
from paths import REPO

from aksnet.cli.main import build_parser

WORKFLOW = REPO / "examples" / "github-actions" / "aksnet.yml"


def _workflow() -> dict[Any, Any]:
    loaded: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text())
    return loaded


def _aksnet_commands() -> list[list[str]]:
    """Every `aksnet ...` invocation in a run step, as argv (redirections and ${{ }} expressions cut)."""
    commands = []
    for job in _workflow()["jobs"].values():
        for step in job["steps"]:
            for line in str(step.get("run", "")).splitlines():
                line = line.strip()
                if not line.startswith("aksnet "):
                    continue
                line = re.sub(r"\$\{\{[^}]*\}\}", "1", line)  # matrix values: --shard 1/2
                line = re.split(r"\s[12]?>", line)[0]
                commands.append(shlex.split(line)[1:])
    return commands


def test_the_workflow_runs_validate_lint_plan_apply_and_drift() -> None:
    names = [argv[0] for argv in _aksnet_commands()]
    assert names == ["validate", "lint", "plan", "apply", "drift"]


@pytest.mark.parametrize("argv", _aksnet_commands(), ids=lambda argv: argv[0])
def test_every_aksnet_command_line_parses(argv: list[str]) -> None:
    args = build_parser().parse_args(argv)  # argparse exits (SystemExit) on an unknown flag
    assert callable(args.func)


def test_the_workflow_uses_only_standard_actions_and_pins_aksnet() -> None:
    workflow = _workflow()
    uses = {step["uses"].split("@")[0] for job in workflow["jobs"].values() for step in job["steps"] if "uses" in step}
    assert uses <= {"actions/checkout", "actions/setup-python", "actions/github-script", "actions/upload-artifact",
                    "github/codeql-action/upload-sarif", "azure/login"}
    assert re.fullmatch(r"aksnet @ git\+https://github\.com/[^@]+@v\d+\.\d+\.\d+", workflow["env"]["AKSNET_PIP"])
    assert "pip install aksnet" not in WORKFLOW.read_text()  # not from PyPI: pinned git install
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as True
    assert {"pull_request", "push", "schedule"} <= set(triggers)
