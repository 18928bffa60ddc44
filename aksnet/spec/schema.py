"""JSON Schema (draft 2020-12) check of a parsed spec, turned into located, fixable findings.

The schema file is `aksnet/schemas/clusternetwork.v1.json` (a byte-identical copy of
`schemas/clusternetwork.v1.json`, shipped in the wheel). It checks structure and types only; value rules
(CIDR syntax, ranges, capacity) are `aksnet.checks.rules`. jsonschema's own messages are replaced by ones that
say what to do: unknown keys get a difflib "did you mean", enums the closest allowed value, and a string
field that YAML 1.1 typed as something else ("no", "010", "22:22", "1.30") says "quote it" with the text
the user wrote (YAML 1.1 typing surprises, https://yaml.org/spec/1.2.2/#103-core-schema).
"""

from __future__ import annotations

import datetime
import difflib
import json
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from aksnet.model import Finding, Severity
from aksnet.spec.types import SpecPath, format_path
from aksnet.spec.yaml_safe import LoadedYaml

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "clusternetwork.v1.json"
_SOURCE = "schemas/clusternetwork.v1.json"


@cache
def schema_document() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


@cache
def _validator() -> Any:
    # Imported here, once: jsonschema costs ~60 ms to import and the compiled validator is reused for
    # every spec of a run (bench/validate_bench.py: 1,000 specs in under 3 s).
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema_document())


def suggest(word: str, choices: Iterable[str]) -> str | None:
    """The closest choice to `word` (case-insensitive), for "did you mean ...?"."""
    options = list(choices)
    folded = {c.casefold(): c for c in options}
    if word.casefold() in folded:
        return folded[word.casefold()]
    close = difflib.get_close_matches(word.casefold(), list(folded), n=1, cutoff=0.6)
    return folded[close[0]] if close else None


def _kind(value: Any) -> str:
    if value is None:
        return "an empty value (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, datetime.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


_TYPE_WORDS = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping",
    "null": "nothing",
}


class _Findings:
    def __init__(self, loaded: LoadedYaml, file: str) -> None:
        self.loaded = loaded
        self.file = file
        self.items: list[Finding] = []
        self.seen: set[tuple[str, SpecPath]] = set()

    def add(self, rule: str, path: SpecPath, message: str, fix: str, *, at_key: bool = False) -> None:
        loc = self.loaded.keys.get(path) if at_key else None
        probe = path
        while loc is None:
            loc = self.loaded.values.get(probe)
            if not probe:
                break
            probe = probe[:-1]
        line, column = (loc.line, loc.column) if loc is not None else (0, 0)
        if (rule, path) in self.seen:  # jsonschema reports `required` once per missing key, for each
            return
        self.seen.add((rule, path))
        self.items.append(
            Finding(
                rule, Severity.ERROR, message, fix, self.file, line, column, format_path(path), source=_SOURCE
            )
        )


def _where(path: SpecPath) -> str:
    return format_path(path) or "the top level"


def _unknown_keys(
    out: _Findings, path: SpecPath, instance: Mapping[str, Any], schema: Mapping[str, Any]
) -> None:
    allowed = list(schema.get("properties", {}))
    for key in instance:
        if key in allowed:
            continue
        guess = suggest(key, allowed)
        fix = f"did you mean {guess!r}?" if guess else f"remove it; allowed here: {', '.join(allowed)}"
        out.add(
            "AKSNET-SCHEMA-001", path + (key,), f"unknown key {key!r} in {_where(path)}", fix, at_key=True
        )


def _wrong_type(out: _Findings, path: SpecPath, instance: Any, expected: str | list[str]) -> None:
    wanted = [expected] if isinstance(expected, str) else list(expected)
    words = " or ".join(_TYPE_WORDS.get(t, t) for t in wanted)
    message = f"{_where(path)} must be {words}, not {_kind(instance)}"
    text = out.loaded.plain_scalars.get(path)
    if "string" in wanted and text is not None:
        if instance is None:
            fix = "give it a value, or remove the key"
        else:
            # YAML 1.1 implicit typing: the user wrote a string the parser read as another type.
            message += f" (YAML 1.1 reads the unquoted `{text}` as {_kind(instance)})"
            fix = f"quote it: '{text}'"
    elif instance is None:
        fix = "give it a value, or remove the key"
    else:
        fix = f"write {words} here"
    out.add("AKSNET-SCHEMA-003", path, message, fix)


