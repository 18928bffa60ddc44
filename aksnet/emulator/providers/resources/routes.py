"""Microsoft.Resources paths: resource groups (listed, and served at `/subscriptions/{s}/resourcegroups/{g}`,
which has no `/providers/` segment) and the generic resource lists `az resource list` reads."""

from __future__ import annotations

import re

from aksnet.emulator.arm import errors, paging, verbs
from aksnet.emulator.arm.http import Response
from aksnet.emulator.arm.ids import RESOURCE_GROUP_TYPE, resource_group_rid
from aksnet.emulator.arm.routing import SEG, Route, route, serve
from aksnet.emulator.arm.verbs import Ctx
from aksnet.emulator.providers.resources.resource_groups import API_VERSIONS, KINDS

GROUP_KIND = KINDS[0]


def _list_groups(ctx: Ctx, m: dict[str, str]) -> Response:
    verbs.check_api_version(ctx.request, GROUP_KIND)
    with ctx.store.read(ctx.settings, ctx.request.base_url) as txn:
        value = verbs.list_bodies(txn, txn.find(RESOURCE_GROUP_TYPE, subscription=m["sub"]), GROUP_KIND)
    return paging.paged(ctx.request, value)


def _group(ctx: Ctx, m: dict[str, str]) -> Response:
    return serve(ctx, resource_group_rid(m["sub"], m["rg"]), GROUP_KIND)


_GENERIC_FIELDS = ("id", "name", "type", "kind", "location", "extendedLocation", "managedBy", "sku", "plan",
                   "identity", "tags")
_FILTER_RESOURCE_TYPE = re.compile(r"resourceType\s+eq\s+'([^']+)'", re.IGNORECASE)


def _generic_resources(ctx: Ctx, m: dict[str, str]) -> Response:
    """`GET /subscriptions/{s}[/resourceGroups/{g}]/resources` (`az resource list`): the top-level resources as
    GenericResourceExpanded (no `properties` unless expanded; Resources_List / Resources_ListByResourceGroup,
    azure-rest-api-specs resources.json), optionally `$filter=resourceType eq '...'`."""
    version = ctx.request.api_version
    if not version:
        raise errors.missing_api_version()
    if version not in API_VERSIONS:
        raise errors.invalid_api_version(version, API_VERSIONS)
    wanted = _FILTER_RESOURCE_TYPE.search(ctx.request.param("$filter") or "")
    with ctx.store.read(ctx.settings, ctx.request.base_url) as txn:
        group = m.get("rg") or None
        if group and txn.get(resource_group_rid(m["sub"], group).raw) is None:
            raise errors.resource_group_not_found(group)
        bodies = txn.top_level(m["sub"], group)
    value = [{k: b[k] for k in _GENERIC_FIELDS if b.get(k) is not None} for b in bodies
             if not wanted or str(b.get("type", "")).lower() == wanted.group(1).lower()]
    return Response(200, {"value": value})


ROUTES: tuple[Route, ...] = (
    ("GET", route(rf"/subscriptions/(?P<sub>{SEG})/resourcegroups"), _list_groups),
    ("GET", route(rf"/subscriptions/(?P<sub>{SEG})/resources"), _generic_resources),
    ("GET", route(rf"/subscriptions/(?P<sub>{SEG})/resourcegroups/(?P<rg>{SEG})/resources"), _generic_resources),
    ("*", route(rf"/subscriptions/(?P<sub>{SEG})/resourcegroups/(?P<rg>{SEG})"), _group),
)
