"""The kubenet -> Azure CNI Overlay readiness report of a fleet (one entry per live kubenet cluster).

Text, markdown and a one-line summary such as
"12 kubenet clusters: 9 ready, 3 blocked (policy engine: 2, shared route table: 1)".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Protocol

from aksnet.model import Readiness


class HasReadiness(Protocol):
    """A plan, or a spec's drift entry: where the readiness came from and the readiness itself."""

    @property
    def spec_path(self) -> str: ...

    @property
    def readiness(self) -> tuple[Readiness, ...]: ...


def _entries(plans: Iterable[HasReadiness]) -> list[tuple[HasReadiness, Readiness]]:
    return [(plan, item) for plan in plans for item in plan.readiness]


def readiness_summary(plans: Iterable[HasReadiness]) -> str:
    """One line; empty when no plan has a live kubenet cluster."""
    entries = _entries(plans)
    if not entries:
        return ""
    blocked = [item for _, item in entries if not item.ready]
    total = len(entries)
    line = f"{total} kubenet cluster{'' if total == 1 else 's'}: {total - len(blocked)} ready, {len(blocked)} blocked"
    if blocked:
        # a cluster counts once per category that blocks it
        categories = Counter(category for item in blocked for category in dict.fromkeys(c for c, _ in item.blockers))
        line += " (" + ", ".join(f"{name}: {count}" for name, count in sorted(
            categories.items(), key=lambda kv: (-kv[1], kv[0]))) + ")"
    return line


def readiness_text(plans: Iterable[HasReadiness]) -> str:
    entries = _entries(plans)
    if not entries:
        return ""
    lines = ["Kubenet -> Azure CNI Overlay readiness (kubenet retires on 2028-03-31):"]
    for plan, item in entries:
        state = "ready" if item.ready else "blocked"
        lines.append(f"  {item.cluster} ({plan.spec_path}): {state}")
        for category, description in item.blockers:
            lines.append(f"    - {category}: not met: {description}")
    lines.append(readiness_summary(plan for plan, _ in entries))
    return "\n".join(lines) + "\n"


def readiness_markdown(plans: Iterable[HasReadiness]) -> str:
    entries = _entries(plans)
    if not entries:
        return ""
    lines = ["### Kubenet -> Azure CNI Overlay readiness", "", "| cluster | spec | ready | blocked by |",
             "|---|---|---|---|"]
    for plan, item in entries:
        why = "<br>".join(f"{c}: not met: {d}" for c, d in item.blockers) or "-"
        lines.append(f"| `{item.cluster}` | `{plan.spec_path}` | {'yes' if item.ready else 'no'} | {why} |")
    lines += ["", f"**{readiness_summary(plan for plan, _ in entries)}**", ""]
    return "\n".join(lines)
