"""`aksnet ipplan` takes directories like the other spec commands: each aksnet spec below, in order."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from paths import REPO


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "aksnet", "ipplan", *argv], cwd=REPO, capture_output=True,
                          text=True, timeout=60)


def _fleet(tmp_path: Path) -> Path:
    for name in ("azure-cni.yaml", "kubenet.yaml"):
        (tmp_path / name).write_text((REPO / "specs" / name).read_text())
    (tmp_path / "values.yaml").write_text("replicas: 2\n")
    return tmp_path


def test_a_directory_plans_every_spec_below_it(tmp_path: Path) -> None:
    root = _fleet(tmp_path)
    done = _run(str(root))
    assert done.returncode == 0, done.stderr
    headers = [line for line in done.stdout.splitlines() if line.startswith("== ")]
    assert headers == [f"== {root / 'azure-cni.yaml'}", f"== {root / 'kubenet.yaml'}"]
    assert "values.yaml: not an aksnet spec" in done.stderr


def test_json_of_a_directory_is_one_document_with_every_spec(tmp_path: Path) -> None:
    root = _fleet(tmp_path)
    document = json.loads(_run(str(root), "-o", "json").stdout)
    assert [Path(entry["file"]).name for entry in document["specs"]] == ["azure-cni.yaml", "kubenet.yaml"]
    single = json.loads(_run(str(root / "kubenet.yaml"), "-o", "json").stdout)
    assert {k: v for k, v in document["specs"][1].items() if k != "file"} == single


def test_svg_of_several_specs_is_a_usage_error(tmp_path: Path) -> None:
    done = _run(str(_fleet(tmp_path)), "--svg", str(tmp_path / "x.svg"))
    assert done.returncode == 1 and "--svg draws one spec" in done.stderr
    assert not (tmp_path / "x.svg").exists()
