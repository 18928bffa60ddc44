"""IP capacity per plugin: R32 (Azure CNI), R33/R36 (node subnet), R34 (kubenet routes), R35/R36 (pod
CIDR), R7 (65,536 IPs per VNet with Azure CNI)."""

from __future__ import annotations

from aksnet.checks.rules.cidr import node_slots, subnet_usable
from aksnet.checks.rules.context import POOL, RuleContext
from aksnet.checks.rules.effective import PluginKind

KUBENET_ROUTE_LIMIT = 400  # R34: 400 routes per route table, one per node
VNET_PRIVATE_IP_LIMIT = 65536  # R7


def smallest_subnet_for(addresses: int) -> int | None:
    """Longest prefix whose Azure-usable count holds `addresses` (None: not even a /2)."""
    for prefix in range(29, 1, -1):
        if subnet_usable(prefix) >= addresses:
            return prefix
    return None


def _bigger(addresses: int) -> str:
    prefix = smallest_subnet_for(addresses)
    return f"a /{prefix} or larger" if prefix is not None else "more than a /2 (not possible)"


def check_cni_subnet(ctx: RuleContext) -> None:
    """R32: the docs disagree: the RP's create-time count has no surge; the docs plan with it. aksnet errors on both
    and says which."""
    node = ctx.node_subnet
    if ctx.kind is not PluginKind.CNI or node is None or ctx.node_count < 1:
        return
    _, subnet, loc = node
    usable = subnet_usable(loc.net.prefixlen)
    per_node = ctx.max_pods + 1
    n, s = ctx.node_count, ctx.surge
    path = (*POOL, "count")
    if n * per_node > usable:
        ctx.emit("AKSNET-CAP-001", path,
                 f"Azure CNI pre-allocates {n} nodes x ({ctx.max_pods} pods + 1) = {n * per_node} IPs, but subnet "
                 f"'{subnet.name}' {loc.text} has {usable} usable (at most {usable // per_node} nodes).",
                 fix=f"use {_bigger((n + s) * per_node)} for the node subnet, fewer nodes or a lower maxPods")
    elif (n + s) * per_node > usable:
        ctx.emit("AKSNET-CAP-002", path,
                 f"The cluster fits ({n * per_node} IPs) but an upgrade with {s} surge node(s) needs "
                 f"{(n + s) * per_node} of the {usable} usable IPs in '{subnet.name}' {loc.text}.",
                 fix=f"use {_bigger((n + s) * per_node)} for the node subnet, or lower maxSurge/nodes")
    if (n + s) * per_node > VNET_PRIVATE_IP_LIMIT:
        ctx.emit("AKSNET-CAP-008", path,
                 f"Azure CNI needs {(n + s) * per_node} VNet IPs with surge; a VNet holds at most "
                 f"{VNET_PRIVATE_IP_LIMIT} private IPs.")


def check_node_subnet_ips(ctx: RuleContext) -> None:
    """R33 (kubenet), R36 (overlay), and plugin none: one VNet IP per node, surge included."""
    node = ctx.node_subnet
    if ctx.kind is PluginKind.CNI or node is None or ctx.node_count < 1:
        return
    _, subnet, loc = node
    usable = subnet_usable(loc.net.prefixlen)
    need = ctx.node_count + ctx.surge
    if need > usable:
        ctx.emit("AKSNET-CAP-003", (*POOL, "count"),
                 f"{ctx.node_count} nodes + {ctx.surge} surge need {need} IPs, but subnet '{subnet.name}' "
                 f"{loc.text} has {usable} usable.",
                 fix=f"use {_bigger(need)} for the node subnet or fewer nodes")


def byo_route_count(ctx: RuleContext) -> int:
    """Custom routes already in the node subnet's BYO route table (they share the 400-route budget)."""
    subnet = ctx.spec.subnet(ctx.spec.cluster.subnet)
    table = ctx.spec.route_table(subnet.route_table) if subnet is not None and subnet.route_table else None
    return len(table.routes) if table is not None else 0


def check_kubenet_routes(ctx: RuleContext) -> None:
    """R34: one route per node. No source says whether a surge node needs a 401st route: warn only."""
    if ctx.kind is not PluginKind.KUBENET:
        return
    custom = byo_route_count(ctx)
    room = KUBENET_ROUTE_LIMIT - custom
    extra = f" ({custom} routes of the BYO route table already use the budget)" if custom else ""
    n = ctx.node_count
    if n > room:
        ctx.emit("AKSNET-CAP-004", (*POOL, "count"),
                 f"A kubenet cluster of {n} nodes needs {n} routes; a route table holds {KUBENET_ROUTE_LIMIT}{extra}.")
    elif n + ctx.surge > room:
        ctx.emit("AKSNET-CAP-005", (*POOL, "count"),
                 f"{n} nodes + {ctx.surge} surge may need {n + ctx.surge} routes during an upgrade; a route table "
                 f"holds {KUBENET_ROUTE_LIMIT}{extra}.")


def check_pod_cidr_capacity(ctx: RuleContext) -> None:
    """R35 kubenet / R36 overlay: a /24 per node (surge included), so the pod CIDR must be /24 or larger."""
    pod = ctx.pod_cidr
    if pod is None or ctx.node_count < 1:
        return
    rule = "AKSNET-CAP-006" if ctx.kind is PluginKind.KUBENET else "AKSNET-CAP-007"
    slots = node_slots(pod.net.prefixlen)
    need = ctx.node_count + ctx.surge
    if need > slots:
        wanted = 24 - max(0, (need - 1).bit_length())
        ctx.emit(rule, pod.path,
                 f"Pod CIDR {pod.label} holds {slots} per-node /24 ranges; {ctx.node_count} nodes + {ctx.surge} "
                 f"surge need {need}.",
                 fix=f"use a /{wanted} pod CIDR or larger")


CHECKS = (check_cni_subnet, check_node_subnet_ips, check_kubenet_routes, check_pod_cidr_capacity)
