"""Change classes per field: what Azure does when a field of an existing resource changes. Pure data.

One row per field path (ARM camelCase, "*" for a child's name). A field without a row updates in
place. Catalogue numbers are defined in docs/reference/rules.md#catalogue-numbers. The plugin / pod
CIDR transitions depend on the before and after values together, so they live in `diff/cluster.py`
(R58, R60), not in this table.
"""

from __future__ import annotations

from dataclasses import dataclass

from aksnet.ids import Kind
from aksnet.model import Action, FieldPath


@dataclass(frozen=True, slots=True)
class ChangeClass:
    action: Action
    reason: str  # one line for the plan reader
    catalogue: str | None  # catalogue number (aksnet.checks.rules.numbers)
    source: str  # the Azure doc / code the behaviour comes from

    def explain(self) -> str:
        return f"{self.reason} ({self.catalogue})" if self.catalogue else self.reason


AKS_SPEC = (
    "https://github.com/Azure/azure-rest-api-specs/blob/main/specification/containerservice/"
    "resource-manager/Microsoft.ContainerService/aks/stable/2024-09-01/managedClusters.json"
)
IN_PLACE = ChangeClass(Action.UPDATE, "updated in place", None, "ARM PUT semantics")

_AGENT_POOL = ("properties", "agentPoolProfiles", "*")
_NET = ("properties", "networkProfile")

CHANGE_CLASSES: dict[tuple[Kind, FieldPath], ChangeClass] = {
    # Every ARM resource: location is part of identity; ARM has no in-place move across regions.
    (Kind.NSG, ("location",)): ChangeClass(
        Action.REPLACE, "location cannot change in place", None, "ARM resource model"),
    (Kind.ROUTE_TABLE, ("location",)): ChangeClass(
        Action.REPLACE, "location cannot change in place", None, "ARM resource model"),
    (Kind.VNET, ("location",)): ChangeClass(
        Action.REPLACE, "location cannot change in place", None, "ARM resource model"),
    (Kind.CLUSTER, ("location",)): ChangeClass(
        Action.REPLACE, "location cannot change in place", None, "ARM resource model"),
    (Kind.IDENTITY, ("location",)): ChangeClass(
        Action.REPLACE, "location cannot change in place", None, "ARM resource model"),
    # Subnet prefix: in place only while nothing uses the subnet; the in-use case is decided in
    # diff_network (InUseSubnetCannotBeUpdated, R57).
    (Kind.VNET, ("properties", "subnets", "*", "addressPrefix")): IN_PLACE,
    # Cluster: R57 immutable network settings.
    (Kind.CLUSTER, ("properties", "dnsPrefix")): ChangeClass(
        Action.REPLACE, "dnsPrefix cannot be updated", "R57", AKS_SPEC),
    (Kind.CLUSTER, (*_NET, "serviceCidr")): ChangeClass(
        Action.REPLACE, "the service CIDR is fixed at creation", "R57", "https://learn.microsoft.com/azure/aks/configure-kubenet"),
    (Kind.CLUSTER, (*_NET, "dnsServiceIP")): ChangeClass(
        Action.REPLACE, "the DNS service IP is fixed at creation", "R57", "https://learn.microsoft.com/azure/aks/configure-kubenet"),
    (Kind.CLUSTER, (*_AGENT_POOL, "vnetSubnetID")): ChangeClass(
        Action.REPLACE, "a node pool's subnet cannot change (PropertyChangeNotAllowed)", "R57",
        "Azure/AKS#695"),
    (Kind.CLUSTER, (*_AGENT_POOL, "maxPods")): ChangeClass(
        Action.REPLACE, "a node pool's maxPods cannot change", "R30", "https://learn.microsoft.com/azure/aks/create-node-pools"),
    (Kind.CLUSTER, (*_AGENT_POOL, "vmSize")): ChangeClass(
        Action.REPLACE, "a node pool's VM size cannot change", "R57", "https://learn.microsoft.com/azure/aks/create-node-pools"),
    (Kind.CLUSTER, (*_AGENT_POOL, "mode")): IN_PLACE,
    (Kind.CLUSTER, (*_AGENT_POOL,)): ChangeClass(
        Action.REPLACE, "aksnet v1 manages one system pool; a renamed pool means a new cluster", None,
        "aksnet spec v1"),
    (Kind.CLUSTER, (*_NET, "outboundType")): ChangeClass(
        Action.UPDATE, "outbound type changes in place with egress downtime", "R61",
        "https://learn.microsoft.com/azure/aks/egress-outboundtype"),
    (Kind.CLUSTER, ("properties", "apiServerAccessProfile", "authorizedIPRanges")): ChangeClass(
        Action.UPDATE, "authorized ranges are replaced in place", "R62", "https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges"),
    (Kind.CLUSTER, ("properties", "apiServerAccessProfile", "enablePrivateCluster")): ChangeClass(
        Action.REPLACE, "a public cluster cannot become private in place (and back)", None,
        "https://learn.microsoft.com/azure/aks/private-clusters"),
    (Kind.CLUSTER, ("properties", "linuxProfile", "adminUsername")): ChangeClass(
        Action.REPLACE, "the node admin username is fixed at creation", None, AKS_SPEC),
    # Role assignments cannot be updated (RoleAssignmentUpdateNotPermitted): delete and create.
    (Kind.ROLE_ASSIGNMENT, ("properties", "principalId")): ChangeClass(
        Action.REPLACE, "a role assignment's principal cannot change (RoleAssignmentUpdateNotPermitted)",
        None, "role-assignments REST reference"),
    (Kind.ROLE_ASSIGNMENT, ("properties", "roleDefinitionId")): ChangeClass(
        Action.REPLACE, "a role assignment's role cannot change (RoleAssignmentUpdateNotPermitted)",
        None, "role-assignments REST reference"),
}

