"""Shells and help: `aksnet completion bash` is sourced by a real bash and completes commands, options,
choices and paths; every `--help` ends with real examples (each parses); `--no-color` is accepted by
every command and keeps escape codes out of the output."""

from __future__ import annotations

import argparse
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from paths import REPO

from aksnet.cli.cmd_completion import fish_script, full_parser
from aksnet.cli.help_examples import EXAMPLES
from aksnet.cli.main import COMMANDS, build_parser, main


def _argv(example: str) -> list[str]:
    """The aksnet arguments of an example command line (up to a redirection or a pipe)."""
    words = shlex.split(re.split(r"\s[|>]", example)[0])
    assert words[0] == "aksnet"
    return words[1:]


def test_every_command_has_examples_and_each_one_parses() -> None:
    assert set(EXAMPLES) == set(COMMANDS) | {"aksnet", "emulator serve"}
    for name, examples in EXAMPLES.items():
        assert 1 <= len(examples) <= 2, name
        for line, _ in examples:
            argv = _argv(line)
            assert name == "aksnet" or argv[:len(name.split())] == name.split()
            args = build_parser(argv[0]).parse_args(argv)  # an unknown flag exits (SystemExit)
            assert callable(args.func), line


def test_top_level_help_ends_with_examples(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert capsys.readouterr().out.rstrip().endswith("  aksnet plan specs/ --local\n"
                                                     "      what would change, against the local emulator")


@pytest.mark.parametrize("name", list(COMMANDS))
def test_help_ends_with_the_examples(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main([name, "--help"])
    text = capsys.readouterr().out.rstrip()
    assert "\nexamples:\n" in text
    last_example = EXAMPLES[name][-1]
    assert text.endswith(f"  {last_example[0]}\n      {last_example[1]}")


def test_subcommand_help_ends_with_its_examples(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["emulator", "serve", "--help"])
    line, what = EXAMPLES["emulator serve"][-1]
    assert capsys.readouterr().out.rstrip().endswith(f"  {line}\n      {what}")


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_accepts_no_color(name: str) -> None:
    parser = build_parser(name)
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices[name]
    assert "--no-color" in sub._option_string_actions
    assert "--no-color" in parser._option_string_actions  # also before the command: aksnet --no-color plan


def test_no_color_before_the_command_is_kept_and_becomes_no_color_for_the_run(tmp_path: Path) -> None:
    args = build_parser("validate").parse_args(["--no-color", "validate", "specs/"])
    assert args.no_color is True
    probe = ("import os\nfrom aksnet.cli.main import main\nfrom aksnet.cli import cmd_validate\n"
             "seen = []\n"
             "real = cmd_validate.run\n"
             "cmd_validate.run = lambda args: seen.append(os.environ.get('NO_COLOR')) or 0\n"
             "main(['validate', '--no-color', 'specs/'])\n"
             "print(seen, os.environ.get('NO_COLOR'))\n")
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True,
                          env={"PATH": "/usr/bin:/bin"})
    assert done.stdout.strip() == "['1'] None"  # set for the run, restored after it


def _bash_complete(script: Path, words: list[str], cwd: Path) -> list[str]:
    line = " ".join(shlex.quote(w) if w else '""' for w in words)
    probe = (f"source {shlex.quote(str(script))}\n"
             f"COMP_WORDS=({line}); COMP_CWORD={len(words) - 1}\n"
             "_shtab_aksnet\n"
             'printf "%s\\n" "${COMPREPLY[@]}"\n')
    done = subprocess.run(["bash", "--norc", "--noprofile", "-c", probe], cwd=cwd, capture_output=True,
                          text=True, timeout=30, check=True)
    return done.stdout.split()


def test_bash_completion_script_is_sourced_and_completes(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "aksnet", "completion", "bash"], capture_output=True, text=True,
                          check=True, timeout=60)
    script = tmp_path / "aksnet.bash"
    script.write_text(done.stdout)
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "prod.yaml").write_text("apiVersion: aksnet/v1\n")
    assert _bash_complete(script, ["aksnet", "pl"], tmp_path) == ["plan"]
    assert set(_bash_complete(script, ["aksnet", ""], tmp_path)) >= set(COMMANDS)
    assert _bash_complete(script, ["aksnet", "plan", "--li"], tmp_path) == ["--lint"]
    assert _bash_complete(script, ["aksnet", "plan", "--lint", ""], tmp_path) == ["off", "summary", "full"]
    assert _bash_complete(script, ["aksnet", "drift", "-o", "j"], tmp_path) == ["json", "junit"]
    assert _bash_complete(script, ["aksnet", "validate", "specs/p"], tmp_path) == ["specs/prod.yaml"]
    assert _bash_complete(script, ["aksnet", "completion", "f"], tmp_path) == ["fish"]


def test_zsh_completion_script_is_a_compdef_for_every_command() -> None:
    done = subprocess.run([sys.executable, "-m", "aksnet", "completion", "zsh"], capture_output=True, text=True,
                          check=True, timeout=60)
    assert done.stdout.startswith("#compdef aksnet")
    for name in COMMANDS:
        assert f"    {name}:'" in done.stdout
    assert "(off summary full)" in done.stdout


def test_fish_script_names_every_command_option_and_choice() -> None:
    script = fish_script(full_parser())
    for name in COMMANDS:
        assert f"-a {name} -d " in script
    assert "-n '__fish_seen_subcommand_from plan' -l lint -x -a 'off summary full'" in script
    assert "-n '__fish_seen_subcommand_from validate' -F" in script  # spec paths
    assert "__fish_seen_subcommand_from emulator' -a serve" in script
