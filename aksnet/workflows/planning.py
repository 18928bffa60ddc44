"""The steps plan, apply and destroy share: validate + lint a spec (no HTTP on errors), then read
live state and build the plan through the pure core."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aksnet.errors import SpecError
from aksnet.model import Desired, Finding, Live, Plan, Severity
from aksnet.spec.types import Spec

if TYPE_CHECKING:
    from aksnet.checks.lint import LintReport


def check_spec(path: str, *, lint: bool = True) -> tuple[Spec, LintReport | None]:
    """Load and check a spec before any request. Errors raise SpecError carrying their located findings
    (the caller shows them); lint findings are returned and never make the spec invalid."""
    from aksnet.checks.rules import check
    from aksnet.spec.load import load_spec

    try:
        spec = load_spec(path)
    except SpecError as err:
        if not err.findings:
            raise
        raise invalid_spec(path, err.findings) from err
    findings: list[Finding] = list(check(spec))
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if errors:
        raise invalid_spec(path, errors)
    if not lint:
        return spec, None
    from aksnet.checks.lint import lint_report

    return spec, lint_report(spec)


def invalid_spec(path: str, findings: Sequence[Finding]) -> SpecError:
    """The error for a spec whose located findings were just printed: a one-line summary that does not
    repeat them (the CLI prints `Error: <message>`), e.g. `x.yaml is invalid: 2 errors; nothing was sent
    to Azure`. The findings ride along for `-o json` and `aksnet drift`'s report."""
    count = sum(1 for f in findings if f.severity is Severity.ERROR)
    unreadable = all(f.rule.startswith("AKSNET-FILE") for f in findings)
    state = "could not be read" if unreadable else f"is invalid: {count} error{'' if count == 1 else 's'}"
    return SpecError(f"{path} {state}; nothing was sent to Azure", findings)


@dataclass(slots=True)
class PlanRun:
    spec: Spec
    subscription: str
    desired: Mapping[str, Desired]
    live: Mapping[str, Live | None]
    plan: Plan
    api: Any  # aksnet.live.azure.resources.ResourceApi
    warnings: tuple[Finding, ...] = ()  # what Azure holds that the plan leaves alone but a user should know


def api_for(conn: Any, spec: Spec, subscription_flag: str | None) -> tuple[str, Any]:
    from aksnet.live.azure.resources import ResourceApi
    from aksnet.workflows.targets import resolve_subscription

    subscription = resolve_subscription(conn, subscription_flag, spec.subscription_id)
    return subscription, ResourceApi(conn, subscription)


def plan_spec(conn: Any, spec: Spec, subscription_flag: str | None) -> PlanRun:
    """Desired state, one GET per managed resource, the plan (zero writes). A role assignment made
    under another name (`az aks create`) is adopted under its real id (`reader.read_state`)."""
    from aksnet.core.desired import desired_state
    from aksnet.core.plan import build_plan
    from aksnet.live.reader import read_state

    subscription, api = api_for(conn, spec, subscription_flag)
    desired, live = read_state(api, desired_state(spec, subscription))
    plan = build_plan(desired, live, spec=spec, subscription=subscription)
    warnings = check_live_state(spec, live, plan, subscription)
    return PlanRun(spec, subscription, desired, live, plan, api, tuple(warnings))


def check_live_state(spec: Spec, live: Mapping[str, Live | None], plan: Plan, subscription: str) -> list[Finding]:
    """Refuse, before any write, a plan whose cluster create Azure would refuse because of what it holds
    now (aksnet.checks.live_state): located errors, as invalid specs are. Returns the warnings (an NSG or
    route table attached out of band, which the plan leaves in place)."""
    from aksnet.checks.live_state import live_blocking_findings, live_warnings
    from aksnet.ids import Kind
    from aksnet.model import Action
    from aksnet.render.findings import format_finding

    cluster = next((c for c in plan.changes if c.kind is Kind.CLUSTER), None)
    creates = cluster is not None and cluster.action in (Action.CREATE, Action.REPLACE)
    live_cluster = live.get(cluster.id) if cluster is not None else None
    node_group = (live_cluster.body.get("properties") or {}).get("nodeResourceGroup") if live_cluster else None
    findings = live_blocking_findings(spec, live, subscription, creates_cluster=creates,
                                      node_resource_group=str(node_group) if node_group else None)
    if findings:
        blocks = "\n".join(format_finding(f) for f in findings)
        raise SpecError(f"{spec.file}: Azure's current state blocks this plan; nothing was sent to Azure\n{blocks}",
                        findings)
    return live_warnings(spec, live, subscription, node_resource_group=str(node_group) if node_group else None)


def replan(run: PlanRun) -> PlanRun:
    """Re-read and plan again (apply's verification that Azure now matches the spec)."""
    from aksnet.core.plan import build_plan
    from aksnet.live.reader import read_state

    desired, live = read_state(run.api, run.desired)
    plan = build_plan(desired, live, spec=run.spec, subscription=run.subscription)
    return PlanRun(run.spec, run.subscription, desired, live, plan, run.api)
