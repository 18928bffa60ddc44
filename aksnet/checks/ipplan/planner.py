"""The IP planner: capacity per plugin, the maximum node count and what limits it (pure).

Counting follows the rule catalogue (and `aksnet.checks.rules.capacity`, which reports the same numbers as
findings): Azure CNI takes (nodes + surge) x (maxPods + 1) subnet IPs (R32); kubenet and overlay take
one subnet IP per node (R33, R36) and a /24 of the pod CIDR per node (R35, R36); kubenet needs one
route per node, 400 per table (R34); a pool holds 1,000 VMSS instances including surge (R37, R40);
a cluster 5,000 nodes (R37); a VNet 65,536 private IPs (R7).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from aksnet.checks.ipplan.model import IpPlan, IpPlanError, Limit, RangeUse, SubnetUse
from aksnet.checks.rules.capacity import KUBENET_ROUTE_LIMIT, VNET_PRIVATE_IP_LIMIT
from aksnet.checks.rules.cidr import AZURE_RESERVED_PER_SUBNET, node_slots, parse_cidr, size, subnet_usable
from aksnet.checks.rules.effective import (
    DEFAULT_POD_CIDR,
    PLUGIN_LABELS,
    PluginKind,
    effective_dns_service_ip,
    effective_max_pods,
    effective_pod_cidr,
    effective_service_cidr,
    plugin_kind,
    surge_is_default,
    surge_nodes,
)
from aksnet.checks.rules.pool import MAX_POOL_NODES
from aksnet.spec.types import ClusterNetwork, Spec

MAX_CLUSTER_NODES = 5000  # R37 (VMSS + Standard LB)
COMPARED = (PluginKind.KUBENET, PluginKind.CNI, PluginKind.OVERLAY)


def _largest(fits: Callable[[int], bool], upper: int = 1 << 32) -> int:
    """Largest N in 0..upper with fits(N); `fits` is monotone (true then false)."""
    low, high = 0, upper
    if not fits(0):
        return 0
    while low < high:
        mid = (low + high + 1) // 2
        if fits(mid):
            low = mid
        else:
            high = mid - 1
    return low


def plan(spec: Spec) -> IpPlan:
    """The address plan of `spec` as written."""
    network = spec.cluster.network
    kind = plugin_kind(network)
    pool = spec.cluster.node_pool
    node_subnet = spec.subnet(spec.cluster.subnet)
    node_net = parse_cidr(node_subnet.address_prefix) if node_subnet is not None else None
    if node_subnet is None or node_net is None:
        raise IpPlanError(f"cannot plan: node subnet '{spec.cluster.subnet}' is missing or not an IPv4 CIDR",
                          hint="run `aksnet validate` and fix its errors first")

    max_pods = effective_max_pods(pool, kind)
    per_node = max_pods + 1 if kind is PluginKind.CNI else 1

    def with_surge(n: int) -> int:
        return n + surge_nodes(n, pool.max_surge)

    count = max(pool.count, 0)
    surge = surge_nodes(count, pool.max_surge)
    usable = subnet_usable(node_net.prefixlen)
    limits = [
        Limit("node subnet", _largest(lambda n: with_surge(n) * per_node <= usable),
              f"{node_subnet.address_prefix}: {usable} usable IPs, {per_node} per node"
              + (f" (maxPods {max_pods} + 1)" if per_node > 1 else "")),
    ]
    pod_text = effective_pod_cidr(network)
    pod_net = parse_cidr(pod_text) if pod_text is not None else None
    pod_use = None
    if pod_text is not None and pod_net is not None:
        slots = node_slots(pod_net.prefixlen)
        limits.append(Limit("pod CIDR", _largest(lambda n: with_surge(n) <= slots),
                            f"{pod_text}: {slots} per-node /24 ranges"))
        pod_use = RangeUse("pod CIDR", pod_text, pod_net.num_addresses, (count + surge) * 256, network.pod_cidr is None)
    if kind is PluginKind.KUBENET:
        table = spec.route_table(node_subnet.route_table) if node_subnet.route_table else None
        custom = len(table.routes) if table is not None else 0
        room = KUBENET_ROUTE_LIMIT - custom
        limits.append(Limit("route limit", max(0, room),
                            f"{KUBENET_ROUTE_LIMIT} routes per route table, one per node"
                            + (f", {custom} taken by BYO routes" if custom else "")))
    if kind is PluginKind.CNI:
        limits.append(Limit("VNet IP limit", _largest(lambda n: with_surge(n) * per_node <= VNET_PRIVATE_IP_LIMIT),
                            f"{VNET_PRIVATE_IP_LIMIT} private IPs per VNet"))
    limits.append(Limit("pool limit", _largest(lambda n: with_surge(n) <= MAX_POOL_NODES, MAX_POOL_NODES),
                        f"{MAX_POOL_NODES} VMSS instances per pool, surge included"))
    limits.append(Limit("cluster limit", MAX_CLUSTER_NODES, f"{MAX_CLUSTER_NODES} nodes per cluster"))

    subnets = tuple(
        _subnet_use(s.name, s.address_prefix, (count + surge) * per_node if s.name == node_subnet.name else 0,
                    "nodes" if s.name == node_subnet.name else "other")
        for s in spec.virtual_network.subnets
    )
    svc_text = effective_service_cidr(network)
    svc_net = parse_cidr(svc_text)
    svc_use = RangeUse("service CIDR", svc_text, svc_net.num_addresses, 0, network.service_cidr is None) \
        if svc_net is not None else None
    return IpPlan(
        spec_name=spec.name,
        plugin=str(kind),
        plugin_label=PLUGIN_LABELS[kind],
        node_count=count,
        surge=surge,
        surge_default=surge_is_default(pool.max_surge),
        max_pods=max_pods,
        max_pods_default=pool.max_pods is None,
        ips_per_node=per_node,
        limits=tuple(limits),
        subnets=subnets,
        vnet_space=spec.virtual_network.address_space,
        pod_cidr=pod_use,
        service_cidr=svc_use,
        dns_service_ip=effective_dns_service_ip(network),
    )


def _subnet_use(name: str, prefix: str, used: int, role: str) -> SubnetUse:
    net = parse_cidr(prefix)
    if net is None:
        return SubnetUse(name, prefix, 0, 0, 0, used, role)
    total = size(net.prefixlen)
    reserved = min(AZURE_RESERVED_PER_SUBNET, total)
    return SubnetUse(name, prefix, total, reserved, subnet_usable(net.prefixlen), used, role)


def as_plugin(spec: Spec, kind: PluginKind) -> Spec:
    """`spec` with its cluster switched to another plugin; keeps an explicit maxPods, the pod CIDR (or
    AKS's default 10.244.0.0/16 when the spec has none) and everything else."""
    network = spec.cluster.network
    pod = network.pod_cidr or DEFAULT_POD_CIDR
    switched = {
        PluginKind.KUBENET: ClusterNetwork(plugin="kubenet", pod_cidr=pod),
        PluginKind.CNI: ClusterNetwork(plugin="azure"),
        PluginKind.OVERLAY: ClusterNetwork(plugin="azure", plugin_mode="overlay", pod_cidr=pod),
        PluginKind.NONE: ClusterNetwork(plugin="none"),
    }[kind]
    switched = replace(switched, service_cidr=network.service_cidr, dns_service_ip=network.dns_service_ip,
                       outbound_type=network.outbound_type)
    return replace(spec, cluster=replace(spec.cluster, network=switched))


def compare(spec: Spec) -> tuple[IpPlan, ...]:
    """The same spec under kubenet, Azure CNI and Azure CNI Overlay."""
    return tuple(plan(as_plugin(spec, kind)) for kind in COMPARED)
