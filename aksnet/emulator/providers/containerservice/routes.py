"""Microsoft.ContainerService paths that are not plain resources: what a region offers (orchestrators,
Kubernetes versions) and a cluster's actions (credentials, upgrade profile). Response shapes from the
official examples in azure-rest-api-specs (specification/containerservice/resource-manager/
Microsoft.ContainerService/aks/stable/<version>/examples): ContainerServiceListOrchestrators.json,
KubernetesVersions_List.json, ManagedClustersListClusterCredentialResult.json,
ManagedClustersGetUpgradeProfile.json.
"""

from __future__ import annotations

import base64

from aksnet.emulator.api_versions import containerservice as containerservice_versions
from aksnet.emulator.arm import errors, operations, verbs
from aksnet.emulator.arm.contract import ArmError, Body, Rid, parse_rid
from aksnet.emulator.arm.http import Response
from aksnet.emulator.arm.routing import SEG, Handler, Route, route
from aksnet.emulator.arm.verbs import Ctx
from aksnet.emulator.providers.containerservice.common import (
    CLUSTER_TYPE,
    DEFAULT_KUBERNETES_MINOR,
    KUBERNETES_PATCHES,
)
from aksnet.emulator.providers.containerservice.managed_clusters import KINDS

_CLUSTER_KIND = next(k for k in KINDS if k.type == CLUSTER_TYPE)
_NS = r"/subscriptions/(?P<sub>[^/]+)/providers/Microsoft\.ContainerService"
_CLUSTER = (rf"/subscriptions/(?P<sub>{SEG})/resourceGroups/(?P<rg>{SEG})/providers/Microsoft\.ContainerService"
            rf"/managedClusters/(?P<name>{SEG})")


def _minor(patch: str) -> tuple[int, ...]:
    return tuple(int(p) for p in patch.split(".")[:2])


def _patches() -> list[str]:
    """The patches the emulated region offers, oldest first."""
    return sorted(KUBERNETES_PATCHES.values(), key=lambda v: tuple(int(p) for p in v.split(".")))


def _upgrades(patch: str) -> list[str]:
    """AKS upgrades one minor at a time: later patches of the same minor and of the next minor."""
    current = _minor(patch)
    return [p for p in _patches() if _minor(p) in (current, (current[0], current[1] + 1))
            and tuple(map(int, p.split("."))) > tuple(map(int, patch.split(".")))]


def _check_location_version(ctx: Ctx, arm_type: str) -> None:
    version = ctx.request.api_version
    if not version:
        raise ArmError(400, "MissingApiVersionParameter",
                       "The api-version query parameter (?api-version=) is required for all requests.")
    if version not in containerservice_versions.LOCATIONS:
        raise ArmError(400, "NoRegisteredProviderFound",
                       f"No registered resource provider found for API version '{version}' and type "
                       f"'{arm_type}'.")


def _orchestrators(ctx: Ctx, m: dict[str, str]) -> Response:
    """OrchestratorVersionProfileListResult: Kubernetes only (the other orchestrators are retired)."""
    _check_location_version(ctx, "locations/orchestrators")
    default = KUBERNETES_PATCHES[DEFAULT_KUBERNETES_MINOR]
    profiles: list[Body] = []
    for patch in _patches():
        profile: Body = {"orchestratorType": "Kubernetes", "orchestratorVersion": patch, "isPreview": False}
        if patch == default:
            profile["default"] = True
        upgrades = _upgrades(patch)
        if upgrades:
            profile["upgrades"] = [{"orchestratorType": "Kubernetes", "orchestratorVersion": u, "isPreview": False}
                                   for u in upgrades]
        profiles.append(profile)
    return Response(200, {
        "id": f"/subscriptions/{m['sub']}/providers/Microsoft.ContainerService/locations/{m['loc']}/orchestrators",
        "name": "default", "type": "Microsoft.ContainerService/locations/orchestrators",
        "properties": {"orchestrators": profiles},
    })


def _kubernetes_versions(ctx: Ctx, m: dict[str, str]) -> Response:
    """KubernetesVersionListResult (`az aks get-versions`; `az aks create` without --kubernetes-version)."""
    _check_location_version(ctx, "locations/kubernetesVersions")
    values = []
    for minor, latest in sorted(KUBERNETES_PATCHES.items(), key=lambda kv: _minor(kv[1])):
        entry: Body = {"version": minor, "capabilities": {"supportPlan": ["KubernetesOfficial"]},
                       "patchVersions": {latest: {"upgrades": _upgrades(latest)}}}
        if minor == DEFAULT_KUBERNETES_MINOR:
            entry["isDefault"] = True
        values.append(entry)
    return Response(200, {"values": values})


def _cluster_rid(m: dict[str, str]) -> Rid:
    return parse_rid(f"/subscriptions/{m['sub']}/resourceGroups/{m['rg']}/providers/{CLUSTER_TYPE}/{m['name']}")


