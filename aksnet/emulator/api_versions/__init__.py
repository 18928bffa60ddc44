"""The api-versions the emulator accepts, per ARM type, as data: one module per namespace.

Each list holds every version azure-rest-api-specs publishes for the type since 2022 (stable, and the
previews for the namespaces that publish them), plus older ones clients still send. Folders consulted:
https://github.com/Azure/azure-rest-api-specs/tree/main/specification/<rp>/resource-manager/<namespace>/
{stable,preview}/<version>. A published version is never refused: a client pinned to it (an SDK at its
declared floor, Ansible's azure_rm_* modules, an older az) must work. Bodies are served in one shape for
all of them: fields a version does not know are ignored by its client's deserializer.
"""

from __future__ import annotations


def versions(*groups: tuple[str, ...]) -> frozenset[str]:
    return frozenset(v for group in groups for v in group)


def monthly(year: int, months: tuple[int, ...], day: int = 1, suffix: str = "") -> tuple[str, ...]:
    """`monthly(2023, (1, 2), 2, "-preview")` -> ("2023-01-02-preview", "2023-02-02-preview")."""
    return tuple(f"{year}-{m:02d}-{day:02d}{suffix}" for m in months)
