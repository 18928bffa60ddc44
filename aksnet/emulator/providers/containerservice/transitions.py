"""Update-only rules of the kubenet retirement path: identity switch, network policy, Cilium dataplane,
and the kubenet -> Azure CNI Overlay migration's prerequisites.

Sources: https://learn.microsoft.com/azure/aks/update-azure-cni (kubenet -> overlay: one-way, every
pool reimaged, no network policy engine, no Windows pools, Kubernetes 1.27+; the dataplane cannot
change in the same operation), https://learn.microsoft.com/azure/aks/use-network-policies#uninstall-azure-network-policy-manager-or-calico
(`--network-policy none` uninstalls Azure NPM / Calico in place),
https://learn.microsoft.com/azure/aks/azure-cni-powered-by-cilium (Cilium from Azure CNI only, never
kubenet; Cilium is its own policy engine), https://learn.microsoft.com/azure/aks/use-managed-identity#update-an-existing-cluster-to-use-a-user-assigned-managed-identity
(SystemAssigned -> UserAssigned in place).
"""

from __future__ import annotations

from aksnet.emulator.arm.contract import Body
from aksnet.emulator.providers.containerservice.common import change_not_allowed, invalid, plugin_key, props

MIN_KUBENET_MIGRATION = (1, 27)
# Policy engines AKS moves between in place: install on a cluster without one, uninstall (none), and
# the move to Cilium (with the Cilium dataplane).
_POLICY_IN_PLACE = {("none", "azure"), ("none", "calico"), ("azure", "none"), ("calico", "none"),
                    ("azure", "cilium"), ("calico", "cilium"), ("none", "cilium")}


def _text(value: object) -> str:
    return str(value or "").lower()


def _minor(version: object) -> tuple[int, int] | None:
    parts = str(version or "").split(".")
    try:
        return int(parts[0]), int(parts[1])
    except (IndexError, ValueError):
        return None


def settle_dataplane(cluster: Body) -> None:
    """The Cilium dataplane brings its own policy engine: AKS reports networkPolicy cilium."""
    network = props(cluster).get("networkProfile") or {}
    if _text(network.get("networkDataplane")) == "cilium":
        network["networkPolicy"] = "cilium"


def check_dataplane(network: Body) -> None:
    """Create and update: Cilium runs on Azure CNI (node subnet or overlay) only."""
    if _text(network.get("networkDataplane")) == "cilium" and plugin_key(network) not in ("azure", "overlay"):
        raise invalid("networkProfile.networkDataplane", "Network dataplane cilium requires network plugin "
                      "azure; migrate the cluster from kubenet to Azure CNI Overlay first.")


def check_transition(old: Body, old_pools: list[Body], new: Body) -> None:
    """What an update may change among identity, policy, dataplane and IPAM (beyond update.py's rules)."""
    before, after = props(old).get("networkProfile") or {}, props(new).get("networkProfile") or {}
    check_dataplane(after)
    old_policy, new_policy = _text(before.get("networkPolicy")) or "none", _text(after.get("networkPolicy")) or "none"
    if old_policy != new_policy and (old_policy, new_policy) not in _POLICY_IN_PLACE:
        raise change_not_allowed("networkProfile.networkPolicy")
    if new_policy == "cilium" and old_policy != "cilium" and _text(after.get("networkDataplane")) != "cilium":
        raise invalid("networkProfile.networkPolicy", "Network policy cilium requires network dataplane cilium.")
    if plugin_key(before) == "kubenet" and plugin_key(after) == "overlay":
        _check_kubenet_migration(old, old_pools)


def _check_kubenet_migration(old: Body, old_pools: list[Body]) -> None:
    version = props(old).get("currentKubernetesVersion") or props(old).get("kubernetesVersion")
    minor = _minor(version)
    if minor is None or minor < MIN_KUBENET_MIGRATION:
        raise invalid("networkProfile.networkPluginMode", f"Migrating from kubenet to Azure CNI Overlay requires "
                      f"Kubernetes 1.27 or later; the cluster runs {version}. Upgrade the cluster first.")
    if any(_text(p.get("osType")) == "windows" for p in old_pools):
        raise invalid("networkProfile.networkPluginMode", "Migrating from kubenet to Azure CNI Overlay is not "
                      "supported for clusters with Windows node pools.")

