"""Plugin, mode and their limits: R21, R22, R27."""

from __future__ import annotations

from aksnet.checks.rules.context import NETWORK, VNET, RuleContext
from aksnet.checks.rules.effective import PluginKind

PLUGINS = ("kubenet", "azure", "none")
MAX_OVERLAY_NAME = 63  # R27, https://learn.microsoft.com/azure/aks/concepts-network-azure-cni-overlay "Limitations"


def check_plugin_mode(ctx: RuleContext) -> None:
    network = ctx.spec.cluster.network
    if network.plugin not in PLUGINS:
        ctx.emit("AKSNET-NET-001", (*NETWORK, "plugin"),
                 f"Network plugin '{network.plugin}' is not one of {', '.join(PLUGINS)}.")
    if network.plugin_mode is not None and (network.plugin_mode != "overlay" or network.plugin != "azure"):
        ctx.emit("AKSNET-NET-002", (*NETWORK, "pluginMode"),
                 f"pluginMode '{network.plugin_mode}' with plugin '{network.plugin}': the only mode is 'overlay', "
                 "with plugin azure.")
    if network.pod_cidr is not None and ctx.kind in (PluginKind.CNI, PluginKind.NONE):
        ctx.emit("AKSNET-NET-003", (*NETWORK, "podCidr"),
                 f"podCidr {network.pod_cidr} is set, but plugin '{network.plugin}' without overlay takes no pod CIDR.")


def check_kubenet_limits(ctx: RuleContext) -> None:
    if ctx.kind is not PluginKind.KUBENET:
        return
    ctx.emit("AKSNET-NET-004", (*NETWORK, "plugin"),
             "Kubenet is retired on 2028-03-31 and gets no new features.")
    if ctx.spec.cluster.network.policy == "azure":
        ctx.emit("AKSNET-NET-005", (*NETWORK, "policy"),
                 "Network policy 'azure' (Azure NPM) is not supported with kubenet.")


def check_overlay_names(ctx: RuleContext) -> None:
    if ctx.kind is not PluginKind.OVERLAY:
        return
    spec = ctx.spec
    names = [(("spec", "resourceGroup"), "resource group", spec.resource_group),
             ((*VNET, "name"), "VNet", spec.virtual_network.name)]
    index = ctx.node_subnet_index
    if index is not None:
        names.append(((*VNET, "subnets", index, "name"), "node subnet", spec.cluster.subnet))
    for path, what, name in names:
        if len(name) > MAX_OVERLAY_NAME:
            ctx.emit("AKSNET-NET-006", path,
                     f"The {what} name '{name[:20]}...' is {len(name)} characters; overlay allows at most 63.")


def check_dataplane(ctx: RuleContext) -> None:
    """Cilium runs on Azure CNI (node subnet or overlay) only and is its own policy engine
    (https://learn.microsoft.com/azure/aks/azure-cni-powered-by-cilium)."""
    network = ctx.spec.cluster.network
    if network.dataplane != "cilium":
        return
    if ctx.kind not in (PluginKind.CNI, PluginKind.OVERLAY):
        ctx.emit("AKSNET-NET-007", (*NETWORK, "dataplane"),
                 f"Dataplane cilium needs plugin azure; this cluster uses '{network.plugin}'.")
    if network.policy in ("azure", "calico"):
        ctx.emit("AKSNET-NET-008", (*NETWORK, "policy"),
                 f"Dataplane cilium brings its own policy engine; policy '{network.policy}' cannot run beside it.")


CHECKS = (check_plugin_mode, check_kubenet_limits, check_overlay_names, check_dataplane)
