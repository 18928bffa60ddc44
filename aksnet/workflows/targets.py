"""Targets: real Azure, the embedded emulator (`--local`) or a running emulator (`--endpoint`).

The composition root: the only place (with the CLI) that starts the emulator. The same SDK clients
serve all three targets; only endpoint, credential and CA differ.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aksnet.errors import UsageError
from aksnet.live.azure.clients import Connection, azure_credential, check_endpoint, emulator_credential


def aksnet_home() -> Path:
    """`$AKSNET_HOME`, default `./.aksnet/`."""
    return Path(os.environ.get("AKSNET_HOME") or ".aksnet")


@dataclass(frozen=True, slots=True)
class TargetOptions:
    """What the command line asked for (see `aksnet.cli.target`)."""

    local: bool = False
    endpoint: str | None = None
    ca_file: str | None = None
    subscription: str | None = None  # --subscription


@contextmanager
def open_target(options: TargetOptions) -> Iterator[Connection]:
    """Open the target for one command; `--local` starts the embedded emulator for its duration."""
    if options.local and options.endpoint:
        raise UsageError("--local and --endpoint are alternatives", hint="give one of them")
    if options.local:
        with _embedded_emulator() as (local_url, local_ca):
            conn = Connection("local", local_url, local_ca, emulator_credential(local_url, local_ca))
            try:
                yield conn
            finally:
                conn.close()
        return
    if options.endpoint:
        ca_file = options.ca_file or os.environ.get("REQUESTS_CA_BUNDLE") or None
        base_url = options.endpoint.rstrip("/")
        if not base_url.lower().startswith("https://"):
            # azure-core refuses bearer tokens over http (https://github.com/Azure/azure-sdk-for-python/blob/main/sdk/core/azure-core/azure/core/pipeline/policies/_authentication.py).
            raise UsageError(f"--endpoint must be an https:// URL, got {options.endpoint!r}",
                             hint="use the URL `aksnet emulator serve` printed")
        if ca_file and not Path(ca_file).is_file():
            source = "--ca-file" if options.ca_file else "REQUESTS_CA_BUNDLE"
            raise UsageError(f"{source} {ca_file} is not a file",
                             hint="pass the ca.pem that `aksnet emulator serve` printed")
        conn = Connection("endpoint", base_url, ca_file, emulator_credential(base_url, ca_file))
        try:
            check_endpoint(conn)
        except BaseException:
            conn.close()
            raise
    else:
        conn = Connection("azure", None, None, azure_credential())
    try:
        yield conn
    finally:
        conn.close()


def local_emulator_paths() -> tuple[Path, Path]:
    """(database, directory for the CA) of the embedded emulator: `$AKSNET_HOME/emulator.db`, CA beside it."""
    home = aksnet_home()
    return home / "emulator.db", home


@contextmanager
def _embedded_emulator() -> Iterator[tuple[str, str]]:
    import sqlite3

    from aksnet.emulator.server import start_emulator

    db, _ = local_emulator_paths()
    try:
        from aksnet.live.locking import make_private_dir

        make_private_dir(db.parent)  # $AKSNET_HOME is 0700: it holds the emulator's database and CA key
        handle = start_emulator(str(db), local_settings())
    except (OSError, sqlite3.Error) as err:
        raise UsageError(f"cannot start the embedded emulator with database {db}: {err}",
                         hint="set AKSNET_HOME to a writable directory (default ./.aksnet/), or move a "
                         "damaged emulator.db away") from err
    try:
        yield handle.endpoint, handle.ca_file
    finally:
        handle.stop()


def local_settings() -> Any:
    """Emulator timings for `--local`: AKSNET_EMULATOR_AKS_SECONDS / AKSNET_EMULATOR_NETWORK_SECONDS
    shorten the demo's long-running operations (defaults are the emulator's own)."""
    from aksnet.emulator.arm.contract import Settings

    kw: dict[str, Any] = {}
    aks = os.environ.get("AKSNET_EMULATOR_AKS_SECONDS")
    net = os.environ.get("AKSNET_EMULATOR_NETWORK_SECONDS")
    if aks:
        kw["default_aks_duration"] = float(aks)
    if net:
        kw["default_network_duration"] = float(net)
    return Settings(**kw)


def resolve_subscription(conn: Connection, flag: str | None, spec_subscription: str | None) -> str:
    """Azure: --subscription > AZURE_SUBSCRIPTION_ID > spec; emulator: --subscription > spec > the
    emulator's first. A spec pinning another subscription than the effective one is an error
    (stops a prod spec hitting the wrong subscription: docs/cli.md#targets)."""
    chosen: str | None
    if conn.is_emulator:
        chosen = flag or spec_subscription or conn.first_subscription()
    else:
        chosen = flag or os.environ.get("AZURE_SUBSCRIPTION_ID") or spec_subscription
    if not chosen:
        raise UsageError("no subscription given",
                         hint="pass --subscription, set AZURE_SUBSCRIPTION_ID or set spec.subscriptionId")
    if spec_subscription and spec_subscription.lower() != chosen.lower():
        raise UsageError(
            f"the spec pins subscription {spec_subscription} but the effective subscription is {chosen}",
            hint="fix --subscription / AZURE_SUBSCRIPTION_ID or the spec's subscriptionId",
        )
    return chosen


# -- saved plans are bound to their target ------------------------------------------------------

def target_record(conn: Connection, subscription: str) -> dict[str, str]:
    """What a saved plan records about where it was made. The embedded emulator's URL changes on every
    run, so `--local` is identified by its database file instead; real Azure by tenant and subscription."""
    from aksnet.live.azure.clients import token_tenant

    record = {"kind": conn.kind, "subscription": subscription}
    if conn.kind == "endpoint" and conn.base_url:
        record["endpoint"] = conn.base_url.rstrip("/")
    if conn.kind == "local":
        record["database"] = str(local_emulator_paths()[0].resolve())
    tenant = token_tenant(conn)
    if tenant:
        record["tenant"] = tenant
    return record


def requested_target(options: TargetOptions) -> dict[str, str]:
    """The part of `target_record` the command line alone decides (no connection, no credential), so a
    plan saved against another kind of target is refused before anything is started or signed in."""
    if options.local:
        return {"kind": "local", "database": str(local_emulator_paths()[0].resolve())}
    if options.endpoint:
        return {"kind": "endpoint", "endpoint": options.endpoint.rstrip("/")}
    return {"kind": "azure"}


def describe_target(record: Mapping[str, str]) -> str:
    kind = record.get("kind", "")
    if kind == "local":
        return f"the embedded emulator (--local, database {record.get('database', '?')})"
    if kind == "endpoint":
        return f"the emulator at {record.get('endpoint', '?')} (--endpoint)"
    if kind == "azure":
        known = [f"{key} {record[key]}" for key in ("tenant", "subscription") if record.get(key)]
        return f"Azure ({', '.join(known)})" if known else "Azure"
    return "an unknown target"


def target_mismatch(saved: Mapping[str, str], current: Mapping[str, str]) -> str | None:
    """Why a plan saved against `saved` must not be applied to `current` (None: same target)."""
    if not saved:
        return "the plan does not record the target it was made against"
    keys = {"local": ("kind", "database"), "endpoint": ("kind", "endpoint"), "azure": ("kind",)}.get(
        saved.get("kind", ""), ("kind",))
    different = [k for k in (*keys, "subscription", "tenant")
                 if saved.get(k) and current.get(k) and saved[k].lower() != current[k].lower()]
    if any(k not in current for k in keys) or different:
        return f"the plan was made against {describe_target(saved)}, not {describe_target(current)}"
    return None


def apply_command(options: TargetOptions, plan_path: str) -> str:
    """The exact command that applies a plan saved by `plan --out` to the target it was made against."""
    import shlex

    words = ["aksnet", "apply"]
    if options.local:
        words.append("--local")
    elif options.endpoint:
        words += ["--endpoint", options.endpoint]
        if options.ca_file:
            words += ["--ca-file", options.ca_file]
    if options.subscription:
        words += ["--subscription", options.subscription]
    return shlex.join([*words, plan_path])
