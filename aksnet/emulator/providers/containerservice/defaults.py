"""Server-filled fields of a managed cluster and its agent pools (https://github.com/Azure/azure-rest-api-specs/blob/main/specification/containerservice/resource-manager/Microsoft.ContainerService/aks/stable/2024-09-01/managedClusters.json).

Compared with ManagedClustersCreate_Update.json / ManagedClustersGet.json responses: read-only input
is dropped (a client may send back the body it read), secrets are never stored, and on update every
omitted field keeps its stored value (AKS reconciles a PUT against the existing cluster).
"""

from __future__ import annotations

import copy
import re
import uuid
from typing import Any

from aksnet.emulator.arm.contract import Body, Rid
from aksnet.emulator.providers.containerservice.common import (
    CLUSTER_TYPE,
    DEFAULT_DNS_SERVICE_IP,
    DEFAULT_KUBERNETES_MINOR,
    DEFAULT_MAX_PODS,
    DEFAULT_MAX_SURGE,
    DEFAULT_POD_CIDR,
    DEFAULT_POD_CIDR_V6,
    DEFAULT_SERVICE_CIDR,
    DEFAULT_SERVICE_CIDR_V6,
    DEFAULT_VM_SIZE,
    KUBERNETES_PATCHES,
    MAX_AGENT_POOLS,
    NODE_IMAGE_VERSION,
    default_node_resource_group,
    plugin_key,
    props,
    rg_scope,
)

# Read-only per the SDK models (readOnly in managedClusters.json): ignored on input.
_READONLY_TOP = ("id", "name", "type", "eTag", "etag", "systemData")
_READONLY_PROPS = ("provisioningState", "powerState", "maxAgentPools", "currentKubernetesVersion", "fqdn",
                   "privateFQDN", "azurePortalFQDN", "resourceUID")
_READONLY_POOL = ("eTag", "currentOrchestratorVersion", "provisioningState", "nodeImageVersion")


def strip_readonly(body: Body) -> Body:
    """The request without read-only fields and with agent pools as flat profiles."""
    out = {k: copy.deepcopy(v) for k, v in body.items() if k not in _READONLY_TOP}
    p = out.get("properties")
    if isinstance(p, dict):
        for key in _READONLY_PROPS:
            p.pop(key, None)
        pools = p.get("agentPoolProfiles")
        if isinstance(pools, list):
            p["agentPoolProfiles"] = [strip_readonly_pool(x) for x in pools if isinstance(x, dict)]
        lb = (p.get("networkProfile") or {}).get("loadBalancerProfile")
        if isinstance(lb, dict):
            lb.pop("effectiveOutboundIPs", None)
        nat = (p.get("networkProfile") or {}).get("natGatewayProfile")
        if isinstance(nat, dict):
            nat.pop("effectiveOutboundIPs", None)
    identity = out.get("identity")
    if isinstance(identity, dict):
        identity.pop("principalId", None)
        identity.pop("tenantId", None)
    return out


def strip_readonly_pool(profile: Body) -> Body:
    return {k: copy.deepcopy(v) for k, v in profile.items() if k not in _READONLY_POOL}


def merge_update(request: Body, existing: Body, existing_pools: list[Body]) -> tuple[Body, list[Body]]:
    """Fields the update omits keep their stored values; returns (cluster body, pool profiles)."""
    merged = copy.deepcopy(existing)
    for key in ("location", "identity", "sku", "tags", "extendedLocation"):
        if key in request:
            merged[key] = copy.deepcopy(request[key])
    old_props = {k: v for k, v in props(existing).items() if k not in _READONLY_PROPS}
    new_props: Body = {**old_props}
    req_props = props(request)
    for key, value in req_props.items():
        if key == "networkProfile" and isinstance(value, dict):
            network = {**(old_props.get("networkProfile") or {}), **copy.deepcopy(value)}
            new_props[key] = network
        elif key != "agentPoolProfiles":
            new_props[key] = copy.deepcopy(value)
    if not str(new_props.get("kubernetesVersion") or ""):
        new_props["kubernetesVersion"] = old_props.get("kubernetesVersion")
    merged["properties"] = new_props
    old_by_name = {str(p["name"]).lower(): p for p in existing_pools}
    requested = req_props.get("agentPoolProfiles")
    if not isinstance(requested, list):  # pools omitted: keep them
        return merged, [strip_readonly_pool(p) for p in existing_pools]
    pools = []
    for profile in requested:
        old = old_by_name.get(str(profile.get("name", "")).lower())
        base = strip_readonly_pool(old) if old else {}
        base.pop("provisioningState", None)
        pools.append({**base, **profile})
    return merged, pools


