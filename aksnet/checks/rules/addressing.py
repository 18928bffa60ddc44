"""Address syntax and VNet layout: R1 (CIDR syntax), R2-R4 (subnets), R6-R7 (VNet), R8 (AKS reserved)."""

from __future__ import annotations

from collections.abc import Iterator

from aksnet.checks.rules.cidr import (
    AKS_RESERVED_RANGES,
    VNET_FORBIDDEN_RANGES,
    contains,
    overlaps,
    parse_cidr,
    parse_loose,
)
from aksnet.checks.rules.context import NETWORK, VNET, RuleContext
from aksnet.spec.types import SpecPath

MAX_SUBNETS_PER_VNET = 3000  # R7, https://learn.microsoft.com/azure/azure-resource-manager/management/azure-subscription-service-limits#azure-networking-limits


def _cidr_fields(ctx: RuleContext) -> Iterator[tuple[SpecPath, str, str]]:
    """(path, value, what) of every CIDR the spec writes (R1); NSG addresses are checked in nsg.py."""
    spec = ctx.spec
    for i, text in enumerate(spec.virtual_network.address_space):
        yield (*VNET, "addressSpace", i), text, "VNet address prefix"
    for i, subnet in enumerate(spec.virtual_network.subnets):
        yield (*VNET, "subnets", i, "addressPrefix"), subnet.address_prefix, f"subnet '{subnet.name}' prefix"
    for t, table in enumerate(spec.route_tables):
        for r, route in enumerate(table.routes):
            yield ("spec", "routeTables", t, "routes", r, "addressPrefix"), route.address_prefix, \
                f"route '{route.name}' prefix"
    network = spec.cluster.network
    if network.pod_cidr is not None:
        yield (*NETWORK, "podCidr"), network.pod_cidr, "pod CIDR"
    if network.service_cidr is not None:
        yield (*NETWORK, "serviceCidr"), network.service_cidr, "service CIDR"


def check_cidr_syntax(ctx: RuleContext) -> None:
    for path, text, what in _cidr_fields(ctx):
        if parse_cidr(text) is not None:
            continue
        loose = parse_loose(text)
        if loose is None:
            ctx.emit("AKSNET-CIDR-001", path, f"The {what} '{text}' is not an IPv4 CIDR like 10.0.0.0/16.")
        else:
            ctx.emit("AKSNET-CIDR-002", path,
                     f"The {what} '{text}' has host bits set; for /{loose.prefixlen} the address is {loose}.",
                     fix=f"write {loose}")


def check_subnets_in_vnet(ctx: RuleContext) -> None:
    space = ctx.vnet_space
    if not space:
        return
    for _, subnet, located in ctx.subnets:
        if not any(contains(prefix.net, located.net) for prefix in space):
            ranges = ", ".join(p.text for p in space)
            ctx.emit("AKSNET-VNET-001", located.path,
                     f"Subnet '{subnet.name}' {located.text} is outside the VNet address space ({ranges}).")


def check_subnet_overlap(ctx: RuleContext) -> None:
    # Sort-and-sweep keeps this linear-ish for VNets with thousands of subnets.
    ordered = sorted(ctx.subnets, key=lambda e: (int(e[2].net.network_address), e[0]))
    widest: tuple[int, str, str] | None = None  # (last address, name, prefix) reaching furthest so far
    for _, subnet, located in ordered:
        if widest is not None and int(located.net.network_address) <= widest[0]:
            ctx.emit("AKSNET-VNET-002", located.path,
                     f"Subnet '{subnet.name}' {located.text} overlaps subnet '{widest[1]}' {widest[2]}.")
        end = int(located.net.broadcast_address)
        if widest is None or end > widest[0]:
            widest = (end, subnet.name, located.text)


def check_subnet_size(ctx: RuleContext) -> None:
    for _, subnet, located in ctx.subnets:
        p = located.net.prefixlen
        if p < 2 or p > 29:
            ctx.emit("AKSNET-VNET-003", located.path,
                     f"Subnet '{subnet.name}' is /{p}; Azure subnets must be between /2 and /29.")


def check_vnet_forbidden(ctx: RuleContext) -> None:
    for prefix in ctx.vnet_space:
        for forbidden in VNET_FORBIDDEN_RANGES:
            if overlaps(prefix.net, forbidden):
                ctx.emit("AKSNET-VNET-004", prefix.path,
                         f"VNet address prefix {prefix.text} includes {forbidden}, which Azure does not allow in a VNet.")


def check_subnet_count(ctx: RuleContext) -> None:
    count = len(ctx.spec.virtual_network.subnets)
    if count > MAX_SUBNETS_PER_VNET:
        ctx.emit("AKSNET-VNET-005", (*VNET, "subnets"),
                 f"The VNet has {count} subnets; Azure allows {MAX_SUBNETS_PER_VNET} per VNet.")


def check_aks_reserved(ctx: RuleContext) -> None:
    """R8 applies to every plugin: an older docs revision limited 172.30/172.31 to Calico clusters, but
    https://github.com/MicrosoftDocs/azure-aks-docs/pull/447 reports Azure CNI failing on them too."""
    candidates = [(p, "VNet address prefix") for p in ctx.vnet_space]
    if ctx.service_cidr is not None:
        candidates.append((ctx.service_cidr, "service CIDR"))
    if ctx.pod_cidr is not None:
        candidates.append((ctx.pod_cidr, "pod CIDR"))
    for located, what in candidates:
        hits = [str(r) for r in AKS_RESERVED_RANGES if overlaps(located.net, r)]
        if hits:
            ctx.emit("AKSNET-CIDR-003", located.path,
                     f"The {what} {located.label} overlaps {', '.join(hits)}, reserved by AKS.")


CHECKS = (
    check_cidr_syntax,
    check_subnets_in_vnet,
    check_subnet_overlap,
    check_subnet_size,
    check_vnet_forbidden,
    check_subnet_count,
    check_aks_reserved,
)