def _cluster(ctx: Ctx, m: dict[str, str]) -> Body:
    """The cluster as a GET shows it (404 when absent), after the api-version check."""
    verbs.check_api_version(ctx.request, _CLUSTER_KIND)
    rid = _cluster_rid(m)
    with ctx.store.read(ctx.settings, ctx.request.base_url) as txn:
        verbs.check_container(txn, rid, writing=False)
        stored = txn.get(rid.raw)
        if stored is None:
            raise verbs.not_found(rid)
        return _CLUSTER_KIND.view(txn, rid, stored)


def kubeconfig(cluster: Body, user: str) -> str:
    """A kubeconfig for the cluster. Its server is the cluster's fqdn (https://<fqdn>:443), a name the
    emulator neither serves nor resolves: the file is for tools that merge or inspect it
    (`az aks get-credentials`), not for reaching a Kubernetes API. It carries no secret."""
    name = str(cluster.get("name"))
    props = cluster.get("properties") or {}
    server = f"https://{props.get('privateFQDN') or props.get('fqdn') or name + '.invalid'}:443"
    context = f"{name}" if user == "clusterUser" else f"{name}-admin"
    account = f"{user}_{cluster.get('id', '').split('/')[4]}_{name}"
    return "\n".join([
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        f"- name: {name}",
        "  cluster:",
        f"    server: {server}",
        "contexts:",
        f"- name: {context}",
        "  context:",
        f"    cluster: {name}",
        f"    user: {account}",
        f"current-context: {context}",
        "preferences: {}",
        "users:",
        f"- name: {account}",
        "  user:",
        "    token: emulator-placeholder-not-a-credential",
        "",
    ])


def _credentials(user: str) -> Handler:
    def handler(ctx: Ctx, m: dict[str, str]) -> Response:
        cluster = _cluster(ctx, m)
        value = base64.b64encode(kubeconfig(cluster, user).encode()).decode()
        return Response(200, {"kubeconfigs": [{"name": user, "value": value}]})
    return handler


def _upgrade_profile(ctx: Ctx, m: dict[str, str]) -> Response:
    cluster = _cluster(ctx, m)
    props = cluster.get("properties") or {}
    current = str(props.get("currentKubernetesVersion") or props.get("kubernetesVersion") or "")

    def upgrades(version: str) -> list[Body]:
        return [{"kubernetesVersion": u} for u in _upgrades(version)] if version.count(".") == 2 else []

    pools = [{"name": p.get("name"), "kubernetesVersion": p.get("currentOrchestratorVersion") or current,
              "osType": p.get("osType") or "Linux",
              "upgrades": upgrades(str(p.get("currentOrchestratorVersion") or current))}
             for p in props.get("agentPoolProfiles") or ()]
    return Response(200, {
        "id": f"{cluster['id']}/upgradeprofiles/default", "name": "default",
        "type": "Microsoft.ContainerService/managedClusters/upgradeprofiles",
        "properties": {
            "controlPlaneProfile": {"name": "master", "kubernetesVersion": current, "osType": "Linux",
                                    "upgrades": upgrades(current)},
            "agentPoolProfiles": pools,
        },
    })


def _abort(ctx: Ctx, m: dict[str, str]) -> Response:
    """`az aks operation-abort` (ManagedClusters - Abort Latest Operation): the running create/update ends
    Canceled and so does the cluster; 204 once done (the emulator cancels at once). Nothing running is a
    409, as AKS answers when "the operation completes before cancellation can take place"
    (https://learn.microsoft.com/rest/api/aks/managed-clusters/abort-latest-operation; the code is inferred)."""
    verbs.check_api_version(ctx.request, _CLUSTER_KIND)
    rid = _cluster_rid(m)
    with ctx.store.write(ctx.settings, ctx.request.base_url) as txn:
        verbs.check_container(txn, rid, writing=False)
        if txn.get(rid.raw) is None:
            raise verbs.not_found(rid)
        op = operations.running(txn, _CLUSTER_KIND.lock_key(rid) or rid.key)
        if op is None or op.action != "PUT":
            raise errors.conflict(f"There is no running operation to abort on managed cluster '{m['name']}'.")
        operations.cancel(txn, op)
    return Response(204)


ROUTES: tuple[Route, ...] = (
    ("GET", route(rf"{_NS}/locations/(?P<loc>{SEG})/orchestrators"), _orchestrators),
    ("GET", route(rf"{_NS}/locations/(?P<loc>{SEG})/kubernetesVersions"), _kubernetes_versions),
    ("POST", route(rf"{_CLUSTER}/listClusterUserCredential"), _credentials("clusterUser")),
    ("POST", route(rf"{_CLUSTER}/listClusterAdminCredential"), _credentials("clusterAdmin")),
    ("GET", route(rf"{_CLUSTER}/upgradeProfiles/default"), _upgrade_profile),
    ("POST", route(rf"{_CLUSTER}/abort"), _abort),
)
