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
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from aksnet import __version__
from aksnet.cli import help_examples, output
from aksnet.errors import AksnetError
from aksnet.live.pacing import set_run_deadline
from aksnet.spec.files import ALLOW_OUTSIDE_KEY_PATH

# Command -> its one-line help (what `aksnet --help` lists). Only the module of the command being run is
# imported (`aksnet validate` does not load plan/apply/emulator code); a test keeps these lines equal to
# the help each module registers.
COMMANDS: dict[str, str] = {
    "validate": "check specs offline: YAML, schema, references and AKS networking rules",
    "lint": "security lint of specs (AKSNET001-014), offline",
    "ipplan": "show the address plan: capacity per subnet, max nodes and what limits it",
    "plan": "show what would change in Azure to match the spec(s)",
    "apply": "make Azure match the spec(s), or apply a saved plan exactly",
    "destroy": "delete the resources a spec describes (reverse dependency order)",
    "drift": "report what changed in Azure behind the specs' back (read-only)",
    "export": "write a spec for an existing cluster network (read-only)",
    "show": "render a saved plan",
    "emulator": "run the local Azure Resource Manager emulator",
    "schema": "print the spec's JSON Schema, or where it is (--path, --url, --modeline)",
    "completion": "print a shell completion script (bash, zsh or fish)",
}


class _Parser(argparse.ArgumentParser):
    """argparse exits 2 on a usage error, but 2 means "changes" / "drift" to aksnet's callers
    (docs/cli.md#exit-codes): a mistyped flag in CI must not read as drift. Bad input is exit 1.
    Subparsers are built with the parent's class, so every command gets this."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(1, f"{self.prog}: error: {message}\n")


DEFAULT_RUN_DEADLINE = 600.0  # seconds of throttling waits a command without --timeout accepts

# Commands that read specs, so a linuxProfile.sshPublicKeyFile.
SPEC_COMMANDS = frozenset({"validate", "lint", "ipplan", "plan", "apply", "destroy", "drift"})


def _add_key_path_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--allow-outside-key-path", action="store_true",
                        help="let linuxProfile.sshPublicKeyFile be an absolute path or lie outside the spec's "
                        "directory (by default only files inside the spec's directory tree are read)")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole parser (every command module imported), or, given the `command` being run, that command's
    real parser and a by-name entry (with its help) for each other one: enough for `aksnet --help`, a
    usage error, and `aksnet <command> ...`, without importing the other command modules."""
    parser = _Parser(
        prog="aksnet",
        description="AKS networking as code: validate, plan, apply and drift-check a ClusterNetwork spec.",
        epilog=help_examples.epilog("aksnet"),
        formatter_class=help_examples.ExamplesFormatter,
    )
    parser.add_argument("--version", action="version", version=f"aksnet {__version__}")
    parser.add_argument("--no-color", action="store_true",
                        help="no colour in any command's output (also off when NO_COLOR is set: https://no-color.org)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, summary in COMMANDS.items():
        if command is None or name == command:
            importlib.import_module(f"aksnet.cli.cmd_{name}").register(sub)
            help_examples.decorate(name, sub.choices[name])
            if name in SPEC_COMMANDS:
                _add_key_path_argument(sub.choices[name])
        else:
            sub.add_parser(name, help=summary)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # urllib3 says so when more threads than its pool size share one host; it is a reuse note, not a
    # problem of the run (the connection is just not kept for reuse).
    logging.getLogger("urllib3.connectionpool").setLevel(logging.ERROR)
    parser = build_parser(_command_in(sys.argv[1:] if argv is None else argv))
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 1
    output.reset_documents()
    from aksnet.live.pacing import start_command

    start_command()  # throttling state is per command (tests run many commands in one process)
    # --no-color (before or after the command) becomes NO_COLOR for this run, which rich and every colour
    # decision honour; restored afterwards for callers that run main() in-process.
    set_no_color = bool(getattr(args, "no_color", False)) and "NO_COLOR" not in os.environ
    if set_no_color:
        os.environ["NO_COLOR"] = "1"
    ALLOW_OUTSIDE_KEY_PATH.set(bool(getattr(args, "allow_outside_key_path", False)))
    # Every wait Azure asks for (a 429's Retry-After) ends by the command's --timeout, or by a default for
    # commands without one: `Retry-After: 3600` becomes a clear error, not an hour of silence.
    timeout = getattr(args, "timeout", None)
    set_run_deadline(timeout if isinstance(timeout, int | float) and timeout > 0 else DEFAULT_RUN_DEADLINE)
    try:
        code: int = args.func(args)
        return code
    except AksnetError as err:
        return _report(args, err)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
    except OSError as err:
        # A file or directory the user named (or AKSNET_HOME) that cannot be read or written: one line,
        # not a traceback. Commands translate the ones they expect; this is the last resort.
        where = f": {err.filename}" if err.filename else ""
        return _report(args, AksnetError(f"{err.strerror or err}{where}", hint="check the path and its permissions"))
    except Exception as err:  # a bug in aksnet, not the user's input: keep the traceback, out of the way
        return _report(args, AksnetError(f"internal error ({type(err).__name__}: {err})",
                                         hint=f"this is a bug in aksnet; the traceback is in {_save_traceback()}"))
    finally:
        if set_no_color:
            os.environ.pop("NO_COLOR", None)
        set_run_deadline(None)  # the deadline is this command's, not the process's


def _command_in(argv: Sequence[str]) -> str:
    """The command word: the first argument that is not an option ("" when there is none). aksnet's own
    options (--help, --version) take no value, so nothing before the command can be mistaken for it."""
    return next((arg for arg in argv if not arg.startswith("-")), "")


def _save_traceback() -> str:
    """Write the current exception's traceback to a temporary file (never to the terminal: it could
    hold request details) and return its path."""
    import tempfile
    import traceback

    with tempfile.NamedTemporaryFile("w", prefix="aksnet-crash-", suffix=".txt", delete=False) as handle:
        traceback.print_exc(file=handle)
        return handle.name


def _report(args: argparse.Namespace, err: AksnetError) -> int:
    """One clear error on stderr, exit 1; with `-o json`, also the one document stdout must hold."""
    print(f"Error: {err.message}", file=sys.stderr)
    if err.hint:
        print(f"  fix: {err.hint}", file=sys.stderr)
    if getattr(args, "output", "text") == "json" and not output.documents_written():
        output.print_json(output.error_document(err))
    return 1
