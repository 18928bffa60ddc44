"""The one skeleton behind the Microsoft.Network parent kinds (VNet, NSG, route table) and their child
kinds (subnet, security rule, route). Each type module describes only its own rules (validation codes,
defaults, back-references, in-use checks) through a `ChildType` and a `ParentKind`; everything the six
kinds did alike lives here once.

- Parent PUT: the inline child collection replaces the stored one (children not listed are deleted,
  https://github.com/Azure/bicep/issues/3781); a removed child that is in use refuses the whole PUT.
- Child PUT/DELETE: the same checks as an inline entry, against the other stored siblings, and a new
  etag on the parent (a child write changes its parent, https://github.com/Azure/azure-resource-manager-rpc/blob/master/v1.0/Addendum.md#etags-for-resources).
- A parent and its children share one lock (the top-level id) and the network 429 busy error.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aksnet.emulator.arm import errors
from aksnet.emulator.arm.contract import ArmError, Body, Rid, Txn, parse_rid
from aksnet.emulator.providers.network.common import (
    NETWORK_API_VERSIONS,
    SUCCEEDED,
    UPDATING,
    busy,
    drop,
    entry_name,
    inline_entries,
    new_guid,
    no_duplicate_names,
    patch_tags,
    properties_of,
    subnets_referencing,
    top_level_row,
    top_lock_key,
    touch,
    unparseable,
    with_state,
)

PrepareChild = Callable[[Txn, Rid, Body | None, Mapping[str, Any], Body, str], Body]
"""(txn, child id, stored child or None, child PUT body or inline entry, parent row, JSON path of the
entry's properties) -> the validated child row to store (provisioningState Updating)."""


def standalone(prepare: Callable[[Rid, Body | None, Mapping[str, Any], str], Body]) -> PrepareChild:
    """For a child whose validity depends on nothing outside itself (security rules, routes)."""
    def prepare_child(txn: Txn, rid: Rid, existing: Body | None, entry: Mapping[str, Any], parent: Body,
                      path: str) -> Body:
        return prepare(rid, existing, entry, path)
    return prepare_child


def _no_limit(parent_id: str, count: int) -> None:
    return None


def _no_sibling_rule(parent_name: str, rows: list[Body]) -> None:
    return None


def _never_in_use(row: Body) -> ArmError | None:
    return None


@dataclass(frozen=True)
class ChildType:
    """What differs between subnets, security rules and routes."""

    type: str  # "Microsoft.Network/virtualNetworks/subnets"
    segment: str  # "subnets": the id segment and the parent's inline property
    noun: str  # "subnet", for the 405 on PATCH
    prepare: PrepareChild
    # (parent id, number of children after the write): raise when over the type's limit.
    check_count: Callable[[str, int], None] = _no_limit
    # (parent name, every child row in order, the one being written last): rules between siblings.
    check_siblings: Callable[[str, list[Body]], None] = _no_sibling_rule
    # The error refusing to delete (or omit from a parent PUT) a child in use, or None.
    in_use_error: Callable[[Body], ArmError | None] = _never_in_use
    # The child as GET shows it, alone or inside its parent.
    view_row: Callable[[Body], Body] = copy.deepcopy


@dataclass(frozen=True)
class SubnetAssociation:
    """A parent that subnets point at (`subnet.properties.<property>.id`): the back-reference shown as
    `properties.subnets` and the error refusing to delete it while associated."""

    property: str  # "networkSecurityGroup"
    in_use_error: Callable[[Body, list[str]], ArmError]  # (stored parent, subnet ids)


def _nothing_computed(parent_id: str) -> dict[str, Any]:
    return {}


def _no_property_rule(props: dict[str, Any], parent_id: str) -> None:
    return None


def _no_service_children(txn: Txn, parent_id: str) -> None:
    return None


@dataclass
class ParentKind:
    """A top-level network resource with one inline child collection (implements `kinds.Kind`)."""

    type: str
    child: ChildType
    read_only: tuple[str, ...]  # ignored on input (the inline collection is dropped as well)
    defaults: Mapping[str, Any] = field(default_factory=dict)  # filled by the service when omitted
    # Checks of the parent's own properties, before any child is looked at.
    check_properties: Callable[[dict[str, Any], str], None] = _no_property_rule
    association: SubnetAssociation | None = None
    # Read-only properties computed on every GET (the NSG's defaultSecurityRules).
    computed: Callable[[str], dict[str, Any]] = _nothing_computed
    # Service-owned child rows written on every PUT (the NSG's defaultSecurityRules, read-only).
    write_service_children: Callable[[Txn, str], None] = _no_service_children
    api_versions: frozenset[str] = NETWORK_API_VERSIONS
    long_running: bool = True
    supports_patch: bool = True

    def lock_key(self, rid: Rid) -> str | None:
        return top_lock_key(rid)

    def busy_error(self, rid: Rid) -> ArmError:
        return busy(rid)

    def put(self, txn: Txn, rid: Rid, existing: Body | None, body: Body) -> Body:
        segment = self.child.segment
        row = top_level_row(rid, existing, body)
        given = properties_of(body)
        entries = inline_entries(given, segment)
        props = drop(given, (*self.read_only, segment))
        parent_id = str(row["id"])
        self.check_properties(props, parent_id)

        names = [entry_name(e, f"properties.{segment}") for e in entries]
        no_duplicate_names(rid, names)
        self.child.check_count(parent_id, len(entries))
        current = {str(c["name"]).lower(): c for c in txn.children(parent_id, segment)}
        parent_rid = parse_rid(parent_id)
        parent_row = {**row, "properties": props}
        prepared = [
            self.child.prepare(txn, parent_rid.child(segment, name), current.get(name.lower()), entry, parent_row,
                               f"properties.{segment}[{i}].properties")
            for i, (name, entry) in enumerate(zip(names, entries, strict=True))
        ]
        self.child.check_siblings(rid.name, prepared)
        listed = {n.lower() for n in names}
        removed = [c for key, c in current.items() if key not in listed]
        for old in removed:  # all checked before anything is written
            error = self.child.in_use_error(old)
            if error is not None:
                raise error

        for old in removed:
            txn.delete(str(old["id"]))
        for new in prepared:
            txn.put(str(new["id"]), new)
        self.write_service_children(txn, parent_id)
        for key, value in self.defaults.items():
            props.setdefault(key, copy.deepcopy(value))
        props["resourceGuid"] = (existing or {}).get("properties", {}).get("resourceGuid") or new_guid()
        props["provisioningState"] = UPDATING
        row["properties"] = props
        return row

    def complete_put(self, txn: Txn, rid: Rid, stored: Body) -> Body:
        for child in txn.children(str(stored["id"]), self.child.segment):
            if (child.get("properties") or {}).get("provisioningState") != SUCCEEDED:
                txn.put(str(child["id"]), with_state(child, SUCCEEDED))
        return with_state(stored, SUCCEEDED)

    def patch(self, txn: Txn, rid: Rid, existing: Body, body: Body) -> Body:
        return patch_tags(existing, body)

    def check_delete(self, txn: Txn, rid: Rid, existing: Body) -> None:
        for child in txn.children(str(existing["id"]), self.child.segment):
            error = self.child.in_use_error(child)
            if error is not None:
                raise error
        users = self._associated_subnets(txn, str(existing["id"]))
        if users and self.association is not None:
            raise self.association.in_use_error(existing, users)

    def complete_delete(self, txn: Txn, rid: Rid, existing: Body) -> None:
        return None  # the children go with the parent (the framework removes child rows)

    def view(self, txn: Txn, rid: Rid, stored: Body) -> Body:
        out = copy.deepcopy(stored)
        parent_id = str(stored["id"])
        props = out.setdefault("properties", {})
        props[self.child.segment] = [self.child.view_row(c) for c in txn.children(parent_id, self.child.segment)]
        props.update(self.computed(parent_id))
        users = self._associated_subnets(txn, parent_id)
        if users:
            props["subnets"] = [{"id": u} for u in users]
        return out

    def _associated_subnets(self, txn: Txn, parent_id: str) -> list[str]:
        if self.association is None:
            return []
        return subnets_referencing(txn, parse_rid(parent_id), self.association.property)


class ChildKind:
    """The child API of a `ChildType` (implements `kinds.Kind`)."""

    api_versions = NETWORK_API_VERSIONS
    long_running = True
    supports_patch = False

    def __init__(self, child: ChildType) -> None:
        self.child = child
        self.type = child.type

    def lock_key(self, rid: Rid) -> str | None:
        return top_lock_key(rid)  # one write at a time per parent, children included (RetryableErrorDueToAnotherOperation)

    def busy_error(self, rid: Rid) -> ArmError:
        return busy(rid)

    def put(self, txn: Txn, rid: Rid, existing: Body | None, body: Body) -> Body:
        if not isinstance(body, dict):
            raise unparseable("", "Expected a JSON object.")
        parent = rid.parent
        parent_row = txn.get(parent.raw) if parent is not None else None
        if parent is None or parent_row is None:
            raise errors.parent_resource_not_found(parent.name if parent else rid.name)
        row = self.child.prepare(txn, rid, existing, body, parent_row, "properties")
        siblings = [c for c in txn.children(parent.raw, self.child.segment) if str(c["id"]).lower() != rid.key]
        self.child.check_count(parent.raw, len(siblings) + 1)
        self.child.check_siblings(parent.name, [*siblings, row])
        touch(txn, parent.raw)
        return row

    def complete_put(self, txn: Txn, rid: Rid, stored: Body) -> Body:
        return with_state(stored, SUCCEEDED)

    def patch(self, txn: Txn, rid: Rid, existing: Body, body: Body) -> Body:
        raise errors.method_not_allowed(f"The {self.child.noun} API has no PATCH operation.")

    def check_delete(self, txn: Txn, rid: Rid, existing: Body) -> None:
        error = self.child.in_use_error(existing)
        if error is not None:
            raise error

    def complete_delete(self, txn: Txn, rid: Rid, existing: Body) -> None:
        parent = rid.parent
        if parent is not None:
            touch(txn, parent.raw)

    def view(self, txn: Txn, rid: Rid, stored: Body) -> Body:
        return self.child.view_row(stored)
