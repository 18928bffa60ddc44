"""action.yml (the composite GitHub Action) and examples/github-actions/aksnet.yml (the workflow that uses
it) call only aksnet commands and flags that exist, pin every official action by its full commit SHA, and
the action's shell steps do what they say when bash runs them (outputs, job summary, SARIF file)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from paths import REPO

from aksnet import __version__
from aksnet.cli.main import build_parser

WORKFLOW = REPO / "examples" / "github-actions" / "aksnet.yml"
ACTION = REPO / "action.yml"
COMMANDS = ("validate", "lint", "plan", "drift")
OFFICIAL = {"actions/checkout", "actions/setup-python", "actions/github-script", "actions/upload-artifact",
            "github/codeql-action/upload-sarif", "azure/login"}
# Sample values for the variables the action's scripts expand (its inputs arrive as environment variables).
SAMPLE_ENV = {"AKSNET_SPECS": "specs/", "AKSNET_TARGET_ARGS": "--local", "AKSNET_SHARD": "1/2",
              "AKSNET_FAIL_ON": "error", "RUNNER_TEMP": "/tmp/runner"}


def _load(path: Path) -> dict[Any, Any]:
    loaded: dict[Any, Any] = yaml.safe_load(path.read_text())
    return loaded


def _action() -> dict[Any, Any]:
    return _load(ACTION)


def _workflow() -> dict[Any, Any]:
    return _load(WORKFLOW)


def _expand(line: str) -> str:
    line = re.sub(r"\$\{\{[^}]*\}\}", "1", line)  # workflow expressions (matrix values)
    line = re.sub(r"\$\{(\w+):\+([^}]*)\}", lambda m: m.group(2) if SAMPLE_ENV.get(m.group(1)) else "", line)
    return re.sub(r"\$\{?(\w+)\}?", lambda m: SAMPLE_ENV.get(m.group(1), m.group(0)), line)


def _aksnet_lines(steps: list[dict[str, Any]]) -> list[list[str]]:
    """Every `aksnet ...` invocation in the run scripts, as argv (variables expanded, redirections cut)."""
    commands = []
    for step in steps:
        for line in str(step.get("run", "")).splitlines():
            line = line.strip()
            if not line.startswith("aksnet "):
                continue
            line = re.split(r"\s[12]?>", _expand(line))[0]
            commands.append(shlex.split(line)[1:])
    return commands


def _workflow_steps() -> list[dict[str, Any]]:
    return [step for job in _workflow()["jobs"].values() for step in job["steps"]]


def test_the_action_runs_validate_lint_plan_and_drift() -> None:
    action = _action()
    assert action["runs"]["using"] == "composite"
    names = [argv[0] for argv in _aksnet_lines(action["runs"]["steps"])]
    assert names == ["validate", "lint", "lint", "plan", "drift"]  # lint: with and without --soft-fail


@pytest.mark.parametrize("argv", _aksnet_lines(_action()["runs"]["steps"]) + _aksnet_lines(_workflow_steps()),
                         ids=lambda argv: argv[0])
def test_every_aksnet_command_line_parses(argv: list[str]) -> None:
    args = build_parser(argv[0]).parse_args(argv)  # argparse exits (SystemExit) on an unknown flag
    assert callable(args.func)


@pytest.mark.parametrize(("path", "schema"), [(ACTION, "vendor.github-actions"),
                                             (WORKFLOW, "vendor.github-workflows")], ids=["action", "workflow"])
def test_github_would_accept_the_file(path: Path, schema: str) -> None:
    """SchemaStore's schemas for action metadata and workflows (vendored in check-jsonschema: no network)."""
    done = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_input_the_action_reads_is_declared() -> None:
    text = ACTION.read_text()
    declared = set(_action()["inputs"])
    used = set(re.findall(r"inputs\.([\w-]+)", text))
    assert used <= declared, used - declared
    assert declared <= used, declared - used  # and none is declared for nothing


def test_the_action_uploads_sarif_writes_the_summary_and_edits_one_pr_comment() -> None:
    steps = _action()["runs"]["steps"]
    uses = [step.get("uses", "").split("@")[0] for step in steps]
    assert "github/codeql-action/upload-sarif" in uses and "actions/github-script" in uses
    text = ACTION.read_text()
    assert '>> "$GITHUB_STEP_SUMMARY"' in text
    assert "updateComment" in text and "createComment" in text and "aksnet-plan-comment" in text
    for step in steps:  # inputs reach scripts only through env (no ${{ }} inside a run script)
        assert "${{" not in str(step.get("run", "")), step.get("name")


def _pins(steps: list[dict[str, Any]]) -> list[tuple[str, str]]:
    out = []
    for step in steps:
        if "uses" in step:
            name, _, ref = step["uses"].partition("@")
            out.append((name, ref))
    return out


