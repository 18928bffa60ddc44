"""The identity side of the emulator as routes: discovery and token endpoints (no token needed), then the
directory a signed-in client reads (tenants, Graph look-ups, subscriptions, provider registrations).
The server hands these to the router (arm/urls.py) with `authenticate`, so the engine imports no identity."""

from __future__ import annotations

from aksnet.emulator.arm import regions
from aksnet.emulator.arm.http import Response
from aksnet.emulator.arm.registry import kinds
from aksnet.emulator.arm.routing import SEG, Route, route
from aksnet.emulator.arm.verbs import Ctx
from aksnet.emulator.identity import graph, tokens

# Routes that need no token: how a client finds the token endpoint and gets a token.
OPEN_ROUTES: tuple[Route, ...] = (
    ("GET", route("/metadata/endpoints"), lambda c, m: tokens.metadata(c.request)),
    ("GET", route(rf"/(?P<tenant>{SEG})/v2\.0/\.well-known/openid-configuration"),
     lambda c, m: tokens.openid_configuration(c.request, m["tenant"], True)),
    ("GET", route(rf"/(?P<tenant>{SEG})/\.well-known/openid-configuration"),
     lambda c, m: tokens.openid_configuration(c.request, m["tenant"], False)),
    ("POST", route(rf"/(?P<tenant>{SEG})/oauth2/(?:v2\.0/)?token"), lambda c, m: tokens.token(c.request, m["tenant"])),
    ("GET", route("/common/discovery/instance"), lambda c, m: tokens.instance_discovery(c.request)),
)


def _subscriptions(ctx: Ctx, m: dict[str, str]) -> Response:
    with ctx.store.read(ctx.settings, ctx.request.base_url) as txn:
        known = txn.subscriptions()
    return tokens.subscriptions(known, m["tid"])


def _providers(ctx: Ctx, m: dict[str, str]) -> Response:
    table: dict[str, dict[str, list[str]]] = {}
    for kind in kinds().values():
        namespace, _, arm_type = kind.type.partition("/")
        table.setdefault(namespace, {})[arm_type] = sorted(kind.api_versions, reverse=True)
    wanted = m.get("ns")
    if wanted:
        match = next((ns for ns in table if ns.lower() == wanted.lower()), None)
        return Response(200, tokens.provider(m["sub"], match or wanted, table.get(match or "", {})))
    return Response(200, {"value": [tokens.provider(m["sub"], ns, types) for ns, types in sorted(table.items())]})


# Behind the bearer check; "tid" in the match is the caller's tenant.
ROUTES: tuple[Route, ...] = (
    ("GET", route("/tenants"), lambda c, m: tokens.tenants(m["tid"])),
    ("POST", route(r"/v1\.0/directoryObjects/getByIds"), lambda c, m: graph.get_by_ids(c.request)),
    ("GET", route(r"/v1\.0/(?P<what>users|servicePrincipals)"), lambda c, m: graph.search(c.request, m["what"])),
    ("GET", route("/subscriptions"), _subscriptions),
    ("GET", route(rf"/subscriptions/(?P<sub>{SEG})"),
     lambda c, m: Response(200, tokens.subscription_body(m["sub"], m["tid"]))),
    ("GET", route(rf"/subscriptions/(?P<sub>{SEG})/locations"),
     lambda c, m: Response(200, {"value": regions.location_bodies(m["sub"])})),
    ("GET", route(rf"/subscriptions/(?P<sub>{SEG})/providers"), _providers),
    ("GET", route(rf"/subscriptions/(?P<sub>{SEG})/providers/(?P<ns>[^/]+)"), _providers),
    ("POST", route(rf"/subscriptions/(?P<sub>{SEG})/providers/(?P<ns>[^/]+)/register"), _providers),
)
