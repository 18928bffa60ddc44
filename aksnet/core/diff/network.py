"""Diffs of the network resources: NSG (rules), route table (routes), VNet (subnets). Pure."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from aksnet.core import normalize as n
from aksnet.core.change_classes import ChangeClass
from aksnet.core.diff.common import DiffContext, FieldDiffs, compare_common, make_change
from aksnet.core.diff.members import members_differ
from aksnet.ids import Kind, parse_id
from aksnet.model import Action, Change, Desired, FieldPath, Live

# R55 (https://github.com/kubernetes-sigs/cloud-provider-azure/blob/master/pkg/provider/azure_routes.go): cloud-provider-azure names each kubenet route after its node,
# `aks-<pool>-<8 digits>-vmss<6 base-36 chars>`, dual-stack adds `____<cidr>`. Those routes are AKS's.
AKS_ROUTE_NAME = re.compile(r"^aks-[a-z0-9]+-\d+-vmss[0-9a-z]{6}(____.*)?$", re.IGNORECASE)

IN_USE_SUBNET = ChangeClass(
    Action.UNSUPPORTED,
    "the subnet is in use (node NICs / the cluster's node pool): Azure refuses a new prefix "
    "(InUseSubnetCannotBeUpdated); move the workload off the subnet first",
    "R57", "https://github.com/hashicorp/terraform-provider-azurerm/issues/7687",
)
KUBENET_ROUTE_TABLE_FIXED = ChangeClass(
    Action.UNSUPPORTED,
    "the route table of a kubenet cluster's node subnet cannot change after the cluster exists "
    "(CustomRouteTableInvalidUpdateAttempt); migrate to overlay first (AKS then removes its own "
    "table), then associate this one",
    "R54", "https://learn.microsoft.com/azure/aks/configure-kubenet",
)

_COLLECTION = {Kind.NSG: "securityRules", Kind.ROUTE_TABLE: "routes", Kind.VNET: "subnets"}


def is_aks_route(name: str) -> bool:
    return bool(AKS_ROUTE_NAME.match(name))


def is_aks_route_table(route_table_id: str | None, node_resource_group: str | None) -> bool:
    """AKS's own kubenet route table lives in the node resource group (`MC_<rg>_<cluster>_<loc>` by
    default, https://learn.microsoft.com/azure/aks/configure-kubenet)."""
    if not route_table_id:
        return False
    try:
        group = parse_id(route_table_id).resource_group.lower()
    except ValueError:
        return False
    if node_resource_group and group == node_resource_group.lower():
        return True
    return group.startswith("mc_")