def _not_allowed(out: _Findings, path: SpecPath, instance: Any, allowed: list[Any]) -> None:
    shown = ", ".join(repr(a) if a == "*" else str(a) for a in allowed)
    fix = f"use one of: {shown}" if len(allowed) > 1 else f"use {shown} (the only value allowed here)"
    if isinstance(instance, str) and len(allowed) > 1:
        guess = suggest(instance, [str(a) for a in allowed])
        if guess:
            fix = f"did you mean {guess!r}?"
    text = out.loaded.plain_scalars.get(path)
    shown_value = f"`{text}` (read as {_kind(instance)})" if text is not None else repr(instance)
    out.add("AKSNET-SCHEMA-004", path, f"{_where(path)}: {shown_value} is not allowed", fix)


def _constraint(out: _Findings, path: SpecPath, error: Any) -> None:
    keyword: str = error.validator
    value = error.validator_value
    desc = error.schema.get("description") if isinstance(error.schema, Mapping) else None
    hints = {
        "minLength": "must not be empty",
        "minItems": f"needs at least {value} item{'s' if value != 1 else ''}",
        "minimum": f"must be at least {value}",
        "maximum": f"must be at most {value}",
        "pattern": "has the wrong format",
        "oneOf": "is not valid",
        "uniqueItems": "has duplicate items",
    }
    what = hints.get(keyword, error.message)
    fix = desc or {
        "minLength": "give it a value, or remove the key",
        "minItems": "add an item, or remove the key",
    }.get(keyword, "see schemas/clusternetwork.v1.json")
    out.add("AKSNET-SCHEMA-005", path, f"{_where(path)} {what}", f"expected {fix}" if desc else fix)


def _ambiguous_numbers(out: _Findings) -> None:
    """Integers YAML 1.1 read from a non-decimal spelling: `22:22` (sexagesimal 1342), `010` (octal 8),
    `0x1F`, `1_000`. Where the schema also accepts an integer (ports, maxSurge, count) the value would pass
    silently as a different number, so each one is an error that shows both readings."""
    data_at = out.loaded.data
    for path, text in out.loaded.plain_scalars.items():
        value: Any = data_at
        for part in path:
            value = value[part]
        if isinstance(value, bool) or not isinstance(value, int):
            continue
        if text.lstrip("+") == str(value):
            continue
        out.add(
            "AKSNET-SCHEMA-003",
            path,
            f"{_where(path)}: YAML 1.1 reads the unquoted `{text}` as the number {value}",
            f"quote it: '{text}' (or write {value} if that number is meant)",
        )


def check_schema(loaded: LoadedYaml, file: str) -> list[Finding]:
    """Every schema violation of `loaded.data` as a located AKSNET-SCHEMA-* error finding."""
    out = _Findings(loaded, file)
    for error in _validator().iter_errors(loaded.data):
        path: SpecPath = tuple(error.absolute_path)
        keyword = error.validator
        if keyword == "additionalProperties" and error.validator_value is False:
            _unknown_keys(out, path, error.instance, error.schema)
        elif keyword == "required":
            for key in error.validator_value:
                if isinstance(error.instance, Mapping) and key not in error.instance:
                    out.add(
                        "AKSNET-SCHEMA-002",
                        path + (key,),
                        f"missing required key {key!r} in {_where(path)}",
                        f"add `{key}: ...` to {_where(path)}",
                    )
        elif keyword == "type":
            _wrong_type(out, path, error.instance, error.validator_value)
        elif keyword == "enum":
            _not_allowed(out, path, error.instance, list(error.validator_value))
        elif keyword == "const":
            _not_allowed(out, path, error.instance, [error.validator_value])
        else:
            _constraint(out, path, error)
    _ambiguous_numbers(out)
    # A misspelt key is reported once: "unknown key 'adressPrefix', did you mean 'addressPrefix'?" already
    # says what the "missing required key 'addressPrefix'" finding would.
    suggested = {
        ".".join(f.path.split(".")[:-1] + [f.fix.split("'")[1]])
        for f in out.items
        if f.rule == "AKSNET-SCHEMA-001" and f.fix.startswith("did you mean")
    }
    kept = [f for f in out.items if not (f.rule == "AKSNET-SCHEMA-002" and f.path in suggested)]
    return sorted(kept, key=lambda f: (f.line, f.column, f.path, f.rule))
