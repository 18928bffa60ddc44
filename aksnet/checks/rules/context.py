"""What every check sees: the spec, its parsed networks (parsed once) and a place to put findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from aksnet.checks.rules.catalogue import BY_ID
from aksnet.checks.rules.cidr import IPv4Net, parse_cidr
from aksnet.checks.rules.effective import (
    PluginKind,
    effective_dns_service_ip,
    effective_max_pods,
    effective_pod_cidr,
    effective_service_cidr,
    plugin_kind,
    surge_nodes,
)
from aksnet.model import Finding
from aksnet.spec.types import SecurityRule, Spec, SpecPath, Subnet, format_path

VNET: SpecPath = ("spec", "virtualNetwork")
CLUSTER: SpecPath = ("spec", "cluster")
NETWORK: SpecPath = (*CLUSTER, "network")
POOL: SpecPath = (*CLUSTER, "nodePool")


@dataclass(frozen=True, slots=True)
class Located:
    """A parsed CIDR and where it sits in the spec (None when the spec omitted it: an AKS default)."""

    net: IPv4Net
    path: SpecPath
    text: str
    defaulted: bool = False

    @property
    def label(self) -> str:
        return f"{self.text} (AKS default)" if self.defaulted else self.text


@dataclass
class RuleContext:
    spec: Spec
    findings: list[Finding] = field(default_factory=list)

    def emit(self, rule_id: str, path: SpecPath, message: str, fix: str | None = None) -> None:
        rule = BY_ID[rule_id]
        loc = self.spec.locate(path)
        self.findings.append(
            Finding(
                rule=rule.id,
                severity=rule.severity,
                message=message,
                fix=fix or rule.fix,
                file=self.spec.file,
                line=loc.line,
                column=loc.column,
                path=format_path(path),
                catalogue=rule.catalogue,
                source=rule.source,
            )
        )

    # --- cluster shape ---------------------------------------------------------------------------
    @cached_property
    def kind(self) -> PluginKind:
        return plugin_kind(self.spec.cluster.network)

    @cached_property
    def node_count(self) -> int:
        return self.spec.cluster.node_pool.count

    @cached_property
    def max_pods(self) -> int:
        return effective_max_pods(self.spec.cluster.node_pool, self.kind)

    @cached_property
    def surge(self) -> int:
        pool = self.spec.cluster.node_pool
        return surge_nodes(pool.count, pool.max_surge)

    # --- parsed networks ---------------------------------------------------------------------------
    @cached_property
    def vnet_space(self) -> list[Located]:
        out = []
        for i, text in enumerate(self.spec.virtual_network.address_space):
            net = parse_cidr(text)
            if net is not None:
                out.append(Located(net, (*VNET, "addressSpace", i), text))
        return out

    @cached_property
    def subnets(self) -> list[tuple[int, Subnet, Located]]:
        out = []
        for i, subnet in enumerate(self.spec.virtual_network.subnets):
            net = parse_cidr(subnet.address_prefix)
            if net is not None:
                out.append((i, subnet, Located(net, (*VNET, "subnets", i, "addressPrefix"), subnet.address_prefix)))
        return out

    @cached_property
    def node_subnet(self) -> tuple[int, Subnet, Located] | None:
        return next((entry for entry in self.subnets if entry[1].name == self.spec.cluster.subnet), None)

    @cached_property
    def node_subnet_index(self) -> int | None:
        names = [s.name for s in self.spec.virtual_network.subnets]
        return names.index(self.spec.cluster.subnet) if self.spec.cluster.subnet in names else None

    @cached_property
    def service_cidr(self) -> Located | None:
        network = self.spec.cluster.network
        text = effective_service_cidr(network)
        net = parse_cidr(text)
        if net is None:
            return None
        return Located(net, (*NETWORK, "serviceCidr") if network.service_cidr else NETWORK, text,
                       defaulted=network.service_cidr is None)

    @cached_property
    def dns_service_ip_text(self) -> str:
        return effective_dns_service_ip(self.spec.cluster.network)

    @cached_property
    def pod_cidr(self) -> Located | None:
        network = self.spec.cluster.network
        text = effective_pod_cidr(network)
        if text is None:
            return None
        net = parse_cidr(text)
        if net is None:
            return None
        return Located(net, (*NETWORK, "podCidr") if network.pod_cidr else NETWORK, text,
                       defaulted=network.pod_cidr is None)

    def node_subnet_nsg_rules(self) -> list[tuple[SpecPath, SecurityRule]]:
        """The rules of the NSG associated with the node subnet, each with its spec path."""
        subnet = self.spec.subnet(self.spec.cluster.subnet)
        if subnet is None or subnet.network_security_group is None:
            return []
        for n, nsg in enumerate(self.spec.network_security_groups):
            if nsg.name == subnet.network_security_group:
                return [(("spec", "networkSecurityGroups", n, "rules", r), rule) for r, rule in enumerate(nsg.rules)]
        return []
