"""`aksnet schema [--path | --url | --modeline]`: the ClusterNetwork JSON Schema this aksnet ships, for
editors and other tools (VS Code's YAML extension reads it through a `# yaml-language-server:` modeline)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

HELP = "print the spec's JSON Schema, or where it is (--path, --url, --modeline)"
MODELINE_PREFIX = "# yaml-language-server: $schema="


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "schema", help=HELP,
        description="Print the ClusterNetwork JSON Schema (draft 2020-12) shipped with this aksnet. Its $id is "
        "the raw URL of the same file at this version's tag, so editors can fetch it without aksnet installed.")
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--path", action="store_true", help="print the path of the schema file shipped with aksnet")
    what.add_argument("--url", action="store_true", help="print the schema's $id: its raw URL at this version's tag")
    what.add_argument("--modeline", action="store_true",
                      help="print the `# yaml-language-server: $schema=...` line that makes editors check a spec")
    parser.set_defaults(func=run)


def schema_url() -> str:
    from aksnet.spec.schema import schema_document

    url: str = schema_document()["$id"]
    return url


def modeline() -> str:
    """The first line of a spec that points YAML editors at the schema (yaml-language-server's syntax:
    https://github.com/redhat-developer/yaml-language-server#using-inlined-schema)."""
    return MODELINE_PREFIX + schema_url()


def run(args: argparse.Namespace) -> int:
    from aksnet.spec.schema import SCHEMA_PATH

    if args.path:
        print(SCHEMA_PATH)
    elif args.url:
        print(schema_url())
    elif args.modeline:
        print(modeline())
    else:
        sys.stdout.write(SCHEMA_PATH.read_text(encoding="utf-8"))
    return 0
