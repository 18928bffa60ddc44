"""Names and locations Azure would refuse, found offline (AKSNET-NAME-*, AKSNET-LOC-001).

Each resource name is checked against the ARM naming rules of its type ("Naming rules and restrictions
for Azure resources": https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules,
sections Microsoft.Resources, Microsoft.Network, Microsoft.ContainerService, Microsoft.ManagedIdentity;
AKS's dnsPrefix: https://learn.microsoft.com/azure/aks/learn/quick-kubernetes-deploy-cli and the
managedClusters REST spec). A `/`, NUL, a control or bidirectional-override character, a trailing
period: Azure refuses them (or, worse, routes `/` to another resource), so aksnet says so, located,
before any request. Names are shown with `ascii()` so an invisible character is visible.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aksnet.checks.rules.context import CLUSTER, POOL, RuleContext
from aksnet.checks.rules.regions import KNOWN_LOCATIONS, normalize_location
from aksnet.spec.types import SpecPath

_ALNUM = "a-zA-Z0-9"


@dataclass(frozen=True, slots=True)
class NameRule:
    rule_id: str
    what: str  # "virtual network name"
    min_len: int
    max_len: int
    pattern: re.Pattern[str]
    chars: str  # the allowed characters, in the words of the naming-rules page

    def problem(self, name: str) -> str | None:
        """Why Azure refuses `name`, or None."""
        if not self.min_len <= len(name) <= self.max_len:
            return f"it has {len(name)} characters; a {self.what} has {self.min_len}-{self.max_len}"
        if "/" in name:
            return "it contains '/', which ARM reads as a path separator"
        if self.pattern.fullmatch(name) is None:
            return f"a {self.what} allows {self.chars}"
        return None


def _network(rule_id: str, what: str, min_len: int = 1, max_len: int = 80) -> NameRule:
    # Microsoft.Network: alphanumerics, underscores, periods, hyphens; start alphanumeric, end
    # alphanumeric or underscore.
    pattern = re.compile(rf"[{_ALNUM}]([{_ALNUM}_.\-]*[{_ALNUM}_])?", re.ASCII)
    return NameRule(rule_id, what, min_len, max_len, pattern,
                    "letters, digits, '_', '.' and '-', starting with a letter or digit and ending with "
                    "a letter, digit or '_'")


RESOURCE_GROUP = NameRule(
    # Microsoft.Resources/resourcegroups: 1-90; alphanumerics (Unicode letters too), underscores,
    # parentheses, hyphens, periods; can't end with a period. ARM's own check: "The name can only be a
    # letter, digit, '-', '.', '(', ')' or '_'" (InvalidResourceGroup, Azure/azure-cli#14481).
    "AKSNET-NAME-001", "resource group name", 1, 90, re.compile(r"[-\w.()]*[-\w()]"),
    "letters, digits, '_', '-', '.', '(' and ')', not ending with '.'")
VNET = _network("AKSNET-NAME-002", "virtual network name", 2, 64)
SUBNET = _network("AKSNET-NAME-003", "subnet name")
NSG = _network("AKSNET-NAME-004", "network security group name")
ROUTE_TABLE = _network("AKSNET-NAME-005", "route table name")
ROUTE = _network("AKSNET-NAME-006", "route name")
CLUSTER_NAME = NameRule(
    # Microsoft.ContainerService/managedClusters: 1-63, alphanumerics, underscores, hyphens; start and
    # end with alphanumeric.
    "AKSNET-NAME-007", "cluster name", 1, 63, re.compile(rf"[{_ALNUM}]([{_ALNUM}_\-]*[{_ALNUM}])?", re.ASCII),
    "letters, digits, '_' and '-', starting and ending with a letter or digit")
AGENT_POOL = NameRule(
    # managedClusters/agentPools: 1-12 for Linux pools, lowercase letters and numbers, starting with a
    # lowercase letter.
    "AKSNET-NAME-008", "Linux node pool name", 1, 12, re.compile(r"[a-z][a-z0-9]*", re.ASCII),
    "lowercase letters and digits, starting with a letter")
DNS_PREFIX = NameRule(
    # dnsPrefix: 1-54, alphanumerics and hyphens, start and end with alphanumeric (`az aks create
    # --dns-name-prefix`; managedClusters REST spec).
    "AKSNET-NAME-009", "dnsPrefix", 1, 54, re.compile(rf"[{_ALNUM}]([{_ALNUM}\-]*[{_ALNUM}])?", re.ASCII),
    "letters, digits and '-', starting and ending with a letter or digit")
IDENTITY = NameRule(
    # Microsoft.ManagedIdentity/userAssignedIdentities: 3-128, alphanumerics, hyphens, underscores;
    # start with a letter or number.
    "AKSNET-NAME-010", "user-assigned identity name", 3, 128,
    re.compile(rf"[{_ALNUM}][{_ALNUM}_\-]*", re.ASCII),
    "letters, digits, '_' and '-', starting with a letter or digit")

NAME_RULES = (RESOURCE_GROUP, VNET, SUBNET, NSG, ROUTE_TABLE, ROUTE, CLUSTER_NAME, AGENT_POOL,
              DNS_PREFIX, IDENTITY)


def _check(ctx: RuleContext, rule: NameRule, name: str, path: SpecPath) -> None:
    problem = rule.problem(name)
    if problem is not None:
        ctx.emit(rule.rule_id, path, f"{rule.what} {ascii(name)} is not a name Azure accepts: {problem}")


def check_names(ctx: RuleContext) -> None:
    spec = ctx.spec
    _check(ctx, RESOURCE_GROUP, spec.resource_group, ("spec", "resourceGroup"))
    vnet_path: SpecPath = ("spec", "virtualNetwork")
    _check(ctx, VNET, spec.virtual_network.name, (*vnet_path, "name"))
    for i, subnet in enumerate(spec.virtual_network.subnets):
        _check(ctx, SUBNET, subnet.name, (*vnet_path, "subnets", i, "name"))
    for i, nsg in enumerate(spec.network_security_groups):
        # Security rule names: AKSNET-NSG-003 (with the rule's other fields).
        _check(ctx, NSG, nsg.name, ("spec", "networkSecurityGroups", i, "name"))
    for i, table in enumerate(spec.route_tables):
        _check(ctx, ROUTE_TABLE, table.name, ("spec", "routeTables", i, "name"))
        for j, route in enumerate(table.routes):
            _check(ctx, ROUTE, route.name, ("spec", "routeTables", i, "routes", j, "name"))
    _check(ctx, CLUSTER_NAME, spec.cluster.name, (*CLUSTER, "name"))
    _check(ctx, AGENT_POOL, spec.cluster.node_pool.name, (*POOL, "name"))
    if spec.cluster.dns_prefix is not None:
        _check(ctx, DNS_PREFIX, spec.cluster.dns_prefix, (*CLUSTER, "dnsPrefix"))
    identities: SpecPath = ("spec", "identities", "userAssignedIdentities")
    for i, identity in enumerate(spec.identities):
        _check(ctx, IDENTITY, identity.name, (*identities, i, "name"))
        if identity.resource_group is not None:
            _check(ctx, RESOURCE_GROUP, identity.resource_group, (*identities, i, "resourceGroup"))


def check_location(ctx: RuleContext) -> None:
    location = ctx.spec.location
    if normalize_location(location) not in KNOWN_LOCATIONS:
        ctx.emit("AKSNET-LOC-001", ("spec", "location"),
                 f"location {ascii(location)} is not an Azure region (`az account list-locations -o table` "
                 "lists them)")


CHECKS = (check_names, check_location)
