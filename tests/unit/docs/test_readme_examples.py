"""Every console transcript in README.md and docs/*.md is what the commands really print.

A transcript is a ```console block: a `$ command` line, then the output it prints (stdout and stderr
together, as a terminal shows them). The blocks of one document run in order in one sandbox (a
temporary directory with `specs/` and `examples/` of the repository, and its own AKSNET_HOME), so a
tutorial can copy a spec, apply it with `--local` and look for drift. In the expected text a line
`...` stands for any number of lines and `…` for any text within a line; durations are normalised.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from paths import REPO

DOCUMENTS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
BLOCK = re.compile(r"^```console\n(.*?)^```", re.S | re.M)
DURATION = re.compile(r"\b\d+(?:\.\d+)?(?:ms|s|m\d+s)\b")


@dataclass(frozen=True)
class Step:
    command: str
    expected: list[str]


def transcripts(document: Path) -> list[Step]:
    steps: list[Step] = []
    for block in BLOCK.findall(document.read_text(encoding="utf-8")):
        for line in block.splitlines():
            if line.startswith("$ "):
                steps.append(Step(line[2:], []))
            else:
                assert steps, f"{document.name}: a console block must start with a `$ command` line"
                steps[-1].expected.append(line)
    return steps


def _line_matches(expected: str, actual: str) -> bool:
    if "…" not in expected:
        return expected == actual
    pattern = ".*".join(re.escape(part) for part in expected.split("…"))
    return re.fullmatch(pattern, actual) is not None


def matches(expected: list[str], actual: list[str]) -> bool:
    """Line-by-line match where an expected `...` line swallows any number of actual lines."""
    if not expected:
        return not actual
    head, rest = expected[0], expected[1:]
    if head == "...":
        return any(matches(rest, actual[skip:]) for skip in range(len(actual) + 1))
    return bool(actual) and _line_matches(head, actual[0]) and matches(rest, actual[1:])


def _normalise(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return [DURATION.sub("<t>", line.rstrip()) for line in lines]


def _sandbox(tmp_path: Path) -> dict[str, str]:
    for shared in ("specs", "examples"):
        (tmp_path / shared).symlink_to(REPO / shared, target_is_directory=True)
    venv_bin = str(Path(sys.executable).parent)
    return {
        **os.environ,
        "PATH": f"{venv_bin}{os.pathsep}{os.environ.get('PATH', '')}",
        "AKSNET_HOME": str(tmp_path / ".aksnet"),
        # Short emulator operations and retries; no timing-dependent "Still creating..." lines.
        "AKSNET_EMULATOR_AKS_SECONDS": "0.5",
        "AKSNET_EMULATOR_NETWORK_SECONDS": "0.1",
        "AKSNET_FAST_RETRY": "1",
        "AKSNET_PROGRESS_INTERVAL": "600",
        "PYTHONUNBUFFERED": "1",  # stdout and stderr interleave in the order they were written
        "NO_COLOR": "1",
        "COLUMNS": "100",
    }


def test_documents_have_transcripts() -> None:
    """The README keeps its tutorial and the validate example (a lost block would go unchecked)."""
    commands = [step.command for step in transcripts(REPO / "README.md")]
    assert "aksnet validate examples/specs/too-small.yaml" in commands
    assert any(command.startswith("aksnet drift --local") for command in commands)


@pytest.mark.parametrize("document", [d for d in DOCUMENTS if transcripts(d)], ids=lambda d: d.name)
def test_transcripts_match_real_output(document: Path, tmp_path: Path) -> None:
    env = _sandbox(tmp_path)
    last_status = 0
    for step in transcripts(document):
        if step.command == "echo $?":
            printed = [str(last_status)]
        else:
            done = subprocess.run(["bash", "-c", step.command], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True, timeout=120, check=False)
            last_status = done.returncode
            printed = done.stdout.splitlines()
        actual, expected = _normalise(printed), _normalise(step.expected)
        assert matches(expected, actual), (
            f"{document.name}: `$ {step.command}` printed:\n" + "\n".join(actual)
            + "\n--- but the document shows:\n" + "\n".join(expected)
        )


def test_matching_rules() -> None:
    assert matches(["a", "...", "d"], ["a", "b", "c", "d"])
    assert matches(["a", "...", "b"], ["a", "b"])
    assert not matches(["a", "...", "d"], ["a", "b", "c"])
    assert matches(["x: …/aks-rg"], ["x: /subscriptions/0/resourceGroups/aks-rg"])
    assert not matches(["a"], ["a", "extra"])
