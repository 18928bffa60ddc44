"""On a terminal `aksnet plan` colours its plan; `--no-color` (before or after the command) and NO_COLOR
turn the colour off. Run in a real pseudo-terminal, so the only thing that differs is the flag."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from paths import REPO

pytestmark = pytest.mark.e2e
SPEC = str(REPO / "specs" / "kubenet.yaml")


def _on_a_terminal(argv: list[str], tmp_path: Path, **extra_env: str) -> str:
    env = {**os.environ, "AKSNET_HOME": str(tmp_path / "home"), **extra_env}
    env.pop("NO_COLOR", None) if "NO_COLOR" not in extra_env else None
    main, child = pty.openpty()
    try:
        proc = subprocess.Popen([sys.executable, "-m", "aksnet", *argv], stdin=child, stdout=child,
                                stderr=subprocess.DEVNULL, env=env, cwd=tmp_path)
        os.close(child)
        chunks = []
        while True:
            try:
                data = os.read(main, 65536)
            except OSError:  # the terminal closed: the process has exited
                break
            if not data:
                break
            chunks.append(data)
        assert proc.wait(timeout=120) == 0
    finally:
        os.close(main)
    return b"".join(chunks).decode(errors="replace")


def test_no_color_and_NO_COLOR_keep_escape_codes_out_of_the_plan(tmp_path: Path) -> None:
    coloured = _on_a_terminal(["plan", "--local", "--lint", "off", SPEC], tmp_path)
    assert "\x1b[" in coloured and "Plan: 5 to add" in coloured
    for argv, env in ((["plan", "--local", "--lint", "off", "--no-color", SPEC], {}),
                      (["--no-color", "plan", "--local", "--lint", "off", SPEC], {}),
                      (["plan", "--local", "--lint", "off", SPEC], {"NO_COLOR": "1"})):
        plain = _on_a_terminal(argv, tmp_path, **env)
        assert "Plan: 5 to add" in plain and "\x1b[" not in plain, argv
