"""Run-time settings: the start-up Settings overlaid with what `/_emulator/config` stored in the database."""

from __future__ import annotations

import json
from typing import Any

from aksnet.emulator.arm.contract import Settings
from aksnet.emulator.arm.store import Store

_SHORTCUTS = {"network": "default_network_duration", "aks": "default_aks_duration"}


def settings_to_dict(settings: Settings) -> dict[str, Any]:
    return {"durations": dict(settings.durations), "default_network_duration": settings.default_network_duration,
            "default_aks_duration": settings.default_aks_duration, "retry_after": settings.retry_after}


def merge(settings: Settings, changes: dict[str, Any]) -> Settings:
    """Apply `{"durations": {type: s}, "default_network_duration": s, "default_aks_duration": s, "retry_after": n}`."""
    unknown = set(changes) - {"durations", "default_network_duration", "default_aks_duration", "retry_after"}
    if unknown:
        raise ValueError(f"unknown config key(s): {', '.join(sorted(unknown))}")
    durations = {k.lower(): float(v) for k, v in settings.durations.items()}
    durations.update({str(k).lower(): float(v) for k, v in dict(changes.get("durations") or {}).items()})
    retry_after = int(changes.get("retry_after", settings.retry_after))
    if retry_after < 0:
        raise ValueError("retry_after must be >= 0")
    return Settings(
        durations=durations,
        default_network_duration=float(changes.get("default_network_duration", settings.default_network_duration)),
        default_aks_duration=float(changes.get("default_aks_duration", settings.default_aks_duration)),
        retry_after=retry_after,
    )


def parse_duration_flags(values: list[str]) -> dict[str, Any]:
    """`--duration TYPE=SECONDS` values; TYPE is an ARM type or `network` / `aks` for the defaults."""
    changes: dict[str, Any] = {"durations": {}}
    for value in values:
        name, sep, seconds = value.partition("=")
        if not sep:
            raise ValueError(f"--duration wants TYPE=SECONDS, got {value!r}")
        if name.lower() in _SHORTCUTS:
            changes[_SHORTCUTS[name.lower()]] = float(seconds)
        else:
            changes["durations"][name] = float(seconds)
    return changes


def effective(store: Store, base: Settings) -> Settings:
    with store.connect() as conn:
        row = conn.execute("SELECT value FROM config WHERE key='settings'").fetchone()
    return merge(base, json.loads(row[0])) if row else base


def update(store: Store, base: Settings, changes: dict[str, Any]) -> Settings:
    """Validate and persist changes (relative to what is stored); returns the new effective settings."""
    with store.connect() as conn:
        conn.execute("BEGIN IMMEDIATE")
        row = conn.execute("SELECT value FROM config WHERE key='settings'").fetchone()
        stored: dict[str, Any] = json.loads(row[0]) if row else {}
        merged_durations = {**dict(stored.get("durations") or {}), **dict(changes.get("durations") or {})}
        stored.update(changes)
        stored["durations"] = merged_durations
        result = merge(base, stored)
        conn.execute("INSERT OR REPLACE INTO config(key, value) VALUES ('settings', ?)", (json.dumps(stored),))
        conn.execute("COMMIT")
    return result
