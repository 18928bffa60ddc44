"""Microsoft.ContainerService/managedClusters and its agentPools child, as the AKS RP behaves.

Storage (kinds.py convention): the cluster row holds no `agentPoolProfiles`; each pool is a child row
`.../agentPools/<name>` (its `properties` are the flattened profile), materialised on read. Writes are
long-running (PUT 201 Creating / 200 Updating, DELETE 202, https://github.com/Azure/azure-resource-manager-rpc/blob/master/v1.0/async-api-reference.md) and one at a time per
cluster (409 OperationNotAllowed). Side effects run when the operation completes
(managed_clusters_network.py).
"""

from __future__ import annotations

import copy

from aksnet.emulator.arm import errors
from aksnet.emulator.arm.contract import ArmError, Body, Rid, Txn, aks_etag
from aksnet.emulator.arm.names import check_location
from aksnet.emulator.providers.containerservice.common import (
    API_VERSIONS,
    CLUSTER_TYPE,
    POOL_TYPE,
    POOLS_SEGMENT,
    pool_profile,
    pool_row,
    props,
)
from aksnet.emulator.providers.containerservice.defaults import (
    fill_cluster,
    fill_pools,
    merge_update,
    strip_readonly,
    strip_readonly_pool,
)
from aksnet.emulator.providers.containerservice.identity import resolve_identities
from aksnet.emulator.providers.containerservice.names import AGENT_POOL, check_cluster_names
from aksnet.emulator.providers.containerservice.network import names_of, reconcile
from aksnet.emulator.providers.containerservice.transitions import (
    check_dataplane,
    check_transition,
    settle_dataplane,
)
from aksnet.emulator.providers.containerservice.update import check_update
from aksnet.emulator.providers.containerservice.validate import (
    check_api_server,
    check_byo_route_table,
    check_capacity,
    check_network,
    check_pool,
    check_shape,
    identity_type,
    resolve_subnets,
)


def busy(rid: Rid) -> ArmError:
    # AKS wording (Azure/azure-cli-extensions#9855, 2026): 409 OperationNotAllowed while an operation runs.
    return ArmError(409, "OperationNotAllowed", "Operation is not allowed because there's an in progress operation "
                    f"on the managed cluster {rid.names[0]}. Please wait for it to finish before starting a new "
                    "operation. See https://aka.ms/aks-pending-operation for more details.")


def stored_pools(txn: Txn, cluster_id: str) -> list[Body]:
    return [pool_profile(row) for row in txn.children(cluster_id, POOLS_SEGMENT)]


def validate_cluster(txn: Txn, rid: Rid, cluster: Body, pools: list[Body], request_network: Body,
                     creating: bool) -> None:
    """Everything the RP checks on a cluster with these pools (create, update, pool PUT)."""
    for pool in pools:
        check_pool(pool)
    p = props(cluster)
    network = p.get("networkProfile") or {}
    subnets = resolve_subnets(txn, pools)
    check_network(network, subnets, request_network)
    check_capacity(network, subnets)
    check_api_server(p)
    if creating:  # the association cannot change later (R54); AKS's own table is not "BYO"
        check_byo_route_table(cluster, subnets, names_of(rid, cluster).route_table_id)


def write_pools(txn: Txn, cluster_id: str, pools: list[Body], *, replace: bool) -> None:
    """Store pool rows with a new eTag each; with `replace`, pools not listed are deleted (kinds.py)."""
    names = {str(p["name"]).lower() for p in pools}
    if replace:
        for old in txn.children(cluster_id, POOLS_SEGMENT):
            if str(old.get("name", "")).lower() not in names:
                txn.delete(str(old["id"]))
    for pool in pools:
        row = pool_row(cluster_id, {**pool, "eTag": aks_etag()})
        txn.put(row["id"], row)


class ManagedClustersKind:
    type = CLUSTER_TYPE
    api_versions = API_VERSIONS
    long_running = True
    supports_patch = True

    def lock_key(self, rid: Rid) -> str | None:
        return rid.key  # one operation at a time per cluster (its pools share it)

    def busy_error(self, rid: Rid) -> ArmError:
        return busy(rid)

    def put(self, txn: Txn, rid: Rid, existing: Body | None, body: Body) -> Body:
        if not isinstance(body, dict):
            raise errors.invalid_request_content()
        creating = existing is None
        check_shape(body, creating)
        check_location(self.type, body.get("location"))
        check_cluster_names(rid.name, body)
        request = strip_readonly(body)
        old_pools = [] if creating else stored_pools(txn, rid.raw)
        if existing is None:
            merged, profiles = request, list(props(request).get("agentPoolProfiles") or [])
        else:
            merged, profiles = merge_update(request, existing, old_pools)
        for profile in profiles:
            if not isinstance(profile, dict) or not profile.get("name"):
                raise ArmError(400, "InvalidParameter", "Each agent pool profile needs a name.",
                               target="agentPoolProfile.name")
        cluster = fill_cluster(rid, merged, existing, txn.tenant)
        resolve_identities(txn, cluster)
        pools = fill_pools(cluster, profiles, old_pools)
        request_network = props(request).get("networkProfile") or {}
        settle_dataplane(cluster)
        check_dataplane(props(cluster).get("networkProfile") or {})
        if existing is not None:
            check_update(existing, old_pools, cluster, pools, request)
            check_transition(existing, old_pools, cluster)
        validate_cluster(txn, rid, cluster, pools, request_network, creating)
        if existing is not None and identity_type(existing) != identity_type(cluster):
            # the identity switch: a kubenet cluster's own route table stays valid only with a
            # user-assigned identity (same rule as at create, R54)
            check_byo_route_table(cluster, resolve_subnets(txn, pools), names_of(rid, cluster).route_table_id)
        write_pools(txn, rid.raw, pools, replace=True)
        cluster["eTag"] = aks_etag()
        cluster["properties"]["provisioningState"] = "Creating" if creating else "Updating"
        return cluster

    def complete_put(self, txn: Txn, rid: Rid, stored: Body) -> Body:
        row = copy.deepcopy(stored)
        p = props(row)
        txn.ensure_resource_group(rid.subscription, str(p["nodeResourceGroup"]), str(row.get("location", "")),
                                  managed_by=rid.raw)
        pools = stored_pools(txn, rid.raw)
        reconcile(txn, rid, row, pools)
        finish_pools(txn, rid.raw)
        p["provisioningState"] = "Succeeded"
        return row

    def patch(self, txn: Txn, rid: Rid, existing: Body, body: Body) -> Body:
        row = copy.deepcopy(existing)
        if isinstance(body, dict) and "tags" in body:  # tags PATCH replaces the map
            row["tags"] = dict(body.get("tags") or {})
        row["eTag"] = aks_etag()
        return row

    def check_delete(self, txn: Txn, rid: Rid, existing: Body) -> None:
        return None  # AKS deletes a cluster in any state once no other operation runs (lock_key)

    def complete_delete(self, txn: Txn, rid: Rid, existing: Body) -> None:
        reconcile(txn, rid, existing, [])  # routes, managed route table association, NIC ipconfigs
        node_rg = props(existing).get("nodeResourceGroup")
        if node_rg:
            txn.delete_resource_group(rid.subscription, str(node_rg))

    def view(self, txn: Txn, rid: Rid, stored: Body) -> Body:
        out = copy.deepcopy(stored)
        out.setdefault("properties", {})["agentPoolProfiles"] = stored_pools(txn, rid.raw)
        return out


