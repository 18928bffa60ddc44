"""Microsoft.Network/virtualNetworks/subnets: the subnet rules as one `ChildType` (network_base), used
by the subnet API and the VNet's inline `subnets` alike (one code path, so both validate alike).

Stored row: `{id, name, type, etag, properties}`; `properties.ipConfigurations` is written only by
other kinds (AKS node NICs, see network_common) and is kept across client PUTs (read-only input).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from aksnet.emulator.arm.contract import ArmError, Body, Rid, Txn
from aksnet.emulator.providers.network.base import ChildType
from aksnet.emulator.providers.network.common import (
    NSG_TYPE,
    ROUTE_TABLE_TYPE,
    SUBNET_TYPE,
    UPDATING,
    Network,
    bad_request,
    check_reference,
    child_row,
    drop,
    inside,
    ip_configurations,
    overlaps,
    parse_prefix,
    properties_of,
    reference_id,
    unparseable,
)

# Read-only subnet properties (https://github.com/Azure/azure-rest-api-specs/blob/main/specification/network/resource-manager/Microsoft.Network/stable/2024-05-01/virtualNetwork.json): ignored on input.
_READ_ONLY = ("provisioningState", "ipConfigurations", "ipConfigurationProfiles", "privateEndpoints",
              "resourceNavigationLinks", "serviceAssociationLinks", "purpose", "etag", "type")

# What the live service fills in when a subnet PUT omits them (az network vnet subnet show).
_DEFAULTS: Mapping[str, Any] = {
    "privateEndpointNetworkPolicies": "Disabled",
    "privateLinkServiceNetworkPolicies": "Enabled",
    "delegations": [],
}

# R4: Azure subnets are /29 at the smallest (IPv4); IPv6 subnets are /64.
_MAX_PREFIX_LEN = {4: 29, 6: 64}


def prefix_values(props: Mapping[str, Any]) -> list[Any]:
    many = props.get("addressPrefixes")
    if isinstance(many, list) and many:
        return list(many)
    one = props.get("addressPrefix")
    return [] if one is None else [one]


def subnet_prefixes(row: Mapping[str, Any]) -> list[Network]:
    """Prefixes of an already stored (hence valid) subnet row."""
    return [parse_prefix(v, str(row.get("id"))) for v in prefix_values(row.get("properties") or {})]


def in_use_error(row: Mapping[str, Any]) -> ArmError | None:
    configs = ip_configurations(row)
    if not configs:
        return None
    # Message from https://github.com/kubernetes-sigs/cluster-api-provider-azure/issues/172.
    return bad_request(
        "InUseSubnetCannotBeDeleted",
        f"Subnet {row.get('name')} is in use by {configs[0].get('id')} and cannot be deleted. In order to "
        "delete the subnet, delete all the resources within the subnet. See aka.ms/deletesubnet.")


def vnet_name_of(rid: Rid) -> str:
    parent = rid.parent
    return parent.name if parent is not None else rid.name


def prepare_subnet(txn: Txn, rid: Rid, existing: Body | None, entry: Mapping[str, Any],
                   spaces: list[Network], location: str | None, path: str = "properties") -> Body:
    """Validate one subnet (child PUT body or inline entry) and return the row to store."""
    props = drop(properties_of(entry, path), _READ_ONLY)
    values = prefix_values(props)
    if not values:
        raise bad_request("NoAddressPrefixOrPoolProvided",
                          f"Subnet '{rid.name}' does not have address prefix or pool provided.")
    if "addressPrefixes" in props and not isinstance(props["addressPrefixes"], list):
        raise unparseable(f"{path}.addressPrefixes", "Expected an array of strings.")
    prefixes = [parse_prefix(v, rid.raw) for v in values]
    vnet = vnet_name_of(rid)
    for net in prefixes:
        if net.prefixlen > _MAX_PREFIX_LEN[net.version]:
            raise bad_request("NetcfgInvalidSubnet", f"Subnet '{rid.name}' is not valid in virtual network '{vnet}'.")
        if not any(inside(net, space) for space in spaces):
            # R2, message from MicrosoftDocs/azure-docs#123869.
            raise bad_request(
                "NetcfgSubnetRangeOutsideVnet",
                f"Subnet '{rid.name}' is not valid because its IP address range is outside the IP address "
                f"range of virtual network '{vnet}'.")
    if existing is not None and ip_configurations(existing):
        before = {str(n) for n in subnet_prefixes(existing)}
        if before != {str(n) for n in prefixes}:
            raise bad_request("InUseSubnetCannotBeUpdated",
                              f"Subnet {rid.name} is in use and cannot be updated.")
    for key, arm_type in (("networkSecurityGroup", NSG_TYPE), ("routeTable", ROUTE_TABLE_TYPE)):
        ref = reference_id(props, key)
        if ref is None:
            props.pop(key, None)
        else:
            check_reference(txn, ref, arm_type, rid.raw, location)
            props[key] = {"id": ref}
    for key, value in _DEFAULTS.items():
        props.setdefault(key, copy.deepcopy(value))
    if existing is not None and ip_configurations(existing):
        props["ipConfigurations"] = ip_configurations(existing)
    props["provisioningState"] = UPDATING
    return child_row(rid, existing, SUBNET_TYPE, props)


def check_no_overlap(vnet_name: str, named: list[tuple[str, list[Network]]]) -> None:
    """R3: no two subnets of one VNet share an address (NetcfgSubnetRangesOverlap). `named` is in
    order: a later subnet is reported against the earlier one."""
    for i, (name, nets) in enumerate(named):
        for other_name, other_nets in named[:i]:
            if any(overlaps(a, b) for a in nets for b in other_nets):
                raise bad_request(
                    "NetcfgSubnetRangesOverlap",
                    f"Subnet '{name}' is not valid because its IP address range overlaps with that of an "
                    f"existing subnet '{other_name}' in virtual network '{vnet_name}'.")


def vnet_spaces(vnet_row: Mapping[str, Any]) -> list[Network]:
    space = (vnet_row.get("properties") or {}).get("addressSpace") or {}
    return [parse_prefix(v, str(vnet_row.get("id"))) for v in space.get("addressPrefixes") or []]


def subnet_view(row: Body) -> Body:
    out = copy.deepcopy(row)
    props = out.setdefault("properties", {})
    if not props.get("ipConfigurations"):
        props.pop("ipConfigurations", None)
    return out


def _prepare_in_vnet(txn: Txn, rid: Rid, existing: Body | None, entry: Mapping[str, Any], vnet: Body,
                     path: str) -> Body:
    # The VNet's (new or stored) address space and region bound the subnet (R2, same-region references).
    return prepare_subnet(txn, rid, existing, entry, vnet_spaces(vnet), vnet.get("location"), path)


def _check_no_overlap_rows(vnet_name: str, rows: list[Body]) -> None:
    check_no_overlap(vnet_name, [(str(s["name"]), subnet_prefixes(s)) for s in rows])


MAX_SUBNETS = 3000  # R7: subnets per virtual network (https://learn.microsoft.com/azure/azure-resource-manager/management/azure-subscription-service-limits#azure-networking-limits)


def check_subnet_count(vnet_id: str, count: int) -> None:
    """R7, checked on a VNet PUT (its inline list) and on a subnet PUT (siblings + 1) before any address
    work. Reads MAX_SUBNETS at call time so tests can lower it."""
    if count > MAX_SUBNETS:
        # The exact service code was not found in public sources; named after the usage counter
        # "SubnetsPerVirtualNetwork" (Network Usages API), as the rule and route limits are.
        raise bad_request("SubnetsPerVirtualNetworkLimitReached",
                          f"Virtual network {vnet_id} would have {count} subnets; the limit is {MAX_SUBNETS} "
                          "subnets per virtual network.")


# The subnet child type, shared by the VNet's inline `subnets` and the subnet API (one code path).
SUBNET = ChildType(
    type=SUBNET_TYPE,
    segment="subnets",
    noun="subnet",
    prepare=_prepare_in_vnet,
    check_count=check_subnet_count,
    check_siblings=_check_no_overlap_rows,
    in_use_error=in_use_error,
    view_row=subnet_view,
)
