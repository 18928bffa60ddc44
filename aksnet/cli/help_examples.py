"""What every `aksnet <command> --help` ends with: one or two real examples (argparse epilog), and the
options every command takes (`--no-color`).

    decorate(name, parser)    adds the examples epilog and --no-color to a command's parser (and its
                              subcommands'), keeping argparse's wrapping of the description
A test parses each example with the real parser, so an example can never name a flag that is gone.
"""

from __future__ import annotations

import argparse

# command (or "command subcommand") -> (command line, what it does); "aksnet <argv>" up to a shell
# redirection or pipe is parsed.
EXAMPLES: dict[str, tuple[tuple[str, str], ...]] = {
    "aksnet": (("aksnet validate specs/", "check every spec below specs/ offline"),
               ("aksnet plan specs/ --local", "what would change, against the local emulator")),
    "validate": (("aksnet validate specs/", "every aksnet spec below specs/; exit 1 on an error"),
                 ("aksnet validate -o json specs/prod.yaml", "the findings as one JSON document")),
    "lint": (("aksnet lint specs/", "security findings of every spec below specs/"),
             ("aksnet lint -o sarif --soft-fail specs/ > aksnet.sarif", "SARIF for code scanning; never fails")),
    "ipplan": (("aksnet ipplan specs/prod.yaml --compare", "capacity under kubenet, Azure CNI and Overlay"),
               ("aksnet ipplan specs/prod.yaml --svg ipplan.svg", "also draw the address space")),
    "plan": (("aksnet plan specs/ --local", "plan every spec below specs/ against the local emulator"),
             ("aksnet plan specs/prod.yaml --out plan.json --detailed-exitcode", "save it; exit 2 on changes")),
    "apply": (("aksnet apply plan.json", "apply exactly the plan saved by `aksnet plan --out`"),
              ("aksnet apply specs/prod.yaml --local --auto-approve", "plan and apply without asking")),
    "destroy": (("aksnet destroy specs/dev.yaml --local", "delete what the spec describes, after confirmation"),),
    "drift": (("aksnet drift specs/", "exit 0 in sync, 2 drifted, 1 error"),
              ("aksnet drift specs/ --shard 1/3 -o junit > drift-1.xml", "a third of the fleet, as JUnit")),
    "export": (("aksnet export -g aks-rg -n aks-cluster --out specs/aks-cluster.yaml",
                "write a spec for an existing cluster"),),
    "show": (("aksnet show plan.json", "render a saved plan as text"),),
    "emulator": (("aksnet emulator serve", "serve $AKSNET_HOME/emulator.db, what `--local` built"),
                 ("aksnet emulator serve --port 8443 --throttle", "with Azure's ARM throttling")),
    "emulator serve": (("aksnet emulator serve --port 0 --db /tmp/ci-emulator.db", "any free port, its own database"),
                       ("aksnet emulator serve --faults faults.json --throttle reads=20/2",
                        "inject faults and a small read budget (docs/emulator.md)")),
    "schema": (("aksnet schema --path", "the shipped schema file, e.g. for VS Code's yaml.schemas"),
               ("aksnet schema --modeline", "the first line that makes editors check a spec")),
    "completion": (("aksnet completion bash > ~/.local/share/bash-completion/completions/aksnet",
                    "bash, for new shells"),
                   ("aksnet completion zsh > \"${fpath[1]}/_aksnet\"", "zsh")),
}


class ExamplesFormatter(argparse.HelpFormatter):
    """argparse's formatter, except that text holding line breaks (the examples epilog) is kept as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if "\n" in text:
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


def epilog(name: str) -> str:
    lines = ["examples:"]
    for command, what in EXAMPLES.get(name, ()):
        lines.append(f"  {command}")
        lines.append(f"      {what}")
    return "\n".join(lines) + "\n"


def add_no_color(parser: argparse.ArgumentParser) -> None:
    """`--no-color` on `parser` unless it has one; SUPPRESS keeps a top-level `aksnet --no-color` intact."""
    own = parser._option_string_actions.get("--no-color")
    if own is None:
        parser.add_argument("--no-color", action="store_true", default=argparse.SUPPRESS,
                            help="no colour in the output (also off when NO_COLOR is set or output is not a terminal)")
    else:
        own.default = argparse.SUPPRESS  # a command's own flag must not reset `aksnet --no-color <command>`


def decorate(name: str, parser: argparse.ArgumentParser) -> None:
    if name in EXAMPLES and not parser.epilog:
        parser.epilog = epilog(name)
        parser.formatter_class = ExamplesFormatter
    add_no_color(parser)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child_name, child in action.choices.items():
                add_no_color(child)
                if f"{name} {child_name}" in EXAMPLES and not child.epilog:
                    child.epilog = epilog(f"{name} {child_name}")
                    child.formatter_class = ExamplesFormatter
