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
from aksnet.spec.files import ALLOW_OUTSIDE_KEY_PATH, FileRefused, in_pseudo_filesystem, read_regular_file
from aksnet.spec.refs import check_refs
from aksnet.spec.schema import check_schema
from aksnet.spec.sshkey import NotAPublicKey, parse_public_key
from aksnet.spec.types import Spec
from aksnet.spec.yaml_safe import MAX_BYTES, LoadedYaml, decode_utf8, parse_yaml

MAX_KEY_BYTES = 16 * 1024  # an OpenSSH public key is < 1 KiB (RSA 4096 ~ 750 bytes)
KEY_FIX = "give the path of a .pub file inside the spec's directory, or put the key line in sshPublicKey"


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
        # Regular files only, stat before open, at most the cap plus one byte: a FIFO or /dev/zero
        # (also behind a symlink) is refused at once instead of hanging or filling memory.
        raw = read_regular_file(path, MAX_BYTES, refuse_over_cap=False)
    except FileNotFoundError:
        raise _file_error(path, f"spec file {path!r} does not exist", "check the path") from None
    except IsADirectoryError:
        raise _file_error(path, f"{path!r} is a directory, not a spec file", "name a .yaml file") from None
    except FileRefused as err:
        if str(err).startswith("it is a directory"):
            raise _file_error(path, f"{path!r} is a directory, not a spec file", "name a .yaml file") from None
        raise _file_error(path, f"cannot read the spec {path!r}: {err}", "name a regular .yaml file") from None
    except (OSError, ValueError) as err:
        raise _file_error(
            path, f"cannot read {path!r}: {getattr(err, 'strerror', None) or err}", "check the path and its permissions"
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


def _key_finding(rule: str, loaded: LoadedYaml, filename: str, field: str, message: str, fix: str) -> Finding:
    loc = loaded.values.get(("spec", "cluster", "linuxProfile", field))
    return Finding(rule, Severity.ERROR, message, fix, filename, loc.line if loc else 0, loc.column if loc else 0,
                   f"spec.cluster.linuxProfile.{field}")


def _key_error(finding: Finding) -> SpecError:
    return SpecError(f"{finding.file}:{finding.line}:{finding.column}: {finding.message}", [finding], hint=finding.fix)


def key_file_path(rel: str, filename: str, *, allow_outside: bool) -> str:
    """The real path of `linuxProfile.sshPublicKeyFile` (relative to the spec's directory), or
    FileRefused when it is absolute, escapes the spec's directory tree (`..`, a symlink out of it) or
    lies in /proc or /sys (devices are refused by `read_regular_file`)."""
    if "\0" in rel:
        raise FileRefused("the path contains a NUL character")
    expanded = os.path.expanduser(rel)
    if os.path.isabs(expanded) and not allow_outside:
        raise FileRefused("an absolute path is only read with --allow-outside-key-path")
    spec_dir = os.path.dirname(os.path.abspath(filename))
    real = os.path.realpath(os.path.join(spec_dir, expanded))
    if in_pseudo_filesystem(real):
        raise FileRefused("it is in a kernel pseudo-filesystem (/proc, /sys)")
    if not allow_outside:
        root = os.path.realpath(spec_dir)
        if os.path.commonpath([root, real]) != root:
            raise FileRefused(f"it resolves to {real!r}, outside the spec's directory {root!r} "
                              "(pass --allow-outside-key-path to read it anyway)")
    return real


def _read_ssh_key(loaded: LoadedYaml, filename: str) -> str | None:
    """The checked key line of `sshPublicKeyFile`, or None. The inline `sshPublicKey` is checked too:
    both must be one OpenSSH public key (AKSNET-KEY-002); the file must be a regular file inside the
    spec's directory tree (AKSNET-KEY-001)."""
    linux = loaded.data["spec"]["cluster"].get("linuxProfile")
    if linux is None:
        return None
    if "sshPublicKey" in linux:
        _check_key_text(str(linux["sshPublicKey"]), loaded, filename, "sshPublicKey", "sshPublicKey")
    if "sshPublicKeyFile" not in linux:
        return None
    rel: str = linux["sshPublicKeyFile"]
    field = "sshPublicKeyFile"
    try:
        path = key_file_path(rel, filename, allow_outside=ALLOW_OUTSIDE_KEY_PATH.get())
        raw = read_regular_file(path, MAX_KEY_BYTES)
    except FileRefused as err:
        raise _key_error(_key_finding("AKSNET-KEY-001", loaded, filename, field,
                                      f"refusing to read sshPublicKeyFile {rel!r}: {err}", KEY_FIX)) from None
    except OSError as err:
        reason = err.strerror or str(err)
        raise _key_error(_key_finding(
            "AKSNET-REF-005", loaded, filename, field, f"cannot read sshPublicKeyFile {rel!r}: {reason}",
            "give a path relative to the spec file, or put the key text in sshPublicKey")) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _key_error(_key_finding("AKSNET-KEY-002", loaded, filename, field,
                                      f"sshPublicKeyFile {rel!r} is not an OpenSSH public key: it is not UTF-8 text",
                                      KEY_FIX)) from None
    return _check_key_text(text, loaded, filename, field, f"sshPublicKeyFile {rel!r}")


def _check_key_text(text: str, loaded: LoadedYaml, filename: str, field: str, what: str) -> str:
    try:
        key = parse_public_key(text)
    except NotAPublicKey as err:
        raise _key_error(_key_finding(
            "AKSNET-KEY-002", loaded, filename, field, f"{what} is not an OpenSSH public key: {err}",
            "use the one-line public key (`ssh-keygen -y -f KEY > KEY.pub`; types ssh-rsa, ssh-ed25519, "
            "ecdsa-sha2-nistp256/384/521)")) from None
    del key  # parsed only to prove it is a key; the text is used as written (AKS stores it verbatim)
    return text.strip()
