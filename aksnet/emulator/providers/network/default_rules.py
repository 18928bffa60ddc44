"""Microsoft.Network/networkSecurityGroups/defaultSecurityRules: the six service-owned rules of every NSG,
readable one by one and as a list (REST DefaultSecurityRules_Get / DefaultSecurityRules_List), never
writable.

The NSG kind writes them as child rows when the NSG is created (the framework's GET and list read
stored rows; they go with the NSG's rows on delete). They have the same body the NSG shows inline in
`properties.defaultSecurityRules` (NetworkSecurityGroupCreate.json / NetworkSecurityGroupGet.json).
"""

from __future__ import annotations

import copy
from typing import Any

from aksnet.emulator.arm import errors
from aksnet.emulator.arm.contract import ArmError, Body, Rid, Txn
from aksnet.emulator.providers.network.common import NETWORK_API_VERSIONS, NSG_TYPE, busy, top_lock_key

DEFAULT_RULE_TYPE = f"{NSG_TYPE}/defaultSecurityRules"
DEFAULT_RULES_SEGMENT = "defaultSecurityRules"

# (name, description, access, source, destination, direction, priority): exactly the six rules of
# NetworkSecurityGroupCreate.json (2026-03-01), in its order.
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
        {"name": name, "id": f"{nsg_id}/{DEFAULT_RULES_SEGMENT}/{name}",
         "properties": {"description": description, "access": access, "destinationAddressPrefix": destination,
                        "destinationPortRange": "*", "direction": direction, "priority": priority,
                        "provisioningState": "Succeeded", "sourceAddressPrefix": source,
                        "sourcePortRange": "*", "protocol": "*"}}
        for name, description, access, source, destination, direction, priority in _DEFAULT_RULES
    ]


def write_default_rules(txn: Txn, nsg_id: str) -> None:
    """Store the six rows under the NSG (idempotent: the rules never change)."""
    for row in default_security_rules(nsg_id):
        if txn.get(str(row["id"])) is None:
            txn.put(str(row["id"]), row)


def _read_only(method: str) -> ArmError:
    # The REST spec defines only GET and List for defaultSecurityRules ("You can't remove the default
    # rules", https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview). 405 with ASP.NET Web API's wording is what Azure RPs
    # answer to a method a route lacks (seen from an Azure RP in azure-sdk-for-net's DataMigration
    # FlieTest); that Microsoft.Network answers exactly this for defaultSecurityRules is inferred.
    return errors.method_not_allowed(f"The requested resource does not support http method '{method}'.")


class DefaultSecurityRuleKind:
    """Read-only child kind (implements `kinds.Kind`): PUT, PATCH and DELETE are refused."""

    type = DEFAULT_RULE_TYPE
    api_versions = NETWORK_API_VERSIONS
    long_running = True  # never reached: every write is refused before an operation starts
    supports_patch = True  # so that PATCH reaches `patch` and gets the same 405 wording as PUT/DELETE

    def lock_key(self, rid: Rid) -> str | None:
        return top_lock_key(rid)

    def busy_error(self, rid: Rid) -> ArmError:
        return busy(rid)

    def put(self, txn: Txn, rid: Rid, existing: Body | None, body: Body) -> Body:
        raise _read_only("PUT")

    def complete_put(self, txn: Txn, rid: Rid, stored: Body) -> Body:
        raise _read_only("PUT")

    def patch(self, txn: Txn, rid: Rid, existing: Body, body: Body) -> Body:
        raise _read_only("PATCH")

    def check_delete(self, txn: Txn, rid: Rid, existing: Body) -> None:
        raise _read_only("DELETE")

    def complete_delete(self, txn: Txn, rid: Rid, existing: Body) -> None:
        raise _read_only("DELETE")

    def view(self, txn: Txn, rid: Rid, stored: Body) -> Body:
        return copy.deepcopy(stored)


DEFAULT_SECURITY_RULE_KIND = DefaultSecurityRuleKind()
