"""Hostile-input-safe YAML reading that keeps a line and column for every node.

Why not `yaml.safe_load`: it accepts duplicate keys (last one wins), expands alias bombs on traversal,
recurses until `RecursionError` on deep nesting and forgets where each value came from
(https://github.com/yaml/pyyaml/issues/235). Here libyaml (C, when available) only *parses*; this
module builds the values itself from the event stream, iteratively, with caps on size, depth and
expanded node count, and a map from every path to the position of its value.

Rules of the dialect (all errors are located `SpecError`s with an AKSNET-YAML-* finding):
- one document whose top level is a mapping; keys are plain strings taken verbatim (YAML 1.1 would turn
  the key `on:` into `True`), no duplicates, no merge keys (`<<`);
- only the core tags (str, int, float, bool, null, timestamp, map, seq); `!!python/...`, `!!binary`,
  `!custom` are refused (CVE-2017-18342 is why `yaml.load` is unsafe);
- aliases are allowed but their expansion counts towards `MAX_NODES`, so a billion-laughs document
  stops early with a located error instead of exhausting memory later.
Implicit YAML 1.1 typing (`no` -> False, `010` -> 8, `22:22` -> 1342) is kept, but the source text of every
plain scalar that did not become a string is remembered in `LoadedYaml.plain_scalars` so the schema
check can say "quote it" with what the user actually wrote.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.resolver import Resolver

from aksnet.errors import SpecError
from aksnet.model import Finding, Severity, SourceLocation
from aksnet.spec.types import SpecPath, format_path

MAX_BYTES = 1024 * 1024  # a cluster-network spec is a few KiB; 1 MiB leaves room and bounds parse time
MAX_DEPTH = 64  # the schema is 6 levels deep; 64 stops `[[[[...` long before any recursion limit
MAX_NODES = 100_000  # nodes after alias expansion: bounds what schema/diff/JSON traversal can meet

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when built with it: ~10x faster
_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset(_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp"))
_MAP_TAGS = frozenset({None, "!", _TAG + "map"})
_SEQ_TAGS = frozenset({None, "!", _TAG + "seq"})
_STR = _TAG + "str"
_RESOLVER: Any = Resolver()  # untyped in types-PyYAML
_CONSTRUCTOR = SafeConstructor()
_SOURCE_72 = "https://github.com/yaml/pyyaml/issues/235"


@dataclass(slots=True)
class LoadedYaml:
    """A parsed document: plain data plus where each piece came from."""

    data: dict[str, Any]
    values: dict[SpecPath, SourceLocation]  # path -> position of the value node (every key and item)
    keys: dict[SpecPath, SourceLocation]  # path of a mapping entry -> position of its key
    plain_scalars: dict[SpecPath, str]  # unquoted scalars that YAML typed as non-string -> source text


def yaml_error(
    rule: str, message: str, fix: str, file: str, line: int = 0, column: int = 0, path: SpecPath = ()
) -> SpecError:
    """A SpecError holding one AKSNET-YAML finding (line/column 1-based, 0 when unknown)."""
    finding = Finding(
        rule=rule,
        severity=Severity.ERROR,
        message=message,
        fix=fix,
        file=file,
        line=line,
        column=column,
        path=format_path(path),
        source=_SOURCE_72,
    )
    return SpecError(f"{file}:{line}:{column}: {message}", [finding], hint=fix)


def decode_utf8(raw: bytes, file: str) -> str:
    """UTF-8 (optional BOM) or a located AKSNET-YAML-007 error at the first bad byte."""
    if len(raw) > MAX_BYTES:
        raise yaml_error(
            "AKSNET-YAML-005",
            f"the file is {len(raw)} bytes, over the {MAX_BYTES}-byte limit for a spec",
            "split it into one spec per cluster network; a spec is normally a few KiB",
            file,
        )
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as err:
        before = body[: err.start]
        line = before.count(b"\n") + 1
        column = err.start - (before.rfind(b"\n") + 1) + 1
        raise yaml_error(
            "AKSNET-YAML-007",
            f"the file is not valid UTF-8 (byte 0x{body[err.start]:02x})",
            "save the spec as UTF-8",
            file,
            line,
            column,
        ) from None


def _short(tag: str | None) -> str:
    """`tag:yaml.org,2002:python/name:os.system` -> `!!python/name:os.system`, as the user wrote it."""
    text = tag or "?"
    return "!!" + text[len(_TAG) :] if text.startswith(_TAG) else text


def _loc(file: str, mark: Any) -> SourceLocation:
    return SourceLocation(file, mark.line + 1, mark.column + 1)


@dataclass(slots=True)
class _Frame:
    path: SpecPath
    container: dict[str, Any] | list[Any]
    anchor: str | None
    first_entry: int  # index into _Builder.order where this node's descendants start
    pending_key: str | None = None
    key_lines: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class _Anchored:
    value: Any
    entries: list[tuple[SpecPath, SourceLocation, str | None]]  # relative path, location, plain text


class _Builder:
    """Turns the libyaml event stream into values + locations, iteratively (no recursion)."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.stack: list[_Frame] = []
        self.order: list[tuple[SpecPath, SourceLocation, str | None]] = []
        self.keys: dict[SpecPath, SourceLocation] = {}
        self.anchors: dict[str, _Anchored] = {}
        self.nodes = 0
        self.root: Any = None
        self.root_loc: SourceLocation | None = None

    def error(self, rule: str, message: str, fix: str, mark: Any, path: SpecPath = ()) -> SpecError:
        return yaml_error(rule, message, fix, self.file, mark.line + 1, mark.column + 1, path)

    def count(self, n: int, mark: Any, path: SpecPath) -> None:
        self.nodes += n
        if self.nodes > MAX_NODES:
            raise self.error(
                "AKSNET-YAML-003",
                f"the document expands to more than {MAX_NODES} nodes (anchors/aliases used as a "
                "'billion laughs' bomb?)",
                "write the values out instead of nesting aliases",
                mark,
                path,
            )

    def slot(self, event: Event, is_scalar_key_candidate: bool) -> SpecPath | None:
        """The path of the node starting at `event`, or None when it is a mapping key."""
        if not self.stack:
            return ()
        top = self.stack[-1]
        if isinstance(top.container, list):
            return top.path + (len(top.container),)
        if top.pending_key is not None:
            return top.path + (top.pending_key,)
        if not is_scalar_key_candidate:
            raise self.error(
                "AKSNET-YAML-001",
                "a mapping key must be a plain string, not a list, mapping or alias",
                "use a simple `name: value` key",
                event.start_mark,
                top.path,
            )
        return None

    def take_key(self, event: ScalarEvent) -> None:
        top = self.stack[-1]
        key = event.value
        plain = event.implicit[0] and event.tag is None
        if plain and key == "<<":
            raise self.error(
                "AKSNET-YAML-003",
                "merge keys (`<<`) are not supported",
                "write the keys out in full",
                event.start_mark,
                top.path,
            )
        if event.tag not in (None, "!", _STR):
            raise self.error(
                "AKSNET-YAML-006",
                f"unsupported tag {_short(event.tag)} on a key",
                "remove the tag",
                event.start_mark,
                top.path,
            )
        seen = top.key_lines.get(key)
        if seen is not None:
            raise self.error(
                "AKSNET-YAML-002",
                f"duplicate key {key!r} in {format_path(top.path) or 'the top level'} "
                f"(first defined on line {seen})",
                "keep one of the two entries; YAML would silently use the last one",
                event.start_mark,
                top.path + (key,),
            )
        loc = _loc(self.file, event.start_mark)
        top.key_lines[key] = loc.line
        top.pending_key = key
        self.keys[top.path + (key,)] = loc

    def place(self, path: SpecPath, value: Any) -> None:
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        if isinstance(top.container, list):
            top.container.append(value)
        else:
            assert top.pending_key is not None
            top.container[top.pending_key] = value
            top.pending_key = None

    def scalar(self, event: ScalarEvent) -> None:
        path = self.slot(event, True)
        if path is None:
            self.take_key(event)
            return
        self.count(1, event.start_mark, path)
        value, plain_text = self.construct(event, path)
        loc = _loc(self.file, event.start_mark)
        self.order.append((path, loc, plain_text))
        if event.anchor is not None:
            self.anchors[event.anchor] = _Anchored(value, [((), loc, plain_text)])
        self.place(path, value)

    def construct(self, event: ScalarEvent, path: SpecPath) -> tuple[Any, str | None]:
        tag = event.tag
        if tag is None and event.implicit[0]:
            tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, (True, False))
        elif tag is None or tag == "!":  # quoted, or the non-specific tag `!`: a string (https://yaml.org/spec/1.2.2/#691-node-tags)
            tag = _STR
        if tag not in _SCALAR_TAGS:
            if event.tag is not None:
                raise self.error(
                    "AKSNET-YAML-006",
                    f"unsupported tag {_short(event.tag)}; only plain YAML values are allowed",
                    "remove the tag (a spec holds strings, numbers, booleans, lists and mappings)",
                    event.start_mark,
                    path,
                )
            tag = _STR  # implicit oddities such as `=` (the YAML 1.1 value key) stay strings
        node = yaml.ScalarNode(tag, event.value)
        try:
            value = _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, node)
        except (ValueError, yaml.YAMLError):  # e.g. an impossible date 2024-02-30: keep the text
            return event.value, None
        plain_text = event.value if (event.implicit[0] and not isinstance(value, str)) else None
        return value, plain_text

    def alias(self, event: AliasEvent) -> None:
        path = self.slot(event, False)
        assert path is not None
        anchored = self.anchors.get(event.anchor or "")
        if anchored is None:
            raise self.error(
                "AKSNET-YAML-001",
                f"alias *{event.anchor} refers to no anchor defined before it",
                f"define &{event.anchor} earlier in the file, or write the value out",
                event.start_mark,
                path,
            )
        self.count(len(anchored.entries), event.start_mark, path)
        here = _loc(self.file, event.start_mark)
        for rel, loc, text in anchored.entries:
            self.order.append((path + rel, here if not rel else loc, text))
        self.place(path, anchored.value)

    def start(self, event: MappingStartEvent | SequenceStartEvent) -> None:
        path = self.slot(event, False)
        assert path is not None
        is_map = isinstance(event, MappingStartEvent)
        if event.tag not in (_MAP_TAGS if is_map else _SEQ_TAGS):
            raise self.error(
                "AKSNET-YAML-006",
                f"unsupported tag {_short(event.tag)}; only plain YAML mappings and lists are allowed",
                "remove the tag",
                event.start_mark,
                path,
            )
        if len(self.stack) >= MAX_DEPTH:
            raise self.error(
                "AKSNET-YAML-004",
                f"nesting deeper than {MAX_DEPTH} levels",
                "a spec is at most a few levels deep; check for runaway brackets",
                event.start_mark,
                path,
            )
        self.count(1, event.start_mark, path)
        loc = _loc(self.file, event.start_mark)
        if not self.stack:
            self.root_loc = loc
        self.order.append((path, loc, None))
        container: dict[str, Any] | list[Any] = {} if is_map else []
        self.stack.append(_Frame(path, container, event.anchor, len(self.order) - 1))

    def end(self) -> None:
        frame = self.stack.pop()
        if frame.anchor is not None:
            depth = len(frame.path)
            entries = [(p[depth:], loc, text) for p, loc, text in self.order[frame.first_entry :]]
            self.anchors[frame.anchor] = _Anchored(frame.container, entries)
        self.place(frame.path, frame.container)


