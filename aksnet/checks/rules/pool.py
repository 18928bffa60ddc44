"""Node pool settings: R28 (maxPods range), R29 (pods per pool), R37 (pool size), R40 (surge)."""

from __future__ import annotations

from aksnet.checks.rules.context import POOL, RuleContext
from aksnet.checks.rules.effective import DEFAULT_MAX_PODS, parse_max_surge

MAX_PODS_RANGE = (10, 250)  # R28, every plugin
MIN_PODS_PER_POOL = 30  # R29
MAX_POOL_NODES = 1000  # R37 (and R40: count + surge VMSS instances)


def check_max_pods(ctx: RuleContext) -> None:
    max_pods = ctx.spec.cluster.node_pool.max_pods
    low, high = MAX_PODS_RANGE
    if max_pods is not None and not low <= max_pods <= high:
        ctx.emit("AKSNET-POOL-001", (*POOL, "maxPods"),
                 f"maxPods {max_pods} is outside {low}..{high} (the {ctx.kind} default is {DEFAULT_MAX_PODS[ctx.kind]}).")


def check_pods_per_pool(ctx: RuleContext) -> None:
    pool = ctx.spec.cluster.node_pool
    if pool.count < 1:
        return  # AKSNET-POOL-003 reports the count
    total = ctx.max_pods * pool.count
    if total < MIN_PODS_PER_POOL:
        ctx.emit("AKSNET-POOL-002", (*POOL, "maxPods") if pool.max_pods is not None else (*POOL, "count"),
                 f"maxPods {ctx.max_pods} x {pool.count} nodes = {total} pods; a pool must hold at least "
                 f"{MIN_PODS_PER_POOL}.")


def check_pool_size(ctx: RuleContext) -> None:
    """R37: AKS-spec allows 1..1000 for system pools; the docs' 2-node minimum (use-system-pools) is a warning."""
    count = ctx.spec.cluster.node_pool.count
    path = (*POOL, "count")
    if count < 1 or count > MAX_POOL_NODES:
        ctx.emit("AKSNET-POOL-003", path, f"Node count {count} is outside 1..{MAX_POOL_NODES} for a system pool.")
    elif count < 2:
        ctx.emit("AKSNET-POOL-004", path,
                 f"The system pool has {count} node; Microsoft recommends at least 2 in a system pool.")


def check_surge(ctx: RuleContext) -> None:
    pool = ctx.spec.cluster.node_pool
    path = (*POOL, "maxSurge")
    if pool.max_surge is not None and parse_max_surge(pool.max_surge) is None:
        ctx.emit("AKSNET-POOL-005", path, f"maxSurge '{pool.max_surge}' is neither a node count nor a percentage.")
        return
    if 1 <= pool.count <= MAX_POOL_NODES and pool.count + ctx.surge > MAX_POOL_NODES:
        ctx.emit("AKSNET-POOL-006", path if pool.max_surge is not None else (*POOL, "count"),
                 f"{pool.count} nodes + {ctx.surge} surge = {pool.count + ctx.surge} VMSS instances during an "
                 f"upgrade; the limit is {MAX_POOL_NODES}.")


CHECKS = (check_max_pods, check_pods_per_pool, check_pool_size, check_surge)
