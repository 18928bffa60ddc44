"""`aksnet lint` end to end through the CLI entry point (offline: no Azure, no emulator)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from paths import REPO

from aksnet.cli.main import main

FIXTURES = REPO / "tests" / "fixtures" / "lint"
SSH = str(FIXTURES / "AKSNET006" / "fail.yaml")
HTTPS = str(FIXTURES / "AKSNET010" / "fail.yaml")
SUPPRESSED = str(FIXTURES / "suppressed.yaml")
TOO_MANY = str(FIXTURES / "AKSNET004" / "fail.yaml")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["lint", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_text_output_and_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, SSH)
    assert code == 1
    assert 'error[AKSNET006]: rule "allow-ssh" of NSG "aks-nsg" allows SSH (22/tcp)' in out
    assert f"--> {SSH}:27:7 (spec.networkSecurityGroups[0].rules[1])" in out
    assert "rule: SSH (22) open to the internet; same as CKV_AZURE_10, AVD-AZU-0050" in out
    assert "fix: restrict the rule's source" in out
    assert out.rstrip().endswith("Lint: 1 error(s), 0 warning(s), 1 info, 0 suppressed.")
    assert err == ""


def test_fail_on_and_soft_fail(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, HTTPS)[0] == 0  # a warning does not fail at the default --fail-on error
    assert run(capsys, "--fail-on", "warning", HTTPS)[0] == 1
    assert run(capsys, "--fail-on", "info", str(FIXTURES / "AKSNET013" / "fail.yaml"))[0] == 1
    assert run(capsys, "--soft-fail", SSH)[0] == 0
    assert run(capsys, "--skip", "AKSNET006", SSH)[0] == 0


def test_json_lists_findings_and_suppressed(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "-o", "json", SUPPRESSED, SSH)
    assert code == 1
    document = json.loads(out)
    assert set(document) == {"findings", "suppressed"}
    assert [f["rule"] for f in document["findings"]] == ["AKSNET006", "AKSNET013", "AKSNET011", "AKSNET013"]
    ssh = document["findings"][0]
    assert ssh["checkov"] == "CKV_AZURE_10" and ssh["avd"] == "AVD-AZU-0050" and ssh["severity"] == "error"
    assert ssh["line"] == 27 and ssh["fix"]
    (suppressed,) = document["suppressed"]
    assert suppressed["rule"] == "AKSNET010"
    assert suppressed["suppressed"] is True
    assert suppressed["suppressionReason"] == "public HTTPS ingress for the web tier"


def test_sarif_on_stdout_validates_and_is_repo_relative(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    sarif_file = tmp_path / "out.sarif"
    code, out, err = run(capsys, "-o", "sarif", "--sarif-file", str(sarif_file), SSH, SUPPRESSED)
    assert code == 1 and err == ""
    log = json.loads(out)
    schema = json.loads((REPO / "tests" / "fixtures" / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert uris == {"tests/fixtures/lint/AKSNET006/fail.yaml", "tests/fixtures/lint/suppressed.yaml"}
    assert json.loads(sarif_file.read_text(encoding="utf-8")) == log


def test_github_annotations(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "-o", "github", SSH)
    assert code == 1
    assert out.splitlines()[0].startswith(
        "::error file=tests/fixtures/lint/AKSNET006/fail.yaml,line=27,col=7,title=AKSNET006 SSH (22) open to the internet::"
    )


def test_invalid_spec_exits_1_even_with_soft_fail(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--soft-fail", "-o", "json", TOO_MANY)
    assert code == 1
    assert "AKSNET-API-001" in err  # the validation error, on stderr
    assert [f["rule"] for f in json.loads(out)["findings"]] == ["AKSNET013", "AKSNET004"]


def test_unloadable_spec(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("apiVersion: aksnet/v1\nkind: [\n", encoding="utf-8")
    code, out, err = run(capsys, "-o", "json", str(broken))
    assert code == 1
    assert json.loads(out) == {"findings": [], "suppressed": []}
    assert "broken.yaml" in err


def test_unknown_skip_rule(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--skip", "AKSNET099", SSH)
    assert code == 1 and "AKSNET099" in err


def test_walkthrough_specs_lint_without_validation_errors(capsys: pytest.CaptureFixture[str]) -> None:
    specs = sorted((REPO / "specs").glob("*.yaml"))
    assert specs, "specs/*.yaml (the walkthrough clusters) are missing"
    code, out, err = run(capsys, "-o", "json", str(REPO / "specs"))
    assert "Error:" not in err
    document = json.loads(out)
    assert {Path(f["file"]).name for f in document["findings"]} <= {p.name for p in specs}
    assert code == (1 if any(f["severity"] == "error" for f in document["findings"]) else 0)


def test_missing_file_is_one_located_error_and_no_empty_summary(capsys: pytest.CaptureFixture[str],
                                                                 tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.yaml")
    code, out, err = run(capsys, missing)
    assert code == 1
    assert err.count("does not exist") == 1  # the finding only, not an `Error:` line repeating it first
    assert f"error[AKSNET-FILE-001]: spec file '{missing}' does not exist\n  --> {missing}" in err
    assert "Error:" not in err
    assert "Lint:" not in out  # no "Lint: 0 error(s)..." about a spec that was never linted


def test_summary_still_printed_when_another_spec_was_linted(capsys: pytest.CaptureFixture[str],
                                                            tmp_path: Path) -> None:
    code, out, err = run(capsys, str(tmp_path / "nope.yaml"), SSH)
    assert code == 1
    assert err.count("does not exist") == 1
    assert out.rstrip().endswith("Lint: 1 error(s), 0 warning(s), 1 info, 0 suppressed.")
