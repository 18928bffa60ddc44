"""Pod CIDR placement: R11 (vs service CIDR), R12 (overlay vs VNet), R13 (kubenet vs VNet, a warning unless it hits the node subnet)."""

from __future__ import annotations

from aksnet.checks.rules.cidr import overlaps
from aksnet.checks.rules.context import RuleContext
from aksnet.checks.rules.effective import PluginKind


def check_pod_vs_service(ctx: RuleContext) -> None:
    pod, svc = ctx.pod_cidr, ctx.service_cidr
    if pod is not None and svc is not None and overlaps(pod.net, svc.net):
        ctx.emit("AKSNET-POD-001", pod.path, f"Pod CIDR {pod.label} overlaps the service CIDR {svc.label}.")


def check_overlay_pod_vs_vnet(ctx: RuleContext) -> None:
    pod = ctx.pod_cidr
    if pod is None or ctx.kind is not PluginKind.OVERLAY:
        return
    hits = [p.text for p in ctx.vnet_space if overlaps(pod.net, p.net)]
    if hits:
        ctx.emit("AKSNET-POD-002", pod.path,
                 f"Overlay pod CIDR {pod.label} overlaps the VNet address space {', '.join(hits)} "
                 "(NetworkProfileCIDROverlapVNET).")


def check_kubenet_pod_vs_vnet(ctx: RuleContext) -> None:
    """R13: no source shows the RP rejecting it; aksnet errors on the node subnet, warns otherwise."""
    pod = ctx.pod_cidr
    if pod is None or ctx.kind is not PluginKind.KUBENET:
        return
    node = ctx.node_subnet
    if node is not None and overlaps(pod.net, node[2].net):
        ctx.emit("AKSNET-POD-003", pod.path,
                 f"Kubenet pod CIDR {pod.label} overlaps the node subnet '{node[1].name}' {node[2].text}.")
        return
    hits = [p.text for p in ctx.vnet_space if overlaps(pod.net, p.net)]
    if hits:
        ctx.emit("AKSNET-POD-004", pod.path,
                 f"Kubenet pod CIDR {pod.label} lies in the VNet address space {', '.join(hits)}; pods could not "
                 "reach VNet hosts in that range.")


CHECKS = (check_pod_vs_service, check_overlay_pod_vs_vnet, check_kubenet_pod_vs_vnet)
