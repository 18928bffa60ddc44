"""`aksnet drift` argument handling: directories expand to the aksnet specs below them, sorted; --shard K/N."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from aksnet.cli.cmd_drift import expand_paths, parse_shard

SPEC = "apiVersion: aksnet/v1\nkind: ClusterNetwork\n"


def test_directories_expand_to_sorted_specs_below_them(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "b" / "deep").mkdir(parents=True)
    for rel in ("b/deep/z.yml", "b/a.yaml", "c.yaml"):
        (tmp_path / rel).write_text(SPEC)
    (tmp_path / "b" / "workflow.yml").write_text("on: push\n")
    (tmp_path / "b" / "notes.txt").write_text(SPEC)
    single = tmp_path / "c.yaml"
    got = expand_paths([str(tmp_path / "b"), str(single), str(single)])
    assert got == [str(tmp_path / "b" / "a.yaml"), str(tmp_path / "b" / "deep" / "z.yml"), str(single)]
    assert "workflow.yml: not an aksnet spec" in capsys.readouterr().err


def test_a_file_argument_is_kept_even_if_missing(tmp_path: Path) -> None:
    # Loading reports it as an error for that spec; expansion does not hide it.
    assert expand_paths([str(tmp_path / "nope.yaml")]) == [str(tmp_path / "nope.yaml")]


def test_trailing_slash_gives_the_same_paths_so_shards_stay_stable(tmp_path: Path) -> None:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "a.yaml").write_text(SPEC)
    assert expand_paths([f"{tmp_path}/specs/"]) == expand_paths([f"{tmp_path}/specs"])


def test_parse_shard() -> None:
    assert parse_shard("2/3") == (2, 3)
    for bad in ("0/3", "4/3", "1/0", "x", "1-2"):
        with pytest.raises(argparse.ArgumentTypeError):
            parse_shard(bad)


def test_footer_counts_specs_that_could_not_be_checked() -> None:
    from aksnet.core.drift import DriftReport

    assert DriftReport(specs=(), errors=(("a.yaml", "boom"),)).footer().endswith("; 1 spec could not be checked")


def test_step_summary_is_cut_below_githubs_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from aksnet.cli import cmd_drift
    from aksnet.core.drift import DriftReport

    report = DriftReport(specs=(), errors=tuple((f"specs/s{i}.yaml", "x" * 50) for i in range(100)))
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setattr(cmd_drift, "STEP_SUMMARY_LIMIT", 1000)
    cmd_drift.append_step_summary(report)
    text = summary.read_text()
    assert len(text.encode()) <= 1000 and "1 MiB step summary limit" in text and "aksnet drift" in text
