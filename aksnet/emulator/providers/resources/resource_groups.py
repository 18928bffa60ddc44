"""Microsoft.Resources/resourceGroups: synchronous PUT/PATCH, long-running DELETE that cascades.

Shapes from arm-examples/resourceGroups (CreateResourceGroup.json: 201/200 with
properties.provisioningState Succeeded; ForceDeleteVMsInResourceGroup.json: DELETE 202 + location
`/subscriptions/{s}/operationresults/{id}`, then 200).
"""

from __future__ import annotations

from typing import Any

from aksnet.emulator.api_versions import resources as resources_versions
from aksnet.emulator.arm import errors
from aksnet.emulator.arm.contract import ArmError, Body, Rid, Txn
from aksnet.emulator.arm.ids import RESOURCE_GROUP_TYPE, resource_group_id
from aksnet.emulator.arm.names import check_location, check_resource_group_name

# Every published api-version (aksnet/emulator/api_versions/resources.py).
API_VERSIONS = resources_versions.RESOURCE_GROUPS


class ResourceGroupKind:
    type = RESOURCE_GROUP_TYPE
    api_versions = API_VERSIONS
    long_running = False  # PUT/PATCH answer 200/201 at once (CreateResourceGroup.json)
    long_running_delete = True  # DELETE answers 202 + Location (ForceDeleteVMsInResourceGroup.json)
    supports_patch = True

    def lock_key(self, rid: Rid) -> str | None:
        return None

    def busy_error(self, rid: Rid) -> ArmError:
        return errors.resource_group_being_deleted(rid.name)

    def put(self, txn: Txn, rid: Rid, existing: Body | None, body: Body) -> Body:
        check_resource_group_name(rid.name)
        location = body.get("location")
        if not isinstance(location, str) or not location:
            raise errors.location_required()
        check_location(self.type, location)
        if existing is not None and existing.get("location", "").lower() != location.lower():
            raise ArmError(400, "InvalidResourceGroupLocation",
                           f"Invalid resource group location '{location}'. The Resource group already exists "
                           f"in location '{existing.get('location')}'.")
        stored: Body = {
            "id": resource_group_id(rid.subscription, rid.name),
            "name": rid.name,
            "type": RESOURCE_GROUP_TYPE,
            "location": existing["location"] if existing else location,
            "properties": {"provisioningState": "Succeeded"},
        }
        tags = body.get("tags")
        if isinstance(tags, dict) and tags:
            stored["tags"] = tags
        managed_by = body.get("managedBy") or (existing or {}).get("managedBy")
        if managed_by:
            stored["managedBy"] = managed_by
        return stored

    def complete_put(self, txn: Txn, rid: Rid, stored: Body) -> Body:
        return stored

    def patch(self, txn: Txn, rid: Rid, existing: Body, body: Body) -> Body:
        updated: Body = dict(existing)
        tags: Any = body.get("tags")
        if isinstance(tags, dict):  # PATCH replaces the whole tags map (https://learn.microsoft.com/rest/api/resources/resource-groups/update)
            if tags:
                updated["tags"] = tags
            else:
                updated.pop("tags", None)
        if body.get("managedBy"):
            updated["managedBy"] = body["managedBy"]
        return updated

    def check_delete(self, txn: Txn, rid: Rid, existing: Body) -> None:
        return None

    def complete_delete(self, txn: Txn, rid: Rid, existing: Body) -> None:
        # Everything inside goes with the group (each kind's complete_delete first, e.g. AKS's node RG).
        txn.delete_resource_group(rid.subscription, rid.name)

    def view(self, txn: Txn, rid: Rid, stored: Body) -> Body:
        return stored


KINDS = (ResourceGroupKind(),)