def test_official_actions_are_pinned_by_full_commit_sha_with_the_tag_in_a_comment() -> None:
    for path, steps in ((ACTION, _action()["runs"]["steps"]), (WORKFLOW, _workflow_steps())):
        text = path.read_text()
        for name, ref in _pins(steps):
            if name == "aksnet/aksnet":
                continue
            assert name in OFFICIAL, name
            assert re.fullmatch(r"[0-9a-f]{40}", ref), f"{path.name}: {name}@{ref} is not a commit SHA"
            assert re.search(rf"{re.escape(name)}@{ref}\s+#\s+v\d+\.\d+\.\d+", text), f"{name}: tag comment"
    # one version of each action everywhere
    refs: dict[str, set[str]] = {}
    for steps in (_action()["runs"]["steps"], _workflow_steps()):
        for name, ref in _pins(steps):
            refs.setdefault(name, set()).add(ref)
    assert all(len(found) == 1 for found in refs.values()), refs


def test_the_workflow_uses_this_action_at_this_version_and_pins_the_cli() -> None:
    workflow = _workflow()
    repository = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["urls"]["Repository"]
    owner_repo = repository.removeprefix("https://github.com/")
    ours = [step for step in _workflow_steps() if step.get("uses", "").startswith(f"{owner_repo}@")]
    assert len(ours) == 2
    for step in ours:
        assert step["uses"] == f"{owner_repo}@v{__version__}"
        assert set(step["with"]["commands"].split()) <= set(COMMANDS)
        assert set(step["with"]) <= set(_action()["inputs"])
    assert workflow["env"]["AKSNET_PIP"] == f"aksnet @ git+{repository}@v{__version__}"
    assert "pip install aksnet" not in WORKFLOW.read_text()  # not from PyPI: pinned git install
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as True
    assert {"pull_request", "push", "schedule"} <= set(triggers)
    assert [argv[0] for argv in _aksnet_lines(_workflow_steps())] == ["apply"]


def _run_step(name: str, inputs: dict[str, str], tmp_path: Path) -> tuple[int, dict[str, str], str]:
    """Run one of the action's bash steps as the runner would: its env with the inputs (defaults otherwise),
    RUNNER_TEMP, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files; aksnet from this interpreter's environment."""
    action = _action()
    step = next(s for s in action["runs"]["steps"] if s.get("name") == name)
    values = {key: str(spec.get("default", "")) for key, spec in action["inputs"].items()} | inputs
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
           "RUNNER_TEMP": str(tmp_path), "GITHUB_OUTPUT": str(tmp_path / "output"),
           "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"), "AKSNET_HOME": str(tmp_path / "home"),
           "AKSNET_EMULATOR_AKS_SECONDS": "0", "AKSNET_EMULATOR_NETWORK_SECONDS": "0"}
    for key, value in step.get("env", {}).items():
        env[key] = re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: values[m.group(1)], str(value))
    done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=300)
    outputs = dict(line.split("=", 1) for line in (tmp_path / "output").read_text().splitlines()) \
        if (tmp_path / "output").exists() else {}
    summary = (tmp_path / "summary.md").read_text() if (tmp_path / "summary.md").exists() else ""
    return done.returncode, outputs, summary + done.stdout + done.stderr


def test_the_plan_step_writes_the_summary_and_its_exit_code(tmp_path: Path) -> None:
    code, outputs, text = _run_step("aksnet plan", {"specs": "specs/kubenet.yaml", "target-args": "--local"},
                                    tmp_path)
    assert code == 0, text
    assert outputs == {"exitcode": "2"}  # an empty emulator: everything is to be created
    plan = (tmp_path / "aksnet-plan.md").read_text()
    assert "**Plan: 5 to add" in plan and plan in (tmp_path / "summary.md").read_text()


def test_the_lint_step_writes_sarif_and_annotations(tmp_path: Path) -> None:
    code, outputs, text = _run_step("aksnet lint", {"specs": "specs/", "lint-fail-on": "never"}, tmp_path)
    assert code == 0, text
    assert outputs == {"sarif": str(tmp_path / "aksnet.sarif")}  # what the upload step is keyed on
    assert '"version": "2.1.0"' in (tmp_path / "aksnet.sarif").read_text()
    assert "::warning " in text or "::notice " in text  # -o github: workflow commands become annotations


def test_the_lint_step_fails_at_the_threshold_and_still_hands_on_the_sarif(tmp_path: Path) -> None:
    code, outputs, text = _run_step("aksnet lint", {"specs": "specs/kubenet.yaml", "lint-fail-on": "info"},
                                    tmp_path)
    assert code == 1, text  # kubenet.yaml has info findings
    assert outputs == {"sarif": str(tmp_path / "aksnet.sarif")}


def test_the_drift_step_fails_on_drift_and_says_so(tmp_path: Path) -> None:
    code, outputs, text = _run_step("aksnet drift", {"specs": "specs/kubenet.yaml", "target-args": "--local",
                                                     "drift-shard": "1/1"}, tmp_path)
    assert code == 2, text  # nothing exists in the fresh emulator: every resource is missing
    assert outputs == {"exitcode": "2"}
    assert "<testsuites" in (tmp_path / "aksnet-drift.xml").read_text()
    assert "drift" in (tmp_path / "summary.md").read_text().lower()
