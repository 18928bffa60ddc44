"""The values AKS will actually use for a spec: plugin kind, defaults Azure fills in, max pods, surge.

Shared by the rules and the IP planner so both count the same way.
"""

from __future__ import annotations

import math
import re
from enum import StrEnum

from aksnet.spec.types import ClusterNetwork, NodePool


class PluginKind(StrEnum):
    """The plugin kinds the rules tell apart: kubenet, azure (Azure CNI node subnet), overlay, none."""

    KUBENET = "kubenet"
    CNI = "azure"  # Azure CNI, node subnet (no mode)
    OVERLAY = "overlay"  # Azure CNI Overlay
    NONE = "none"  # bring your own CNI
    UNKNOWN = "unknown"  # invalid plugin/mode; reported by AKSNET-NET-001/002


def plugin_kind(network: ClusterNetwork) -> PluginKind:
    if network.plugin == "kubenet" and network.plugin_mode is None:
        return PluginKind.KUBENET
    if network.plugin == "azure":
        if network.plugin_mode is None:
            return PluginKind.CNI
        if network.plugin_mode == "overlay":
            return PluginKind.OVERLAY
    if network.plugin == "none" and network.plugin_mode is None:
        return PluginKind.NONE
    return PluginKind.UNKNOWN


PLUGIN_LABELS = {
    PluginKind.KUBENET: "kubenet",
    PluginKind.CNI: "Azure CNI",
    PluginKind.OVERLAY: "Azure CNI Overlay",
    PluginKind.NONE: "none (BYO CNI)",
    PluginKind.UNKNOWN: "unknown plugin",
}

# R28: maxPods defaults per plugin (azure-cli _help.py; https://learn.microsoft.com/azure/aks/concepts-network-ip-address-planning).
DEFAULT_MAX_PODS = {
    PluginKind.KUBENET: 110,
    PluginKind.CNI: 30,
    PluginKind.OVERLAY: 250,
    PluginKind.NONE: 250,
    PluginKind.UNKNOWN: 110,
}

# R17: AKS-spec defaults applied when the spec omits them.
DEFAULT_SERVICE_CIDR = "10.0.0.0/16"
DEFAULT_DNS_SERVICE_IP = "10.0.0.10"
DEFAULT_POD_CIDR = "10.244.0.0/16"


def uses_pod_cidr(kind: PluginKind) -> bool:
    """Kubenet and overlay take pod IPs from a pod CIDR outside the VNet (R21)."""
    return kind in (PluginKind.KUBENET, PluginKind.OVERLAY)


def effective_pod_cidr(network: ClusterNetwork) -> str | None:
    kind = plugin_kind(network)
    if not uses_pod_cidr(kind):
        return None
    return network.pod_cidr or DEFAULT_POD_CIDR


def effective_service_cidr(network: ClusterNetwork) -> str:
    return network.service_cidr or DEFAULT_SERVICE_CIDR


def effective_dns_service_ip(network: ClusterNetwork) -> str:
    return network.dns_service_ip or DEFAULT_DNS_SERVICE_IP


def effective_max_pods(pool: NodePool, kind: PluginKind) -> int:
    return pool.max_pods if pool.max_pods is not None else DEFAULT_MAX_PODS[kind]


_SURGE = re.compile(r"^\s*(\d+)\s*(%?)\s*$")


def parse_max_surge(text: str) -> tuple[int, bool] | None:
    """`"1"` -> (1, False); `"33%"` -> (33, True); None when malformed (R40)."""
    match = _SURGE.match(text)
    if match is None:
        return None
    return int(match.group(1)), match.group(2) == "%"


def surge_nodes(count: int, max_surge: str | None) -> int:
    """Surge nodes an upgrade adds for a pool of `count` nodes (R40).

    Percentages round up (https://learn.microsoft.com/azure/aks/upgrade-aks-node-pools-rolling). The docs
    disagree on the default (1 node vs 10%); aksnet plans with the larger, max(1, ceil(10% x count)). A malformed value counts as the default
    (AKSNET-POOL-005 reports it).
    """
    parsed = parse_max_surge(max_surge) if max_surge is not None else None
    if parsed is None:
        return max(1, math.ceil(count * 10 / 100)) if count > 0 else 0
    value, percent = parsed
    if percent:
        return math.ceil(count * value / 100)
    return value


def surge_is_default(max_surge: str | None) -> bool:
    return max_surge is None or parse_max_surge(max_surge) is None
