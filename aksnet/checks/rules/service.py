"""Service CIDR and DNS service IP: R9, R10, R16, R17, R18, R19."""

from __future__ import annotations

from aksnet.checks.rules.cidr import overlaps, parse_address
from aksnet.checks.rules.context import NETWORK, RuleContext

MIN_SERVICE_PREFIX = 13  # R16: "smaller than /12" (docs); /12 itself is rejected on that wording


def check_service_vs_subnets(ctx: RuleContext) -> None:
    """R9 error on any subnet overlap (the RP checks all subnets); R10 warning when only the VNet space
    overlaps (the RP accepts it, Microsoft's guidance advises against it)."""
    svc = ctx.service_cidr
    if svc is None:
        return
    hits = [(subnet, loc) for _, subnet, loc in ctx.subnets if overlaps(svc.net, loc.net)]
    for subnet, loc in hits:
        ctx.emit("AKSNET-SVC-001", svc.path,
                 f"Service CIDR {svc.label} overlaps subnet '{subnet.name}' {loc.text}; AKS rejects it "
                 "(ServiceCidrOverlapExistingSubnetsCidr).")
    if hits:
        return
    inside = [p.text for p in ctx.vnet_space if overlaps(svc.net, p.net)]
    if inside:
        ctx.emit("AKSNET-SVC-002", svc.path,
                 f"Service CIDR {svc.label} lies in the VNet address space {', '.join(inside)}; a future subnet "
                 "there would collide with it.")


def check_service_size(ctx: RuleContext) -> None:
    svc = ctx.service_cidr
    if svc is not None and svc.net.prefixlen < MIN_SERVICE_PREFIX:
        ctx.emit("AKSNET-SVC-003", svc.path,
                 f"Service CIDR {svc.text} is /{svc.net.prefixlen}; AKS needs it smaller than /12 (/13 or longer).")


def _pair_incomplete(ctx: RuleContext) -> bool:
    network = ctx.spec.cluster.network
    return (network.service_cidr is None) != (network.dns_service_ip is None)


def check_service_dns_pair(ctx: RuleContext) -> None:
    network = ctx.spec.cluster.network
    if not _pair_incomplete(ctx):
        return
    if network.service_cidr is not None:
        ctx.emit("AKSNET-SVC-004", (*NETWORK, "serviceCidr"),
                 f"serviceCidr {network.service_cidr} is set without dnsServiceIp; the default DNS IP 10.0.0.10 "
                 "is not inside it.")
    else:
        ctx.emit("AKSNET-SVC-004", (*NETWORK, "dnsServiceIp"),
                 f"dnsServiceIp {network.dns_service_ip} is set without serviceCidr (default 10.0.0.0/16).")


def check_dns_ip(ctx: RuleContext) -> None:
    svc = ctx.service_cidr
    if svc is None or _pair_incomplete(ctx):
        return  # AKSNET-CIDR-00x / AKSNET-SVC-004 already explain the root cause
    network = ctx.spec.cluster.network
    path = (*NETWORK, "dnsServiceIp") if network.dns_service_ip is not None else NETWORK
    text = ctx.dns_service_ip_text
    address = parse_address(text)
    conventional = svc.net.network_address + 10 if svc.net.num_addresses > 11 else None
    suggestion = f"use {conventional}" if conventional is not None else None
    if address is None:
        ctx.emit("AKSNET-SVC-005", path, f"dnsServiceIp '{text}' is not an IPv4 address.", fix=suggestion)
        return
    if address not in svc.net:
        ctx.emit("AKSNET-SVC-005", path, f"dnsServiceIp {address} is outside the service CIDR {svc.label}.",
                 fix=suggestion)
        return
    # R19: network address, first address (kubernetes.default.svc) and broadcast are taken.
    taken = {
        svc.net.network_address: "network address",
        svc.net.network_address + 1: "first address",
        svc.net.broadcast_address: "broadcast address",
    }
    if address in taken:
        ctx.emit("AKSNET-SVC-006", path,
                 f"dnsServiceIp {address} is the {taken[address]} of {svc.text}"
                 + (" (used by kubernetes.default.svc)." if address == svc.net.network_address + 1 else "."), fix=suggestion)
    elif conventional is not None and address != conventional:
        ctx.emit("AKSNET-SVC-007", path, f"dnsServiceIp {address} is not the .10 address {conventional} of {svc.text}.",
                 fix=suggestion)


CHECKS = (check_service_vs_subnets, check_service_size, check_service_dns_pair, check_dns_ip)
