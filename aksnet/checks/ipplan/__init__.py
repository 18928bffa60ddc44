"""IP planning (pure): how an aksnet spec's address space is used and how far the cluster can grow.

    plan(spec) -> IpPlan            max nodes, what limits it, per-subnet usage, headroom
    compare(spec) -> (IpPlan, ...)  the same spec under kubenet, Azure CNI and Azure CNI Overlay
    render_svg(spec, plan) -> str   a drawing of the address space (aksnet.render.ipplan_svg)
"""

from aksnet.checks.ipplan.model import IpPlan, IpPlanError, Limit, RangeUse, SubnetUse
from aksnet.checks.ipplan.planner import as_plugin, compare, plan

__all__ = ["IpPlan", "IpPlanError", "Limit", "RangeUse", "SubnetUse", "as_plugin", "compare", "plan"]
