"""The contract between the emulator's framework and its resource kinds (one module per ARM type).

Framework (server, pipeline, store, operations) owns: HTTPS, routing, api-version checks, auth,
If-Match/If-None-Match, the long-running-operation machinery (operation rows, Azure-AsyncOperation /
Location / Retry-After headers, lazy completion), the per-lock-key "one write at a time" rule, faults,
the journal. A kind owns: validation, server-filled defaults, side effects, and how a stored resource
is shown. Kinds never speak HTTP.

Storage convention (shared by every kind):
- every resource is one row keyed by its lower-cased ARM id, holding its full ARM body (`id`, `name`,
  `type`, `location`, `tags`, `etag`/`eTag`, `properties`...) in the user's casing;
- child resources (subnets, securityRules, routes, agentPools) are rows of their own, typed
  `Microsoft.Network/virtualNetworks/subnets` etc.; a parent row does NOT hold the child collection:
  `Kind.view` materialises it on read, and a parent PUT carrying an inline collection is turned into
  child rows by the parent's kind (replace semantics: children not listed are deleted, R: bicep#3781);
- back-references (`nsg.properties.subnets`, `routeTable.properties.subnets`) are computed in `view`
  from the rows that point at the resource, never stored.

Life of a PUT (framework):
  1. parse id, check api-version against `kind.api_versions` (400 NoRegisteredProviderFound),
     resource group exists (404 ResourceGroupNotFound), parent exists (404 ParentResourceNotFound),
     If-Match / If-None-Match against the stored etag (412 PreconditionFailed);
  2. if another operation holding the same `kind.lock_key(rid)` is in progress: raise
     `kind.busy_error(rid)` (network: 429 RetryableErrorDueToAnotherOperation + Retry-After;
     AKS: 409 OperationNotAllowed). A replayed identical PUT of the same resource answers 200 with the
     current body instead (the SDK replays PUTs after a dropped connection);
  3. in one write transaction: `body = kind.put(txn, rid, existing, request_body)` (validate, fill
     defaults, write child rows; raise ArmError to refuse), store it;
  4. if `kind.long_running`: store `provisioningState` Creating/Updating (the kind sets it), create an
     operation row due after `settings.duration(kind.type)`, answer 201/200 with
     Azure-AsyncOperation (+ Retry-After); when the operation is due (checked lazily on any read of
     the operation or of the resource), in one write transaction call
     `kind.complete_put(txn, rid, stored_body)` and store what it returns (provisioningState Succeeded).
     Otherwise answer 201/200 at once with `kind.view(...)`.
Life of a DELETE: `kind.check_delete(txn, rid, existing)` (raise e.g. InUse...CannotBeDeleted), then
(long-running: 202 + Location + Azure-AsyncOperation, provisioningState Deleting) and at completion
`kind.complete_delete(txn, rid, existing)` followed by removal of the row and of its child rows.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

Body = dict[str, Any]


class ArmError(Exception):
    """An ARM error response: `{"error": {"code", "message", "target"?, "details": [...]}}`."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        target: str | None = None,
        details: Iterable[Mapping[str, Any]] = (),
        retry_after: int | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.target = target
        self.details = [dict(d) for d in details]
        self.retry_after = retry_after  # only on retryable errors (the SDK retries any >=400 carrying it)

    def body(self) -> Body:
        error: Body = {"code": self.code, "message": self.message, "details": self.details}
        if self.target:
            error["target"] = self.target
        return {"error": error}


@dataclass(frozen=True, slots=True)
class Rid:
    """A parsed ARM resource id. `raw` keeps the caller's casing; comparisons use `key`."""

    raw: str  # "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v/subnets/a"
    scope: str  # everything before the last "/providers/": "/subscriptions/s/resourceGroups/g"
    subscription: str
    resource_group: str | None
    namespace: str  # "Microsoft.Network"
    type_path: tuple[str, ...]  # ("virtualNetworks", "subnets")
    names: tuple[str, ...]  # ("v", "a")

    @property
    def key(self) -> str:
        return self.raw.lower()

    @property
    def type(self) -> str:
        return "/".join((self.namespace, *self.type_path))

    @property
    def name(self) -> str:
        return self.names[-1]

    @property
    def parent(self) -> Rid | None:
        if len(self.names) < 2:
            return None
        cut = self.raw.rsplit("/", 2)[0]
        return Rid(cut, self.scope, self.subscription, self.resource_group, self.namespace,
                   self.type_path[:-1], self.names[:-1])

    def child(self, type_segment: str, name: str) -> Rid:
        return Rid(f"{self.raw}/{type_segment}/{name}", self.scope, self.subscription, self.resource_group,
                   self.namespace, (*self.type_path, type_segment), (*self.names, name))


