"""ARM resource ids: build, parse and compare them (ARM compares names case-insensitively)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """The resource kinds aksnet manages; the value is the short prefix of a plan address."""

    RESOURCE_GROUP = "rg"
    NSG = "nsg"
    ROUTE_TABLE = "rt"
    VNET = "vnet"
    CLUSTER = "aks"
    ROLE_ASSIGNMENT = "role"
    IDENTITY = "id"  # user-assigned managed identity


ARM_TYPE: dict[Kind, str] = {
    Kind.RESOURCE_GROUP: "Microsoft.Resources/resourceGroups",
    Kind.NSG: "Microsoft.Network/networkSecurityGroups",
    Kind.ROUTE_TABLE: "Microsoft.Network/routeTables",
    Kind.VNET: "Microsoft.Network/virtualNetworks",
    Kind.CLUSTER: "Microsoft.ContainerService/managedClusters",
    Kind.ROLE_ASSIGNMENT: "Microsoft.Authorization/roleAssignments",
    Kind.IDENTITY: "Microsoft.ManagedIdentity/userAssignedIdentities",
}

# Built-in role "Network Contributor" (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles)
NETWORK_CONTRIBUTOR_ROLE_ID = "4d97b98b-1d4f-4787-a291-c67834d212e7"


def resource_group_id(subscription: str, resource_group: str) -> str:
    return f"/subscriptions/{subscription}/resourceGroups/{resource_group}"


def resource_id(subscription: str, resource_group: str, kind: Kind, name: str) -> str:
    """The ARM id of a top-level resource of `kind` (not for resource groups or role assignments)."""
    return f"{resource_group_id(subscription, resource_group)}/providers/{ARM_TYPE[kind]}/{name}"


def subnet_id(vnet_id: str, subnet: str) -> str:
    return f"{vnet_id}/subnets/{subnet}"


def role_assignment_id(scope: str, name: str) -> str:
    return f"{scope}/providers/Microsoft.Authorization/roleAssignments/{name}"


def same_id(a: str | None, b: str | None) -> bool:
    """ARM ids are case-insensitive (https://github.com/Azure/azure-resource-manager-rpc/blob/master/v1.0/common-api-details.md)."""
    if a is None or b is None:
        return a is b
    return a.rstrip("/").lower() == b.rstrip("/").lower()


@dataclass(frozen=True, slots=True)
class ParsedId:
    subscription: str
    resource_group: str
    provider_type: str  # e.g. Microsoft.Network/virtualNetworks
    name: str
    children: tuple[tuple[str, str], ...] = ()  # (type segment, name), e.g. (("subnets", "aks"),)


def parse_id(value: str) -> ParsedId:
    """Parse `/subscriptions/s/resourceGroups/g/providers/NS/type/name[/child/name...]`."""
    parts = [p for p in value.split("/") if p]
    lowered = [p.lower() for p in parts]
    if len(parts) < 4 or lowered[0] != "subscriptions" or lowered[2] != "resourcegroups":
        raise ValueError(f"not an ARM resource id: {value!r}")
    subscription, group = parts[1], parts[3]
    if len(parts) == 4:
        return ParsedId(subscription, group, "Microsoft.Resources/resourceGroups", group)
    if len(parts) < 8 or lowered[4] != "providers":
        raise ValueError(f"not an ARM resource id: {value!r}")
    rest = parts[8:]
    children = tuple((rest[i], rest[i + 1]) for i in range(0, len(rest) - 1, 2))
    return ParsedId(subscription, group, f"{parts[5]}/{parts[6]}", parts[7], children)
