"""Per-kind GET / PUT / DELETE adapters over the SDK clients, with ARM wire-format dicts both ways.

Bodies go out as wire-format dicts, which the generated SDKs send as they are
(https://github.com/Azure/azure-sdk-for-python/blob/main/doc/dev/mgmt/mgmt_quickstart.md).
Responses come back as the raw response JSON (camelCase, every server-filled field), never
`model.as_dict()`, whose keys are snake_case in some SDK versions: `cls=` receives the pipeline
response, and the long-running pollers hand theirs to the same `cls` on completion.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from aksnet.ids import ParsedId, parse_id
from aksnet.live.azure.clients import Connection
from aksnet.live.azure.errors import translate
from aksnet.live.ratelimit import limits_for

Body = dict[str, Any]
ROLE_ASSIGNMENTS = "/providers/Microsoft.Authorization/roleAssignments/"
IDENTITIES = "userassignedidentities"  # Microsoft.ManagedIdentity/userAssignedIdentities (azure-mgmt-msi)


def _raw_json(pipeline_response: Any, _deserialized: Any, _headers: Any) -> Body | None:
    # `.text()` exists on every transport response (the msrest-era authorization client has no `.json()`).
    response = pipeline_response.http_response
    text = response.text()
    if response.status_code == 204 or not text:
        return None
    data = json.loads(text)
    return data if isinstance(data, dict) else None


@dataclass(slots=True)
class Operation:
    """A write in flight. Synchronous writes are born done."""

    resource_id: str
    poller: Any = None
    body: Body | None = None
    correlation_id: str = ""

    def wait(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds; True when finished (raises AzureRequestError if it failed).
        `poller.result(timeout)` returns without raising while still running
        (https://github.com/Azure/azure-sdk-for-python/blob/main/sdk/core/azure-core/azure/core/polling/_poller.py),
        so `done()` is what decides."""
        if self.poller is None:
            return True
        try:
            self.poller.wait(timeout)
            if not self.poller.done():
                return False
            self.body = self.poller.result()
        except Exception as err:  # noqa: BLE001 - translated to an aksnet error
            raise translate(err, resource_id=self.resource_id, action="while waiting on",
                            correlation_id=self.correlation_id) from err
        return True


def is_role_assignment(rid: str) -> bool:
    return ROLE_ASSIGNMENTS.lower() in rid.lower()


def _split_role_assignment(rid: str) -> tuple[str, str]:
    """(scope, name) of a role assignment id. The SDK puts the scope into the URL as it is (it is a path,
    `x-ms-skip-url-encoding`), so each of its segments is percent-encoded here the way the SDK encodes
    every other name (`rg(1)` -> `rg%281%29`); the name it encodes itself."""
    at = rid.lower().rindex(ROLE_ASSIGNMENTS.lower())
    return encoded_scope(rid[:at]), rid[at + len(ROLE_ASSIGNMENTS):]


def encoded_scope(scope: str) -> str:
    return "/".join(quote(segment, safe="") for segment in scope.split("/"))


