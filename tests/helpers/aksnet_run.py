"""Helpers for aksnet end-to-end tests: run the CLI against the session emulator (in process, or as a
subprocess when a test needs to kill it), count requests in the emulator journal, dump its database."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from paths import REPO

SPECS = REPO / "specs"
SPEC_FILES = sorted(p.name for p in SPECS.glob("*.yaml"))
WRITE_METHODS = {"PUT", "DELETE", "PATCH", "POST"}


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def target_args(emulator: Any) -> list[str]:
    return ["--endpoint", emulator.endpoint, "--ca-file", emulator.ca_file]


def run_cli(emulator: Any, *argv: str) -> Outcome:
    """`aksnet <argv> --endpoint ...` in this process (fast: the SDK is imported once per worker)."""
    from aksnet.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    args = list(argv)
    if emulator is not None:
        args += target_args(emulator)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    return Outcome(code, out.getvalue(), err.getvalue())


def run_subprocess(emulator: Any, *argv: str, env: dict[str, str] | None = None, timeout: float = 120) -> Outcome:
    full_env = {**os.environ, **(env or {})}
    proc = subprocess.run([sys.executable, "-m", "aksnet", *argv, *target_args(emulator)], capture_output=True,
                          text=True, env=full_env, timeout=timeout, cwd=str(REPO))
    return Outcome(proc.returncode, proc.stdout, proc.stderr)


def arm_requests(admin: Any, since: int = 0) -> list[dict[str, Any]]:
    """Journal entries for ARM calls (not the token endpoint, not the admin API)."""
    return [e for e in admin.journal(since) if e["path"].lower().startswith("/subscriptions")]


def writes(admin: Any, since: int = 0) -> list[dict[str, Any]]:
    return [e for e in arm_requests(admin, since) if e["method"] in WRITE_METHODS]


def resource_reads(admin: Any, since: int = 0) -> list[dict[str, Any]]:
    """GETs of resources (operation-status polls excluded)."""
    return [e for e in arm_requests(admin, since)
            if e["method"] == "GET" and "/operations/" not in e["path"].lower()
            and "/operationresults/" not in e["path"].lower()]


def last_index(admin: Any) -> int:
    entries = admin.journal()
    return int(entries[-1]["index"]) if entries else 0


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
_VOLATILE_KEYS = {"etag", "eTag", "resourceGuid", "systemData", "createdOn", "updatedOn", "createdBy", "updatedBy",
                  "principalId", "tenantId", "objectId", "clientId", "fqdn", "azurePortalFQDN", "privateFQDN",
                  "resourceUID", "nodeImageVersion", "effectiveOutboundIPs"}


def _scrub(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in sorted(value.items()) if k not in _VOLATILE_KEYS}
    if isinstance(value, list):
        return sorted((_scrub(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, str):
        return _UUID.sub("<uuid>", value)
    return value


def db_state(db_path: str) -> dict[str, Any]:
    """Every stored resource, keyed by its id, with etags, guids and timestamps taken out."""
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        rows = conn.execute("SELECT id, body FROM resources ORDER BY key").fetchall()
    out: dict[str, Any] = {}
    for rid, body in rows:
        key = _UUID.sub("<uuid>", rid.lower())
        assert key not in out, f"duplicate resource {rid}"
        out[key] = _scrub(json.loads(body))
    return out


def spec_copy(tmp_path: Path, name: str, *replacements: tuple[str, str]) -> str:
    """A copy of specs/<name> with text replacements (each must apply)."""
    text = (SPECS / name).read_text()
    for old, new in replacements:
        assert old in text, f"{old!r} not in {name}"
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text)
    return str(path)


@pytest.fixture
def aksnet_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its own AKSNET_HOME (spec locks) and fast retries on the emulator (docs/development.md#test-seams)."""
    monkeypatch.setenv("AKSNET_HOME", str(tmp_path / "aksnet-home"))
    monkeypatch.setenv("AKSNET_FAST_RETRY", "1")
    monkeypatch.setenv("AKSNET_SDK_RETRY_BACKOFF", "0.05")
    monkeypatch.setenv("AKSNET_PROGRESS_INTERVAL", "5")
    for name in ("AZURE_SUBSCRIPTION_ID", "CI"):
        monkeypatch.delenv(name, raising=False)
