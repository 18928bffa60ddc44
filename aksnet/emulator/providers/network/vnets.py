"""Microsoft.Network/virtualNetworks with inline subnets.

A VNet PUT replaces the subnet collection: subnets not listed are deleted, and an omitted subnet that
is in use refuses the whole PUT with InUseSubnetCannotBeDeleted (Azure/bicep#3781 maintainer comment,
https://github.com/hashicorp/terraform/issues/16093). An absent `subnets` means an empty list.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from aksnet.emulator.providers.network.base import ParentKind
from aksnet.emulator.providers.network.common import (
    VNET_TYPE,
    Network,
    bad_request,
    overlaps,
    parse_prefix,
    unparseable,
)
from aksnet.emulator.providers.network.subnets import SUBNET

# Read-only VirtualNetwork properties (https://github.com/Azure/azure-rest-api-specs/blob/main/specification/network/resource-manager/Microsoft.Network/stable/2024-05-01/virtualNetwork.json); the base drops the inline subnets too.
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
        check_not_reserved(parse_prefix(value, vnet_id), vnet_id)  # R1, R6


# R6: "you can't add the following address ranges" (https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq): multicast, broadcast,
# loopback, link-local and the Azure internal DNS/health-probe address.
FORBIDDEN_RANGES = tuple(ipaddress.ip_network(r) for r in (
    "224.0.0.0/4", "255.255.255.255/32", "127.0.0.0/8", "169.254.0.0/16", "168.63.129.16/32"))


def check_not_reserved(prefix: Network, vnet_id: str) -> None:
    """A prefix that includes (overlaps) a forbidden range is refused, as the FAQ's wording says."""
    for forbidden in FORBIDDEN_RANGES:
        if overlaps(prefix, forbidden):
            # No public source gives the service's code or message for R6; InvalidAddressSpace is the
            # code this kind already uses for a bad address space (unconfirmed, inferred).
            raise bad_request("InvalidAddressSpace",
                              f"Address space {prefix} of virtual network {vnet_id} includes {forbidden}, a "
                              "range that cannot be used in a virtual network (multicast, broadcast, loopback, "
                              "link-local or the Azure platform address 168.63.129.16).")


VIRTUAL_NETWORK_KIND = ParentKind(
    type=VNET_TYPE,
    child=SUBNET,
    read_only=_READ_ONLY,
    # Filled by the service when omitted (VirtualNetworkCreate.json; az network vnet show).
    defaults={"virtualNetworkPeerings": [], "enableDdosProtection": False},
    check_properties=_check_address_space,
)