class ResourceApi:
    """GET / PUT / DELETE by ARM id for every kind aksnet manages, in one subscription."""

    def __init__(self, conn: Connection, subscription: str) -> None:
        self.conn = conn
        self.subscription = subscription
        self.limits = limits_for(subscription)

    # -- dispatch -------------------------------------------------------------------------------
    def _call(self, rid: str, action: str, fn: Callable[[], Any]) -> Any:
        try:
            return fn()
        except Exception as err:  # noqa: BLE001 - translated to an aksnet error
            raise translate(err, resource_id=rid, action=action,
                            correlation_id=self.conn.correlation_id) from err

    def _target(self, rid: str) -> tuple[str, ParsedId | None]:
        """(operation group, parsed id) for an id; role assignments are scoped, not parsed."""
        if is_role_assignment(rid):
            return "roleassignments", None
        parsed = parse_id(rid)
        ptype = parsed.provider_type.lower()
        if ptype == "microsoft.resources/resourcegroups":
            return "resourcegroups", parsed
        if parsed.children:
            return f"{parsed.provider_type.split('/')[1]}/{parsed.children[0][0]}".lower(), parsed
        return ptype.split("/")[1].lower(), parsed

    # -- reads --------------------------------------------------------------------------------
    def get(self, rid: str) -> Body | None:
        """The resource as ARM shows it, or None when absent (404, including ResourceGroupNotFound)."""
        from azure.core.exceptions import HttpResponseError

        self.limits.reads.acquire()
        group, p = self._target(rid)
        kw: dict[str, Any] = {"cls": _raw_json}
        try:
            if group == "resourcegroups":
                assert p is not None
                result = self._client("resources").resource_groups.get(p.resource_group, **kw)
            elif group == "roleassignments":
                scope, name = _split_role_assignment(rid)
                result = self._client("authorization").role_assignments.get(scope, name, **kw)
            elif group == IDENTITIES:
                assert p is not None
                result = self._client("msi").user_assigned_identities.get(p.resource_group, p.name, **kw)
            else:
                assert p is not None
                result = self._ops(group).get(p.resource_group, p.name, *[c[1] for c in p.children], **kw)
        except HttpResponseError as err:
            if err.status_code == 404:
                return None
            raise translate(err, resource_id=rid, action="reading",
                            correlation_id=self.conn.correlation_id) from err
        except Exception as err:  # noqa: BLE001
            raise translate(err, resource_id=rid, action="reading",
                            correlation_id=self.conn.correlation_id) from err
        return dict(result) if result is not None else None

    def list_role_assignments(self, scope: str) -> list[Body]:
        """Role assignments at (or inherited from above) `scope`, in ARM wire format. `atScope()`
        leaves out those below it (Authorization RP "List role assignments for a scope")."""
        self.limits.reads.acquire()

        def listing() -> list[Body]:
            # A paged operation's `cls` gets models, not the response; azure-core's per-request
            # `raw_response_hook` sees each page's response, whose `value` items are the bodies a GET
            # returns (so a saved plan's fingerprint of an adopted assignment matches a later GET).
            found: list[Body] = []

            def keep_page(pipeline_response: Any) -> None:
                page = _raw_json(pipeline_response, None, None) or {}
                found.extend(dict(item) for item in page.get("value") or () if isinstance(item, dict))

            pages = self._client("authorization").role_assignments.list_for_scope(
                encoded_scope(scope), filter="atScope()", raw_response_hook=keep_page)
            list(pages)  # iterating fetches every page (nextLink), each seen by keep_page
            return found

        return self._call(scope, "listing role assignments at", listing)  # type: ignore[no-any-return]

    # -- writes -------------------------------------------------------------------------------
    def begin_put(self, rid: str, body: Body, *, if_match: str | None = None, if_none_match: bool = False) -> Operation:
        """Start a create-or-update with a wire-format body. `if_match`: the etag the body was built from
        (412 PreconditionFailed if the resource changed since); `if_none_match`: a create that must not
        overwrite a resource that appeared meanwhile (412 if it exists). Only network and AKS resources
        carry etags (learn.microsoft.com/azure/aks/use-etags; RPC "ETags for Resources"), so resource
        groups and role assignments are written without conditions."""
        self.limits.writes.acquire()
        group, p = self._target(rid)
        kw: dict[str, Any] = {"cls": _raw_json}
        conditions: dict[str, str] = {}
        if if_match:
            conditions["If-Match"] = if_match
        elif if_none_match:
            conditions["If-None-Match"] = "*"
        if conditions and group not in ("resourcegroups", "roleassignments"):
            # Every generated operation takes extra request headers (azure-core `headers=` keyword).
            kw["headers"] = conditions
        cid = self.conn.correlation_id

        def start() -> Operation:
            if group == "resourcegroups":
                assert p is not None
                out = self._client("resources").resource_groups.create_or_update(p.resource_group, body, **kw)
                return Operation(rid, body=out, correlation_id=cid)
            if group == "roleassignments":
                scope, name = _split_role_assignment(rid)
                out = self._client("authorization").role_assignments.create(scope, name, body, **kw)
                return Operation(rid, body=out, correlation_id=cid)
            if group == IDENTITIES:  # synchronous: 201/200 with the filled principal (IdentityCreate.json)
                assert p is not None
                out = self._client("msi").user_assigned_identities.create_or_update(
                    p.resource_group, p.name, body, **kw)
                return Operation(rid, body=out, correlation_id=cid)
            assert p is not None
            names = [p.resource_group, p.name, *[c[1] for c in p.children]]
            poller = self._ops(group).begin_create_or_update(*names, body, **kw)
            return Operation(rid, poller=poller, correlation_id=cid)

        return self._call(rid, "writing", start)  # type: ignore[no-any-return]

    def begin_delete(self, rid: str) -> Operation:
        self.limits.writes.acquire()
        group, p = self._target(rid)
        cid = self.conn.correlation_id

        def start() -> Operation:
            if group == "resourcegroups":
                assert p is not None
                poller = self._client("resources").resource_groups.begin_delete(p.resource_group)
                return Operation(rid, poller=poller, correlation_id=cid)
            if group == "roleassignments":
                scope, name = _split_role_assignment(rid)
                self._client("authorization").role_assignments.delete(scope, name)
                return Operation(rid, correlation_id=cid)
            if group == IDENTITIES:
                assert p is not None
                self._client("msi").user_assigned_identities.delete(p.resource_group, p.name)
                return Operation(rid, correlation_id=cid)
            assert p is not None
            names = [p.resource_group, p.name, *[c[1] for c in p.children]]
            poller = self._ops(group).begin_delete(*names)
            return Operation(rid, poller=poller, correlation_id=cid)

        return self._call(rid, "deleting", start)  # type: ignore[no-any-return]

    # -- clients ------------------------------------------------------------------------------
    def _client(self, which: str) -> Any:
        return self.conn.client(which, self.subscription)

    def _ops(self, group: str) -> Any:
        network = {
            "virtualnetworks": "virtual_networks",
            "networksecuritygroups": "network_security_groups",
            "routetables": "route_tables",
            "virtualnetworks/subnets": "subnets",
            "networksecuritygroups/securityrules": "security_rules",
            "routetables/routes": "routes",
        }
        if group in network:
            return getattr(self._client("network"), network[group])
        if group == "managedclusters":
            return self._client("aks").managed_clusters
        if group == "managedclusters/agentpools":
            return self._client("aks").agent_pools
        raise ValueError(f"aksnet does not manage resources of type {group!r}")
