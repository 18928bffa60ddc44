"""Network security groups: R47 (priority), R48 (unique per direction), R49 (rule shape and limits),
R50 (a BYO NSG on the node subnet must not block node/pod traffic), R51 (egress deny, warning)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import IntEnum
from itertools import product

from aksnet.checks.rules.cidr import IPv4Net, contains, overlaps, parse_address, parse_cidr, parse_loose
from aksnet.checks.rules.context import RuleContext
from aksnet.spec.types import SecurityRule, SpecPath

PRIORITY_RANGE = (100, 4096)  # R47 (65000-65500 are Azure's default rules)
PROTOCOLS = ("Tcp", "Udp", "Icmp", "Esp", "Ah", "*")
DIRECTIONS = ("Inbound", "Outbound")
ACCESSES = ("Allow", "Deny")
MAX_RULES = 1000  # R49, https://learn.microsoft.com/azure/azure-resource-manager/management/azure-subscription-service-limits#azure-networking-limits
MAX_ADDRESSES = 4000
_NAME = re.compile(r"^\w(?:[\w.-]{0,78}\w)?$")
_TAG = re.compile(r"^[A-Za-z][A-Za-z0-9.]*$")
_PORT = re.compile(r"^(\d{1,5})(?:-(\d{1,5}))?$")
ANY = ("*", "Any")


def check_nsg_rules(ctx: RuleContext) -> None:
    for n, nsg in enumerate(ctx.spec.network_security_groups):
        base: SpecPath = ("spec", "networkSecurityGroups", n, "rules")
        if len(nsg.rules) > MAX_RULES:
            ctx.emit("AKSNET-NSG-006", base, f"NSG '{nsg.name}' has {len(nsg.rules)} rules; the limit is {MAX_RULES}.")
        for field_name, picker in (("source", _sources), ("destination", _destinations)):
            total = sum(len(picker(rule)) for rule in nsg.rules)
            if total > MAX_ADDRESSES:
                ctx.emit("AKSNET-NSG-006", base,
                         f"NSG '{nsg.name}' lists {total} {field_name} addresses; the limit is {MAX_ADDRESSES}.")
        seen: dict[tuple[int, str], str] = {}
        for r, rule in enumerate(nsg.rules):
            path = (*base, r)
            low, high = PRIORITY_RANGE
            if not low <= rule.priority <= high:
                ctx.emit("AKSNET-NSG-001", (*path, "priority"),
                         f"Rule '{rule.name}' of NSG '{nsg.name}' has priority {rule.priority}; use {low}..{high}.")
            key = (rule.priority, rule.direction)
            if key in seen:
                ctx.emit("AKSNET-NSG-002", (*path, "priority"),
                         f"Rules '{seen[key]}' and '{rule.name}' of NSG '{nsg.name}' both have priority "
                         f"{rule.priority} {rule.direction} (SecurityRuleConflict).")
            else:
                seen[key] = rule.name
            _check_shape(ctx, path, nsg.name, rule)


def _sources(rule: SecurityRule) -> Sequence[str]:
    return rule.source


def _destinations(rule: SecurityRule) -> Sequence[str]:
    return rule.destination


def _check_shape(ctx: RuleContext, path: SpecPath, nsg: str, rule: SecurityRule) -> None:
    if not _NAME.match(rule.name):
        ctx.emit("AKSNET-NSG-003", (*path, "name"),
                 f"NSG '{nsg}' rule name '{rule.name}' must be 1-80 characters, start with a letter, digit or _, "
                 "and end with one.")
    for field_name, value, allowed in (("protocol", rule.protocol, PROTOCOLS), ("direction", rule.direction, DIRECTIONS),
                                       ("access", rule.access, ACCESSES)):
        if value not in allowed:
            ctx.emit("AKSNET-NSG-003", (*path, field_name),
                     f"Rule '{rule.name}' has {field_name} '{value}'; use one of {', '.join(allowed)}.")
    for field_name, ports in (("sourcePorts", rule.source_ports), ("destinationPorts", rule.destination_ports)):
        for i, port in enumerate(ports):
            if not _valid_port(port):
                ctx.emit("AKSNET-NSG-004", (*path, field_name, i) if len(ports) > 1 else (*path, field_name),
                         f"Rule '{rule.name}' {field_name} '{port}' is not '*', a port 0-65535 or a range low-high.")
    for field_name, entries in (("source", rule.source), ("destination", rule.destination)):
        _check_addresses(ctx, (*path, field_name), rule.name, field_name, entries)


def _valid_port(text: str) -> bool:
    if text == "*":
        return True
    match = _PORT.match(text)
    if match is None:
        return False
    low = int(match.group(1))
    high = int(match.group(2)) if match.group(2) is not None else low
    return low <= high <= 65535


def _check_addresses(ctx: RuleContext, path: SpecPath, rule: str, field_name: str, entries: Sequence[str]) -> None:
    tags = [e for e in entries if e in ANY or (_TAG.match(e) and parse_address(e) is None)]
    if tags and len(entries) > 1:
        ctx.emit("AKSNET-NSG-005", path,
                 f"Rule '{rule}' {field_name} mixes '{tags[0]}' with other entries; a service tag or '*' must stand alone.")
    for i, entry in enumerate(entries):
        if entry in tags or parse_address(entry) is not None or parse_cidr(entry) is not None:
            continue
        loose = parse_loose(entry)
        where = (*path, i) if len(entries) > 1 else path
        if loose is not None:
            ctx.emit("AKSNET-NSG-005", where, f"Rule '{rule}' {field_name} '{entry}' has host bits set; write {loose}.",
                     fix=f"write {loose}")
        else:
            ctx.emit("AKSNET-NSG-005", where, f"Rule '{rule}' {field_name} '{entry}' is not an IPv4 address, CIDR, "
                                               "service tag or '*'.")


# --- R50 / R51: what the node subnet's NSG does to the traffic AKS needs ----------------------------


class Match(IntEnum):
    NONE = 0
    PARTIAL = 1
    FULL = 2


def address_match(entries: Sequence[str], target: IPv4Net) -> Match:
    """How much of `target` a rule's address field covers. VirtualNetwork covers the VNet space and, for
    AKS, the pod CIDR: kubenet pod ranges are UDR prefixes (part of the tag) and overlay pods pass Azure's
    default AllowVnetInBound. Other service tags (Internet, AzureLoadBalancer, ...) do not cover them."""
    best = Match.NONE
    for entry in entries:
        if entry in ANY or entry == "VirtualNetwork":
            return Match.FULL
        net = parse_loose(entry) if "/" in entry else parse_loose(f"{entry}/32")
        if net is None:
            continue
        if contains(net, target):
            return Match.FULL
        if overlaps(net, target):
            best = Match.PARTIAL
    return best


def _all_traffic(rule: SecurityRule) -> bool:
    every = ("*", "0-65535")
    return rule.protocol == "*" and all(p in every for p in rule.source_ports) and \
        all(p in every for p in rule.destination_ports)


def check_nsg_blocks_cluster(ctx: RuleContext) -> None:
    """R50: node subnet <-> node subnet, node <-> pod CIDR and pod <-> pod on all ports/protocols. Service
    traffic is DNAT-ed to pod IPs on the node, so these flows cover it too."""
    rules = ctx.node_subnet_nsg_rules()
    node = ctx.node_subnet
    if not rules or node is None:
        return
    ends: list[tuple[str, IPv4Net]] = [(f"node subnet {node[2].text}", node[2].net)]
    if ctx.pod_cidr is not None:
        ends.append((f"pod CIDR {ctx.pod_cidr.label}", ctx.pod_cidr.net))
    blocked: dict[SpecPath, tuple[SecurityRule, list[str]]] = {}
    for direction in DIRECTIONS:
        ordered = sorted((entry for entry in rules if entry[1].direction == direction), key=lambda e: e[1].priority)
        for (src_name, src), (dst_name, dst) in product(ends, ends):
            for path, rule in ordered:
                if address_match(rule.source, src) is Match.NONE or address_match(rule.destination, dst) is Match.NONE:
                    continue
                if rule.access == "Allow":
                    if address_match(rule.source, src) is Match.FULL and \
                            address_match(rule.destination, dst) is Match.FULL and _all_traffic(rule):
                        break
                    continue
                if rule.access == "Deny":
                    blocked.setdefault(path, (rule, []))[1].append(f"{src_name} -> {dst_name} ({direction})")
                    break
    for path, (rule, flows) in blocked.items():
        ctx.emit("AKSNET-NSG-007", path,
                 f"NSG rule '{rule.name}' (priority {rule.priority}, {rule.direction} Deny) on the node subnet blocks "
                 f"traffic AKS needs: {'; '.join(flows)}.")


def _to_internet(entries: Sequence[str]) -> bool:
    for entry in entries:
        if entry in ANY or entry == "Internet" or entry.startswith("AzureCloud"):
            return True
        net = parse_loose(entry) if "/" in entry else None
        if net is not None and net.prefixlen == 0:
            return True
    return False


def _includes_443(ports: Sequence[str]) -> bool:
    for port in ports:
        if port == "*":
            return True
        match = _PORT.match(port)
        if match is not None:
            low = int(match.group(1))
            high = int(match.group(2)) if match.group(2) is not None else low
            if low <= 443 <= high:
                return True
    return False


def check_nsg_egress(ctx: RuleContext) -> None:
    """R51: AKS egress dependencies are FQDN-based (TCP 443 to MCR, management endpoints, AzureCloud)."""
    node = ctx.node_subnet
    if node is None:
        return
    outbound = sorted((e for e in ctx.node_subnet_nsg_rules() if e[1].direction == "Outbound"), key=lambda e: e[1].priority)
    for path, rule in outbound:
        if address_match(rule.source, node[2].net) is Match.NONE or not _to_internet(rule.destination):
            continue
        if rule.protocol not in ("*", "Tcp") or not _includes_443(rule.destination_ports):
            continue
        if rule.access == "Deny":
            ctx.emit("AKSNET-NSG-008", path,
                     f"NSG rule '{rule.name}' (priority {rule.priority}) denies outbound TCP 443 from the node subnet; "
                     "nodes could not reach the AKS control plane, MCR or Azure management.")
        return


CHECKS = (check_nsg_rules, check_nsg_blocks_cluster, check_nsg_egress)
