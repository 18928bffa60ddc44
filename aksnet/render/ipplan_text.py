"""Plain-text rendering of an IP plan (pure: returns strings)."""

from __future__ import annotations

from collections.abc import Sequence

from aksnet.checks.ipplan.model import IpPlan


def _n(value: int) -> str:
    return f"{value:,}"


def _table(rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    out = []
    for row in rows:
        cells = [cell.rjust(widths[i]) if i in right else cell.ljust(widths[i]) for i, cell in enumerate(row)]
        out.append("  " + "  ".join(cells).rstrip())
    return out


def plan_text(path: str, plan: IpPlan) -> str:
    surge_note = " (aksnet default max(1, ceil(10%)), R40)" if plan.surge_default else ""
    pods_note = f" (the {plan.plugin_label} default)" if plan.max_pods_default else ""
    lines = [
        f"IP plan for {path}: {plan.spec_name} ({plan.plugin_label})",
        f"  {plan.node_count} nodes, upgrade surge {plan.surge}{surge_note}, maxPods {plan.max_pods}{pods_note}, "
        f"{plan.ips_per_node} VNet IP(s) per node",
        "",
        "Subnets (Azure reserves 5 addresses in each):",
    ]
    rows = [["name", "prefix", "size", "reserved", "usable", "used", "free", ""]]
    for s in plan.subnets:
        what = f"nodes + surge: {plan.node_count + plan.surge} x {plan.ips_per_node}" if s.role == "nodes" else ""
        rows.append([s.name, s.prefix, _n(s.size), str(s.reserved), _n(s.usable), _n(s.used), _n(s.free), what])
    lines += _table(rows, right=(2, 3, 4, 5, 6))
    lines.append("")
    lines.append("Cluster ranges:")
    if plan.pod_cidr is not None:
        p = plan.pod_cidr
        default = " (AKS default)" if p.defaulted else ""
        lines.append(f"  pod CIDR      {p.prefix}{default}: {_n(p.size)} addresses, {_n(p.size // 256)} per-node /24s, "
                     f"{_n(p.used // 256)} in use with surge")
    else:
        lines.append(f"  pods          from the node subnet ({plan.max_pods} per node)")
    if plan.service_cidr is not None:
        s2 = plan.service_cidr
        default = " (AKS default)" if s2.defaulted else ""
        lines.append(f"  service CIDR  {s2.prefix}{default}: {_n(s2.size)} addresses, DNS {plan.dns_service_ip}")
    lines.append("")
    limiters = ", ".join(limit.name for limit in plan.limited_by)
    lines.append(f"Max nodes: {_n(plan.max_nodes)} (limited by {limiters}; N plus its upgrade surge must fit)")
    rows = [["limit", "max nodes", "why"]]
    for limit in sorted(plan.limits, key=lambda lim: lim.max_nodes):
        rows.append([limit.name, _n(limit.max_nodes), limit.detail])
    lines += _table(rows, right=(1,))
    lines.append("")
    node = plan.node_subnet
    if plan.headroom_nodes >= 0:
        lines.append(f"Headroom: {_n(plan.headroom_nodes)} more node(s) before {limiters} runs out; the node subnet "
                     f"has {_n(node.free)} free IP(s) after an upgrade's surge.")
    else:
        lines.append(f"Headroom: none. {plan.node_count} nodes are {-plan.headroom_nodes} over what {limiters} allows "
                     "with an upgrade's surge; see `aksnet validate`.")
    return "\n".join(lines)


def compare_table(plans: Sequence[IpPlan], current: str) -> str:
    rows = [["plugin", "max nodes", "limited by", "VNet IPs used", "per node", "pod CIDR"]]
    for p in plans:
        mark = " *" if p.plugin == current else ""
        rows.append([p.plugin_label + mark, _n(p.max_nodes), ", ".join(lim.name for lim in p.limited_by),
                     _n(p.vnet_ips_used), str(p.ips_per_node), p.pod_cidr.prefix if p.pod_cidr else "-"])
    lines = ["Compare plugins (same VNet, node count and surge; * = this spec):"]
    lines += _table(rows, right=(1, 3, 4))
    return "\n".join(lines)
