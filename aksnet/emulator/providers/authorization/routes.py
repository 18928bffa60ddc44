"""Microsoft.Authorization paths that are not plain resources: built-in role definitions (read-only,
at any scope) and the role-assignment list, whose `$filter` reaches above and below the scope."""

from __future__ import annotations

from aksnet.emulator.arm import errors, paging, verbs
from aksnet.emulator.arm.http import Response
from aksnet.emulator.arm.routing import Route, no_route, route
from aksnet.emulator.arm.verbs import Ctx
from aksnet.emulator.providers.authorization import role_assignments


def _role_definitions(ctx: Ctx, m: dict[str, str]) -> Response:
    if not ctx.request.api_version:
        raise errors.missing_api_version()
    scope = m["scope"] or "/"
    if m.get("id"):
        return Response(200, role_assignments.get_role_definition(scope, m["id"]))
    return Response(200, {"value": role_assignments.list_role_definitions(scope, ctx.request.param("$filter"))})


def _role_assignments(ctx: Ctx, m: dict[str, str]) -> Response:
    """`GET {scope}/providers/Microsoft.Authorization/roleAssignments`, below a subscription."""
    kind = role_assignments.KINDS[0]
    verbs.check_api_version(ctx.request, kind)
    scope = m["scope"]
    scope_parts = [p for p in scope.split("/") if p]
    if len(scope_parts) < 2 or scope_parts[0].lower() != "subscriptions":
        raise no_route(ctx)
    with ctx.store.read(ctx.settings, ctx.request.base_url) as txn:
        bodies = role_assignments.list_at_scope(txn, scope_parts[1], scope, ctx.request.param("$filter"))
        value = verbs.list_bodies(txn, bodies, kind)
    return paging.paged(ctx.request, value)


ROUTES: tuple[Route, ...] = (
    ("GET", route(r"(?P<scope>/.*?)?/providers/Microsoft\.Authorization/roleDefinitions(?:/(?P<id>[^/]+))?"),
     _role_definitions),
    ("GET", route(r"(?P<scope>/.*?)?/providers/Microsoft\.Authorization/roleAssignments"), _role_assignments),
)
