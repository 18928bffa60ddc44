"""Microsoft.Network/virtualNetworks with inline subnets.

A VNet PUT replaces the subnet collection: subnets not listed are deleted, and an omitted subnet that
is in use refuses the whole PUT with InUseSubnetCannotBeDeleted (Azure/bicep#3781 maintainer comment,
hashicorp/terraform#16093; arm-protocol.md §6.2). An absent `subnets` means an empty list.
"""

from __future__ import annotations

from typing import Any

from aksnet.emulator.providers.network_base import ParentKind
from aksnet.emulator.providers.network_common import (
    VNET_TYPE,
    bad_request,
    parse_prefix,
    unparseable,
)
from aksnet.emulator.providers.network_subnets import SUBNET

# Read-only VirtualNetwork properties (arm-protocol.md §6.5); the base drops the inline subnets too.
_READ_ONLY = ("provisioningState", "resourceGuid", "flowLogs", "defaultPublicNatGateway")


def _check_address_space(props: dict[str, Any], vnet_id: str) -> None:
    space = props.get("addressSpace")
    prefixes = space.get("addressPrefixes") if isinstance(space, dict) else None
    if space is not None and not isinstance(space, dict):
        raise unparseable("properties.addressSpace", "Expected a JSON object.")
    if not isinstance(prefixes, list) or not prefixes:
        # Code not confirmed by a public source; the service refuses a VNet with no address space.
        raise bad_request("InvalidAddressSpace",
                          f"Virtual network {vnet_id} must have at least one address prefix in "
                          "properties.addressSpace.addressPrefixes.")
    for value in prefixes:
        parse_prefix(value, vnet_id)  # R1


VIRTUAL_NETWORK_KIND = ParentKind(
    type=VNET_TYPE,
    child=SUBNET,
    read_only=_READ_ONLY,
    # Filled by the service when omitted (VirtualNetworkCreate.json; az network vnet show).
    defaults={"virtualNetworkPeerings": [], "enableDdosProtection": False},
    check_properties=_check_address_space,
)
