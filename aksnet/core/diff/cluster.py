"""Diff of the managed cluster, with the IPAM transitions of R58 (migrate) and R60 (pod CIDR). Pure.

Per-field classes come from `immutable.py`; the plugin / plugin mode / pod CIDR triple is judged
together here because whether a change is a migration, a replace or impossible depends on the pair
(live, desired), not on one field.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from aksnet.core import normalize as n
from aksnet.core.change_classes import POLICY_IN_PLACE, POLICY_REPLACE, POLICY_UNINSTALL, ChangeClass
from aksnet.core.desired import plugin_key
from aksnet.core.diff.common import DiffContext, FieldDiffs, compare_common, make_change
from aksnet.core.diff.identity import diff_dataplane, diff_identity
from aksnet.core.stages import live_vnet, migration_checks, migration_stages
from aksnet.model import Action, Change, Desired, Live

NET = ("properties", "networkProfile")

MIGRATE_FROM_KUBENET = ChangeClass(
    Action.MIGRATE,
    "kubenet -> Azure CNI Overlay is a one-way in-place migration: every node pool is reimaged at "
    "once and AKS removes its kubenet routes",
    "R58", "https://learn.microsoft.com/azure/aks/update-azure-cni",
)
MIGRATE_FROM_NODE_SUBNET = ChangeClass(
    Action.MIGRATE,
    "Azure CNI (node subnet) -> Azure CNI Overlay is a one-way in-place migration: every node pool "
    "is reimaged at once",
    "R58", "https://learn.microsoft.com/azure/aks/update-azure-cni",
)
PLUGIN_REPLACE = ChangeClass(
    Action.REPLACE,
    "the network plugin only changes in place to Azure CNI Overlay; any other change recreates the "
    "cluster (PropertyChangeNotAllowed)",
    "R57", "https://github.com/Azure/AKS/issues/409",
)
OVERLAY_POD_CIDR_GROWTH = ChangeClass(
    Action.UPDATE, "an overlay pod CIDR grows in place to a superset of the old one", "R60",
    "https://learn.microsoft.com/azure/aks/azure-cni-overlay-pod-expand",
)
DOWNGRADE = ChangeClass(
    Action.UNSUPPORTED, "AKS cannot downgrade Kubernetes", None, "https://learn.microsoft.com/azure/aks/supported-kubernetes-versions",
)


def _pod_cidr_unsupported(live_pod: str, want_pod: str, *, migrating_from_kubenet: bool) -> ChangeClass:
    if migrating_from_kubenet:
        why = (f"kubenet -> overlay keeps or enlarges the pod CIDR, and {want_pod} does not contain "
               f"{live_pod}, so this is not the supported in-place migration and Azure has no other path; "
               f"migrate with podCidr {live_pod} (or a superset) first, or recreate the cluster")
        return ChangeClass(Action.UNSUPPORTED, why, "R58", "https://learn.microsoft.com/azure/aks/update-azure-cni")
    why = (f"the pod CIDR cannot change in place ({live_pod} -> {want_pod}); only an overlay pod CIDR can "
           f"grow to a superset of the old one; recreate the cluster")
    return ChangeClass(Action.UNSUPPORTED, why, "R60", "https://learn.microsoft.com/azure/aks/azure-cni-overlay-pod-expand")


def _props(body: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return (body or {}).get("properties") or {}


def _diff_ipam(diffs: FieldDiffs, want: Mapping[str, Any], have: Mapping[str, Any]) -> str | None:
    """Plugin, plugin mode and pod CIDR. Returns the migration source ("kubenet"/"azure") if any."""
    source = plugin_key(have.get("networkPlugin"), have.get("networkPluginMode"))
    target = plugin_key(want.get("networkPlugin"), want.get("networkPluginMode"))
    want_pod, live_pod = want.get("podCidr"), have.get("podCidr")
    pod_differs = want_pod is not None and (live_pod is None or n.cidr(want_pod) != n.cidr(live_pod))
    plugin_paths = (("networkPlugin", n.enum(have.get("networkPlugin")) != n.enum(want.get("networkPlugin"))),
                    ("networkPluginMode", n.enum(have.get("networkPluginMode")) != n.enum(want.get("networkPluginMode"))))
    if source == target or not source:
        if pod_differs:
            if target == "overlay" and live_pod and n.is_superset(str(want_pod), str(live_pod)):
                cls = OVERLAY_POD_CIDR_GROWTH
            else:
                cls = _pod_cidr_unsupported(str(live_pod), str(want_pod), migrating_from_kubenet=False)
            diffs.add((*NET, "podCidr"), live_pod, want_pod, cls)
        return None
    if target == "overlay" and source in ("kubenet", "azure"):
        migrate = MIGRATE_FROM_KUBENET if source == "kubenet" else MIGRATE_FROM_NODE_SUBNET
        for key, differs in plugin_paths:
            if differs:
                diffs.add((*NET, key), have.get(key), want.get(key), migrate)
        if pod_differs:
            if source == "kubenet" and live_pod and not n.is_superset(str(want_pod), str(live_pod)):
                cls = _pod_cidr_unsupported(str(live_pod), str(want_pod), migrating_from_kubenet=True)
            else:
                cls = migrate
            diffs.add((*NET, "podCidr"), live_pod, want_pod, cls)
        return source
    for key, differs in plugin_paths:
        if differs:
            diffs.add((*NET, key), have.get(key), want.get(key), PLUGIN_REPLACE)
    if pod_differs:
        diffs.add((*NET, "podCidr"), live_pod, want_pod, PLUGIN_REPLACE)
    return None


def _diff_network_profile(diffs: FieldDiffs, want: Mapping[str, Any], have: Mapping[str, Any]) -> str | None:
    source = _diff_ipam(diffs, want, have)
    diffs.compare((*NET, "serviceCidr"), want.get("serviceCidr"), have.get("serviceCidr"), n.cidr)
    diffs.compare((*NET, "dnsServiceIP"), want.get("dnsServiceIP"), have.get("dnsServiceIP"), n.cidr)
    diffs.compare((*NET, "outboundType"), want.get("outboundType"), have.get("outboundType"), n.enum)
    want_raw = n.enum(want.get("networkPolicy"))
    want_policy = None if want_raw == "none" else want_raw  # `policy: none` asks for no engine
    live_policy = n.enum(have.get("networkPolicy"))
    live_policy = None if live_policy == "none" else live_policy  # AKS reports "none" when unset
    if live_policy == "cilium" and n.enum(want.get("networkDataplane")) == "cilium" and want_policy is None:
        live_policy = None  # the Cilium dataplane is its own engine; `none` asks for no other one
    if want_raw is not None and want_policy != live_policy:
        in_place = (live_policy, want_policy) in POLICY_IN_PLACE
        diffs.add((*NET, "networkPolicy"), have.get("networkPolicy"), want.get("networkPolicy"),
                  (POLICY_UNINSTALL if want_policy is None else None) if in_place else POLICY_REPLACE)
    diff_dataplane(diffs, want, have)
    return source


def _diff_pools(diffs: FieldDiffs, want: Mapping[str, Any], have: Mapping[str, Any]) -> None:
    live_pools = n.by_name(have.get("agentPoolProfiles"))
    for pool in want.get("agentPoolProfiles") or ():
        name = pool["name"]
        base = ("properties", "agentPoolProfiles", name)
        found = live_pools.get(name.lower())
        if found is None:
            diffs.add(base, None, pool)
            continue
        diffs.compare((*base, "count"), pool.get("count"), found.get("count"), lambda v: int(v or 0))
        diffs.compare((*base, "vmSize"), pool.get("vmSize"), found.get("vmSize"), n.enum)
        diffs.compare((*base, "maxPods"), pool.get("maxPods"), found.get("maxPods"), lambda v: int(v or 0))
        diffs.compare((*base, "mode"), pool.get("mode"), found.get("mode"), n.enum)
        diffs.compare((*base, "vnetSubnetID"), pool.get("vnetSubnetID"), found.get("vnetSubnetID"), n.arm_id)
        surge = (pool.get("upgradeSettings") or {}).get("maxSurge")
        live_surge = (found.get("upgradeSettings") or {}).get("maxSurge")
        diffs.compare((*base, "upgradeSettings", "maxSurge"), surge, live_surge,
                      lambda v: None if v is None else str(v).strip())


def diff_cluster(desired: Desired, live: Live, context: DiffContext) -> Change:
    diffs = FieldDiffs(desired.kind, desired.unowned)
    compare_common(diffs, desired.body, live.body)
    want, have = _props(desired.body), _props(live.body)
    diff_identity(diffs, desired.body, live.body)
    diffs.compare(("properties", "dnsPrefix"), want.get("dnsPrefix"), have.get("dnsPrefix"), n.enum)
    want_version = want.get("kubernetesVersion")
    live_version = have.get("kubernetesVersion") or have.get("currentKubernetesVersion")
    if want_version is not None and not n.version_matches(want_version, live_version):
        wanted = n.version_tuple(want_version) or ()
        older = wanted < (n.version_tuple(live_version) or ())[: len(wanted)]
        diffs.add(("properties", "kubernetesVersion"), live_version, want_version, DOWNGRADE if older else None)
    _diff_pools(diffs, want, have)
    source = _diff_network_profile(diffs, want.get("networkProfile") or {}, have.get("networkProfile") or {})
    api_want = want.get("apiServerAccessProfile") or {}
    api_have = have.get("apiServerAccessProfile") or {}
    diffs.compare_members(("properties", "apiServerAccessProfile", "authorizedIPRanges"),
                          api_want.get("authorizedIPRanges"), api_have.get("authorizedIPRanges") or [], n.cidr)
    diffs.compare(("properties", "apiServerAccessProfile", "enablePrivateCluster"),
                  api_want.get("enablePrivateCluster"), api_have.get("enablePrivateCluster"), bool)
    linux_want = want.get("linuxProfile") or {}
    linux_have = have.get("linuxProfile") or {}
    diffs.compare(("properties", "linuxProfile", "adminUsername"), linux_want.get("adminUsername"),
                  linux_have.get("adminUsername"))
    if linux_want:
        keys_want = [k.get("keyData", "").strip() for k in linux_want["ssh"]["publicKeys"]]
        keys_have = [k.get("keyData", "").strip() for k in (linux_have.get("ssh") or {}).get("publicKeys") or ()]
        if keys_want != keys_have:
            # `az aks update --ssh-key-value` replaces the key in place (https://learn.microsoft.com/azure/aks/node-access).
            diffs.add(("properties", "linuxProfile", "ssh", "publicKeys"), keys_have, keys_want)
    if not source:
        return make_change(desired, live, diffs.fields, (), context=context)
    checks = migration_checks(source, desired.body, live.body, vnet=live_vnet(context.live_bodies),
                              vnet_prefixes=context.vnet_prefixes)
    change = make_change(desired, live, diffs.fields, tuple(c.prerequisite for c in checks), context=context)
    if source != "kubenet" or change.action is not Action.MIGRATE:
        return change
    return dataclasses.replace(change, stages=migration_stages(desired.body, live.body, checks))