def finish_pools(txn: Txn, cluster_id: str) -> None:
    for row in txn.children(cluster_id, POOLS_SEGMENT):
        if props(row).get("provisioningState") != "Succeeded":
            row.setdefault("properties", {})["provisioningState"] = "Succeeded"
            txn.put(str(row["id"]), row)


class AgentPoolsKind:
    """managedClusters/{c}/agentPools/{p}: the same rows the cluster materialises."""

    type = POOL_TYPE
    api_versions = API_VERSIONS
    long_running = True
    supports_patch = False

    def lock_key(self, rid: Rid) -> str | None:
        parent = rid.parent
        return parent.key if parent else rid.key

    def busy_error(self, rid: Rid) -> ArmError:
        return busy(rid)

    def _cluster(self, txn: Txn, rid: Rid) -> tuple[Rid, Body]:
        parent = rid.parent
        cluster = txn.get(parent.raw) if parent else None
        if parent is None or cluster is None:
            raise errors.parent_resource_not_found(rid.names[0])
        return parent, cluster

    def put(self, txn: Txn, rid: Rid, existing: Body | None, body: Body) -> Body:
        cluster_rid, cluster = self._cluster(txn, rid)
        if not isinstance(body, dict):
            raise errors.invalid_request_content()
        AGENT_POOL.check(rid.name)
        given = strip_readonly_pool({**props(body), "name": rid.name})
        old_pools = stored_pools(txn, cluster_rid.raw)
        old = next((p for p in old_pools if str(p["name"]).lower() == rid.name.lower()), None)
        merged = {**strip_readonly_pool(old), **given} if old else given
        pool = fill_pools(cluster, [merged], old_pools)[0]
        if old is None and pool.get("mode") == "System" and "mode" not in given:
            pool["mode"] = "User"  # a pool added later is a user pool unless asked (AKS-spec `mode`)
        others = [p for p in old_pools if str(p["name"]).lower() != rid.name.lower()]
        if old is not None:
            check_update(cluster, [old], cluster, [pool], {})
        validate_cluster(txn, cluster_rid, cluster, [*others, pool], {}, creating=False)
        row = pool_row(cluster_rid.raw, {**pool, "eTag": aks_etag()})
        row["id"] = rid.raw
        return row

    def complete_put(self, txn: Txn, rid: Rid, stored: Body) -> Body:
        cluster_rid, cluster = self._cluster(txn, rid)
        row = copy.deepcopy(stored)
        props(row)["provisioningState"] = "Succeeded"
        txn.put(rid.raw, row)
        reconcile(txn, cluster_rid, cluster, stored_pools(txn, cluster_rid.raw))
        return row

    def patch(self, txn: Txn, rid: Rid, existing: Body, body: Body) -> Body:
        raise errors.method_not_allowed("PATCH is not supported for agent pools.")

    def check_delete(self, txn: Txn, rid: Rid, existing: Body) -> None:
        parent = rid.parent
        others = [p for p in (stored_pools(txn, parent.raw) if parent else [])
                  if str(p["name"]).lower() != rid.name.lower()]
        if str(props(existing).get("mode", "")).lower() == "system" and not any(
                str(p.get("mode", "")).lower() == "system" for p in others):
            # https://learn.microsoft.com/azure/aks/use-system-pools: a cluster keeps at least one system node pool
            raise ArmError(400, "OperationNotAllowed", "The agent pool is the last system node pool of the cluster "
                           "and cannot be deleted; add another system node pool first.")

    def complete_delete(self, txn: Txn, rid: Rid, existing: Body) -> None:
        cluster_rid, cluster = self._cluster(txn, rid)
        pools = [p for p in stored_pools(txn, cluster_rid.raw) if str(p["name"]).lower() != rid.name.lower()]
        reconcile(txn, cluster_rid, cluster, pools)

    def view(self, txn: Txn, rid: Rid, stored: Body) -> Body:
        return copy.deepcopy(stored)


KINDS = (ManagedClustersKind(), AgentPoolsKind())
