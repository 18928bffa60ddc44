"""ARM list operations per resource type, as raw wire-format bodies, every page (nextLink) followed.

A fleet reads each type once (`aksnet.live.snapshot`) instead of one GET per resource. The SDK's
own list operations pick the api-version and follow `nextLink`; azure-core's per-request
`raw_response_hook` sees each page's response, whose `value` items are the bodies a GET returns
(ARM list operations return the same resource representation: e.g. VirtualNetworks_ListAll, NSGs
with their rules, route tables with their routes, in github.com/Azure/azure-rest-api-specs).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from aksnet.live.azure.clients import Connection
from aksnet.live.azure.errors import translate
from aksnet.live.ratelimit import limits_for

Body = dict[str, Any]

# ARM type (lower case) -> (client, operation group, list-in-subscription method, list-in-group method).
# Role assignments list per subscription with every assignment at, above and below it
# (https://learn.microsoft.com/rest/api/authorization/role-assignments/list-for-subscription).
LIST_OPERATIONS: dict[str, tuple[str, str, str, str | None]] = {
    "microsoft.resources/resourcegroups": ("resources", "resource_groups", "list", None),
    "microsoft.network/virtualnetworks": ("network", "virtual_networks", "list_all", "list"),
    "microsoft.network/networksecuritygroups": ("network", "network_security_groups", "list_all", "list"),
    "microsoft.network/routetables": ("network", "route_tables", "list_all", "list"),
    "microsoft.containerservice/managedclusters": ("aks", "managed_clusters", "list", "list_by_resource_group"),
    "microsoft.managedidentity/userassignedidentities": ("msi", "user_assigned_identities", "list_by_subscription",
                                                         "list_by_resource_group"),
    "microsoft.authorization/roleassignments": ("authorization", "role_assignments", "list_for_subscription", None),
}


def can_list(arm_type: str, *, per_group: bool) -> bool:
    entry = LIST_OPERATIONS.get(arm_type.lower())
    return entry is not None and (not per_group or entry[3] is not None)


def list_bodies(conn: Connection, subscription: str, arm_type: str, resource_group: str | None = None) -> list[Body]:
    """Every resource of `arm_type` in the subscription (or in one resource group), all pages."""
    client_name, group, in_subscription, in_group = LIST_OPERATIONS[arm_type.lower()]
    operations = getattr(conn.client(client_name, subscription), group)
    found: list[Body] = []

    def keep_page(pipeline_response: Any) -> None:
        response = pipeline_response.http_response
        if response.status_code != 200:
            return
        try:
            page = json.loads(response.text() or "{}")
        except ValueError:
            return
        if isinstance(page, dict):
            found.extend(dict(item) for item in page.get("value") or () if isinstance(item, dict))

    lister: Callable[..., Any]
    args: tuple[str, ...]
    if resource_group is None:
        lister, args = getattr(operations, in_subscription), ()
    else:
        assert in_group is not None
        lister, args = getattr(operations, in_group), (resource_group,)
    where = f"/subscriptions/{subscription}" + (f"/resourceGroups/{resource_group}" if resource_group else "")
    try:
        limits = limits_for(subscription)
        for _page in lister(*args, raw_response_hook=keep_page).by_page():
            limits.reads.acquire()  # one token per page request (the first page is already in)
    except Exception as err:  # noqa: BLE001 - translated to an aksnet error
        raise translate(err, resource_id=f"{where} ({arm_type})", action="listing",
                        correlation_id=conn.correlation_id) from err
    return found
