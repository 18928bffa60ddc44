"""Shared pieces of the Microsoft.Network kinds, and the helpers other kinds (AKS) call.

How another kind changes network state (inside the framework's write transaction `txn`):

(a) Add or replace a route in a route table (kubenet: one route per node, https://github.com/kubernetes-sigs/cloud-provider-azure/blob/master/pkg/provider/azure_routes.go):
    `put_route(txn, route_table_id, name, address_prefix, "VirtualAppliance", node_ip)` writes the
    row `{route_table_id}/routes/{name}` with the full route body (id, name, type, etag,
    properties.provisioningState "Succeeded") and gives the table a new etag. `delete_route(...)`
    removes one. The route table itself can be created with `ensure_route_table(...)` (AKS's own
    table in the node resource group).
(b) Associate a route table with a subnet: `set_subnet_route_table(txn, subnet_id, route_table_id)`
    sets the subnet row's `properties.routeTable = {"id": ...}` (None removes it). The route table's
    `properties.subnets` back-reference is computed on read, never stored.
(c) Mark a subnet in use (node NICs): `add_subnet_ip_configurations(txn, subnet_id, ids)` appends
    `{"id": ...}` entries to the subnet row's `properties.ipConfigurations`;
    `remove_subnet_ip_configurations(txn, subnet_id, ids=None, under=None)` drops the given ids, or
    every id starting with `under` (e.g. the node resource group's id). A subnet with any
    ipConfigurations is "in use": it cannot be deleted, omitted from a VNet PUT or re-addressed
    (InUseSubnetCannotBeDeleted / InUseSubnetCannotBeUpdated), exactly as with real node NICs.

These helpers do not validate like a client PUT (AKS is the service, not a client); they raise
KeyError when the resource they modify does not exist.
"""

from __future__ import annotations

import copy
import ipaddress
import re
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from aksnet.emulator.api_versions import network as network_versions
from aksnet.emulator.arm import errors
from aksnet.emulator.arm.contract import ArmError, Body, Rid, Txn, network_etag, parse_rid
from aksnet.emulator.arm.names import check_location

# Every published Network api-version (aksnet/emulator/api_versions/network.py).
NETWORK_API_VERSIONS = network_versions.STABLE

VNET_TYPE = "Microsoft.Network/virtualNetworks"
SUBNET_TYPE = "Microsoft.Network/virtualNetworks/subnets"
NSG_TYPE = "Microsoft.Network/networkSecurityGroups"
RULE_TYPE = "Microsoft.Network/networkSecurityGroups/securityRules"
ROUTE_TABLE_TYPE = "Microsoft.Network/routeTables"
ROUTE_TYPE = "Microsoft.Network/routeTables/routes"

UPDATING = "Updating"  # live Network PUT responses say Updating, also on create (https://github.com/Azure/azure-resource-manager-rpc/blob/master/v1.0/async-api-reference.md)
SUCCEEDED = "Succeeded"

# NRP resource names (R49 for rules; the same NRP rule for every network resource name).
_NAME_RE = re.compile(r"^\w[\w.\-]{0,78}\w$|^\w$|^\w[\w.\-]{0,78}_$")


# ---- errors -----------------------------------------------------------------------------------

def bad_request(code: str, message: str, **kw: Any) -> ArmError:
    return ArmError(400, code, message, **kw)


def unparseable(path: str, problem: str) -> ArmError:
    """NRP answers a body it cannot deserialise (bad enum, wrong JSON type, missing required value)
    with 400 InvalidRequestFormat "Cannot parse the request." and the reason in details."""
    return bad_request("InvalidRequestFormat", "Cannot parse the request.",
                       details=[{"code": "InvalidJson", "message": f"{problem} Path '{path}'."}])


def busy(rid: Rid) -> ArmError:
    """429 + Retry-After while another operation holds the lock (ARM throttling doc: the network RP
    returns RetryableErrorDueToAnotherOperation when the target resource is locked)."""
    return ArmError(429, "RetryableErrorDueToAnotherOperation",
                    f"Operation on {rid.raw} is not allowed because another operation on this or a "
                    "dependent resource is in progress. Retry the operation later.", retry_after=1)


