"""The README's `aksnet validate` transcript is what the command really prints."""

from __future__ import annotations

import re

import pytest
from paths import REPO

from aksnet.cli.main import main

ROOT = REPO


def test_readme_validate_transcript_matches(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"```console\n\$ aksnet validate examples/specs/too-small.yaml\n(.*?)```", readme, re.S)
    assert block, "README lost its validate transcript"
    assert main(["validate", "examples/specs/too-small.yaml"]) == 1
    printed = capsys.readouterr().out
    assert printed.strip() == block.group(1).strip()
