"""Microsoft.Network/virtualNetworks with inline subnets.

A VNet PUT replaces the subnet collection: subnets not listed are deleted, and an omitted subnet that
is in use refuses the whole PUT with InUseSubnetCannotBeDeleted (Azure/bicep#3781 maintainer comment,
hashicorp/terraform#16093; arm-protocol.md §6.2). An absent `subnets` means an empty list.
"""

from __future__ import annotations

import copy
from typing import Any

from aksnet.emulator.kinds import ArmError, Body, Rid, Txn, parse_rid
from aksnet.emulator.providers.network_common import (
    NETWORK_API_VERSIONS,
    SUCCEEDED,
    UPDATING,
    VNET_TYPE,
    bad_request,
    busy,
    drop,
    entry_name,
    inline_entries,
    new_guid,
    no_duplicate_names,
    parse_prefix,
    patch_tags,
    properties_of,
    top_level_row,
    top_lock_key,
    unparseable,
    with_state,
)
from aksnet.emulator.providers.network_subnets import (
    check_no_overlap,
    in_use_error,
    prepare_subnet,
    subnet_prefixes,
    subnet_view,
)

# Read-only VirtualNetwork properties (arm-protocol.md §6.5), plus the materialised subnets.
_READ_ONLY = ("provisioningState", "resourceGuid", "flowLogs", "defaultPublicNatGateway", "subnets")


def _address_space(props: dict[str, Any], vnet_id: str) -> list[Any]:
    space = props.get("addressSpace")
    prefixes = space.get("addressPrefixes") if isinstance(space, dict) else None
    if space is not None and not isinstance(space, dict):
        raise unparseable("properties.addressSpace", "Expected a JSON object.")
    if not isinstance(prefixes, list) or not prefixes:
        # Code not confirmed by a public source; the service refuses a VNet with no address space.
        raise bad_request("InvalidAddressSpace",
                          f"Virtual network {vnet_id} must have at least one address prefix in "
                          "properties.addressSpace.addressPrefixes.")
    return prefixes


class VirtualNetworkKind:
    type = VNET_TYPE
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
        entries = inline_entries(given, "subnets")
        props = drop(given, _READ_ONLY)
        vnet_id = str(row["id"])
        spaces = [parse_prefix(v, vnet_id) for v in _address_space(props, vnet_id)]

        names = [entry_name(e, "properties.subnets") for e in entries]
        no_duplicate_names(rid, names)
        current = {str(s["name"]).lower(): s for s in txn.children(vnet_id, "subnets")}
        vnet_rid = parse_rid(vnet_id)
        prepared = [
            prepare_subnet(txn, vnet_rid.child("subnets", name), current.get(name.lower()), entry, spaces,
                           row["location"], path=f"properties.subnets[{i}].properties")
            for i, (name, entry) in enumerate(zip(names, entries, strict=True))
        ]
        check_no_overlap(rid.name, [(str(s["name"]), subnet_prefixes(s)) for s in prepared])
        listed = {n.lower() for n in names}
        removed = [s for key, s in current.items() if key not in listed]
        for subnet in removed:
            error = in_use_error(subnet)
            if error is not None:
                raise error

        for subnet in removed:
            txn.delete(str(subnet["id"]))
        for subnet in prepared:
            txn.put(str(subnet["id"]), subnet)

        # Filled by the service when omitted (VirtualNetworkCreate.json; az network vnet show).
        props.setdefault("virtualNetworkPeerings", [])
        props.setdefault("enableDdosProtection", False)
        props["resourceGuid"] = (existing or {}).get("properties", {}).get("resourceGuid") or new_guid()
        props["provisioningState"] = UPDATING
        row["properties"] = props
        return row

    def complete_put(self, txn: Txn, rid: Rid, stored: Body) -> Body:
        for subnet in txn.children(str(stored["id"]), "subnets"):
            if (subnet.get("properties") or {}).get("provisioningState") != SUCCEEDED:
                txn.put(str(subnet["id"]), with_state(subnet, SUCCEEDED))
        return with_state(stored, SUCCEEDED)

    def patch(self, txn: Txn, rid: Rid, existing: Body, body: Body) -> Body:
        return patch_tags(existing, body)

    def check_delete(self, txn: Txn, rid: Rid, existing: Body) -> None:
        for subnet in txn.children(str(existing["id"]), "subnets"):
            error = in_use_error(subnet)
            if error is not None:
                raise error

    def complete_delete(self, txn: Txn, rid: Rid, existing: Body) -> None:
        return None  # subnets go with the VNet (the framework removes child rows)

    def view(self, txn: Txn, rid: Rid, stored: Body) -> Body:
        out = copy.deepcopy(stored)
        props = out.setdefault("properties", {})
        props["subnets"] = [subnet_view(s) for s in txn.children(str(stored["id"]), "subnets")]
        return out