# Network policy transitions AKS makes in place (terraform-provider-azurerm kubernetes_cluster_resource.go; R59 for
# the move to Cilium). Any other change of an existing engine recreates the cluster.
POLICY_IN_PLACE: frozenset[tuple[str | None, str | None]] = frozenset(
    {(None, "azure"), (None, "calico"), (None, "cilium"), ("azure", "cilium"), ("calico", "cilium"),
     ("azure", None), ("calico", None)}
)
# `network.policy: none` on a cluster with Azure NPM or Calico: uninstalled in place, and a prerequisite
# of the overlay migration (https://learn.microsoft.com/azure/aks/use-network-policies#uninstall-azure-network-policy-manager-or-calico).
POLICY_UNINSTALL = ChangeClass(
    Action.UPDATE, "the network policy engine is uninstalled in place; its NetworkPolicy objects stop being "
    "enforced", None, "https://learn.microsoft.com/azure/aks/use-network-policies",
)
# SystemAssigned -> UserAssigned in place: grants first, and the control plane may keep using the old
# identity for a while (https://learn.microsoft.com/azure/aks/use-managed-identity#update-an-existing-cluster-to-use-a-user-assigned-managed-identity).
IDENTITY_SWITCH = ChangeClass(
    Action.UPDATE, "the cluster identity changes in place; its grants are created first, and the control "
    "plane may keep using the old identity for a while (warning)", None,
    "https://learn.microsoft.com/azure/aks/use-managed-identity",
)
# Cilium dataplane from Azure CNI (node subnet or overlay), in its own operation; there is no way back.
DATAPLANE_TO_CILIUM = ChangeClass(
    Action.UPDATE, "the dataplane moves to Cilium in place, in its own operation (never with an IPAM migration)",
    None, "https://learn.microsoft.com/azure/aks/azure-cni-powered-by-cilium",
)
DATAPLANE_REPLACE = ChangeClass(
    Action.REPLACE, "the Cilium dataplane cannot be turned off, nor enabled on kubenet", None,
    "https://learn.microsoft.com/azure/aks/azure-cni-powered-by-cilium",
)
POLICY_REPLACE = ChangeClass(
    Action.REPLACE, "the network policy engine can only be added or moved to Cilium in place", "R59",
    "https://learn.microsoft.com/azure/aks/update-azure-cni",
)


def _matches(pattern: FieldPath, path: FieldPath) -> bool:
    return len(pattern) == len(path) and all(p in ("*", q) for p, q in zip(pattern, path, strict=True))


def classify(kind: Kind, path: FieldPath) -> ChangeClass:
    """The change class of `path` on an existing resource of `kind` (in place when not listed)."""
    for (row_kind, pattern), change_class in CHANGE_CLASSES.items():
        if row_kind is kind and _matches(pattern, path):
            return change_class
    return IN_PLACE