def parse_rid(path: str) -> Rid:
    """Parse an ARM resource path (no query string). Raises ValueError when it is not one."""
    raw = "/" + path.strip("/")
    lowered = raw.lower()
    at = lowered.rfind("/providers/")
    if at < 0:
        raise ValueError(f"not a provider resource path: {path}")
    scope, rest = raw[:at], raw[at + len("/providers/"):].split("/")
    scope_parts = [p for p in scope.split("/") if p]
    if len(scope_parts) < 2 or scope_parts[0].lower() != "subscriptions" or len(rest) < 3 or len(rest) % 2 == 0:
        raise ValueError(f"not a provider resource path: {path}")
    group = scope_parts[3] if len(scope_parts) >= 4 and scope_parts[2].lower() == "resourcegroups" else None
    return Rid(raw, scope, scope_parts[1], group, rest[0], tuple(rest[1::2]), tuple(rest[2::2]))


def network_etag() -> str:
    """Network resources carry weak etags that change on every write (https://github.com/Azure/azure-resource-manager-rpc/blob/master/v1.0/Addendum.md#etags-for-resources)."""
    return f'W/"{uuid.uuid4()}"'


def aks_etag() -> str:
    """AKS carries an opaque `eTag` on the cluster and each agent pool (https://learn.microsoft.com/azure/aks/use-etags)."""
    return uuid.uuid4().hex[:10]


@dataclass(frozen=True, slots=True)
class Settings:
    """Tunable timings. Durations are seconds of wall time an operation stays InProgress."""

    durations: Mapping[str, float] = field(default_factory=dict)  # ARM type (lower) -> seconds
    default_network_duration: float = 1.0
    default_aks_duration: float = 3.0
    retry_after: int = 1  # the integer Retry-After the emulator sends on operations and 429s

    def duration(self, arm_type: str) -> float:
        if arm_type.lower() in self.durations:
            return self.durations[arm_type.lower()]
        if arm_type.lower().startswith("microsoft.containerservice"):
            return self.default_aks_duration
        return self.default_network_duration


class Txn(Protocol):
    """A view of the store inside one write (or read) transaction. Ids are matched case-insensitively."""

    settings: Settings
    base_url: str  # "https://127.0.0.1:PORT" as the client reached the emulator
    tenant: str  # the caller's tenant (its token's `tid`); "" when no request is behind the transaction

    def now(self) -> datetime: ...

    def get(self, resource_id: str) -> Body | None:
        """The stored body (as stored: no materialised children), or None."""
        ...

    def put(self, resource_id: str, body: Body) -> None:
        """Insert or replace a row. Its type/parent/resource group are derived from the id."""
        ...

    def delete(self, resource_id: str) -> None:
        """Remove a row and every row below it (children). Absent is fine."""
        ...

    def children(self, parent_id: str, type_segment: str) -> list[Body]:
        """Stored bodies of the direct children of `parent_id` of that type ("subnets"), in creation order (a parent PUT writes its inline ones in request order)."""
        ...

    def find(self, arm_type: str, *, subscription: str | None = None, resource_group: str | None = None) -> list[Body]:
        """Stored bodies of every row of `arm_type` (case-insensitive), optionally scoped."""
        ...

    def ensure_resource_group(self, subscription: str, name: str, location: str, *, managed_by: str | None = None) -> None:
        """Create a resource group if absent (AKS's node resource group)."""
        ...

    def delete_resource_group(self, subscription: str, name: str) -> None:
        """Remove a resource group and everything in it (AKS deleting its node resource group)."""
        ...

    def view(self, resource_id: str) -> Body | None:
        """The resource as a GET would show it (through its kind's `view`), or None."""
        ...


class Kind(Protocol):
    """One ARM resource type. See the module docstring for when the framework calls what."""

    type: str  # "Microsoft.Network/virtualNetworks/subnets"
    api_versions: frozenset[str]
    long_running: bool
    supports_patch: bool  # tags PATCH (network top-level types, AKS)

    def lock_key(self, rid: Rid) -> str | None:
        """Writes sharing a key are serialised (e.g. a VNet and its subnets). None: no lock."""
        ...

    def busy_error(self, rid: Rid) -> ArmError:
        """The error a write gets while another operation holds the lock key."""
        ...

    def put(self, txn: Txn, rid: Rid, existing: Body | None, body: Body) -> Body:
        """Validate a PUT body and return the row to store (read-only input fields ignored)."""
        ...

    def complete_put(self, txn: Txn, rid: Rid, stored: Body) -> Body:
        """When the operation finishes: side effects; returns the row with provisioningState Succeeded."""
        ...

    def patch(self, txn: Txn, rid: Rid, existing: Body, body: Body) -> Body:
        """PATCH (tags): return the new row."""
        ...

    def check_delete(self, txn: Txn, rid: Rid, existing: Body) -> None:
        """Raise ArmError if the resource cannot be deleted now (in use)."""
        ...

    def complete_delete(self, txn: Txn, rid: Rid, existing: Body) -> None:
        """Side effects of a finished delete (the framework then removes the row and its children)."""
        ...

    def view(self, txn: Txn, rid: Rid, stored: Body) -> Body:
        """The GET body: stored row plus materialised children and computed back-references."""
        ...
