"""What a route is, for the router (arm/urls.py) and for provider packages that serve paths of their own.

A provider package may export `ROUTES: tuple[Route, ...]` beside `KINDS`: paths that are not plain
`{scope}/providers/{namespace}/{type}/{name}` resources (resource groups, generic resource lists, role
definitions). The router discovers them through arm/registry.py, so it names no provider.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from aksnet.emulator.arm import errors, verbs
from aksnet.emulator.arm.contract import ArmError, Kind, Rid
from aksnet.emulator.arm.http import Response
from aksnet.emulator.arm.verbs import Ctx

# A handler gets the request context and the route's named groups (plus "tid", the caller's tenant).
Handler = Callable[[Ctx, dict[str, str]], Response]
Route = tuple[str, re.Pattern[str], Handler]  # (method or "*", pattern, handler)
SEG = r"[^/]+"  # one path segment


def route(pattern: str) -> re.Pattern[str]:
    """ARM paths match case-insensitively, with or without a trailing slash."""
    return re.compile(f"^{pattern}/?$", re.IGNORECASE)


def serve(ctx: Ctx, rid: Rid, kind: Kind) -> Response:
    """One resource: the verb the request's method names."""
    method = ctx.request.method
    if method == "PUT":
        return verbs.put(ctx, rid, kind)
    if method == "GET":
        return verbs.get(ctx, rid, kind)
    if method == "HEAD":
        return verbs.get(ctx, rid, kind, head=True)
    if method == "PATCH":
        return verbs.patch(ctx, rid, kind)
    if method == "DELETE":
        return verbs.delete(ctx, rid, kind)
    raise errors.method_not_allowed(f"The HTTP method '{method}' is not supported.")


def no_route(ctx: Ctx) -> ArmError:
    return errors.no_route(f"{ctx.request.base_url}{ctx.request.path}")
