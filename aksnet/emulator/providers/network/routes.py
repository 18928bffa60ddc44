"""Microsoft.Network/routeTables with inline routes (replace semantics, https://github.com/Azure/bicep/issues/3781: a
route-table PUT that omits AKS's routes deletes them, as on Azure) and .../routes as children (R52)."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping

from aksnet.emulator.arm.contract import ArmError, Body, Rid
from aksnet.emulator.providers.network.base import (
    ChildKind,
    ChildType,
    ParentKind,
    SubnetAssociation,
    standalone,
)
from aksnet.emulator.providers.network.common import (
    ROUTE_TABLE_TYPE,
    ROUTE_TYPE,
    UPDATING,
    bad_request,
    child_row,
    drop,
    parse_prefix,
    properties_of,
    unparseable,
)

# Read-only route table properties; the base drops the inline routes too.
_TABLE_READ_ONLY = ("provisioningState", "resourceGuid", "subnets")
_ROUTE_READ_ONLY = ("provisioningState", "hasBgpOverride", "etag", "type")
# R52: RoutePropertiesFormat.nextHopType (routeTable.json); parsed case-insensitively.
_NEXT_HOPS = {h.lower(): h for h in ("VirtualNetworkGateway", "VnetLocal", "Internet", "VirtualAppliance", "None")}
MAX_ROUTES = 400  # R52 / https://learn.microsoft.com/azure/azure-resource-manager/management/azure-subscription-service-limits#azure-networking-limits
_SERVICE_TAG = re.compile(r"^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*$")  # routes may target a service tag


def prepare_route(rid: Rid, existing: Body | None, entry: Mapping[str, object], path: str = "properties") -> Body:
    """Validate one route (child PUT body or inline entry) and return the row to store."""
    props = drop(properties_of(entry, path), _ROUTE_READ_ONLY)
    prefix = props.get("addressPrefix")
    if prefix is None:
        raise unparseable(f"{path}.addressPrefix", "Required property 'addressPrefix' not found in JSON.")
    if not (isinstance(prefix, str) and _SERVICE_TAG.match(prefix)):
        parse_prefix(prefix, rid.raw)  # R1
    hop_value = props.get("nextHopType")
    hop = _NEXT_HOPS.get(hop_value.lower()) if isinstance(hop_value, str) else None
    if hop is None:
        if hop_value is None:
            raise unparseable(f"{path}.nextHopType", "Required property 'nextHopType' not found in JSON.")
        raise unparseable(f"{path}.nextHopType", f"Error converting value \"{hop_value}\" to type 'RouteNextHopType'.")
    props["nextHopType"] = hop
    ip = props.get("nextHopIpAddress")
    if hop == "VirtualAppliance":
        if not ip:
            # Message from terraform-provider-azurerm#20365 (live service text).
            raise bad_request("MissingNextHopIpAddress",
                              f"NextHopIpAddress cannot be Null or Empty in route {rid.name} when NextHopType "
                              "is VirtualAppliance.")
        try:
            ipaddress.ip_address(str(ip))
        except ValueError:
            raise bad_request("InvalidNextHopIpAddress",
                              f"Next hop IP address {ip} in route {rid.raw} is not a valid IP address.") from None
    elif ip:
        # R52: "Next hop values are only allowed in routes where the next hop type is VirtualAppliance".
        raise bad_request("InvalidNextHopIpAddress",
                          f"Next hop IP address {ip} is not allowed in route {rid.raw}: next hop values are only "
                          f"allowed in routes where the next hop type is VirtualAppliance, not {hop}.")
    else:
        props.pop("nextHopIpAddress", None)
    props["hasBgpOverride"] = False
    props["provisioningState"] = UPDATING
    return child_row(rid, existing, ROUTE_TYPE, props)


def check_route_count(table_id: str, count: int) -> None:
    if count > MAX_ROUTES:
        # R52 limit (400 routes per table); the exact service code was not found in public sources.
        raise bad_request("RoutesPerRouteTableLimitReached",
                          f"Route table {table_id} would have {count} routes; the limit is {MAX_ROUTES} routes "
                          "per route table.")


def _route_table_in_use(table: Body, subnet_ids: list[str]) -> ArmError:
    # Service text seen in public Terraform logs ("Route table X is in use and cannot be deleted.").
    return bad_request("InUseRouteTableCannotBeDeleted", f"Route table {table['name']} is in use and cannot be deleted.")


# The route child type, shared by the table's inline `routes` and the route API (R52).
ROUTE = ChildType(type=ROUTE_TYPE, segment="routes", noun="route", prepare=standalone(prepare_route),
                  check_count=check_route_count)

ROUTE_TABLE_KIND = ParentKind(
    type=ROUTE_TABLE_TYPE,
    child=ROUTE,
    read_only=_TABLE_READ_ONLY,
    defaults={"disableBgpRoutePropagation": False},  # RouteTableGet.json shows the default
    association=SubnetAssociation("routeTable", _route_table_in_use),
)
ROUTE_KIND = ChildKind(ROUTE)
