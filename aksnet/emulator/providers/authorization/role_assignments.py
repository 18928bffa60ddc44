"""Microsoft.Authorization/roleAssignments at any scope, and the built-in role definitions aksnet uses.

Shapes from arm-examples/roleAssignments (PUT 201/200 sync, DELETE 200 with the deleted assignment
or 204). Error codes and messages as the Authorization RP returns them (Azure docs
"Troubleshoot Azure RBAC": RoleAssignmentExists "The role assignment already exists.",
RoleAssignmentUpdateNotPermitted, InvalidRoleAssignmentId, InvalidPrincipalId).
"""

from __future__ import annotations

import re
from datetime import datetime

from aksnet.emulator.api_versions import authorization as authorization_versions
from aksnet.emulator.arm import errors
from aksnet.emulator.arm.contract import ArmError, Body, Rid, Txn

TYPE = "Microsoft.Authorization/roleAssignments"
# Every published api-version (aksnet/emulator/api_versions/authorization.py).
API_VERSIONS = authorization_versions.ROLE_ASSIGNMENTS
_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)
_FILTER_PRINCIPAL = re.compile(r"principalId\s+eq\s+'([^']+)'", re.IGNORECASE)


def _role_guid(role_definition_id: str) -> str:
    return role_definition_id.rstrip("/").rsplit("/", 1)[-1].lower()


def subscription_role_id(subscription: str | None, guid: str) -> str:
    """A role definition as Azure names it in an assignment or a listing below a subscription, whatever scope
    the request used: `/subscriptions/{s}/providers/Microsoft.Authorization/roleDefinitions/{guid}`
    (RoleAssignments_Get / RoleDefinitions_List examples, azure-rest-api-specs
    specification/authorization/resource-manager/Microsoft.Authorization/stable/2022-04-01/examples).
    Above any subscription (`/`, a management group) it is tenant-level."""
    prefix = f"/subscriptions/{subscription}" if subscription else ""
    return f"{prefix}/providers/Microsoft.Authorization/roleDefinitions/{guid.lower()}"


class RoleAssignmentKind:
    type = TYPE
    api_versions = API_VERSIONS
    long_running = False  # PUT answers 201/200 at once (RoleAssignments_CreateForResource.json)
    supports_patch = False

    def lock_key(self, rid: Rid) -> str | None:
        return None

    def busy_error(self, rid: Rid) -> ArmError:
        return errors.conflict("Another operation on this role assignment is in progress.")

    def put(self, txn: Txn, rid: Rid, existing: Body | None, body: Body) -> Body:
        if not _GUID.match(rid.name):
            raise ArmError(400, "InvalidRoleAssignmentId",
                           f"The role assignment ID '{rid.name}' is not valid. The role assignment ID must be a GUID.")
        props = body.get("properties")
        if not isinstance(props, dict):
            raise ArmError(400, "InvalidRequestContent", "The request content was invalid: 'properties' is required.")
        role = props.get("roleDefinitionId") or props.get("role_definition_id")
        principal = props.get("principalId") or props.get("principal_id")
        if not isinstance(role, str) or not _GUID.match(_role_guid(role)):
            raise ArmError(400, "InvalidRoleDefinitionId",
                           f"The role definition ID '{role}' is not valid.")
        if not isinstance(principal, str) or not _GUID.match(principal):
            raise ArmError(400, "InvalidPrincipalId", "A valid principal ID must be provided for role assignment.")
        if existing is not None:
            old = existing["properties"]
            if old["principalId"].lower() != principal.lower() or _role_guid(old["roleDefinitionId"]) != _role_guid(role):
                raise ArmError(409, "RoleAssignmentUpdateNotPermitted",
                               "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.")
        for other in self._at_scope(txn, rid):
            same = (other["properties"]["principalId"].lower() == principal.lower()
                    and _role_guid(other["properties"]["roleDefinitionId"]) == _role_guid(role))
            if same and other["name"].lower() != rid.name.lower():
                raise ArmError(409, "RoleAssignmentExists", "The role assignment already exists.")
        now = txn.now().strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        created = existing["properties"].get("createdOn", now) if existing else now
        properties: Body = {
            "roleDefinitionId": subscription_role_id(rid.subscription, _role_guid(role)),
            "principalId": principal,
            "principalType": props.get("principalType") or props.get("principal_type") or "User",
            "scope": rid.scope,
            "condition": props.get("condition"),
            "conditionVersion": props.get("conditionVersion"),
            "createdOn": created,
            "updatedOn": now,
            "createdBy": None,
            "updatedBy": None,
            "delegatedManagedIdentityResourceId": None,
            "description": props.get("description"),
        }
        return {"properties": properties, "id": rid.raw, "type": TYPE, "name": rid.name}

    def _at_scope(self, txn: Txn, rid: Rid) -> list[Body]:
        return [b for b in txn.find(TYPE, subscription=rid.subscription)
                if b["properties"]["scope"].lower() == rid.scope.lower()]

    def complete_put(self, txn: Txn, rid: Rid, stored: Body) -> Body:
        return stored

    def patch(self, txn: Txn, rid: Rid, existing: Body, body: Body) -> Body:
        raise errors.method_not_allowed("PATCH is not supported on role assignments.")

    def check_delete(self, txn: Txn, rid: Rid, existing: Body) -> None:
        return None

    def complete_delete(self, txn: Txn, rid: Rid, existing: Body) -> None:
        return None

    def view(self, txn: Txn, rid: Rid, stored: Body) -> Body:
        return stored


