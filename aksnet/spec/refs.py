"""Name references inside one spec: every name a spec refers to is defined once in the same spec.

Rule ids (all severity error: a dangling name is an error):
- AKSNET-REF-001 a subnet's `networkSecurityGroup` names no NSG of the spec
- AKSNET-REF-002 a subnet's `routeTable` names no route table of the spec
- AKSNET-REF-003 `cluster.subnet` names no subnet of the spec
- AKSNET-REF-004 a name is defined twice (subnets, NSGs, route tables, rules of one NSG, routes of one
  route table). ARM resource names are case-insensitive (azure-resource-manager/management/
  https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules), so `aks-NSG` and `aks-nsg` are the same resource and collide.
- AKSNET-REF-005 `linuxProfile.sshPublicKeyFile` cannot be read (raised by `aksnet.spec.load`).
Pure: takes a Spec, returns findings.
"""

from __future__ import annotations

from collections.abc import Sequence

from aksnet.model import Finding, Severity
from aksnet.spec.schema import suggest
from aksnet.spec.types import Spec, SpecPath, format_path

_NAME_RULES = "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules"


def ref_finding(spec: Spec, rule: str, path: SpecPath, message: str, fix: str, source: str = "") -> Finding:
    loc = spec.locate(path)
    return Finding(
        rule,
        Severity.ERROR,
        message,
        fix,
        spec.file,
        loc.line,
        loc.column,
        format_path(path),
        source=source or None,
    )


def _dangling(
    spec: Spec, rule: str, path: SpecPath, what: str, name: str, defined: Sequence[str], where: str
) -> Finding:
    guess = suggest(name, defined)
    if guess:
        fix = f"did you mean {guess!r}?"
    elif defined:
        fix = f"use one of: {', '.join(defined)}, or define {name!r} under {where}"
    else:
        fix = f"define a {what} named {name!r} under {where}, or remove the reference"
    return ref_finding(spec, rule, path, f"{what} {name!r} is not defined in this spec", fix)


def _duplicates(spec: Spec, base: SpecPath, what: str, names: Sequence[str]) -> list[Finding]:
    seen: dict[str, int] = {}
    out: list[Finding] = []
    for index, name in enumerate(names):
        key = name.casefold()
        if key in seen:
            first = format_path(base + (seen[key], "name"))
            out.append(
                ref_finding(
                    spec,
                    "AKSNET-REF-004",
                    base + (index, "name"),
                    f"duplicate {what} name {name!r} (already used at {first}; Azure names are case-insensitive)",
                    "rename one of them or merge the two entries",
                    _NAME_RULES,
                )
            )
        else:
            seen[key] = index
    return out


def check_refs(spec: Spec) -> list[Finding]:
    """Dangling references and duplicate names, located at the offending value."""
    out: list[Finding] = []
    subnets_path: SpecPath = ("spec", "virtualNetwork", "subnets")
    subnets = [s.name for s in spec.virtual_network.subnets]
    nsgs = [n.name for n in spec.network_security_groups]
    tables = [t.name for t in spec.route_tables]
    out += _duplicates(spec, subnets_path, "subnet", subnets)
    out += _duplicates(spec, ("spec", "networkSecurityGroups"), "network security group", nsgs)
    out += _duplicates(spec, ("spec", "routeTables"), "route table", tables)
    for i, nsg in enumerate(spec.network_security_groups):
        out += _duplicates(
            spec, ("spec", "networkSecurityGroups", i, "rules"), "security rule", [r.name for r in nsg.rules]
        )
    for i, table in enumerate(spec.route_tables):
        out += _duplicates(
            spec, ("spec", "routeTables", i, "routes"), "route", [r.name for r in table.routes]
        )
    for i, subnet in enumerate(spec.virtual_network.subnets):
        if subnet.network_security_group is not None and subnet.network_security_group not in nsgs:
            out.append(
                _dangling(
                    spec,
                    "AKSNET-REF-001",
                    subnets_path + (i, "networkSecurityGroup"),
                    "network security group",
                    subnet.network_security_group,
                    nsgs,
                    "spec.networkSecurityGroups",
                )
            )
        if subnet.route_table is not None and subnet.route_table not in tables:
            out.append(
                _dangling(
                    spec,
                    "AKSNET-REF-002",
                    subnets_path + (i, "routeTable"),
                    "route table",
                    subnet.route_table,
                    tables,
                    "spec.routeTables",
                )
            )
    if spec.cluster.subnet not in subnets:
        out.append(
            _dangling(
                spec,
                "AKSNET-REF-003",
                ("spec", "cluster", "subnet"),
                "subnet",
                spec.cluster.subnet,
                subnets,
                "spec.virtualNetwork.subnets",
            )
        )
    out += _identity_refs(spec)
    return sorted(out, key=lambda f: (f.line, f.column, f.rule))


def _identity_refs(spec: Spec) -> list[Finding]:
    """cluster.identity.name / kubeletIdentity name user-assigned identities of the spec."""
    base: SpecPath = ("spec", "identities", "userAssignedIdentities")
    names = [i.name for i in spec.identities]
    out = _duplicates(spec, base, "user-assigned identity", names)
    cluster = spec.cluster
    for field, value in (("name", cluster.identity_name), ("kubeletIdentity", cluster.kubelet_identity)):
        if value is not None and spec.identity(value) is None:
            out.append(_dangling(spec, "AKSNET-REF-006", ("spec", "cluster", "identity", field),
                                 "user-assigned identity", value, names, "spec.identities.userAssignedIdentities"))
    if cluster.identity == "UserAssigned" and cluster.identity_name is None:
        out.append(ref_finding(spec, "AKSNET-REF-006", ("spec", "cluster", "identity"),
                               "identity type UserAssigned names no identity",
                               "add name: <one of spec.identities.userAssignedIdentities>",
                               "https://learn.microsoft.com/azure/aks/use-managed-identity"))
    if cluster.kubelet_identity is not None and cluster.identity != "UserAssigned":
        out.append(ref_finding(spec, "AKSNET-REF-006", ("spec", "cluster", "identity", "kubeletIdentity"),
                               "a kubelet identity needs a user-assigned control plane identity",
                               "set identity.type: UserAssigned with a name, or remove kubeletIdentity",
                               "https://learn.microsoft.com/azure/aks/use-managed-identity"))
    return out