def _dns_prefix_default(rid: Rid) -> str:
    # az aks create's default: name[:10]-rg[:16]-sub[:6], alphanumerics and dashes only.
    def clean(s: str) -> str:
        return re.sub(r"[^A-Za-z0-9-]", "", s)

    prefix = f"{clean(rid.name)[:10]}-{clean(rid.resource_group or '')[:16]}-{rid.subscription[:6]}"
    return prefix if prefix[0].isalpha() else "a" + prefix


def resolve_version(version: str) -> str:
    """"1.33" -> its current patch; a full x.y.z is kept (AKS resolves a minor to its latest patch)."""
    return KUBERNETES_PATCHES.get(version, version if version.count(".") == 2 else f"{version}.0")


def fill_cluster(rid: Rid, body: Body, existing: Body | None, tenant: str = "") -> Body:
    """The cluster row (without agentPoolProfiles) with every server default; `tenant` is the
    caller's, which a system-assigned identity belongs to."""
    old = props(existing) if existing else {}
    location = str(body.get("location", "")).replace(" ", "").lower()  # ARM's canonical region ("East US" -> eastus)
    row: Body = {"id": rid.raw, "name": rid.name, "type": CLUSTER_TYPE, "location": location}
    for key in ("tags", "sku", "extendedLocation", "kind"):
        if key in body:
            row[key] = copy.deepcopy(body[key])
    row.setdefault("sku", {"name": "Base", "tier": "Free"})
    p = {k: copy.deepcopy(v) for k, v in props(body).items() if k != "agentPoolProfiles"}

    version = str(p.get("kubernetesVersion") or DEFAULT_KUBERNETES_MINOR)
    p["kubernetesVersion"] = version
    p["currentKubernetesVersion"] = resolve_version(version)
    if not p.get("dnsPrefix") and not p.get("fqdnSubdomain"):
        p["dnsPrefix"] = old.get("dnsPrefix") or _dns_prefix_default(rid)
    prefix = str(p.get("dnsPrefix") or p.get("fqdnSubdomain"))
    # fqdn "<dnsPrefix>-<8 chars>.hcp.<location>.azmk8s.io": the suffix is fixed for a cluster's life.
    suffix = str(old.get("fqdn", "")).split(".")[0].rsplit("-", 1)[-1] if old.get("fqdn") else uuid.uuid4().hex[:8]
    host = f"{prefix.lower()}-{suffix}"
    private = bool((p.get("apiServerAccessProfile") or {}).get("enablePrivateCluster"))
    p["fqdn"] = f"{host}.hcp.{location.lower()}.azmk8s.io"
    p["azurePortalFQDN"] = f"{host}.portal.hcp.{location.lower()}.azmk8s.io"
    if private:
        p["privateFQDN"] = f"{host}.{suffix}.privatelink.{location.lower()}.azmk8s.io"
    p["nodeResourceGroup"] = p.get("nodeResourceGroup") or default_node_resource_group(
        rid.resource_group or "", rid.name, location)
    p.setdefault("enableRBAC", True)
    p.setdefault("supportPlan", "KubernetesOfficial")
    p["maxAgentPools"] = MAX_AGENT_POOLS
    p["powerState"] = {"code": "Running"}
    p["resourceUID"] = old.get("resourceUID") or uuid.uuid4().hex[:24]
    node_rg = rg_scope(rid.subscription, str(p["nodeResourceGroup"]))

    identity = row["identity"] = copy.deepcopy(body["identity"]) if isinstance(body.get("identity"), dict) else None
    if identity is None:
        row.pop("identity")
    _fill_identity(row, p, old, existing, rid, node_rg, tenant)
    windows = p.get("windowsProfile")
    if isinstance(windows, dict):  # AKS never returns the password
        windows.pop("adminPassword", None)
    p["networkProfile"] = fill_network_profile(p.get("networkProfile") or {}, old.get("networkProfile") or {},
                                               node_rg)
    row["properties"] = p
    return row