def _props(body: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return (body or {}).get("properties") or {}


def _paired_children(diffs: FieldDiffs, desired: Mapping[str, Any], live: Mapping[str, Any], collection: str
                     ) -> Iterator[tuple[FieldPath, Mapping[str, Any], Mapping[str, Any], Mapping[str, Any]]]:
    """Each desired child (rule, route, subnet) with its live namesake (ARM names are case-insensitive):
    a child missing in Azure is recorded as added whole; the others are yielded as
    (path, desired properties, live properties, live child) for a field-by-field comparison."""
    live_children = n.by_name(_props(live).get(collection))
    for child in _props(desired).get(collection) or ():
        base = ("properties", collection, child["name"])
        found = live_children.get(child["name"].lower())
        if found is None:
            diffs.add(base, None, child["properties"])
        else:
            yield base, child["properties"], _props(found), found


def _diff_rules(diffs: FieldDiffs, desired: Mapping[str, Any], live: Mapping[str, Any]) -> None:
    for base, want, have, _ in _paired_children(diffs, desired, live, "securityRules"):
        diffs.compare((*base, "priority"), want.get("priority"), have.get("priority"), int)
        for key in ("direction", "access", "protocol"):
            diffs.compare((*base, key), want.get(key), have.get(key), n.enum)
        for single, plural, norm in (
            ("sourceAddressPrefix", "sourceAddressPrefixes", n.address_set),
            ("destinationAddressPrefix", "destinationAddressPrefixes", n.address_set),
            ("sourcePortRange", "sourcePortRanges", n.port_set),
            ("destinationPortRange", "destinationPortRanges", n.port_set),
        ):
            key = single if single in want else plural
            wanted, current = norm(want, single, plural), norm(have, single, plural)
            if wanted != current:
                before, after = sorted(n.one_or_many(have, single, plural)), sorted(n.one_or_many(want, single, plural))
                if key == single:  # shown in the field's own shape: a scalar for the scalar field
                    diffs.add((*base, key), before[0] if len(before) == 1 else before, after[0])
                else:
                    diffs.add((*base, key), before, after)
        diffs.compare((*base, "description"), want.get("description"), have.get("description"))


def _diff_routes(diffs: FieldDiffs, desired: Mapping[str, Any], live: Mapping[str, Any]) -> None:
    for base, want, have, _ in _paired_children(diffs, desired, live, "routes"):
        diffs.compare((*base, "addressPrefix"), want.get("addressPrefix"), have.get("addressPrefix"), n.cidr)
        diffs.compare((*base, "nextHopType"), want.get("nextHopType"), have.get("nextHopType"), n.enum)
        diffs.compare((*base, "nextHopIpAddress"), want.get("nextHopIpAddress"),
                      have.get("nextHopIpAddress"), n.cidr)


def _subnet_in_use(subnet: Mapping[str, Any], context: DiffContext) -> bool:
    """Node NICs in ipConfigurations, service links, or the live cluster."""
    props = _props(subnet)
    if props.get("ipConfigurations") or props.get("serviceAssociationLinks") or props.get(
            "resourceNavigationLinks"):
        return True
    return n.arm_id(subnet.get("id")) in context.node_subnet_ids()


def _live_prefixes(props: Mapping[str, Any]) -> frozenset[str]:
    """A subnet's prefixes as Azure reports them: `addressPrefix`, or `addressPrefixes` (dual-stack)."""
    return n.one_or_many(props, "addressPrefix", "addressPrefixes")


def _diff_subnets(diffs: FieldDiffs, desired: Mapping[str, Any], live: Mapping[str, Any],
                  context: DiffContext, notes: list[str]) -> None:
    node_subnets = context.node_subnet_ids()
    for base, want, have, found in _paired_children(diffs, desired, live, "subnets"):
        name = base[-1]
        if members_differ([want["addressPrefix"]], _live_prefixes(have), n.cidr):
            in_use = _subnet_in_use(found, context)
            diffs.add((*base, "addressPrefix"), have.get("addressPrefix") or have.get("addressPrefixes"),
                      want["addressPrefix"], IN_USE_SUBNET if in_use else None)
        if "networkSecurityGroup" in want:
            diffs.compare((*base, "networkSecurityGroup", "id"), want["networkSecurityGroup"]["id"],
                          n.ref_id(have.get("networkSecurityGroup")), n.arm_id)
        current = n.ref_id(have.get("routeTable"))
        aks_table = is_aks_route_table(current, context.node_resource_group)
        if "routeTable" in want and n.arm_id(want["routeTable"]["id"]) != current:
            # Even AKS's own table is a difference when the spec names another one: leaving it out
            # would let apply "succeed" without the association the spec asks for. While the cluster
            # is kubenet the association is fixed (R54); a migration to overlay removes AKS's table,
            # after which the next apply can associate the spec's.
            fixed = context.live_plugin == "kubenet" and n.arm_id(found.get("id")) in node_subnets
            diffs.add((*base, "routeTable", "id"), (have.get("routeTable") or {}).get("id"),
                      want["routeTable"]["id"], KUBENET_ROUTE_TABLE_FIXED if fixed else None)
        elif aks_table:
            # AKS's own kubenet table in the node resource group is AKS's (R54, R55,
            # docs/architecture.md#ownership): never drift while the spec names no table for the subnet.
            notes.append(f"subnet {name}: route table {current} belongs to AKS (kubenet, R54)")
        # A route table the spec does not name on the subnet is not owned.


def diff_network(desired: Desired, live: Live, context: DiffContext) -> Change:
    diffs = FieldDiffs(desired.kind, desired.unowned)
    compare_common(diffs, desired.body, live.body)
    notes: list[str] = []
    if desired.kind is Kind.NSG:
        _diff_rules(diffs, desired.body, live.body)
    elif desired.kind is Kind.ROUTE_TABLE:
        _diff_routes(diffs, desired.body, live.body)
        aks_routes = [r for r in _props(live.body).get("routes") or () if is_aks_route(str(r.get("name")))]
        if aks_routes:
            notes.append(f"{len(aks_routes)} route(s) written by AKS are AKS's (R55), not compared")
    elif desired.kind is Kind.VNET:
        desired_space = _props(desired.body).get("addressSpace", {}).get("addressPrefixes")
        live_space = (_props(live.body).get("addressSpace") or {}).get("addressPrefixes") or []
        diffs.compare_members(("properties", "addressSpace", "addressPrefixes"), desired_space, live_space, n.cidr)
        _diff_subnets(diffs, desired.body, live.body, context, notes)
    return make_change(desired, live, diffs.fields, note="; ".join(notes), context=context)


def child_deletes(desired: Desired, live: Live, context: DiffContext) -> list[Change]:
    """Children of an owned collection that exist in Azure but not in the spec (owned whole,
    docs/architecture.md#ownership), except AKS's own kubenet routes (R55)."""
    collection = _COLLECTION.get(desired.kind)
    if collection is None:
        return []
    wanted = n.by_name(_props(desired.body).get(collection))
    out = []
    for child in _props(live.body).get(collection) or ():
        name = str(child.get("name", ""))
        if name.lower() in wanted:
            continue
        if desired.kind is Kind.ROUTE_TABLE and is_aks_route(name):
            continue
        child_id = str(child.get("id") or f"{desired.id}/{collection}/{name}")
        reason = (f"{collection[:-1]} {name} is not in the spec, which owns the {collection} of "
                  f"{desired.kind}.{desired.name} whole")
        if desired.kind is Kind.VNET and _subnet_in_use(child, context):
            reason += "; it is in use, so Azure will refuse the delete (InUseSubnetCannotBeDeleted)"
        out.append(Change(
            id=child_id, kind=desired.kind, name=f'{desired.name}.{collection}["{name}"]',
            action=Action.DELETE, before=dict(child), after=None, reason=reason,
            depends_on=frozenset({desired.id}), parent=desired.id,
        ))
    return out
