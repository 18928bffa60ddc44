"""Read-modify-write bodies: what the spec owns on top of the live body, the rest kept. Pure.

Writes are full-body PUTs, and ARM replaces whatever a PUT omits (a VNet PUT deletes the subnets it
does not list, an NSG/route table PUT replaces their rules/routes: https://github.com/Azure/bicep/issues/3781,
https://github.com/hashicorp/terraform/issues/16093). So each body starts from a fresh GET and only the owned fields change
(azurerm `subnet_resource.go` does the same). Kept: AKS's kubenet routes and its route table
association, tags others added, subnet delegations / service endpoints / NSG or route table links the
spec does not mention. Dropped: read-only fields (readOnly in the REST specs), and children the plan deletes.
"""

from __future__ import annotations

import copy
from collections.abc import Collection, Mapping
from typing import Any

from aksnet.core.desired import is_unknown, resolve_unknowns
from aksnet.ids import Kind
from aksnet.model import Desired, FieldPath

Body = dict[str, Any]

# Read-only per the SDK models (`_is_readonly`, from readOnly in azure-rest-api-specs).
_TOP_READ_ONLY = {"etag", "eTag", "type", "systemData"}
_PROPERTIES_READ_ONLY: dict[Kind, set[str]] = {
    Kind.RESOURCE_GROUP: {"provisioningState"},
    Kind.VNET: {"resourceGuid", "provisioningState", "flowLogs", "defaultPublicNatGateway"},
    Kind.NSG: {"defaultSecurityRules", "networkInterfaces", "subnets", "flowLogs", "resourceGuid",
               "provisioningState"},
    Kind.ROUTE_TABLE: {"subnets", "provisioningState", "resourceGuid"},
    Kind.CLUSTER: {"provisioningState", "status", "powerState", "maxAgentPools", "currentKubernetesVersion", "fqdn",
                   "privateFQDN", "azurePortalFQDN", "resourceUID"},
    Kind.ROLE_ASSIGNMENT: set(),
    Kind.IDENTITY: {"tenantId", "principalId", "clientId"},  # server-filled (IdentityCreate.json)
}
_CHILD_READ_ONLY = {
    "subnets": {"ipConfigurations", "ipConfigurationProfiles", "privateEndpoints", "resourceNavigationLinks",
                "serviceAssociationLinks", "purpose", "provisioningState"},
    "securityRules": {"provisioningState"},
    "routes": {"provisioningState", "hasBgpOverride"},
}
_AGENT_POOL_READ_ONLY = {"eTag", "currentOrchestratorVersion", "provisioningState"}
# Child collections (by name) and whether the spec owns each child's properties whole.
_COLLECTIONS: dict[Kind, tuple[str, bool]] = {
    Kind.VNET: ("subnets", False),  # subnets keep delegations, service endpoints, AKS's route table link
    Kind.NSG: ("securityRules", True),
    Kind.ROUTE_TABLE: ("routes", True),
}
# ARM has a scalar and a list form of these; sending a stale other form would contradict the new value.
_PLURALS = {"podCidr": "podCidrs", "serviceCidr": "serviceCidrs"}


class UnresolvedValueError(ValueError):
    """A known-after-apply value (e.g. the cluster's principalId) is still unknown at write time."""


def _name(item: Any) -> str:
    return str(item.get("name", "")).lower() if isinstance(item, Mapping) else ""


def _deep_merge(live: Any, want: Any) -> Any:
    """`want` on top of `live`: dicts merged key by key, anything else replaced by `want`."""
    if isinstance(live, Mapping) and isinstance(want, Mapping):
        out = dict(copy.deepcopy(live))
        for key, value in want.items():
            out[key] = _deep_merge(live.get(key), value) if key in live else copy.deepcopy(value)
        return out
    return copy.deepcopy(want)


def _reference(value: Any) -> Any:
    """A sub-resource link as `{"id": ...}` (GETs may expand it)."""
    if isinstance(value, Mapping) and "id" in value:
        return {"id": value["id"]}
    return value


def _merge_children(kind: Kind, live: list[Any], want: list[Any], drop: Collection[str]) -> list[Any]:
    collection, owned_whole = _COLLECTIONS[kind]
    live_by_name = {_name(c): c for c in live}
    out = []
    wanted = set()
    for child in want:
        name = _name(child)
        wanted.add(name)
        current = live_by_name.get(name)
        if current is None or owned_whole:
            merged = copy.deepcopy(dict(child))
        else:
            merged = _deep_merge(current, child)
        out.append(merged)
    for child in live:
        name = _name(child)
        if name not in wanted and name not in drop:
            out.append(copy.deepcopy(child))  # another actor's child, e.g. an AKS kubenet route (R55)
    for child in out:
        for key in _TOP_READ_ONLY:
            child.pop(key, None)
        props = child.get("properties")
        if isinstance(props, dict):
            for key in _CHILD_READ_ONLY[collection]:
                props.pop(key, None)
            for link in ("networkSecurityGroup", "routeTable", "natGateway"):
                if link in props:
                    props[link] = _reference(props[link])
    return out