def _fill_identity(row: Body, p: Body, old: Body, existing: Body | None, rid: Rid, node_rg: str,
                   tenant: str) -> None:
    identity = row.get("identity")
    sp = p.get("servicePrincipalProfile")
    if isinstance(sp, dict):
        sp.pop("secret", None)  # never returned
    kind = str((identity or {}).get("type", "")).lower()
    if kind in ("systemassigned", "userassigned"):
        assert identity is not None
        if kind == "systemassigned":
            old_identity = (existing or {}).get("identity") or {}
            same = str(old_identity.get("type", "")).lower() == "systemassigned"
            identity["principalId"] = old_identity.get("principalId") if same else str(uuid.uuid4())
            # The managed identity lives in the caller's (the subscription's) Entra tenant (AKS-spec
            # ManagedClusterIdentity.tenantId); keep the first value across updates.
            identity["tenantId"] = old_identity.get("tenantId") if same and old_identity.get("tenantId") else (
                tenant or str(uuid.uuid5(uuid.NAMESPACE_URL, f"tenant/{rid.subscription}")))
        else:
            users = identity.get("userAssignedIdentities") or {}
            for uid in users:
                users[uid] = {"clientId": str(uuid.uuid5(uuid.NAMESPACE_URL, f"client/{uid.lower()}")),
                              "principalId": str(uuid.uuid5(uuid.NAMESPACE_URL, f"principal/{uid.lower()}"))}
        p["servicePrincipalProfile"] = {"clientId": "msi"}  # managed identity clusters (as live GETs show)
        kubelet = (old.get("identityProfile") or {}).get("kubeletidentity")
        if not kubelet:
            name = f"{rid.name}-agentpool"
            kubelet = {"clientId": str(uuid.uuid4()), "objectId": str(uuid.uuid4()),
                       "resourceId": f"{node_rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}"}
        given: Body = p["identityProfile"] if isinstance(p.get("identityProfile"), dict) else {}
        p["identityProfile"] = {**given, "kubeletidentity": given.get("kubeletidentity") or kubelet}


def fill_network_profile(network: Body, old: Body, node_rg: str) -> Body:
    n = copy.deepcopy(network)
    # Kubenet when omitted, as the examples show (ManagedClustersCreate_Update.json).
    n.setdefault("networkPlugin", "kubenet")
    plugin = plugin_key(n)
    n.setdefault("loadBalancerSku", "standard")
    n.setdefault("outboundType", "loadBalancer")
    families = n.setdefault("ipFamilies", ["IPv4"])
    dual = "IPv6" in families
    n.setdefault("serviceCidr", DEFAULT_SERVICE_CIDR)
    n.setdefault("dnsServiceIP", DEFAULT_DNS_SERVICE_IP)
    if not n.get("serviceCidrs") or n["serviceCidrs"][0] != n["serviceCidr"]:
        n["serviceCidrs"] = [n["serviceCidr"], *([DEFAULT_SERVICE_CIDR_V6] if dual else [])]
    if plugin in ("kubenet", "overlay"):
        n.setdefault("podCidr", DEFAULT_POD_CIDR)
        if not n.get("podCidrs") or n["podCidrs"][0] != n["podCidr"]:
            n["podCidrs"] = [n["podCidr"], *([DEFAULT_POD_CIDR_V6] if dual else [])]
    else:
        n.pop("podCidrs", None)
    if plugin in ("azure", "overlay"):
        n.setdefault("networkDataplane", "azure")
    # Cilium dataplane brings its own policy engine (AKS-spec `cilium` value text, R23).
    n.setdefault("networkPolicy", "cilium" if n.get("networkDataplane") == "cilium" else "none")
    if n["outboundType"] == "loadBalancer" and str(n["loadBalancerSku"]).lower() == "standard":
        n["loadBalancerProfile"] = _fill_lb_profile(n.get("loadBalancerProfile") or {},
                                                    old.get("loadBalancerProfile") or {}, node_rg, dual)
    return n


