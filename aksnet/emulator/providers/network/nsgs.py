"""Microsoft.Network/networkSecurityGroups with inline securityRules (replace semantics, as for a
VNet's subnets: https://github.com/Azure/bicep/issues/3781), the six default rules, and the `subnets` back-reference."""

from __future__ import annotations

from aksnet.emulator.arm.contract import ArmError, Body
from aksnet.emulator.providers.network.base import ParentKind, SubnetAssociation
from aksnet.emulator.providers.network.common import (
    NSG_TYPE,
    bad_request,
)
from aksnet.emulator.providers.network.default_rules import default_security_rules, write_default_rules
from aksnet.emulator.providers.network.security_rules import SECURITY_RULE

# Read-only NSG properties (read-only in networkSecurityGroup.json of azure-rest-api-specs); the base drops the inline securityRules too.
_READ_ONLY = ("provisioningState", "resourceGuid", "defaultSecurityRules", "networkInterfaces", "subnets",
              "flowLogs")


def _nsg_in_use(nsg: Body, subnet_ids: list[str]) -> ArmError:
    # Message from https://github.com/pulumi/pulumi-azure-native/issues/3051.
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
    # The same six rules as child rows, for GET/List .../defaultSecurityRules (network_default_rules).
    write_service_children=write_default_rules,
)
