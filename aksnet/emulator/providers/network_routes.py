"""Microsoft.Network/routeTables with inline routes (replace semantics, arm-protocol.md §6.2: a
route-table PUT that omits AKS's routes deletes them, as on Azure) and .../routes as children (R52)."""

from __future__ import annotations

import copy
import ipaddress
import re
from collections.abc import Mapping

from aksnet.emulator.kinds import ArmError, Body, Rid, Txn, network_etag, parse_rid
from aksnet.emulator.providers.network_common import (
    NETWORK_API_VERSIONS,
    ROUTE_TABLE_TYPE,
    ROUTE_TYPE,
    SUCCEEDED,
    UPDATING,
    bad_request,
    busy,
    child_row,
    drop,
    entry_name,
    inline_entries,
    new_guid,
    no_duplicate_names,
    parse_prefix,
    patch_tags,
    properties_of,
    subnets_referencing,
    top_level_row,
    top_lock_key,
    unparseable,
    with_state,
)

_TABLE_READ_ONLY = ("provisioningState", "resourceGuid", "subnets", "routes")
_ROUTE_READ_ONLY = ("provisioningState", "hasBgpOverride", "etag", "type")
# R52: RoutePropertiesFormat.nextHopType (routeTable.json); parsed case-insensitively.
_NEXT_HOPS = {h.lower(): h for h in ("VirtualNetworkGateway", "VnetLocal", "Internet", "VirtualAppliance", "None")}
MAX_ROUTES = 400  # R52 / azure-virtual-network-limits.md
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


class RouteTableKind:
    type = ROUTE_TABLE_TYPE
    api_versions = NETWORK_API_VERSIONS
    long_running = True
    supports_patch = True

    def lock_key(self, rid: Rid) -> str | None:
        return top_lock_key(rid)

    def busy_error(self, rid: Rid) -> ArmError:
        return busy(rid)

    def put(self, txn: Txn, rid: Rid, existing: Body | None, body: Body) -> Body:
        row = top_level_row(rid, existing, body)
        given = properties_of(body)
        entries = inline_entries(given, "routes")
        props = drop(given, _TABLE_READ_ONLY)
        table_id = str(row["id"])
        names = [entry_name(e, "properties.routes") for e in entries]
        no_duplicate_names(rid, names)
        check_route_count(table_id, len(entries))
        table_rid = parse_rid(table_id)
        current = {str(r["name"]).lower(): r for r in txn.children(table_id, "routes")}
        routes = [
            prepare_route(table_rid.child("routes", name), current.get(name.lower()), entry,
                          path=f"properties.routes[{i}].properties")
            for i, (name, entry) in enumerate(zip(names, entries, strict=True))
        ]
        listed = {n.lower() for n in names}
        for key, route in current.items():
            if key not in listed:
                txn.delete(str(route["id"]))
        for route in routes:
            txn.put(str(route["id"]), route)
        props.setdefault("disableBgpRoutePropagation", False)  # RouteTableGet.json shows the default
        props["resourceGuid"] = (existing or {}).get("properties", {}).get("resourceGuid") or new_guid()
        props["provisioningState"] = UPDATING
        row["properties"] = props
        return row

    def complete_put(self, txn: Txn, rid: Rid, stored: Body) -> Body:
        for route in txn.children(str(stored["id"]), "routes"):
            if (route.get("properties") or {}).get("provisioningState") != SUCCEEDED:
                txn.put(str(route["id"]), with_state(route, SUCCEEDED))
        return with_state(stored, SUCCEEDED)

    def patch(self, txn: Txn, rid: Rid, existing: Body, body: Body) -> Body:
        return patch_tags(existing, body)

    def check_delete(self, txn: Txn, rid: Rid, existing: Body) -> None:
        if subnets_referencing(txn, parse_rid(str(existing["id"])), "routeTable"):
            # Service text seen in public Terraform logs ("Route table X is in use and cannot be deleted.").
            raise bad_request("InUseRouteTableCannotBeDeleted",
                              f"Route table {existing['name']} is in use and cannot be deleted.")

    def complete_delete(self, txn: Txn, rid: Rid, existing: Body) -> None:
        return None  # routes go with the table (the framework removes child rows)

    def view(self, txn: Txn, rid: Rid, stored: Body) -> Body:
        out = copy.deepcopy(stored)
        table_id = str(stored["id"])
        props = out.setdefault("properties", {})
        props["routes"] = [copy.deepcopy(r) for r in txn.children(table_id, "routes")]
        users = subnets_referencing(txn, parse_rid(table_id), "routeTable")
        if users:
            props["subnets"] = [{"id": u} for u in users]
        return out


class RouteKind:
    type = ROUTE_TYPE
    api_versions = NETWORK_API_VERSIONS
    long_running = True
    supports_patch = False

    def lock_key(self, rid: Rid) -> str | None:
        return top_lock_key(rid)  # a table and its routes share one lock

    def busy_error(self, rid: Rid) -> ArmError:
        return busy(rid)

    def put(self, txn: Txn, rid: Rid, existing: Body | None, body: Body) -> Body:
        if not isinstance(body, dict):
            raise unparseable("", "Expected a JSON object.")
        parent = rid.parent
        table = txn.get(parent.raw) if parent is not None else None
        if parent is None or table is None:
            raise ArmError(404, "ParentResourceNotFound",
                           "Can not perform requested operation on nested resource. Parent resource "
                           f"'{parent.name if parent else rid.name}' not found.")
        row = prepare_route(rid, existing, body)
        siblings = [r for r in txn.children(parent.raw, "routes") if str(r["id"]).lower() != rid.key]
        check_route_count(parent.raw, len(siblings) + 1)
        table["etag"] = network_etag()
        txn.put(parent.raw, table)
        return row

    def complete_put(self, txn: Txn, rid: Rid, stored: Body) -> Body:
        return with_state(stored, SUCCEEDED)

    def patch(self, txn: Txn, rid: Rid, existing: Body, body: Body) -> Body:
        raise ArmError(405, "MethodNotAllowed", "The route API has no PATCH operation.")

    def check_delete(self, txn: Txn, rid: Rid, existing: Body) -> None:
        return None

    def complete_delete(self, txn: Txn, rid: Rid, existing: Body) -> None:
        parent = rid.parent
        table = txn.get(parent.raw) if parent is not None else None
        if parent is not None and table is not None:
            table["etag"] = network_etag()
            txn.put(parent.raw, table)

    def view(self, txn: Txn, rid: Rid, stored: Body) -> Body:
        return dict(stored)
