"""The CLI's one error boundary: a bug becomes one line plus a saved traceback, never a raw traceback."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from aksnet.cli import main as cli_main


def test_internal_error_is_one_line_and_the_traceback_is_saved(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def broken(_args: argparse.Namespace) -> int:
        raise RuntimeError("boom")

    real_build = cli_main.build_parser

    def build(command: str | None = None) -> argparse.ArgumentParser:
        parser = real_build(command)
        parser.set_defaults(func=broken)
        return parser

    monkeypatch.setattr(cli_main, "build_parser", build)
    assert cli_main.main([]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "internal error (RuntimeError: boom)" in err
    saved = Path(err.rsplit("the traceback is in ", 1)[1].strip())
    assert "RuntimeError: boom" in saved.read_text()
    saved.unlink()
