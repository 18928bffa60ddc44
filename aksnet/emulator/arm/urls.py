"""URL routing: ARM paths matched case-insensitively (RPC: names compared case-insensitively).

Order: the routes open to anyone (discovery, tokens), then the bearer check, then the directory routes
(tenants, subscriptions...), ARM's own operation routes, the routes provider packages export (`ROUTES`,
found through the registry), then any `{scope}/providers/{namespace}/{type}/...` resource or list, served
by its kind. The open routes, the check and the directory come from the server (`Front`): identity sits
above the engine, which imports none of it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from aksnet.emulator.arm import errors, operations, paging
from aksnet.emulator.arm import verbs as resources
from aksnet.emulator.arm.contract import Kind, parse_rid
from aksnet.emulator.arm.http import Request, Response
from aksnet.emulator.arm.ids import resource_group_rid
from aksnet.emulator.arm.registry import kind_for, namespaces, provider_packages
from aksnet.emulator.arm.routing import SEG as _SEG
from aksnet.emulator.arm.routing import Route, no_route, serve
from aksnet.emulator.arm.routing import route as _route
from aksnet.emulator.arm.verbs import Ctx


@dataclass(frozen=True)
class Front:
    """What the server puts in front of the ARM routes (identity/routes.py)."""

    open_routes: tuple[Route, ...]  # served without a token
    authenticate: Callable[[Request], Mapping[str, Any]]  # bearer token -> claims, or a 401 ArmError
    routes: tuple[Route, ...]  # behind the check, before ARM's own


def _operation(ctx: Ctx, m: dict[str, str]) -> Response:
    with ctx.store.read(ctx.settings, ctx.request.base_url) as txn:
        return operations.status_response(txn, m["op"], results=m.get("what", "operationresults").lower() != "operations")


_ARM: tuple[Route, ...] = (
    ("GET", _route(rf"/subscriptions/(?P<sub>{_SEG})/providers/(?P<ns>{_SEG})/locations/(?P<loc>{_SEG})"
                   rf"/(?P<what>operations|operationresults)/(?P<op>{_SEG})"), _operation),
    ("GET", _route(rf"/subscriptions/(?P<sub>{_SEG})/operationresults/(?P<op>{_SEG})"), _operation),
    # Resource groups, generic resource lists, role definitions...: from the provider packages (_routes).
)


@cache
def _routes() -> tuple[Route, ...]:
    """ARM's own routes, then each provider package's `ROUTES` (package name order)."""
    return (*_ARM, *(r for package in provider_packages() for r in getattr(package, "ROUTES", ())))


def _kind(arm_type: str) -> Kind:
    kind = kind_for(arm_type)
    if kind is None:
        namespace, _, short = arm_type.partition("/")
        if namespace.lower() not in {n.lower() for n in namespaces()}:
            raise errors.invalid_resource_namespace(namespace)
        raise errors.invalid_resource_type(short, namespace)
    return kind


def _provider_path(ctx: Ctx) -> Response:
    """`{scope}/providers/{ns}/{type}/{name}[/{type}/{name}...]` (a resource) or ending in a type (a list)."""
    path = ctx.request.path.rstrip("/")
    at = path.lower().rfind("/providers/")
    rest = path[at + len("/providers/"):].split("/") if at >= 0 else []
    if len(rest) >= 3 and len(rest) % 2 == 1:
        try:
            rid = parse_rid(path)
        except ValueError as err:
            raise no_route(ctx) from err
        return serve(ctx, rid, _kind(rid.type))
    if len(rest) >= 2 and len(rest) % 2 == 0 and ctx.request.method == "GET":
        return _list(ctx, path[:at], rest)
    raise no_route(ctx)


def _list(ctx: Ctx, scope: str, rest: list[str]) -> Response:
    arm_type = "/".join([rest[0], *rest[1::2]])
    kind = _kind(arm_type)
    resources.check_api_version(ctx.request, kind)
    scope_parts = [p for p in scope.split("/") if p]
    if len(scope_parts) < 2 or scope_parts[0].lower() != "subscriptions":
        raise no_route(ctx)
    subscription = scope_parts[1]
    with ctx.store.read(ctx.settings, ctx.request.base_url) as txn:
        if len(rest) > 2:  # children of a parent resource
            parent = parse_rid(f"{scope}/providers/{'/'.join(rest[:-1])}")
            resources.check_container(txn, parent, writing=False)
            if txn.get(parent.raw) is None:
                raise resources.not_found(parent)
            bodies = txn.children(parent.raw, rest[-1])
        elif len(scope_parts) >= 4 and scope_parts[2].lower() == "resourcegroups":
            if txn.get(resource_group_rid(subscription, scope_parts[3]).raw) is None:
                raise errors.resource_group_not_found(scope_parts[3])
            bodies = txn.find(arm_type, subscription=subscription, resource_group=scope_parts[3])
        else:
            bodies = txn.find(arm_type, subscription=subscription)
        value = resources.list_bodies(txn, bodies, kind)
    return paging.paged(ctx.request, value)


def dispatch(ctx: Ctx, front: Front) -> Response:
    """Route one request (the auth check happens here, after the open discovery/token routes)."""
    method, path = ctx.request.method, ctx.request.path
    for verb, pattern, handler in front.open_routes:
        found = pattern.match(path)
        if found and verb == method:
            return handler(ctx, found.groupdict())
    claims = front.authenticate(ctx.request)
    ctx.tenant = str(claims.get("tid") or "")
    operations.settle(ctx.store, ctx.settings, ctx.request.base_url)
    for verb, pattern, handler in (*front.routes, *_routes()):
        found = pattern.match(path)
        if found and verb in ("*", method):
            groups = {k: v or "" for k, v in found.groupdict().items()}
            groups["tid"] = str(claims.get("tid"))
            return handler(ctx, groups)
    if "/providers/" in path.lower():
        return _provider_path(ctx)
    raise no_route(ctx)
