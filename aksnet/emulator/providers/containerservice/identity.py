"""The managed cluster's user-assigned identities, resolved against the MSI RP's rows.

A cluster names its control-plane identity in `identity.userAssignedIdentities` (exactly one, keyed by
resource id, value `{}` on input) and optionally its kubelet identity in
`properties.identityProfile.kubeletidentity.resourceId`; AKS answers with each identity's
`principalId` / `clientId` (`objectId` for the kubelet one) as the MSI RP knows them
(https://learn.microsoft.com/azure/aks/use-managed-identity#bring-your-own-managed-identity).
An identity that does not exist is refused before anything is written (ARM's "was not found"
wording, as a deployment naming a missing identity reports it, Azure/AKS-Construction#330).
"""

from __future__ import annotations

from aksnet.emulator.arm.contract import ArmError, Body, Txn, parse_rid
from aksnet.emulator.providers.containerservice.common import invalid, props

IDENTITY_TYPE = "Microsoft.ManagedIdentity/userAssignedIdentities"


def _identity_row(txn: Txn, resource_id: str, target: str) -> Body:
    try:
        rid = parse_rid(resource_id)
    except ValueError:
        rid = None
    if rid is None or rid.type.lower() != IDENTITY_TYPE.lower():
        raise invalid(target, f"The user-assigned identity id '{resource_id}' is not a valid "
                      f"{IDENTITY_TYPE} resource id.")
    row = txn.get(resource_id)
    if row is None:
        raise ArmError(400, "ResourceNotFound", f"The Resource '{IDENTITY_TYPE}/{rid.name}' under resource "
                       f"group '{rid.resource_group}' was not found.", target=target)
    return row


def resolve_identities(txn: Txn, cluster: Body) -> None:
    """Fill the user-assigned (and kubelet) identities' ids from the store; 400 when one is missing."""
    identity = cluster.get("identity")
    if isinstance(identity, dict) and str(identity.get("type", "")).lower() == "userassigned":
        users = identity.get("userAssignedIdentities")
        if not isinstance(users, dict) or len(users) != 1:
            # AKS-spec ManagedClusterIdentity: "only one user assigned identity is allowed"
            raise invalid("identity.userAssignedIdentities", "A managed cluster with identity type "
                          "UserAssigned needs exactly one user-assigned identity.")
        for uid in list(users):
            row = props(_identity_row(txn, uid, "identity.userAssignedIdentities"))
            users[uid] = {"principalId": row.get("principalId"), "clientId": row.get("clientId")}
    kubelet = (props(cluster).get("identityProfile") or {}).get("kubeletidentity")
    if isinstance(kubelet, dict) and kubelet.get("resourceId"):
        node_rg_prefix = f"/subscriptions/{parse_rid(cluster['id']).subscription}/resourcegroups/" \
                         f"{str(props(cluster).get('nodeResourceGroup', '')).lower()}/"
        if str(kubelet["resourceId"]).lower().startswith(node_rg_prefix):
            return  # AKS's own kubelet identity in the node resource group (made at create)
        row = props(_identity_row(txn, str(kubelet["resourceId"]), "identityProfile.kubeletidentity"))
        kubelet["clientId"] = row.get("clientId")
        kubelet["objectId"] = row.get("principalId")
        if str((identity or {}).get("type", "")).lower() != "userassigned":
            # https://learn.microsoft.com/azure/aks/use-managed-identity: a kubelet identity needs a user-assigned control plane identity
            raise invalid("identityProfile.kubeletidentity", "A kubelet identity can only be specified for a "
                          "cluster with a user-assigned control plane identity.")
