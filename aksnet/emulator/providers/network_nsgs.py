"""Microsoft.Network/networkSecurityGroups with inline securityRules (replace semantics, as for a
VNet's subnets: arm-protocol.md §6.2), the six default rules, and the `subnets` back-reference."""

from __future__ import annotations

from typing import Any

from aksnet.emulator.kinds import ArmError, Body
from aksnet.emulator.providers.network_base import ParentKind, SubnetAssociation
from aksnet.emulator.providers.network_common import (
    NSG_TYPE,
    bad_request,
)
from aksnet.emulator.providers.network_security_rules import SECURITY_RULE

# Read-only NSG properties (arm-protocol.md §6.5); the base drops the inline securityRules too.
_READ_ONLY = ("provisioningState", "resourceGuid", "defaultSecurityRules", "networkInterfaces", "subnets",
              "flowLogs")

# (name, description, access, source, destination, direction, priority): exactly the six rules of
# NetworkSecurityGroupCreate.json (2026-03-01).
_DEFAULT_RULES: tuple[tuple[str, str, str, str, str, str, int], ...] = (
    ("AllowVnetInBound", "Allow inbound traffic from all VMs in VNET", "Allow", "VirtualNetwork",
     "VirtualNetwork", "Inbound", 65000),
    ("AllowAzureLoadBalancerInBound", "Allow inbound traffic from azure load balancer", "Allow",
     "AzureLoadBalancer", "*", "Inbound", 65001),
    ("DenyAllInBound", "Deny all inbound traffic", "Deny", "*", "*", "Inbound", 65500),
    ("AllowVnetOutBound", "Allow outbound traffic from all VMs to all VMs in VNET", "Allow", "VirtualNetwork",
     "VirtualNetwork", "Outbound", 65000),
    ("AllowInternetOutBound", "Allow outbound traffic from all VMs to Internet", "Allow", "*", "Internet",
     "Outbound", 65001),
    ("DenyAllOutBound", "Deny all outbound traffic", "Deny", "*", "*", "Outbound", 65500),
)


def default_security_rules(nsg_id: str) -> list[dict[str, Any]]:
    return [
        {"name": name, "id": f"{nsg_id}/defaultSecurityRules/{name}",
         "properties": {"description": description, "access": access, "destinationAddressPrefix": destination,
                        "destinationPortRange": "*", "direction": direction, "priority": priority,
                        "provisioningState": "Succeeded", "sourceAddressPrefix": source,
                        "sourcePortRange": "*", "protocol": "*"}}
        for name, description, access, source, destination, direction, priority in _DEFAULT_RULES
    ]


def _nsg_in_use(nsg: Body, subnet_ids: list[str]) -> ArmError:
    # Message from pulumi-azure-native#3051 (arm-protocol.md §6.2).
    return bad_request(
        "InUseNetworkSecurityGroupCannotBeDeleted",
        f"Network security group {nsg['id']} cannot be deleted because it is in use by the following "
        f"resources: {', '.join(subnet_ids)}. In order to delete the Network security group, remove the "
        "association with the resource(s).")


NETWORK_SECURITY_GROUP_KIND = ParentKind(
    type=NSG_TYPE,
    child=SECURITY_RULE,
    read_only=_READ_ONLY,
    defaults={"flushConnection": False},  # NetworkSecurityGroupCreate.json
    association=SubnetAssociation("networkSecurityGroup", _nsg_in_use),
    computed=lambda nsg_id: {"defaultSecurityRules": default_security_rules(nsg_id)},
)
