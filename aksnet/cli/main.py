"""`aksnet` entry point: builds the parser from the command modules and holds the one error boundary.

Each command lives in `aksnet.cli.cmd_<name>` and exposes `register(subparsers) -> None`, which adds
its parser and sets `func=run` where `run(args: argparse.Namespace) -> int` returns the exit code.
Command modules import heavy things (the Azure SDK, rich) inside `run`, never at module level, so
`aksnet validate` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from aksnet import __version__
from aksnet.errors import AksnetError

COMMANDS = (
    "validate",
    "lint",
    "ipplan",
    "plan",
    "apply",
    "destroy",
    "drift",
    "export",
    "show",
    "emulator",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aksnet",
        description="AKS networking as code: validate, plan, apply and drift-check a ClusterNetwork spec.",
    )
    parser.add_argument("--version", action="version", version=f"aksnet {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"aksnet.cli.cmd_{name}")
        except ModuleNotFoundError as err:  # DEV-ONLY while commands are being written; made strict at the end
            if err.name != f"aksnet.cli.cmd_{name}":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 1
    try:
        code: int = args.func(args)
        return code
    except AksnetError as err:
        print(f"Error: {err.message}", file=sys.stderr)
        if err.hint:
            print(f"  fix: {err.hint}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
