"""Which files a command's SPEC arguments name: one discovery for validate, lint, ipplan, plan, apply
and drift, and for the pre-commit hooks.

    expand_spec_args(arguments, command="plan") -> list[str]
        A file is taken as given (the loader reports a missing or broken one, located). A directory
        becomes every aksnet spec below it (*.yaml, *.yml; hidden directories such as .git or .aksnet
        are not entered), sorted; other YAML there (workflows, kustomizations) is skipped with a note
        on stderr. Duplicates are dropped.
    expand_spec_args(arguments, command="validate", only_specs=True)
        The same, and a file given by name that is not an aksnet spec is skipped silently: pre-commit
        passes every staged *.yaml, and a hook must pass over the ones that are not specs.

"Is an aksnet spec": the file declares `apiVersion: aksnet/...` at the start of a line. A file that
declares it but is broken is still a spec, so it fails loudly instead of being skipped.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from pathlib import Path

from aksnet.cli.output import info

SPEC_SUFFIXES = (".yaml", ".yml")
_SPEC_MARKER = re.compile(r"^apiVersion:\s*['\"]?aksnet/", re.MULTILINE)
# The marker is near the top of every spec; reading a bounded head keeps discovery cheap on a large
# YAML file that is not a spec (a Helm chart's values, a generated manifest).
_HEAD_BYTES = 64 * 1024


def looks_like_spec(path: Path) -> bool:
    """True when `path` declares an aksnet apiVersion (or cannot be read: loading will report why)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return True
    from aksnet.spec.detect import looks_like_aksnet_spec

    # Loose on purpose (BOM, key case, typos): a broken spec must fail loudly, never be skipped.
    return bool(_SPEC_MARKER.search(head)) or looks_like_aksnet_spec(head)


def _specs_below(directory: Path) -> tuple[list[Path], list[Path]]:
    """(specs, skipped YAML) below `directory`, each sorted; hidden directories are not entered."""
    found = sorted(
        p for p in directory.rglob("*")
        if p.suffix.lower() in SPEC_SUFFIXES and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(directory).parts[:-1])
    )
    is_spec = {p: looks_like_spec(p) for p in found}
    return [p for p in found if is_spec[p]], [p for p in found if not is_spec[p]]


def expand_spec_args(arguments: Sequence[str], *, command: str, only_specs: bool = False) -> list[str]:
    """Files as given, each directory replaced by the aksnet specs below it (see the module doc)."""
    out: list[str] = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            specs, skipped = _specs_below(path)
            for other in skipped:
                info(f"{command}: skipping {other}: not an aksnet spec (no 'apiVersion: aksnet/...')")
            if not specs:
                info(f"{command}: no aksnet spec below {argument}")
            out.extend(str(p) for p in specs)
        elif only_specs and path.is_file() and not looks_like_spec(path):
            continue
        else:
            out.append(str(path))
    return list(dict.fromkeys(out))


def required_spec_args(arguments: Sequence[str], *, command: str, only_specs: bool = False) -> list[str]:
    """`expand_spec_args`, and a usage error when it finds no spec, unless `only_specs` (a pre-commit
    run over YAML that holds no spec has nothing to check, which is success)."""
    paths = expand_spec_args(arguments, command=command, only_specs=only_specs)
    if not paths and not only_specs:
        from aksnet.errors import UsageError

        raise UsageError(f"no aksnet spec found in {', '.join(arguments)}",
                         hint="pass spec files, or directories holding files with 'apiVersion: aksnet/v1'")
    return paths


def add_only_specs_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--only-specs", action="store_true",
                        help="skip, silently, named files that are not aksnet specs (no 'apiVersion: aksnet/...'); "
                        "for pre-commit, which passes every staged YAML file")
