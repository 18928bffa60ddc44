"""ARM id helpers shared by the framework: resource-group ids, row metadata derived from an id.

ARM compares names case-insensitively and preserves the user's casing (https://github.com/Azure/azure-resource-manager-rpc/blob/master/v1.0/common-api-details.md,
"names ... stored / indexed / compared in a case insensitive way"), so rows are keyed by the
lower-cased id and keep the caller's id for display.
"""

from __future__ import annotations

from dataclasses import dataclass

from aksnet.emulator.arm.contract import Rid, parse_rid

RESOURCE_GROUP_TYPE = "Microsoft.Resources/resourceGroups"
DEFAULT_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
DEFAULT_LOCATION = "eastus"


def resource_group_id(subscription: str, name: str) -> str:
    return f"/subscriptions/{subscription}/resourceGroups/{name}"


def resource_group_rid(subscription: str, name: str) -> Rid:
    """A resource group as a Rid, so its kind sees the same shape as every other kind."""
    return Rid(resource_group_id(subscription, name), f"/subscriptions/{subscription}", subscription, name,
               "Microsoft.Resources", ("resourceGroups",), (name,))


def parse_any(resource_id: str) -> Rid:
    """A provider resource id or a resource group id. Raises ValueError otherwise."""
    parts = [p for p in resource_id.split("/") if p]
    if len(parts) == 4 and parts[0].lower() == "subscriptions" and parts[2].lower() == "resourcegroups":
        return resource_group_rid(parts[1], parts[3])
    return parse_rid(resource_id)


@dataclass(frozen=True, slots=True)
class RowMeta:
    """The indexed columns of a resource row."""

    key: str
    type: str  # lower-cased ARM type
    parent: str | None  # lower-cased parent id for child resources
    subscription: str
    resource_group: str | None


def row_meta(resource_id: str) -> RowMeta:
    rid = parse_any(resource_id)
    parent = rid.parent
    return RowMeta(rid.key, rid.type.lower(), parent.key if parent else None, rid.subscription.lower(),
                   rid.resource_group.lower() if rid.resource_group else None)
