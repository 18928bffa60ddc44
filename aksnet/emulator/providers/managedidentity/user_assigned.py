"""Microsoft.ManagedIdentity/userAssignedIdentities, as the MSI RP behaves.

Shapes from azure-rest-api-specs specification/msi (IdentityCreate.json, IdentityGet.json,
IdentityDelete.json, IdentityListByResourceGroup.json): PUT answers 201 (created) / 200 (updated) at
once, no long-running operation; the server fills `properties.tenantId`, `principalId` (the service
principal's object id) and `clientId` (its application id), which never change for the identity's
life; DELETE answers 200 / 204. A new identity's service principal takes a while to replicate in
Entra ID, which is why the first role assignment naming it may answer PrincipalNotFound
(https://learn.microsoft.com/azure/role-based-access-control/troubleshooting).
"""

from __future__ import annotations

import copy
import re
import uuid

from aksnet.emulator.api_versions import managedidentity as managedidentity_versions
from aksnet.emulator.arm.contract import ArmError, Body, Rid, Txn
from aksnet.emulator.arm.names import NameRule, check_location

TYPE = "Microsoft.ManagedIdentity/userAssignedIdentities"
# Every published api-version (aksnet/emulator/api_versions/managedidentity.py).
API_VERSIONS = managedidentity_versions.USER_ASSIGNED_IDENTITIES
_READ_ONLY_PROPS = ("tenantId", "principalId", "clientId")


def _invalid_identity_name(name: str) -> ArmError:
    # Rule: resource-name-rules, Microsoft.ManagedIdentity (3-128; letters, digits, '-', '_'; starting with
    # a letter or digit). The wording is inferred.
    return ArmError(400, "InvalidResourceName", f"Resource name '{name}' is invalid. The name can be 3-128 "
                    "characters long, must begin with a letter or number, and may contain letters, numbers, "
                    "'-' and '_'.")


IDENTITY_NAME = NameRule(3, 128, re.compile(r"[a-zA-Z0-9][-_a-zA-Z0-9]*", re.ASCII), _invalid_identity_name)


class UserAssignedIdentityKind:
    type = TYPE
    api_versions = API_VERSIONS
    long_running = False
    supports_patch = True  # Identities_Update (tags)

    def lock_key(self, rid: Rid) -> str | None:
        return None

    def busy_error(self, rid: Rid) -> ArmError:
        return ArmError(409, "Conflict", "Another operation on this identity is in progress.")

    def put(self, txn: Txn, rid: Rid, existing: Body | None, body: Body) -> Body:
        if not isinstance(body, dict):
            raise ArmError(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized.")
        if not body.get("location"):
            raise ArmError(400, "LocationRequired", "The location property is required for this definition.")
        check_location(TYPE, body["location"])
        IDENTITY_NAME.check(rid.name)
        location = str(body["location"]).replace(" ", "").lower()
        if existing is not None and str(existing.get("location", "")).lower() != location:
            raise ArmError(400, "InvalidResourceLocation", f"The resource '{rid.name}' already exists in location "
                           f"'{existing.get('location')}' in resource group '{rid.resource_group}'. A resource "
                           "with the same name cannot be created in location "
                           f"'{location}'. Please select a new resource name.")
        raw = body.get("properties")
        given: Body = raw if isinstance(raw, dict) else {}
        props: Body = {k: copy.deepcopy(v) for k, v in given.items() if k not in _READ_ONLY_PROPS}
        old = (existing or {}).get("properties") or {}
        props["tenantId"] = old.get("tenantId") or txn.tenant or str(
            uuid.uuid5(uuid.NAMESPACE_URL, f"tenant/{rid.subscription}"))
        props["principalId"] = old.get("principalId") or str(uuid.uuid4())
        props["clientId"] = old.get("clientId") or str(uuid.uuid4())
        props.setdefault("isolationScope", "None")  # 2025-01-31-preview+ (IdentityGet.json)
        row: Body = {"id": rid.raw, "name": rid.name, "type": TYPE, "location": location, "properties": props}
        if isinstance(body.get("tags"), dict):
            row["tags"] = dict(body["tags"])
        return row

    def complete_put(self, txn: Txn, rid: Rid, stored: Body) -> Body:
        return stored

    def patch(self, txn: Txn, rid: Rid, existing: Body, body: Body) -> Body:
        row = copy.deepcopy(existing)
        if isinstance(body, dict) and "tags" in body:
            row["tags"] = dict(body.get("tags") or {})
        return row

    def check_delete(self, txn: Txn, rid: Rid, existing: Body) -> None:
        return None  # Azure deletes an identity still attached to a resource (that resource loses it)

    def complete_delete(self, txn: Txn, rid: Rid, existing: Body) -> None:
        return None

    def view(self, txn: Txn, rid: Rid, stored: Body) -> Body:
        return copy.deepcopy(stored)


KINDS = (UserAssignedIdentityKind(),)