def _syntax_error(err: yaml.YAMLError, file: str) -> SpecError:
    mark = getattr(err, "problem_mark", None)
    problem = getattr(err, "problem", None)
    context = getattr(err, "context", None)
    if isinstance(err, yaml.reader.ReaderError):
        return yaml_error(
            "AKSNET-YAML-001",
            f"character {err.character!r} is not allowed in YAML ({err.reason})",
            "remove the control character",
            file,
        )
    text = problem or str(err).splitlines()[0]
    if context:
        text = f"{text} ({context}"
        ctx_mark = getattr(err, "context_mark", None)
        text += f" started at line {ctx_mark.line + 1}, column {ctx_mark.column + 1})" if ctx_mark else ")"
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
    if "nesting depth" in text:  # libyaml's own cap (1000) fires before ours on flow collections
        return yaml_error(
            "AKSNET-YAML-004",
            f"nesting too deep: {text}",
            "a spec is at most a few levels deep; check for runaway brackets",
            file,
            line,
            column,
        )
    return yaml_error(
        "AKSNET-YAML-001",
        f"YAML syntax error: {text}",
        "fix the YAML at this position (indentation, a missing ':' or closing bracket/quote?)",
        file,
        line,
        column,
    )


def parse_yaml(text: str, file: str) -> LoadedYaml:
    """Parse one spec document. Raises `SpecError` (one located AKSNET-YAML-* finding) on bad input."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        decode_utf8(text.encode("utf-8"), file)  # raises the size error
    builder = _Builder(file)
    documents = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, ScalarEvent):
                builder.scalar(event)
            elif isinstance(event, MappingStartEvent | SequenceStartEvent):
                builder.start(event)
            elif isinstance(event, MappingEndEvent | SequenceEndEvent):
                builder.end()
            elif isinstance(event, AliasEvent):
                builder.alias(event)
            elif isinstance(event, DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise builder.error(
                        "AKSNET-YAML-008",
                        "the file holds more than one YAML document ('---')",
                        "put one ClusterNetwork per file",
                        event.start_mark,
                    )
            elif isinstance(event, StreamEndEvent):
                break
    except yaml.YAMLError as err:
        raise _syntax_error(err, file) from None
    except RecursionError:  # defensive: the builder is iterative, libyaml too
        raise yaml_error("AKSNET-YAML-004", "nesting too deep", "flatten the document", file) from None
    root = builder.root
    if documents == 0 or root is None:
        raise yaml_error(
            "AKSNET-YAML-008",
            "the file is empty",
            "start from one of the examples in specs/ (apiVersion: aksnet/v1, kind: ClusterNetwork)",
            file,
            1,
            1,
        )
    if not isinstance(root, dict):
        loc = builder.root_loc or builder.order[0][1]
        kind = "a list" if isinstance(root, list) else f"the scalar {root!r}"
        raise yaml_error(
            "AKSNET-YAML-008",
            f"the top level must be a mapping (apiVersion, kind, metadata, spec), found {kind}",
            "start from one of the examples in specs/",
            file,
            loc.line,
            loc.column,
        )
    values = {path: loc for path, loc, _ in builder.order}
    plain = {path: text for path, _, text in builder.order if text is not None}
    return LoadedYaml(root, values, builder.keys, plain)