def top_lock_key(rid: Rid) -> str:
    """A resource and its children share one lock: the top-level resource's id (lower case)."""
    top = rid
    while top.parent is not None:
        top = top.parent
    return top.key


# ---- body helpers -----------------------------------------------------------------------------

def check_name(rid: Rid) -> None:
    name = rid.name
    if not _NAME_RE.fullmatch(name):  # fullmatch: `$` alone would let a trailing newline through
        raise bad_request(
            "InvalidResourceName",
            f"Resource name {name} is invalid. The name can be up to 80 characters long. It must begin "
            "with a word character, and it must end with a word character or with '_'. The name may "
            "contain word characters or '.', '-', '_'.")


def properties_of(body: Mapping[str, Any], path: str = "properties") -> dict[str, Any]:
    props = body.get("properties")
    if props is None:
        return {}
    if not isinstance(props, dict):
        raise unparseable(path, "Expected a JSON object.")
    return copy.deepcopy(props)


def drop(props: dict[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    """Remove read-only input fields: the service ignores them when a client sends back a body it read."""
    for key in keys:
        props.pop(key, None)
    return props


def normalise_location(location: str) -> str:
    # ARM stores regions in their canonical short form ("East US" -> "eastus").
    return location.replace(" ", "").lower()


def top_level_row(rid: Rid, existing: Body | None, body: Body) -> Body:
    """id/name/type/location/tags/etag of a top-level network resource (no properties yet)."""
    if not isinstance(body, dict):
        raise unparseable("", "Expected a JSON object.")
    check_name(rid)
    location = body.get("location")
    if not isinstance(location, str) or not location.strip():
        raise errors.location_required()
    check_location(rid.type, location)
    loc = normalise_location(location)
    if existing is not None and normalise_location(str(existing.get("location", loc))) != loc:
        raise bad_request(
            "InvalidResourceLocation",
            f"The resource '{rid.name}' already exists in location '{existing.get('location')}' in resource "
            f"group '{rid.resource_group}'. A resource with the same name cannot be created in location "
            f"'{loc}'. Please select a new resource name.")
    row: Body = {
        "id": existing["id"] if existing else rid.raw,  # ARM keeps the casing of the creating request
        "name": existing["name"] if existing else rid.name,
        "type": rid.type if existing is None else existing.get("type", rid.type),
        "location": loc,
        "etag": network_etag(),
    }
    tags = body.get("tags")
    if tags is not None:
        row["tags"] = checked_tags(tags)
    return row


def child_row(rid: Rid, existing: Body | None, arm_type: str, props: dict[str, Any]) -> Body:
    check_name(rid)
    return {
        "id": existing["id"] if existing else rid.raw,
        "name": existing["name"] if existing else rid.name,
        "type": arm_type,
        "etag": network_etag(),
        "properties": props,
    }


def checked_tags(tags: Any) -> dict[str, str]:
    if not isinstance(tags, dict) or not all(isinstance(v, str) for v in tags.values()):
        raise unparseable("tags", "Expected an object of string values.")
    return dict(tags)


def patch_tags(existing: Body, body: Body) -> Body:
    """Tags PATCH replaces the whole tags map (https://learn.microsoft.com/rest/api/virtualnetwork/virtual-networks/update-tags) and changes the etag."""
    row = copy.deepcopy(existing)
    if isinstance(body, dict) and "tags" in body:
        row["tags"] = checked_tags(body["tags"] or {})
    row["etag"] = network_etag()
    return row


def with_state(row: Body, state: str, *, new_etag: bool = True) -> Body:
    out = copy.deepcopy(row)
    out.setdefault("properties", {})["provisioningState"] = state
    if new_etag:
        out["etag"] = network_etag()
    return out


def new_guid() -> str:
    return str(uuid.uuid4())


def inline_entries(props: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    """An inline child collection; absent or null means empty (the PUT replaces the collection)."""
    entries = props.get(key)
    if entries is None:
        return []
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise unparseable(f"properties.{key}", "Expected an array of objects.")
    return entries


def entry_name(entry: Mapping[str, Any], parent_path: str) -> str:
    name = entry.get("name")
    if not name and isinstance(entry.get("id"), str):
        name = str(entry["id"]).rstrip("/").rsplit("/", 1)[-1]
    if not isinstance(name, str) or not name:
        raise unparseable(parent_path, "Each child resource needs a name.")
    return name


def no_duplicate_names(parent: Rid, names: list[str]) -> None:
    seen: set[str] = set()
    for name in names:
        if name.lower() in seen:
            raise bad_request("DuplicateResourceName",
                              f"Resource {parent.raw} has two child resources with the same name ({name}).")
        seen.add(name.lower())


# ---- addresses (R1) ---------------------------------------------------------------------------

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_prefix(value: Any, owner_id: str) -> Network:
    """A CIDR prefix; InvalidAddressPrefixFormat when it is not CIDR, InvalidCIDRNotation when host
    bits are set (R1, messages from azure-service-operator#997 and user reports)."""
    if not isinstance(value, str) or "/" not in value:
        raise bad_request("InvalidAddressPrefixFormat",
                          f"Address prefix {value} of resource {owner_id} is not formatted correctly. "
                          "It should follow CIDR notation, for example 10.0.0.0/24.")
    try:
        return ipaddress.ip_network(value, strict=True)
    except ValueError:
        try:
            loose = ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise bad_request("InvalidAddressPrefixFormat",
                              f"Address prefix {value} of resource {owner_id} is not formatted correctly. "
                              "It should follow CIDR notation, for example 10.0.0.0/24.") from None
        raise bad_request("InvalidCIDRNotation",
                          f"The address prefix {value} in resource {owner_id} has an invalid CIDR notation. "
                          f"For the given prefix length, the address prefix should be {loose}.") from None


def overlaps(a: Network, b: Network) -> bool:
    return a.version == b.version and a.overlaps(b)


def inside(inner: Network, outer: Network) -> bool:
    return inner.version == outer.version and inner.subnet_of(outer)  # type: ignore[arg-type]


# ---- references -------------------------------------------------------------------------------

def reference_id(props: Mapping[str, Any], key: str) -> str | None:
    ref = props.get(key)
    if ref is None:
        return None
    if not isinstance(ref, dict):
        raise unparseable(f"properties.{key}", "Expected a JSON object.")
    rid = ref.get("id")
    if rid is None:
        return None
    if not isinstance(rid, str) or not rid.lower().startswith("/subscriptions/"):
        raise bad_request(
            "LinkedInvalidPropertyId",
            f"Property id '{rid}' at path 'properties.{key}.id' is invalid. Expect fully qualified resource "
            "Id that start with '/subscriptions/{subscriptionId}' or '/providers/{resourceProviderNamespace}/'.")
    return rid


def check_reference(txn: Txn, ref_id: str, arm_type: str, owner_id: str, location: str | None) -> None:
    """A referenced NSG/route table must exist, be of that type and in the owner's region
    (InvalidResourceReference, message from terraform-provider-azurerm#14344)."""
    try:
        ref = parse_rid(ref_id)
        found = txn.get(ref_id) if ref.type.lower() == arm_type.lower() else None
    except ValueError:
        found = None
    wrong_region = (found is not None and location is not None
                   and normalise_location(str(found.get("location", location))) != location)
    if found is None or wrong_region:
        raise bad_request(
            "InvalidResourceReference",
            f"Resource {ref_id} referenced by resource {owner_id} was not found. Please make sure that the "
            "referenced resource exists, and that both resources are in the same region.",
            details=[{"code": "NotFound", "message": f"Resource {ref_id} not found."}])


def subnets_referencing(txn: Txn, rid: Rid, key: str) -> list[str]:
    """Ids of the subnets (same subscription) whose `properties.<key>.id` is this resource."""
    out = []
    for subnet in txn.find(SUBNET_TYPE, subscription=rid.subscription):
        ref = (subnet.get("properties") or {}).get(key) or {}
        if isinstance(ref, dict) and str(ref.get("id", "")).lower() == rid.key:
            out.append(str(subnet["id"]))
    return sorted(out, key=str.lower)


def ip_configurations(subnet_row: Mapping[str, Any]) -> list[dict[str, Any]]:
    configs = (subnet_row.get("properties") or {}).get("ipConfigurations") or []
    return [c for c in configs if isinstance(c, dict)]


# ---- helpers for other kinds (AKS); see the module docstring ----------------------------------

def touch(txn: Txn, resource_id: str) -> None:
    row = txn.get(resource_id)
    if row is not None:
        row["etag"] = network_etag()
        txn.put(resource_id, row)


def ensure_route_table(txn: Txn, route_table_id: str, location: str,
                       tags: Mapping[str, str] | None = None) -> None:
    """Create an empty route table (Succeeded) if absent, as AKS does in the node resource group."""
    if txn.get(route_table_id) is not None:
        return
    rid = parse_rid(route_table_id)
    row: Body = {"id": rid.raw, "name": rid.name, "type": ROUTE_TABLE_TYPE,
                 "location": normalise_location(location), "etag": network_etag(),
                 "properties": {"disableBgpRoutePropagation": False, "resourceGuid": new_guid(),
                                "provisioningState": SUCCEEDED}}
    if tags:
        row["tags"] = dict(tags)
    txn.put(route_table_id, row)


def put_route(txn: Txn, route_table_id: str, name: str, address_prefix: str, next_hop_type: str,
              next_hop_ip: str | None = None) -> None:
    """Add or replace one route (the full stored body) and bump the table's etag."""
    if txn.get(route_table_id) is None:
        raise KeyError(route_table_id)
    route_id = f"{route_table_id.rstrip('/')}/routes/{name}"
    props: Body = {"addressPrefix": address_prefix, "nextHopType": next_hop_type,
                   "provisioningState": SUCCEEDED, "hasBgpOverride": False}
    if next_hop_ip is not None:
        props["nextHopIpAddress"] = next_hop_ip
    txn.put(route_id, {"id": route_id, "name": name, "type": ROUTE_TYPE, "etag": network_etag(),
                       "properties": props})
    touch(txn, route_table_id)


def delete_route(txn: Txn, route_table_id: str, name: str) -> None:
    txn.delete(f"{route_table_id.rstrip('/')}/routes/{name}")
    touch(txn, route_table_id)


def _subnet_row(txn: Txn, subnet_id: str) -> Body:
    row = txn.get(subnet_id)
    if row is None:
        raise KeyError(subnet_id)
    return row


def set_subnet_route_table(txn: Txn, subnet_id: str, route_table_id: str | None) -> None:
    """Associate (or with None dissociate) a route table and a subnet."""
    row = _subnet_row(txn, subnet_id)
    props = row.setdefault("properties", {})
    if route_table_id is None:
        props.pop("routeTable", None)
    else:
        props["routeTable"] = {"id": route_table_id}
    row["etag"] = network_etag()
    txn.put(subnet_id, row)
    parent = parse_rid(subnet_id).parent
    if parent is not None:
        touch(txn, parent.raw)


def add_subnet_ip_configurations(txn: Txn, subnet_id: str, ip_configuration_ids: Iterable[str]) -> None:
    """Record NIC ip configurations in the subnet (they make it "in use")."""
    row = _subnet_row(txn, subnet_id)
    props = row.setdefault("properties", {})
    configs = ip_configurations(row)
    known = {str(c.get("id", "")).lower() for c in configs}
    for config_id in ip_configuration_ids:
        if config_id.lower() not in known:
            configs.append({"id": config_id})
            known.add(config_id.lower())
    props["ipConfigurations"] = configs
    txn.put(subnet_id, row)


def remove_subnet_ip_configurations(txn: Txn, subnet_id: str, ip_configuration_ids: Iterable[str] | None = None,
                                    *, under: str | None = None) -> None:
    """Drop the given ip configuration ids, and/or every id that starts with `under` (case-insensitive)."""
    row = txn.get(subnet_id)
    if row is None:
        return  # the subnet is already gone: nothing is in use any more
    drop_ids = {i.lower() for i in ip_configuration_ids or ()}
    prefix = under.lower().rstrip("/") + "/" if under else None
    kept = [c for c in ip_configurations(row)
            if str(c.get("id", "")).lower() not in drop_ids
            and not (prefix and str(c.get("id", "")).lower().startswith(prefix))]
    props = row.setdefault("properties", {})
    if kept:
        props["ipConfigurations"] = kept
    else:
        props.pop("ipConfigurations", None)
    txn.put(subnet_id, row)