def list_at_scope(txn: Txn, subscription: str, scope: str, odata_filter: str | None) -> list[Body]:
    """`GET {scope}/providers/Microsoft.Authorization/roleAssignments[?$filter=...]`.

    No filter: assignments at, above and below the scope; `atScope()`: at or above only;
    `principalId eq '{id}'`: that principal's, at, above and below (Authorization RP list docs).
    """
    scope_key = scope.lower().rstrip("/")
    at_scope = bool(odata_filter and "atscope()" in odata_filter.lower())
    principal = _FILTER_PRINCIPAL.search(odata_filter or "")
    found: list[Body] = []
    for body in txn.find(TYPE, subscription=subscription):
        other = body["properties"]["scope"].lower().rstrip("/")
        above = scope_key == other or scope_key.startswith(other + "/")
        below = other.startswith(scope_key + "/")
        if not (above or (below and not at_scope)):
            continue
        if principal and body["properties"]["principalId"].lower() != principal.group(1).lower():
            continue
        found.append(body)
    return found


# Built-in role definitions (Azure docs "Azure built-in roles"); Network Contributor is the one AKS needs
# on a BYO subnet / route table (https://learn.microsoft.com/azure/aks/configure-kubenet).
BUILTIN_ROLES: dict[str, tuple[str, str, list[str]]] = {
    "4d97b98b-1d4f-4787-a291-c67834d212e7": (
        "Network Contributor", "Lets you manage networks, but not access to them.",
        ["Microsoft.Authorization/*/read", "Microsoft.Insights/alertRules/*", "Microsoft.Network/*",
         "Microsoft.ResourceHealth/availabilityStatuses/read", "Microsoft.Resources/deployments/*",
         "Microsoft.Resources/subscriptions/resourceGroups/read", "Microsoft.Support/*"]),
    "b24988ac-6180-42a0-ab88-20f7382dd24c": (
        "Contributor", "Grants full access to manage all resources, but does not allow you to assign roles "
        "in Azure RBAC, manage assignments in Azure Blueprints, or share image galleries.", ["*"]),
    "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": (
        "Owner", "Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.",
        ["*"]),
    "acdd72a7-3385-48ef-bd42-f6fb5f6f9f04": ("Reader", "View all resources, but does not allow you to make any changes.",
                                             ["*/read"]),
}
ROLE_DEFINITION_TYPE = "Microsoft.Authorization/roleDefinitions"
_FILTER_ROLE_NAME = re.compile(r"roleName\s+eq\s+'([^']+)'", re.IGNORECASE)


def _subscription_of(scope: str) -> str | None:
    parts = [p for p in scope.split("/") if p]
    return parts[1] if len(parts) >= 2 and parts[0].lower() == "subscriptions" else None


def role_definition(scope: str, guid: str) -> Body:
    name, description, actions = BUILTIN_ROLES[guid.lower()]
    stamp = datetime(2015, 6, 2).strftime("%Y-%m-%dT%H:%M:%S.0000000Z")
    return {
        "id": subscription_role_id(_subscription_of(scope), guid),
        "name": guid.lower(),
        "type": ROLE_DEFINITION_TYPE,
        "properties": {
            "roleName": name, "type": "BuiltInRole", "description": description, "assignableScopes": ["/"],
            "permissions": [{"actions": actions, "notActions": [], "dataActions": [], "notDataActions": []}],
            "createdOn": stamp, "updatedOn": stamp, "createdBy": None, "updatedBy": None,
        },
    }


def get_role_definition(scope: str, guid: str) -> Body:
    if guid.lower() not in BUILTIN_ROLES:
        raise ArmError(404, "RoleDefinitionDoesNotExist", f"The specified role definition with ID '{guid}' does not exist.")
    return role_definition(scope, guid)


def list_role_definitions(scope: str, odata_filter: str | None) -> list[Body]:
    wanted = _FILTER_ROLE_NAME.search(odata_filter or "")
    return [role_definition(scope, guid) for guid, (name, _, _) in BUILTIN_ROLES.items()
            if not wanted or wanted.group(1).lower() == name.lower()]



KINDS = (RoleAssignmentKind(),)
