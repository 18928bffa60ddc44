"""The CLI imports only the command being run, and still shows every command in `aksnet --help`."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest
from paths import REPO

from aksnet.cli.main import COMMANDS, build_parser


def _subcommands(parser: argparse.ArgumentParser) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))


def test_the_help_table_matches_what_each_command_module_registers() -> None:
    listed = {choice.dest: choice.help for choice in _subcommands(build_parser())._choices_actions}
    assert listed == COMMANDS


def test_top_level_help_is_the_same_without_importing_any_command() -> None:
    assert build_parser("").format_help() == build_parser().format_help()


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_command_parser_built_alone_equals_the_full_one(command: str) -> None:
    alone = _subcommands(build_parser(command)).choices[command]
    full = _subcommands(build_parser()).choices[command]
    assert alone.format_help() == full.format_help()


def test_validate_imports_no_other_command_module() -> None:
    probe = (
        "import sys\n"
        "from aksnet.cli.main import main\n"
        "code = main(['validate', 'specs/kubenet.yaml'])\n"
        "print(code, ' '.join(sorted(m for m in sys.modules if m.startswith('aksnet.cli.cmd_'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "0 aksnet.cli.cmd_validate"
