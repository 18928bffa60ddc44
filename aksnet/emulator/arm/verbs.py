"""Generic ARM resource verbs over the kinds: PUT, GET, HEAD, PATCH, DELETE and lists.

Follows the life of a PUT / DELETE in kinds.py. Status codes: https://github.com/Azure/azure-resource-manager-rpc/blob/master/v1.0/resource-api-reference.md and
https://github.com/Azure/azure-resource-manager-rpc/blob/master/v1.0/async-api-reference.md (201 new / 200 existing, DELETE 202 + Location or 200 / 204 absent,
404 ResourceGroupNotFound / ResourceNotFound / ParentResourceNotFound, 412 PreconditionFailed).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from aksnet.emulator.arm import errors, operations
from aksnet.emulator.arm.contract import ArmError, Body, Kind, Rid, Settings
from aksnet.emulator.arm.hooks import RequestEffect
from aksnet.emulator.arm.http import Request, Response
from aksnet.emulator.arm.ids import DEFAULT_LOCATION, parse_any, resource_group_id
from aksnet.emulator.arm.store import SqliteTxn, Store


@dataclass(slots=True)
class Ctx:
    store: Store
    settings: Settings
    request: Request
    effect: RequestEffect  # what the request's fault rules ask (control/faults.py)
    tenant: str = ""  # the authenticated caller's tenant (token `tid`), set by routes.dispatch


def check_api_version(request: Request, kind: Kind, location: str | None = None) -> str:
    version = request.api_version
    if not version:
        raise errors.missing_api_version()
    if version not in kind.api_versions:
        if kind.type.lower().startswith("microsoft.resources/"):
            raise errors.invalid_api_version(version, kind.api_versions)
        short_type = kind.type.split("/", 1)[1]
        raise errors.no_registered_provider(location or DEFAULT_LOCATION, version, short_type, kind.api_versions)
    return version


def not_found(rid: Rid) -> ArmError:
    """The 404 a missing resource of this type answers with."""
    if rid.type.lower() == "microsoft.resources/resourcegroups":
        return errors.resource_group_not_found(rid.name)
    if rid.type.lower() == "microsoft.authorization/roleassignments":
        return errors.role_assignment_not_found(rid.name)
    return errors.resource_not_found(rid)


def check_container(txn: SqliteTxn, rid: Rid, *, writing: bool) -> None:
    """The resource group and the parent resource must exist (404s), and the group not be going away."""
    is_group = rid.type.lower() == "microsoft.resources/resourcegroups"
    if rid.resource_group and not is_group:
        group = txn.get(resource_group_id(rid.subscription, rid.resource_group))
        if group is None:
            raise errors.resource_group_not_found(rid.resource_group)
        if writing and group.get("properties", {}).get("provisioningState") == "Deleting":
            raise errors.resource_group_being_deleted(rid.resource_group)
    parent = rid.parent
    if parent is not None and txn.get(parent.raw) is None:
        raise errors.parent_resource_not_found("/".join(parent.names))


def _etag(body: Body | None) -> str | None:
    if not body:
        return None
    value = body.get("etag") or body.get("eTag")
    return str(value) if value else None


def _bare(tag: str) -> str:
    tag = tag.strip()
    if tag.startswith("W/"):
        tag = tag[2:]
    return tag.strip('"')


def check_preconditions(request: Request, existing: Body | None) -> None:
    """If-Match / If-None-Match per RPC Addendum "ETags for Resources" (https://github.com/Azure/azure-resource-manager-rpc/blob/master/v1.0/Addendum.md#etags-for-resources)."""
    if_match, if_none = request.header("if-match"), request.header("if-none-match")
    failed = errors.precondition_failed()
    if if_match is not None:
        wanted = [_bare(t) for t in if_match.split(",")]
        current = _etag(existing)
        if existing is None:
            raise failed
        if "*" not in wanted and (current is None or _bare(current) not in wanted):
            raise failed
    if if_none is not None and existing is not None:
        wanted = [_bare(t) for t in if_none.split(",")]
        current = _etag(existing)
        if "*" in wanted or (current is not None and _bare(current) in wanted):
            raise failed


def _foreign_write(ctx: Ctx, rid: Rid, kind: Kind) -> None:
    """A fault rule's concurrent writer: its tags PATCH commits (its own transaction, a new etag as any
    write) just before this request is handled, so the request meets a resource another client changed."""
    tags = ctx.effect.foreign_tags
    if not tags or not kind.supports_patch:
        return
    with ctx.store.write(ctx.settings, ctx.request.base_url, ctx.tenant) as txn:
        existing = txn.get(rid.raw)
        if existing is not None:
            changed = kind.patch(txn, rid, existing, {"tags": {**(existing.get("tags") or {}), **tags}})
            txn.put(txn.stored_id(rid.raw) or rid.raw, changed)


def _with_etag(response: Response) -> Response:
    tag = _etag(response.body) if isinstance(response.body, dict) else None
    if tag:  # an etag in the body is also sent as the ETag header
        response.headers["ETag"] = tag
    return response


def _delete_is_long(kind: Kind) -> bool:
    return bool(getattr(kind, "long_running_delete", kind.long_running))


def put(ctx: Ctx, rid: Rid, kind: Kind) -> Response:
    body = ctx.request.json_object()
    version = check_api_version(ctx.request, kind, body.get("location") if isinstance(body.get("location"), str) else None)
    request_hash = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
    _foreign_write(ctx, rid, kind)
    with ctx.store.write(ctx.settings, ctx.request.base_url, ctx.tenant) as txn:
        check_container(txn, rid, writing=True)
        existing = txn.get(rid.raw)
        check_preconditions(ctx.request, existing)
        busy = operations.running(txn, kind.lock_key(rid) or rid.key)
        if busy is not None:
            if busy.resource_key == rid.key and busy.action == "PUT" and busy.request_hash == request_hash and existing:
                # A replayed PUT (the SDK retries one after a dropped connection): same answer, no new op.
                shown = kind.view(txn, rid, existing)
                return _with_etag(Response(200, shown, operations.headers(ctx.request.base_url, busy, ctx.settings)))
            raise kind.busy_error(rid)
        stored_id = txn.stored_id(rid.raw) or rid.raw
        new = kind.put(txn, rid, existing, body)
        txn.put(stored_id, new)
        headers: dict[str, str] = {}
        if kind.long_running:
            op = operations.start(txn, rid, kind, "PUT", new, version, request_hash, ctx.effect.op_rule)
            headers = operations.headers(ctx.request.base_url, op, ctx.settings)
        shown = kind.view(txn, parse_any(stored_id), new)
    return _with_etag(Response(200 if existing else 201, shown, headers))


def get(ctx: Ctx, rid: Rid, kind: Kind, *, head: bool = False) -> Response:
    if not head:
        check_api_version(ctx.request, kind)
    with ctx.store.read(ctx.settings, ctx.request.base_url) as txn:
        if head:
            found = txn.get(rid.raw) is not None
            return Response(204 if found else 404)
        check_container(txn, rid, writing=False)
        stored = txn.get(rid.raw)
        if stored is None:
            raise not_found(rid)
        shown = kind.view(txn, parse_any(txn.stored_id(rid.raw) or rid.raw), stored)
    return _with_etag(Response(200, shown))


def patch(ctx: Ctx, rid: Rid, kind: Kind) -> Response:
    body = ctx.request.json_object()
    check_api_version(ctx.request, kind)
    if not kind.supports_patch:
        raise errors.method_not_allowed(f"The PATCH method is not supported for type '{kind.type}'.")
    with ctx.store.write(ctx.settings, ctx.request.base_url) as txn:
        check_container(txn, rid, writing=True)
        existing = txn.get(rid.raw)
        if existing is None:
            raise not_found(rid)
        check_preconditions(ctx.request, existing)
        if operations.running(txn, kind.lock_key(rid) or rid.key) is not None:
            raise kind.busy_error(rid)
        stored_id = txn.stored_id(rid.raw) or rid.raw
        new = kind.patch(txn, rid, existing, body)
        txn.put(stored_id, new)
        shown = kind.view(txn, parse_any(stored_id), new)
    return _with_etag(Response(200, shown))


def delete(ctx: Ctx, rid: Rid, kind: Kind) -> Response:
    version = check_api_version(ctx.request, kind)
    with ctx.store.write(ctx.settings, ctx.request.base_url) as txn:
        if rid.resource_group and rid.type.lower() != "microsoft.resources/resourcegroups":
            if txn.get(resource_group_id(rid.subscription, rid.resource_group)) is None:
                raise errors.resource_group_not_found(rid.resource_group)
        existing = txn.get(rid.raw)
        if existing is None:
            if rid.type.lower() == "microsoft.resources/resourcegroups":
                # ARM answers 404 ResourceGroupNotFound for a missing group (Azure/azure-cli#20316,
                # Azure/azure-dev#4628); the SDK's resource_groups.begin_delete accepts only 200/202.
                raise errors.resource_group_not_found(rid.name)
            return Response(204)  # RPC: a DELETE of an absent resource is 204
        check_preconditions(ctx.request, existing)
        busy = operations.running(txn, kind.lock_key(rid) or rid.key)
        if busy is not None:
            if busy.resource_key == rid.key and busy.action == "DELETE":  # replayed DELETE: same operation
                return Response(202, None, operations.headers(ctx.request.base_url, busy, ctx.settings))
            raise kind.busy_error(rid)
        stored_id = txn.stored_id(rid.raw) or rid.raw
        kind.check_delete(txn, rid, existing)
        if _delete_is_long(kind):
            deleting = operations.set_state(existing, "Deleting")
            txn.put(stored_id, deleting)
            op = operations.start(txn, rid, kind, "DELETE", deleting, version, None, ctx.effect.op_rule)
            return Response(202, None, operations.headers(ctx.request.base_url, op, ctx.settings))
        shown = kind.view(txn, parse_any(stored_id), existing)
        kind.complete_delete(txn, rid, existing)
        txn.delete(stored_id)
    return Response(200, shown)


def list_bodies(txn: SqliteTxn, bodies: list[Body], kind: Kind) -> list[Body]:
    return [kind.view(txn, parse_any(str(b.get("id"))), b) if b.get("id") else b for b in bodies]
