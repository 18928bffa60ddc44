"""Resource groups and role assignments through the real SDK clients."""

from __future__ import annotations

import pytest
from azure.core.exceptions import HttpResponseError, ResourceExistsError, ResourceNotFoundError
from rawarm import RawArm
from sdk_clients import SUBSCRIPTION, SdkClients

pytestmark = pytest.mark.emulator
NETWORK_CONTRIBUTOR = "4d97b98b-1d4f-4787-a291-c67834d212e7"
ROLE = f"/subscriptions/{SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/{NETWORK_CONTRIBUTOR}"
PRINCIPAL = "22222222-2222-2222-2222-222222222222"
NAME = "11111111-1111-1111-1111-111111111111"


def assignment(principal: str = PRINCIPAL, role: str = ROLE) -> dict[str, object]:
    return {"properties": {"roleDefinitionId": role, "principalId": principal, "principalType": "ServicePrincipal"}}


def test_resource_group_lifecycle(sdk: SdkClients) -> None:
    groups = sdk.resource.resource_groups
    assert not groups.check_existence("rg1")
    with pytest.raises(ResourceNotFoundError) as missing:
        groups.get("rg1")
    assert missing.value.error is not None and missing.value.error.code == "ResourceGroupNotFound"
    created = groups.create_or_update("rg1", {"location": "eastus", "tags": {"team": "net"}})
    assert created.properties.provisioning_state == "Succeeded" and created.tags == {"team": "net"}
    assert groups.check_existence("rg1")
    assert [g.name for g in groups.list()] == ["rg1"]
    with pytest.raises(HttpResponseError) as moved:
        groups.create_or_update("rg1", {"location": "westus"})
    assert moved.value.error is not None and moved.value.error.code == "InvalidResourceGroupLocation"
    groups.begin_delete("rg1").result()
    assert not groups.check_existence("rg1")


def test_resource_group_put_is_201_then_200_and_delete_is_202_with_location(sdk: SdkClients) -> None:
    raw = RawArm(sdk.endpoint, sdk.ca_file)
    path = f"/subscriptions/{SUBSCRIPTION}/resourcegroups/rg1?api-version=2024-11-01"
    assert raw.call("PUT", path, {"location": "eastus"}).status == 201
    assert raw.call("PUT", path, {"location": "eastus"}).status == 200
    deleted = raw.call("DELETE", path)
    assert deleted.status == 202
    assert f"/subscriptions/{SUBSCRIPTION}/operationresults/" in (deleted.header("location") or "")
    assert raw.call("HEAD", path).status in (204, 404)  # gone once the operation completes


def test_resource_group_delete_cascades_to_everything_inside(sdk: SdkClients) -> None:
    sdk.resource.resource_groups.create_or_update("rg1", {"location": "eastus"})
    vnet = sdk.network.virtual_networks.begin_create_or_update(
        "rg1", "vnet1", {"location": "eastus", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/8"]}}}).result()
    sdk.authorization.role_assignments.create(vnet.id, NAME, assignment())
    sdk.resource.resource_groups.begin_delete("rg1").result()
    sdk.resource.resource_groups.create_or_update("rg1", {"location": "eastus"})
    with pytest.raises(ResourceNotFoundError):
        sdk.network.virtual_networks.get("rg1", "vnet1")
    with pytest.raises(ResourceNotFoundError):
        sdk.authorization.role_assignments.get(vnet.id, NAME)


def test_role_assignment_at_any_scope_create_get_list_delete(sdk: SdkClients) -> None:
    sdk.resource.resource_groups.create_or_update("rg1", {"location": "eastus"})
    scope = (f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/v/"
             "subnets/s")
    ras = sdk.authorization.role_assignments
    created = ras.create(scope, NAME, assignment())
    assert created.scope == scope and created.principal_id == PRINCIPAL and created.role_definition_id == ROLE
    assert ras.create(scope, NAME, assignment()).name == NAME  # idempotent: same assignment again
    assert ras.get(scope, NAME).principal_type == "ServicePrincipal"
    at_group = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg1"
    assert [r.name for r in ras.list_for_scope(scope, filter="atScope()")] == [NAME]
    assert [r.name for r in ras.list_for_scope(at_group, filter="atScope()")] == []  # below the group
    assert [r.name for r in ras.list_for_scope(at_group)] == [NAME]
    assert [r.name for r in ras.list_for_subscription(filter=f"principalId eq '{PRINCIPAL}'")] == [NAME]
    assert [r.name for r in ras.list_for_subscription(filter="principalId eq '99999999-9999-9999-9999-999999999999'")] == []
    assert ras.delete(scope, NAME).name == NAME  # 200 with the deleted assignment
    assert ras.delete(scope, NAME) is None  # 204
    with pytest.raises(ResourceNotFoundError):
        ras.get(scope, NAME)


def test_role_assignment_conflicts(sdk: SdkClients) -> None:
    sdk.resource.resource_groups.create_or_update("rg1", {"location": "eastus"})
    scope = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg1"
    ras = sdk.authorization.role_assignments
    ras.create(scope, NAME, assignment())
    with pytest.raises(ResourceExistsError) as changed:
        ras.create(scope, NAME, assignment(principal="33333333-3333-3333-3333-333333333333"))
    assert changed.value.error is not None and changed.value.error.code == "RoleAssignmentUpdateNotPermitted"
    with pytest.raises(ResourceExistsError) as duplicate:
        ras.create(scope, "44444444-4444-4444-4444-444444444444", assignment())
    assert duplicate.value.error is not None and duplicate.value.error.code == "RoleAssignmentExists"
    with pytest.raises(HttpResponseError) as not_guid:
        ras.create(scope, "not-a-guid", assignment())
    assert not_guid.value.status_code == 400


def test_role_definition_network_contributor(sdk: SdkClients) -> None:
    scope = f"/subscriptions/{SUBSCRIPTION}"
    definition = sdk.authorization.role_definitions.get(scope, NETWORK_CONTRIBUTOR)
    assert definition.role_name == "Network Contributor"
    found = list(sdk.authorization.role_definitions.list(scope, filter="roleName eq 'Network Contributor'"))
    assert [d.name for d in found] == [NETWORK_CONTRIBUTOR]
    with pytest.raises(ResourceNotFoundError):
        sdk.authorization.role_definitions.get(scope, "00000000-1111-2222-3333-444444444444")
