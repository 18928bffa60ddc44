"""User-assigned identities in the desired state, and the grants a cluster using one needs. Pure.

A cluster with a user-assigned control plane identity needs its grants BEFORE it is created or
switched to that identity: AKS acts on the node subnet (and, for kubenet with the spec's own route
table, writes its routes into that table) as that identity from the first operation on
(https://learn.microsoft.com/azure/aks/configure-kubenet#bring-your-own-subnet-and-route-table-with-kubenet,
https://learn.microsoft.com/azure/aks/use-managed-identity#bring-your-own-managed-identity). So, unlike
the SystemAssigned grant (after the cluster, R56), these follow the identity and precede the cluster:
identity -> Network Contributor on the node subnet (and the route table) -> cluster. A kubelet identity
also needs the control plane identity to hold Managed Identity Operator on it (same page, "kubelet
managed identity"). Grant names are derived from the identity, so switching a cluster from
SystemAssigned leaves the old grant alone (it dies with the system identity) instead of replacing it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from aksnet.core.desired import known_after_apply, role_assignment_name
from aksnet.ids import (
    NETWORK_CONTRIBUTOR_ROLE_ID,
    Kind,
    resource_group_id,
    resource_id,
    role_assignment_id,
)
from aksnet.model import Desired
from aksnet.spec.types import Spec, UserAssignedIdentity

# Built-in "Managed Identity Operator" (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles)
MANAGED_IDENTITY_OPERATOR_ROLE_ID = "f1a07417-d97a-45cb-824c-7a7467783830"
PRINCIPAL_PATH = "properties.principalId"  # where the MSI RP puts the identity's object id


def identity_id(spec: Spec, subscription: str, identity: UserAssignedIdentity) -> str:
    group = identity.resource_group or spec.resource_group
    return resource_id(subscription, group, Kind.IDENTITY, identity.name)


def _identities(spec: Spec, subscription: str, rg: str) -> dict[str, Desired]:
    out: dict[str, Desired] = {}
    for i, identity in enumerate(spec.identities):
        rid = identity_id(spec, subscription, identity)
        body: dict[str, object] = {"location": spec.location}
        if spec.tags:
            body["tags"] = dict(spec.tags)
        # An identity in another resource group needs that group to exist (the spec does not own it).
        same_group = identity.resource_group in (None, spec.resource_group)
        out[rid] = Desired(id=rid, kind=Kind.IDENTITY, name=identity.name, body=body,
                           depends_on=frozenset({rg}) if same_group else frozenset(),
                           location=spec.locate(("spec", "identities", "userAssignedIdentities", i)))
    return out


def _grant(subscription: str, principal_of: str, scope: str, role: str, name: str, depends: set[str],
           spec: Spec) -> Desired:
    role_def = f"/subscriptions/{subscription}/providers/Microsoft.Authorization/roleDefinitions/{role}"
    rid = role_assignment_id(scope, role_assignment_name(principal_of, scope, role))
    return Desired(
        id=rid, kind=Kind.ROLE_ASSIGNMENT, name=name,
        body={"properties": {"roleDefinitionId": role_def,
                             "principalId": known_after_apply(principal_of, PRINCIPAL_PATH),
                             "principalType": "ServicePrincipal"}},
        depends_on=frozenset(depends | {principal_of}), location=spec.locate(("spec", "cluster", "identity")),
    )


def with_identities(spec: Spec, subscription: str, state: Mapping[str, Desired], *, cluster_id: str,
                    node_subnet: str, vnet_id: str) -> dict[str, Desired]:
    """`state` plus the spec's identities; for a UserAssigned cluster, its grants before the cluster,
    the cluster's identity body, and no SystemAssigned grant."""
    rg = resource_group_id(subscription, spec.resource_group)
    out = dict(state)
    out.update(_identities(spec, subscription, rg))
    cluster = spec.cluster
    chosen = spec.identity(cluster.identity_name) if cluster.identity_name else None
    if cluster.identity != "UserAssigned" or chosen is None:
        return out
    control = identity_id(spec, subscription, chosen)
    for rid in [r for r, d in out.items() if d.kind is Kind.ROLE_ASSIGNMENT and cluster_id in d.depends_on]:
        del out[rid]  # the SystemAssigned grant: no system identity to grant to
    grants = [_grant(subscription, control, node_subnet, NETWORK_CONTRIBUTOR_ROLE_ID,
                     f"{chosen.name}-network-contributor-subnet", {vnet_id}, spec)]
    subnet = spec.subnet(cluster.subnet)
    if cluster.network.plugin == "kubenet" and subnet is not None and subnet.route_table:
        table = resource_id(subscription, spec.resource_group, Kind.ROUTE_TABLE, subnet.route_table)
        grants.append(_grant(subscription, control, table, NETWORK_CONTRIBUTOR_ROLE_ID,
                             f"{chosen.name}-network-contributor-route-table", {table}, spec))
    identity_body: dict[str, object] = {"type": "UserAssigned", "userAssignedIdentities": {control: {}}}
    kubelet = spec.identity(cluster.kubelet_identity) if cluster.kubelet_identity else None
    current = out[cluster_id]
    body = dict(current.body)
    body["identity"] = identity_body
    if kubelet is not None:
        kubelet_id = identity_id(spec, subscription, kubelet)
        grants.append(_grant(subscription, control, kubelet_id, MANAGED_IDENTITY_OPERATOR_ROLE_ID,
                             f"{chosen.name}-identity-operator-kubelet", {kubelet_id}, spec))
        props = dict(body.get("properties") or {})
        props["identityProfile"] = {"kubeletidentity": {"resourceId": kubelet_id}}
        body["properties"] = props
    for grant in grants:
        out[grant.id] = grant
    out[cluster_id] = dataclasses.replace(
        current, body=body, depends_on=current.depends_on | {control} | {g.id for g in grants})
    return out
