"""A role definition is named under the subscription whatever scope the request used: an assignment made at
a subnet with a subnet-prefixed role definition id reads back with the subscription-level id, and a role
definition listing at a resource scope returns subscription-level ids (RoleAssignments_Get and
RoleDefinitions_List examples, azure-rest-api-specs Microsoft.Authorization/stable/2022-04-01)."""

from __future__ import annotations

import pytest
from sdk_clients import SUBSCRIPTION, SdkClients

pytestmark = pytest.mark.emulator
NETWORK_CONTRIBUTOR = "4d97b98b-1d4f-4787-a291-c67834d212e7"
SUBSCRIPTION_LEVEL = f"/subscriptions/{SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/{NETWORK_CONTRIBUTOR}"
SUBNET = (f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/v1/"
          "subnets/s1")


def test_listing_at_a_subnet_scope_names_roles_under_the_subscription(sdk: SdkClients) -> None:
    [role] = sdk.authorization.role_definitions.list(SUBNET, filter="roleName eq 'Network Contributor'")
    assert role.id == SUBSCRIPTION_LEVEL
    assert sdk.authorization.role_definitions.get(SUBNET, NETWORK_CONTRIBUTOR).id == SUBSCRIPTION_LEVEL
    [tenant_level] = sdk.authorization.role_definitions.list("/", filter="roleName eq 'Network Contributor'")
    assert tenant_level.id == f"/providers/Microsoft.Authorization/roleDefinitions/{NETWORK_CONTRIBUTOR}"


@pytest.mark.parametrize("sent", [
    f"{SUBNET}/providers/Microsoft.Authorization/roleDefinitions/{NETWORK_CONTRIBUTOR}",
    f"/providers/Microsoft.Authorization/roleDefinitions/{NETWORK_CONTRIBUTOR.upper()}",
    SUBSCRIPTION_LEVEL,
])
def test_assignment_at_a_subnet_returns_the_subscription_level_role_id(sdk: SdkClients, sent: str) -> None:
    name = "11111111-1111-1111-1111-111111111111"
    sdk.resource.resource_groups.create_or_update("rg1", {"location": "eastus"})
    made = sdk.authorization.role_assignments.create(SUBNET, name, {"properties": {
        "roleDefinitionId": sent, "principalId": "22222222-2222-2222-2222-222222222222",
        "principalType": "ServicePrincipal"}})
    assert made.role_definition_id == SUBSCRIPTION_LEVEL
    assert sdk.authorization.role_assignments.get(SUBNET, name).role_definition_id == SUBSCRIPTION_LEVEL
