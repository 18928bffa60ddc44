"""Rules that depend on what Azure holds now, checked at plan time before any write. Pure: the spec, the
live bodies aksnet read for it, and whether the plan creates (or recreates) the cluster.

The offline rules (aksnet.checks.rules) judge the spec alone; these catch what only the live state shows:
an association or delegation made out of band on the spec's node subnet that makes `az aks create` (and
so apply) fail. Each is a located error on the spec's node subnet or cluster.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aksnet.checks.rules.catalogue import BY_ID
from aksnet.model import Finding, Live, Severity
from aksnet.spec.types import Spec

VNET = ("spec", "virtualNetwork")


def _lower(value: Any) -> str:
    return str(value or "").lower()


def _live_subnet(spec: Spec, live: Mapping[str, Live | None], subscription: str) -> Mapping[str, Any] | None:
    """The spec's node subnet as the live VNet body lists it, or None (VNet or subnet not there yet)."""
    return _live_named_subnet(spec, live, subscription, spec.cluster.subnet)


def _live_named_subnet(spec: Spec, live: Mapping[str, Live | None], subscription: str,
                       name: str) -> Mapping[str, Any] | None:
    vnet_key = (f"/subscriptions/{subscription}/resourcegroups/{spec.resource_group}/providers/"
                f"microsoft.network/virtualnetworks/{spec.virtual_network.name}").lower()
    body = next((item.body for rid, item in live.items() if item is not None and rid.lower() == vnet_key), None)
    if body is None:
        return None
    for subnet in (body.get("properties") or {}).get("subnets") or ():
        if isinstance(subnet, Mapping) and _lower(subnet.get("name")) == name.lower():
            return subnet
    return None


def _resource_group(resource_id: str) -> str:
    parts = resource_id.split("/")
    lowered = [p.lower() for p in parts]
    return parts[lowered.index("resourcegroups") + 1].lower() if "resourcegroups" in lowered else ""


def live_blocking_findings(spec: Spec, live: Mapping[str, Live | None], subscription: str, *,
                           creates_cluster: bool, node_resource_group: str | None = None) -> list[Finding]:
    """Errors the plan must report before any write. `creates_cluster`: the plan creates or recreates
    the cluster (the checks concern what `az aks create` accepts). `node_resource_group`: the live
    cluster's (its own route table and nodes are not "out of band")."""
    if not creates_cluster:
        return []
    subnet = _live_subnet(spec, live, subscription)
    if subnet is None:
        return []
    index = next(i for i, s in enumerate(spec.virtual_network.subnets) if s.name == spec.cluster.subnet)
    declared = spec.virtual_network.subnets[index]
    path = (*VNET, "subnets", index)
    props = subnet.get("properties") or {}
    own_group = (node_resource_group or "").lower()
    kubenet = _lower(spec.cluster.network.plugin) == "kubenet"
    findings: list[Finding] = []

    def emit(rule_id: str, message: str, field: str | None = None) -> None:
        rule = BY_ID[rule_id]
        loc = spec.locate((*path, field) if field else path)
        findings.append(Finding(rule=rule.id, severity=rule.severity, message=message, fix=rule.fix,
                                file=spec.file, line=loc.line, column=loc.column,
                                path=".".join(str(p) for p in (*path, *((field,) if field else ()))),
                                catalogue=rule.catalogue, source=rule.source))

    table = _lower((props.get("routeTable") or {}).get("id"))
    if (kubenet and spec.cluster.identity == "SystemAssigned" and table and declared.route_table is None
            and _resource_group(table) != own_group):
        emit("AKSNET-LIVE-001",
             f"In Azure, node subnet '{declared.name}' carries route table {table.rsplit('/', 1)[-1]} "
             f"({table}), which the spec does not name; AKS refuses a kubenet cluster with a SystemAssigned "
             "identity on it (CustomRouteTableWithUnsupportedMSIType)", "routeTable")
    others = sorted({_resource_group(str(c.get("id") or "")) for c in props.get("ipConfigurations") or ()
                     if isinstance(c, Mapping) and "/virtualmachinescalesets/" in _lower(c.get("id"))}
                    - {own_group, ""})
    if kubenet and others:
        emit("AKSNET-LIVE-002",
             f"In Azure, node subnet '{declared.name}' already holds the nodes of another cluster (node resource "
             f"group {', '.join(others)}); kubenet clusters cannot share a subnet")
    delegations = [str((d.get("properties") or {}).get("serviceName") or d.get("name"))
                   for d in props.get("delegations") or () if isinstance(d, Mapping)]
    if delegations:
        emit("AKSNET-LIVE-003",
             f"In Azure, node subnet '{declared.name}' is delegated to {', '.join(delegations)}; a delegated "
             "subnet serves only that service, so AKS cannot place nodes in it")
    return [f for f in findings if f.severity is Severity.ERROR]


def live_warnings(spec: Spec, live: Mapping[str, Live | None], subscription: str, *,
                  node_resource_group: str | None = None) -> list[Finding]:
    """An NSG or route table attached out of band to a subnet the spec declares without one. aksnet keeps
    it (an omitted field is Azure's), but it filters or routes the cluster's traffic, so plan says so.
    AKS's own kubenet route table (in the cluster's node resource group) is not out of band."""
    own_group = (node_resource_group or "").lower()
    findings: list[Finding] = []
    rule = BY_ID["AKSNET-LIVE-004"]
    for index, declared in enumerate(spec.virtual_network.subnets):
        subnet = _live_named_subnet(spec, live, subscription, declared.name)
        if subnet is None:
            continue
        props = subnet.get("properties") or {}
        for field, noun, named in (("networkSecurityGroup", "NSG", declared.network_security_group),
                                   ("routeTable", "route table", declared.route_table)):
            attached = str((props.get(field) or {}).get("id") or "")
            if not attached or named is not None or (field == "routeTable" and _resource_group(attached) == own_group):
                continue
            path = (*VNET, "subnets", index)
            loc = spec.locate(path)
            findings.append(Finding(
                rule=rule.id, severity=rule.severity,
                message=(f"In Azure, subnet '{declared.name}' carries {noun} {attached.rsplit('/', 1)[-1]} "
                         f"({attached}), which the spec does not name; aksnet leaves it attached"),
                fix=rule.fix, file=spec.file, line=loc.line, column=loc.column,
                path=".".join(str(p) for p in (*path, field)), catalogue=rule.catalogue, source=rule.source))
    return findings
