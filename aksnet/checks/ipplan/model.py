"""Data of an IP plan: what each address range holds and how far the cluster can grow."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aksnet.errors import AksnetError


class IpPlanError(AksnetError):
    """The spec's node subnet cannot be planned (an unparseable prefix or a dangling subnet name)."""


@dataclass(frozen=True, slots=True)
class SubnetUse:
    name: str
    prefix: str
    size: int
    reserved: int  # R5: Azure keeps 5 addresses per subnet
    usable: int
    used: int  # what the cluster consumes here at its node count plus surge (0 for other subnets)
    role: str  # "nodes" (the cluster's node subnet) or "other"

    @property
    def free(self) -> int:
        return self.usable - self.used

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "prefix": self.prefix, "size": self.size, "reserved": self.reserved,
                "usable": self.usable, "used": self.used, "free": self.free, "role": self.role}


@dataclass(frozen=True, slots=True)
class RangeUse:
    """A cluster range outside Azure's subnets: the pod CIDR (kubenet/overlay) or the service CIDR."""

    role: str  # "pod CIDR" | "service CIDR"
    prefix: str
    size: int
    used: int  # addresses handed out at node count plus surge (a /24 per node for pod CIDRs)
    defaulted: bool  # the spec omitted it: AKS's default

    def as_dict(self) -> dict[str, Any]:
        return {"prefix": self.prefix, "size": self.size, "used": self.used, "default": self.defaulted}


@dataclass(frozen=True, slots=True)
class Limit:
    """One ceiling on the node count: the largest N for which N plus its surge fits."""

    name: str  # "node subnet" | "pod CIDR" | "route limit" | "pool limit" | "cluster limit" | "VNet IP limit"
    max_nodes: int
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "maxNodes": self.max_nodes, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class IpPlan:
    spec_name: str
    plugin: str  # PluginKind value: kubenet | azure | overlay | none
    plugin_label: str
    node_count: int
    surge: int
    surge_default: bool  # the spec omitted maxSurge: aksnet assumed max(1, ceil(10%)) (R40)
    max_pods: int
    max_pods_default: bool
    ips_per_node: int  # VNet IPs one node takes: maxPods + 1 with Azure CNI, else 1
    limits: tuple[Limit, ...]
    subnets: tuple[SubnetUse, ...]
    vnet_space: tuple[str, ...]
    pod_cidr: RangeUse | None
    service_cidr: RangeUse | None
    dns_service_ip: str

    @property
    def max_nodes(self) -> int:
        return min(limit.max_nodes for limit in self.limits)

    @property
    def limited_by(self) -> tuple[Limit, ...]:
        return tuple(limit for limit in self.limits if limit.max_nodes == self.max_nodes)

    @property
    def headroom_nodes(self) -> int:
        """Nodes that can still be added with an upgrade's surge still fitting."""
        return self.max_nodes - self.node_count

    @property
    def node_subnet(self) -> SubnetUse:
        return next(s for s in self.subnets if s.role == "nodes")

    @property
    def vnet_ips_used(self) -> int:
        return self.node_subnet.used

    def as_dict(self) -> dict[str, Any]:
        return {
            "spec": self.spec_name,
            "plugin": self.plugin,
            "pluginLabel": self.plugin_label,
            "maxNodes": self.max_nodes,
            "limitedBy": ", ".join(limit.name for limit in self.limited_by),
            "nodeCount": self.node_count,
            "surge": self.surge,
            "surgeDefault": self.surge_default,
            "maxPods": self.max_pods,
            "maxPodsDefault": self.max_pods_default,
            "ipsPerNode": self.ips_per_node,
            "vnetIpsUsed": self.vnet_ips_used,
            "headroom": {"nodes": self.headroom_nodes, "nodeSubnetFree": self.node_subnet.free},
            "limits": [limit.as_dict() for limit in self.limits],
            "subnets": [subnet.as_dict() for subnet in self.subnets],
            "vnetAddressSpace": list(self.vnet_space),
            "podCidr": self.pod_cidr.as_dict() if self.pod_cidr else None,
            "serviceCidr": self.service_cidr.as_dict() if self.service_cidr else None,
            "dnsServiceIp": self.dns_service_ip,
        }
