"""`aksnet validate` end to end in a subprocess: exit codes, the finding text, and the exact `-o json` shape."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from spec_samples import BASE, variant

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "tests" / "fixtures" / "specs"
KEYS = ["rule", "catalogue", "severity", "message", "fix", "file", "line", "column", "path"]


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "aksnet", "validate", *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def json_of(done: subprocess.CompletedProcess[str]) -> Any:
    document = json.loads(done.stdout)  # exactly one JSON document on stdout
    assert set(document) == {"valid", "findings"}
    for finding in document["findings"]:
        assert list(finding) == KEYS
        assert finding["severity"] in ("error", "warning", "info")
        assert isinstance(finding["line"], int) and isinstance(finding["column"], int)
    return document


def test_walkthrough_specs_are_valid_in_json() -> None:
    done = run("-o", "json", "specs/kubenet.yaml", "specs/azure-cni.yaml", "specs/azure-cni-overlay.yaml")
    document = json_of(done)
    assert done.returncode == 0, done.stdout + done.stderr
    assert document["valid"] is True
    assert [f for f in document["findings"] if f["severity"] == "error"] == []


def test_invalid_spec_json_shape_and_exit_code(tmp_path: Path) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text(variant("count: 2", "count: two"))
    done = run("--output", "json", str(spec))
    assert done.returncode == 1
    document = json_of(done)
    assert document["valid"] is False
    assert document["findings"] == [
        {
            "rule": "AKSNET-SCHEMA-003",
            "catalogue": None,
            "severity": "error",
            "message": "spec.cluster.nodePool.count must be an integer, not the string 'two'",
            "fix": "write an integer here",
            "file": str(spec),
            "line": 30,
            "column": 14,
            "path": "spec.cluster.nodePool.count",
        }
    ]


def test_hostile_inputs_never_traceback() -> None:
    names = sorted(p.name for p in FIXTURES.glob("*.yaml"))
    done = run("-o", "json", *(f"tests/fixtures/specs/{n}" for n in names))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    document = json_of(done)
    assert document["valid"] is False
    assert {Path(f["file"]).name for f in document["findings"]} == set(names)
    assert all(f["rule"].startswith("AKSNET-YAML-") for f in document["findings"])


def test_text_output_has_the_b11_shape(tmp_path: Path) -> None:
    spec = tmp_path / "typo.yaml"
    spec.write_text(variant("        addressPrefix: 10.100", "        adressPrefix: 10.100"))
    done = run(str(spec))
    assert done.returncode == 1
    assert done.stdout.startswith(
        "error[AKSNET-SCHEMA-001]: unknown key 'adressPrefix' in spec.virtualNetwork.subnets[0]\n"
        f"  --> {spec}:13:9 (spec.virtualNetwork.subnets[0].adressPrefix)\n"
        "  fix: did you mean 'addressPrefix'?\n"
    )
    assert done.stdout.rstrip().endswith("1 spec checked: 1 error, 0 warnings")


def test_valid_text_output(tmp_path: Path) -> None:
    spec = tmp_path / "ok.yaml"
    spec.write_text(BASE)
    done = run(str(spec))
    assert done.returncode == 0, done.stdout
    assert "0 errors" in done.stdout.splitlines()[-1]


def test_missing_file_is_a_clear_error() -> None:
    done = run("no/such/spec.yaml")
    assert done.returncode == 1
    assert "error[AKSNET-FILE-001]: spec file 'no/such/spec.yaml' does not exist" in done.stdout
    assert "Traceback" not in done.stderr
    done = run("-o", "json", "no/such/spec.yaml", "specs/kubenet.yaml")
    assert done.returncode == 1
    assert json_of(done)["findings"][0]["rule"] == "AKSNET-FILE-001"


def test_a_directory_validates_every_aksnet_spec_below_it(tmp_path: Path) -> None:
    done = run("specs")
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{len(list((ROOT / 'specs').glob('*.yaml')))} specs checked: 0 errors" in done.stdout
    (tmp_path / "workflow.yml").write_text("name: ci\non: push\n")  # other YAML: skipped with a note
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "broken.yaml").write_text("apiVersion: aksnet/v1\nkind: ClusterNetwork\n")
    done = run(str(tmp_path))
    assert done.returncode == 1  # a broken aksnet spec below the directory fails
    assert "broken.yaml" in done.stdout and "1 spec checked" in done.stdout
    assert "workflow.yml: not an aksnet spec" in done.stderr


def test_a_directory_without_a_spec_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "values.yaml").write_text("replicas: 2\n")
    done = run(str(tmp_path))
    assert done.returncode == 1
    assert "Error: no aksnet spec found in" in done.stderr and "Traceback" not in done.stderr


def test_only_specs_skips_named_files_that_are_not_specs_silently(tmp_path: Path) -> None:
    other = tmp_path / "values.yaml"
    other.write_text("replicas: 2\n")
    done = run("--only-specs", str(other))
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    done = run("--only-specs", str(other), "specs/kubenet.yaml")
    assert done.returncode == 0 and "1 spec checked" in done.stdout
