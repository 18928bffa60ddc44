"""Public entry points: a spec file (or text) -> typed `Spec`, or `SpecError` with located findings.

    load_spec(path) -> Spec
    load_spec_text(text, filename) -> Spec

Steps: size cap and UTF-8 (yaml_safe), safe YAML with positions (yaml_safe), JSON Schema (schema),
typed Spec with defaults (build), references and duplicate names (refs). Every problem is a Finding
with a rule id (AKSNET-FILE/YAML/SCHEMA/REF-*), a fix and file/line/column/path; `SpecError.findings`
holds all of them. The semantic rules (`aksnet.checks.rules.check`) are not run here.

The only I/O of the spec package lives here: reading the spec file and a `linuxProfile.sshPublicKeyFile`
(relative to the spec's directory).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence

from aksnet.errors import SpecError
from aksnet.model import Finding, Severity
from aksnet.spec.build import build_spec
from aksnet.spec.refs import check_refs
from aksnet.spec.schema import check_schema
from aksnet.spec.types import Spec
from aksnet.spec.yaml_safe import MAX_BYTES, LoadedYaml, decode_utf8, parse_yaml

MAX_KEY_BYTES = 16 * 1024  # an OpenSSH public key is < 1 KiB (RSA 4096 ~ 750 bytes)


def _spec_error(file: str, findings: Sequence[Finding]) -> SpecError:
    """One SpecError for all findings. Its message/hint show the first one, so a command that only
    prints the error line (the CLI's generic boundary) still says where and what."""
    first = findings[0]
    more = len(findings) - 1
    where = f"{first.file}:{first.line}:{first.column}" if first.line else first.file
    message = f"{where}: {first.message}"
    if more:
        message += f" (and {more} more error{'s' if more != 1 else ''}: run `aksnet validate {file}`)"
    return SpecError(message, findings, hint=first.fix)


def _file_error(file: str, message: str, fix: str) -> SpecError:
    finding = Finding("AKSNET-FILE-001", Severity.ERROR, message, fix, file, 0, 0, "")
    return SpecError(message, [finding], hint=fix)


def load_spec(path: str) -> Spec:
    """Read and check the spec at `path`. Raises SpecError (with findings) for anything invalid."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)  # never read more than the cap plus one byte
    except FileNotFoundError:
        raise _file_error(path, f"spec file {path!r} does not exist", "check the path") from None
    except IsADirectoryError:
        raise _file_error(path, f"{path!r} is a directory, not a spec file", "name a .yaml file") from None
    except OSError as err:
        raise _file_error(
            path, f"cannot read {path!r}: {err.strerror}", "check the path and its permissions"
        ) from None
    return load_spec_text(raw, path)


def load_spec_text(text: str | bytes, filename: str) -> Spec:
    """Check spec `text` as if read from `filename` (used in messages and for sshPublicKeyFile)."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    decoded = decode_utf8(raw, filename)
    loaded = parse_yaml(decoded, filename)
    findings = check_schema(loaded, filename)
    if findings:
        raise _spec_error(filename, findings)
    ssh_key = _read_ssh_key(loaded, filename)
    spec = build_spec(
        loaded.data,
        file=filename,
        sha256=hashlib.sha256(raw).hexdigest(),
        locations=loaded.values,
        ssh_key=ssh_key,
    )
    findings = check_refs(spec)
    if findings:
        raise _spec_error(filename, findings)
    return spec


def _read_ssh_key(loaded: LoadedYaml, filename: str) -> str | None:
    linux = loaded.data["spec"]["cluster"].get("linuxProfile")
    if linux is None or "sshPublicKeyFile" not in linux:
        return None
    rel: str = linux["sshPublicKeyFile"]
    path = os.path.join(os.path.dirname(filename), os.path.expanduser(rel))
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_KEY_BYTES + 1)
        if len(raw) > MAX_KEY_BYTES:
            raise ValueError(f"{len(raw)}+ bytes is too large for a public key")
        key = raw.decode("utf-8").strip()
        if not key:
            raise ValueError("the file is empty")
        return key
    except (OSError, ValueError) as err:
        reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        where = ("spec", "cluster", "linuxProfile", "sshPublicKeyFile")
        loc = loaded.values.get(where)
        finding = Finding(
            "AKSNET-REF-005",
            Severity.ERROR,
            f"cannot read sshPublicKeyFile {rel!r} (resolved to {path!r}): {reason}",
            "give a path relative to the spec file, or put the key text in sshPublicKey",
            filename,
            loc.line if loc else 0,
            loc.column if loc else 0,
            "spec.cluster.linuxProfile.sshPublicKeyFile",
        )
        raise SpecError(finding.message, [finding], hint=finding.fix) from None
