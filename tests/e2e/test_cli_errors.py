"""Mistakes users really make get one clear error, exit code 1, no traceback and no request to Azure
(docs/cli.md#exit-codes, docs/cli.md#errors); with `-o json` stdout still holds one document."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from aksnet_run import SPECS, aksnet_env, arm_requests, run_cli, spec_copy, writes

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("aksnet_env")]
__all__ = ["aksnet_env"]
KUBENET = str(SPECS / "kubenet.yaml")


def _clean_error(result: Any) -> None:
    assert result.code == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "Error: " in result.stderr


def test_apply_of_a_missing_file_is_a_located_error(emulator: Any, admin: Any) -> None:
    result = run_cli(emulator, "apply", "/nonexistent/spec.yaml", "--auto-approve")
    _clean_error(result)
    assert "AKSNET-FILE-001" in result.stderr
    assert arm_requests(admin) == []


def test_apply_of_a_directory_without_a_spec_is_a_clear_error(emulator: Any, admin: Any, tmp_path: Path) -> None:
    (tmp_path / "values.yaml").write_text("replicas: 2\n")  # a directory stands for the specs below it
    result = run_cli(emulator, "apply", str(tmp_path), "--auto-approve")
    _clean_error(result)
    assert "no aksnet spec found in" in result.stderr
    assert arm_requests(admin) == []


@pytest.mark.parametrize("content", ["[1, 2]", '{"format_version": "1.0", "resource_changes": [{"x": 1}]}'])
def test_show_and_apply_of_a_json_file_that_is_not_a_plan(emulator: Any, admin: Any, tmp_path: Path,
                                                           content: str) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text(content)
    _clean_error(run_cli(None, "show", str(plan)))
    _clean_error(run_cli(emulator, "apply", str(plan), "--auto-approve"))
    assert writes(admin) == []


def test_saved_plan_whose_spec_is_not_here_says_where_to_run(emulator: Any, admin: Any, tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    assert run_cli(emulator, "plan", KUBENET, "--out", str(plan)).code == 0
    doc = json.loads(plan.read_text())
    doc["spec"]["path"] = "elsewhere/kubenet.yaml"
    plan.write_text(json.dumps(doc))
    result = run_cli(emulator, "apply", str(plan))
    _clean_error(result)
    assert "planned from the spec 'elsewhere/kubenet.yaml'" in result.stderr
    assert writes(admin) == []


@pytest.mark.parametrize("argv", [["drift", "--shard", "0/2", KUBENET], ["plan", "-o", "sarif", KUBENET],
                                  ["apply", "-o", "markdown", KUBENET], ["plan", "--local", "--endpoint",
                                                                         "https://127.0.0.1:1", KUBENET]])
def test_usage_errors_exit_1_not_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    # 2 means "changes" (plan --detailed-exitcode) or "drift": a mistyped flag must not read as drift.
    from aksnet.cli.main import main

    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 1
    assert "error:" in capsys.readouterr().err


def test_json_output_holds_an_error_document_when_the_command_fails_early(emulator: Any, admin: Any) -> None:
    result = run_cli(emulator, "plan", "-o", "json", "/nonexistent/spec.yaml")
    _clean_error(result)
    doc = result.json()
    assert doc["result"] == "error"
    assert doc["errors"][0]["kind"] == "input"
    assert doc["errors"][0]["findings"][0]["rule"] == "AKSNET-FILE-001"


def test_json_output_names_a_stale_plan_as_such(emulator: Any, admin: Any, tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    assert run_cli(emulator, "plan", KUBENET, "--out", str(plan)).code == 0
    assert run_cli(emulator, "apply", KUBENET, "--auto-approve").code == 0
    result = run_cli(emulator, "apply", "-o", "json", str(plan))
    _clean_error(result)
    assert [e["kind"] for e in result.json()["errors"]] == ["stale_plan"]


def test_plan_out_into_a_missing_directory_fails_before_any_request(emulator: Any, admin: Any) -> None:
    result = run_cli(emulator, "plan", KUBENET, "--out", "/nonexistent/dir/plan.json")
    _clean_error(result)
    assert "/nonexistent" in result.stderr
    assert arm_requests(admin) == []


def test_unusable_aksnet_home_is_one_clear_error(emulator: Any, admin: Any, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home-is-a-file"
    home.write_text("")
    monkeypatch.setenv("AKSNET_HOME", str(home))
    result = run_cli(emulator, "apply", KUBENET, "--auto-approve")
    _clean_error(result)
    assert "AKSNET_HOME" in result.stderr
    assert writes(admin) == []
    local = run_cli(None, "plan", "--local", KUBENET)
    _clean_error(local)
    assert "AKSNET_HOME" in local.stderr


@pytest.mark.parametrize("ca,endpoint,expect", [
    ("system", None, "--ca-file"),  # a CA that did not sign the emulator's certificate
    ("/nonexistent/ca.pem", None, "is not a file"),
    (None, "https://127.0.0.1:1", "emulator serve` running"),  # nothing listens there
])
def test_bad_endpoint_or_ca_is_one_clear_error(emulator: Any, ca: str | None, endpoint: str | None, expect: str,
                                               caplog: pytest.LogCaptureFixture) -> None:
    import certifi

    ca_file = certifi.where() if ca == "system" else ca or emulator.ca_file
    argv = ["plan", KUBENET, "--endpoint", endpoint or emulator.endpoint, "--ca-file", ca_file]
    with caplog.at_level(logging.WARNING):
        result = run_cli(None, *argv)
    _clean_error(result)
    assert expect in result.stderr
    assert "Azure authentication failed" not in result.stderr
    assert not [r for r in caplog.records if r.name.startswith("azure.identity")]


def test_emulator_serve_with_an_unusable_database_is_one_clear_error(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from aksnet.cli.main import main

    assert main(["emulator", "serve", "--port", "0", "--db", str(tmp_path)]) == 1  # a directory, not a file
    err = capsys.readouterr().err
    assert "cannot open the emulator database" in err and "Traceback" not in err


def _typo_spec(tmp_path: Path) -> str:
    """kubenet.yaml with two schema errors (misspelt keys)."""
    return spec_copy(tmp_path, "kubenet.yaml", ("addressPrefix: 10.100.0.0/16", "adressPrefix: 10.100.0.0/16"),
                     ("kind: ClusterNetwork", "kind: ClusterNetwork\nextraKey: 1"))


@pytest.mark.parametrize("command", [["plan"], ["apply", "--auto-approve"], ["destroy", "--allow-delete",
                                                                            "--auto-approve"]])
def test_invalid_spec_findings_print_once_then_a_summary(emulator: Any, admin: Any, tmp_path: Path,
                                                          command: list[str]) -> None:
    path = _typo_spec(tmp_path)
    result = run_cli(emulator, command[0], path, *command[1:])
    _clean_error(result)
    assert result.stderr.count("unknown key 'adressPrefix'") == 1, result.stderr
    assert result.stderr.count("did you mean 'addressPrefix'") == 1, result.stderr
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert error_lines == [f"Error: {path} is invalid: 2 errors; nothing was sent to Azure"], result.stderr
    assert arm_requests(admin) == []


def test_missing_spec_is_printed_once_then_a_summary(emulator: Any, admin: Any, tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.yaml")
    result = run_cli(emulator, "plan", missing)
    _clean_error(result)
    assert result.stderr.count("does not exist") == 1, result.stderr
    assert f"Error: {missing} could not be read; nothing was sent to Azure" in result.stderr
    assert arm_requests(admin) == []


def test_drift_of_a_missing_spec_says_so_once_plus_the_report_entry(emulator: Any, admin: Any,
                                                                     tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.yaml")
    result = run_cli(emulator, "drift", missing, "--no-summary")
    assert result.code == 1, result.stdout + result.stderr
    assert result.stderr.count("does not exist") == 1, result.stderr  # the located finding
    assert "drift: " not in result.stderr
    assert f"{missing}: error: spec file '{missing}' does not exist" in result.stdout  # the report entry
    assert result.stdout.count("does not exist") == 1
    assert result.stdout.rstrip().endswith("Checked 0 resources in 0 specs: 0 in sync, 0 drifted, 0 missing; "
                                           "1 spec could not be checked")


def test_drift_report_entry_of_an_invalid_spec_is_located(emulator: Any, admin: Any, tmp_path: Path) -> None:
    path = _typo_spec(tmp_path)
    result = run_cli(emulator, "drift", "-o", "json", path, "--no-summary")
    assert result.code == 1
    assert result.stderr.count("unknown key 'adressPrefix'") == 1, result.stderr
    [entry] = result.json()["errors"]
    assert entry["spec"] == path
    assert "unknown key" in entry["message"] and "(line " in entry["message"]
    assert entry["message"].endswith("; and 1 more error")


@pytest.mark.parametrize("out", ["/nonexistent/dir/spec.yaml", "."])
def test_export_out_into_a_missing_directory_fails_before_any_request(emulator: Any, admin: Any, out: str) -> None:
    result = run_cli(emulator, "export", "-g", "aks-rg", "-n", "aks-cluster", "--out", out)
    _clean_error(result)
    assert f"--out {out}" in result.stderr
    assert arm_requests(admin) == []
