"""URL routing: ARM paths matched case-insensitively (RPC: names compared case-insensitively).

Order: the open identity routes, then (after the bearer check) ARM's own routes, then the routes provider
packages export (`ROUTES`, found through the registry), then any `{scope}/providers/{namespace}/{type}/...`
resource or list, served by its kind.
"""

from __future__ import annotations

from functools import cache

from aksnet.emulator.arm import errors, operations, paging
from aksnet.emulator.arm import verbs as resources
from aksnet.emulator.arm.contract import Kind, parse_rid
from aksnet.emulator.arm.http import Response
from aksnet.emulator.arm.ids import resource_group_rid
from aksnet.emulator.arm.registry import kind_for, kinds, namespaces, provider_packages
from aksnet.emulator.arm.routing import SEG as _SEG
from aksnet.emulator.arm.routing import Route, no_route, serve
from aksnet.emulator.arm.routing import route as _route
from aksnet.emulator.arm.verbs import Ctx
from aksnet.emulator.identity import graph
from aksnet.emulator.identity import tokens as identity

# Routes that need no token: how a client finds the token endpoint and gets a token.
_OPEN: list[Route] = [
    ("GET", _route("/metadata/endpoints"), lambda c, m: identity.metadata(c.request)),
    ("GET", _route(rf"/(?P<tenant>{_SEG})/v2\.0/\.well-known/openid-configuration"),
     lambda c, m: identity.openid_configuration(c.request, m["tenant"], True)),
    ("GET", _route(rf"/(?P<tenant>{_SEG})/\.well-known/openid-configuration"),
     lambda c, m: identity.openid_configuration(c.request, m["tenant"], False)),
    ("POST", _route(rf"/(?P<tenant>{_SEG})/oauth2/(?:v2\.0/)?token"), lambda c, m: identity.token(c.request, m["tenant"])),
    ("GET", _route("/common/discovery/instance"), lambda c, m: identity.instance_discovery(c.request)),
]


def _subscriptions(ctx: Ctx, m: dict[str, str]) -> Response:
    with ctx.store.read(ctx.settings, ctx.request.base_url) as txn:
        known = txn.subscriptions()
    return identity.subscriptions(known, m["tid"])


def _providers(ctx: Ctx, m: dict[str, str]) -> Response:
    table: dict[str, dict[str, list[str]]] = {}
    for kind in kinds().values():
        namespace, _, arm_type = kind.type.partition("/")
        table.setdefault(namespace, {})[arm_type] = sorted(kind.api_versions, reverse=True)
    wanted = m.get("ns")
    if wanted:
        match = next((ns for ns in table if ns.lower() == wanted.lower()), None)
        return Response(200, identity.provider(m["sub"], match or wanted, table.get(match or "", {})))
    return Response(200, {"value": [identity.provider(m["sub"], ns, types) for ns, types in sorted(table.items())]})


def _operation(ctx: Ctx, m: dict[str, str]) -> Response:
    with ctx.store.read(ctx.settings, ctx.request.base_url) as txn:
        return operations.status_response(txn, m["op"], results=m.get("what", "operationresults").lower() != "operations")


_ARM: list[Route] = [
    ("GET", _route("/tenants"), lambda c, m: identity.tenants(m["tid"])),
    ("POST", _route(r"/v1\.0/directoryObjects/getByIds"), lambda c, m: graph.get_by_ids(c.request)),
    ("GET", _route(r"/v1\.0/(?P<what>users|servicePrincipals)"), lambda c, m: graph.search(c.request, m["what"])),
    ("GET", _route("/subscriptions"), _subscriptions),
    ("GET", _route(rf"/subscriptions/(?P<sub>{_SEG})"),
     lambda c, m: Response(200, identity.subscription_body(m["sub"], m["tid"]))),
    ("GET", _route(rf"/subscriptions/(?P<sub>{_SEG})/providers"), _providers),
    ("GET", _route(rf"/subscriptions/(?P<sub>{_SEG})/providers/(?P<ns>[^/]+)"), _providers),
    ("POST", _route(rf"/subscriptions/(?P<sub>{_SEG})/providers/(?P<ns>[^/]+)/register"), _providers),
    ("GET", _route(rf"/subscriptions/(?P<sub>{_SEG})/providers/(?P<ns>{_SEG})/locations/(?P<loc>{_SEG})"
                   rf"/(?P<what>operations|operationresults)/(?P<op>{_SEG})"), _operation),
    ("GET", _route(rf"/subscriptions/(?P<sub>{_SEG})/operationresults/(?P<op>{_SEG})"), _operation),
    # Resource groups, generic resource lists, role definitions...: from the provider packages (_routes).
]


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


def dispatch(ctx: Ctx) -> Response:
    """Route one request (the auth check happens here, after the open discovery/token routes)."""
    method, path = ctx.request.method, ctx.request.path
    for verb, pattern, handler in _OPEN:
        found = pattern.match(path)
        if found and verb == method:
            return handler(ctx, found.groupdict())
    claims = identity.authenticate(ctx.request)
    ctx.tenant = str(claims.get("tid") or "")
    operations.settle(ctx.store, ctx.settings, ctx.request.base_url)
    for verb, pattern, handler in _routes():
        found = pattern.match(path)
        if found and verb in ("*", method):
            groups = {k: v or "" for k, v in found.groupdict().items()}
            groups["tid"] = str(claims.get("tid"))
            return handler(ctx, groups)
    if "/providers/" in path.lower():
        return _provider_path(ctx)
    raise no_route(ctx)