def _fill_lb_profile(lb: Body, old: Body, node_rg: str, dual: bool) -> Body:
    lb = copy.deepcopy(lb)
    custom = (lb.get("outboundIPs") or {}).get("publicIPs") or []
    prefixes = (lb.get("outboundIPPrefixes") or {}).get("publicIPPrefixes") or []
    if custom or prefixes:
        effective: list[Any] = [{"id": x.get("id")} for x in [*custom, *prefixes] if isinstance(x, dict)]
    else:
        managed = lb.setdefault("managedOutboundIPs", {"count": 1})
        managed.setdefault("count", 1)
        if dual:  # one managed IPv6 outbound IP by default (ManagedClustersCreate_DualStackNetworking.json)
            managed.setdefault("countIPv6", 1)
        wanted = int(managed["count"]) + (int(managed.get("countIPv6", 0)) if dual else 0)
        effective = list(old.get("effectiveOutboundIPs") or [])[:wanted]
        while len(effective) < wanted:  # managed outbound IPs live in the node resource group, named by GUID
            effective.append({"id": f"{node_rg}/providers/Microsoft.Network/publicIPAddresses/{uuid.uuid4()}"})
    lb["effectiveOutboundIPs"] = effective
    lb.setdefault("allocatedOutboundPorts", 0)  # AKS-spec defaults
    lb.setdefault("idleTimeoutInMinutes", 30)
    lb.setdefault("backendPoolType", "nodeIPConfiguration")
    return lb


def fill_pools(cluster: Body, profiles: list[Body], old_profiles: list[Body]) -> list[Body]:
    """Agent pool profiles with defaults (maxPods by plugin R28, mode, versions, image, surge R40)."""
    p = props(cluster)
    plugin = plugin_key(p.get("networkProfile") or {})
    any_system = any(str(x.get("mode", "")).lower() == "system" for x in profiles)
    old_by_name = {str(x.get("name", "")).lower(): x for x in old_profiles}
    out = []
    for i, given in enumerate(profiles):
        pool = copy.deepcopy(given)
        pool.setdefault("count", 1)
        if not pool.get("vmSize"):
            # `az aks create` without --node-vm-size sends "": the size "is dynamically selected by the AKS
            # resource provider based on quota and capacity" (az / Az.Aks NodeVmSize help); never left empty.
            pool["vmSize"] = DEFAULT_VM_SIZE
        pool.setdefault("osType", "Linux")
        if pool["osType"] == "Linux":
            pool.setdefault("osSKU", "Ubuntu")
        pool.setdefault("mode", "User" if any_system or i else "System")
        pool.setdefault("type", "VirtualMachineScaleSets")
        pool.setdefault("maxPods", DEFAULT_MAX_PODS.get(plugin, 110))
        pool.setdefault("osDiskSizeGB", 128)
        pool.setdefault("osDiskType", "Managed")
        pool.setdefault("kubeletDiskType", "OS")
        pool.setdefault("enableAutoScaling", False)
        pool.setdefault("enableNodePublicIP", False)
        pool.setdefault("enableFIPS", False)
        version = str(pool.get("orchestratorVersion") or p.get("kubernetesVersion") or DEFAULT_KUBERNETES_MINOR)
        pool["orchestratorVersion"] = version
        pool["currentOrchestratorVersion"] = resolve_version(version)
        pool["nodeImageVersion"] = NODE_IMAGE_VERSION
        pool.setdefault("powerState", {"code": "Running"})
        settings = pool.setdefault("upgradeSettings", {})
        if isinstance(settings, dict):
            settings.setdefault("maxSurge", DEFAULT_MAX_SURGE)
        if old_by_name.get(str(pool["name"]).lower()) is None:
            pool["provisioningState"] = "Creating"
        else:
            pool["provisioningState"] = "Updating"
        out.append(pool)
    return out
