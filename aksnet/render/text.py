"""`aksnet plan` as text, in Terraform's shape (https://developer.hashicorp.com/terraform/cli/commands/plan). Pure: returns a string."""

from __future__ import annotations

from aksnet.core.plan import summary_line
from aksnet.model import Action, Change, Plan
from aksnet.render.plan_format import (
    EMPTY,
    HEADLINE,
    LEGEND,
    SYMBOL,
    body_lines,
    kind_label,
    reasons,
    warnings,
)

_COLOURS = {"+": "32", "-": "31", "~": "33", "-/+": "35", "!": "1;31"}


def _paint(text: str, symbol: str, color: bool) -> str:
    code = _COLOURS.get(symbol)
    return f"\x1b[{code}m{text}\x1b[0m" if color and code else text


def _block(change: Change, color: bool) -> list[str]:
    symbol = SYMBOL[change.action]
    lines = [f"  # {change.address} {HEADLINE[change.action]}",
             _paint(f"{symbol:>3} {kind_label(change)} {{", symbol, color)]
    for line_symbol, text in body_lines(change):
        lines.append(_paint(f"      {line_symbol} {text}", line_symbol, color))
    lines.append("    }")
    for reason in reasons(change):
        label = "Why" if change.action is not Action.MIGRATE else "Migration"
        lines.append(f"    {label}: {reason}")
    if change.prerequisites:
        lines.append("    Prerequisites (R58):")
        for item in change.prerequisites:
            lines.append(f"      [{'x' if item.met else ' '}] {item.description}")
    if change.stages:
        lines.append("    Stages (applied in order; each waits for its operation):")
        for number, stage in enumerate(change.stages, 1):
            state = "done" if stage.done else "todo"
            lines.append(f"      {number}. [{state}] {stage.name}: {stage.description}")
            for gate in stage.gate:
                if not gate.met:
                    lines.append(f"         blocked: {gate.description}")
    return lines


def render_plan(plan: Plan, *, color: bool = False) -> str:
    if plan.is_empty:
        return EMPTY + "\n"
    out = [LEGEND, "", "aksnet will perform the following actions:", ""]
    for change in plan.actionable:
        out.extend(_block(change, color))
        out.append("")
    out.append(summary_line(plan))
    addresses = {c.id: c.address for c in plan.changes}
    if plan.waves:
        out.append("Execution order:")
        for number, wave in enumerate(plan.waves, 1):
            out.append(f"  {number}. {', '.join(addresses.get(rid, rid) for rid in wave)}")
    out.extend(warnings(plan))
    return "\n".join(out) + "\n"