def _get_path(body: Any, path: FieldPath) -> tuple[bool, Any]:
    node = body
    for part in path:
        if isinstance(node, list):
            node = next((c for c in node if _name(c) == part.lower()), None)
            if node is None:
                return False, None
        elif isinstance(node, Mapping) and part in node:
            node = node[part]
        else:
            return False, None
    return True, node


def _set_path(body: Any, path: FieldPath, value: Any) -> None:
    node = body
    for part in path[:-1]:
        if isinstance(node, list):
            node = next((c for c in node if _name(c) == part.lower()), None)
        elif isinstance(node, dict):
            node = node.get(part)
        if node is None:
            return
    if isinstance(node, dict):
        node[path[-1]] = copy.deepcopy(value)


def _cluster(body: Body, live: Mapping[str, Any], want: Mapping[str, Any]) -> None:
    props = body.get("properties")
    if not isinstance(props, dict):
        return
    if isinstance(want.get("identity"), Mapping):
        # The identity is owned whole: a switch names another identity (or type), never a merge of both.
        body["identity"] = copy.deepcopy(dict(want["identity"]))
    identity = body.get("identity")
    if isinstance(identity, dict):
        identity.pop("principalId", None)
        identity.pop("tenantId", None)
    live_pools = (live.get("properties") or {}).get("agentPoolProfiles") or []
    want_pools = (want.get("properties") or {}).get("agentPoolProfiles")
    if want_pools is not None:
        by_name = {_name(p): p for p in live_pools}
        pools = [_deep_merge(by_name.get(_name(p), {}), p) for p in want_pools]
        wanted = {_name(p) for p in want_pools}
        pools += [copy.deepcopy(p) for p in live_pools if _name(p) not in wanted]
        props["agentPoolProfiles"] = pools
    for pool in props.get("agentPoolProfiles") or []:
        for key in _AGENT_POOL_READ_ONLY:
            pool.pop(key, None)
    network = props.get("networkProfile")
    want_network = (want.get("properties") or {}).get("networkProfile") or {}
    if isinstance(network, dict):
        for single, plural in _PLURALS.items():
            if single in want_network and plural in network and network[plural] != [want_network[single]]:
                network[plural] = [want_network[single]]
        lb = network.get("loadBalancerProfile")
        if isinstance(lb, dict):
            lb.pop("effectiveOutboundIPs", None)


def merged_body(
    desired: Desired,
    live: Mapping[str, Any] | None,
    *,
    drop_children: Collection[str] = (),
    live_bodies: Mapping[str, Mapping[str, Any]] | None = None,
) -> Body:
    """The PUT body for `desired` given the current `live` body (None: create, send desired as is).

    `drop_children`: names (any case) of live children the plan deletes (NSG rules, routes, subnets).
    `live_bodies`: id -> live body, to fill known-after-apply values (the cluster's principalId).
    """
    want: Body = dict(resolve_unknowns(desired.body, live_bodies or {}))
    _reject_unknowns(want, desired)
    if live is None or desired.kind is Kind.ROLE_ASSIGNMENT:
        # A role assignment cannot be updated in place (RoleAssignmentUpdateNotPermitted): its body
        # is exactly what the spec implies.
        return copy.deepcopy(want)
    drop = {d.lower() for d in drop_children}
    want_props = want.get("properties") or {}
    body: Body = _deep_merge(live, {k: v for k, v in want.items() if k != "properties"})
    if "properties" in want or "properties" in live:
        live_props = dict(live.get("properties") or {})
        collection = _COLLECTIONS.get(desired.kind)
        props = _deep_merge(live_props, {k: v for k, v in want_props.items()
                                         if collection is None or k != collection[0]})
        if collection is not None and (collection[0] in want_props or collection[0] in live_props):
            props[collection[0]] = _merge_children(
                desired.kind, list(live_props.get(collection[0]) or []),
                list(want_props.get(collection[0]) or []), drop)
        for key in _PROPERTIES_READ_ONLY.get(desired.kind, set()):
            props.pop(key, None)
        body["properties"] = props
    for key in _TOP_READ_ONLY:
        body.pop(key, None)
    if desired.kind is Kind.CLUSTER:
        _cluster(body, live, want)
    # Sent on create, never owned afterwards (Desired.unowned): keep Azure's current value.
    for path in desired.unowned:
        found, value = _get_path(live, path)
        if found:
            _set_path(body, path, value)
    return body


def _reject_unknowns(value: Any, desired: Desired) -> None:
    if is_unknown(value):
        raise UnresolvedValueError(
            f"{desired.address}: {value.get('$knownAfterApply')} of {value.get('resource')} is not known yet")
    if isinstance(value, Mapping):
        for item in value.values():
            _reject_unknowns(item, desired)
    elif isinstance(value, list):
        for item in value:
            _reject_unknowns(item, desired)
