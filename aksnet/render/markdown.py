"""`aksnet plan -o markdown`: a pull-request comment (Atlantis' layout, https://www.runatlantis.io/docs/:
the plan inside <details>, the summary line after it so it shows when collapsed). Pure."""

from __future__ import annotations

from aksnet.core.plan import summary_line
from aksnet.model import Action, Plan
from aksnet.render.plan_format import EMPTY, SYMBOL, body_lines, kind_label, reasons, warnings


def _subscription(value: str) -> str:
    return f"…{value[-4:]}" if len(value) > 4 else value


def render_plan_markdown(plan: Plan) -> str:
    out = [
        f"<!-- aksnet:plan spec={plan.spec_path} -->",
        f"### aksnet plan — `{plan.spec_path}` (subscription `{_subscription(plan.subscription)}`)",
        "",
    ]
    if plan.is_empty:
        out.append(f"**{EMPTY}**")
        return "\n".join(out) + "\n"
    out += ["<details><summary>Show plan</summary>", "", "```diff"]
    for change in plan.actionable:
        out.append(f"{SYMBOL[change.action]} {kind_label(change)}   # {change.address}")
        for symbol, text in body_lines(change):
            if symbol == "~":
                # diff fences colour only +/-: show an in-place field as its old and new value.
                out.append(f"!   {text}")
            else:
                out.append(f"{symbol}   {text}")
    out += ["```", "</details>", "", f"**{summary_line(plan)}**", ""]
    for change in plan.actionable:
        if change.action in (Action.MIGRATE, Action.UNSUPPORTED, Action.REPLACE):
            for reason in reasons(change):
                out.append(f"- `{change.address}` ({change.action}): {reason}")
            for item in change.prerequisites:
                out.append(f"  - [{'x' if item.met else ' '}] {item.description}")
            for number, stage in enumerate(change.stages, 1):
                out.append(f"  {number}. {'~~' if stage.done else ''}**{stage.name}**: {stage.description}"
                           f"{'~~ (done)' if stage.done else ''}")
    for line in warnings(plan):
        out.append(f"> {line}")
    return "\n".join(out).rstrip("\n") + "\n"
