"""The staged kubenet -> Azure CNI Overlay migration: its prerequisites, stages and readiness. Pure.

https://learn.microsoft.com/azure/aks/update-azure-cni (tab kubenet) orders the move: give the cluster a
user-assigned identity (it must be able to detach the route table; the grants first), uninstall any
network policy engine (https://learn.microsoft.com/azure/aks/use-network-policies#uninstall-azure-network-policy-manager-or-calico),
then the one-way IPAM update that reimages every pool at once and removes AKS's kubenet routes, then,
separately, Cilium (https://learn.microsoft.com/azure/aks/azure-cni-powered-by-cilium: never in the same
operation as the IPAM change). Each stage is judged done from live state alone, so a re-run after a
crash continues at the first stage live state does not show (nothing is kept locally).

Blocking conditions with their public sources: Kubernetes 1.27+ and no Windows pools (update-azure-cni),
no dual-stack (IPv6 traffic breaks mid-migration, Azure/AKS#5120), the node subnet's route table shared
with other subnets such as an Application Gateway subnet, whose routes to pods go with AKS's routes
(MicrosoftDocs/azure-aks-docs#334; VMs in other subnets reaching pods the same way, Azure/AKS#4871),
the pod CIDR kept or enlarged and clear of the VNet and service CIDR.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aksnet.core import normalize as n
from aksnet.core.desired import plugin_key
from aksnet.model import Prerequisite, Readiness, Stage

MIN_MIGRATION_VERSION = (1, 27)


@dataclass(frozen=True, slots=True)
class Check:
    category: str  # short label for the fleet summary ("policy engine", "shared route table", ...)
    stage: str  # the stage it gates
    prerequisite: Prerequisite


def _props(body: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return (body or {}).get("properties") or {}


def _net(body: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return _props(body).get("networkProfile") or {}


def identity_ids(body: Mapping[str, Any] | None) -> set[str]:
    identity = (body or {}).get("identity") or {}
    return {str(k).lower() for k in (identity.get("userAssignedIdentities") or {})}


def _policy(value: Any) -> str | None:
    policy = n.enum(value)
    return None if policy in (None, "none") else policy


def _shared_route_table(live: Mapping[str, Any], vnet: Mapping[str, Any] | None) -> tuple[str | None, list[str]]:
    """(route table id of the node subnet, other subnets of the VNet associated with the same table)."""
    pools = _props(live).get("agentPoolProfiles") or ()
    node_subnets = {n.arm_id(p.get("vnetSubnetID")) for p in pools if p.get("vnetSubnetID")}
    subnets = _props(vnet).get("subnets") or ()
    table = next((n.ref_id(_props(s).get("routeTable")) for s in subnets
                  if n.arm_id(s.get("id")) in node_subnets and n.ref_id(_props(s).get("routeTable"))), None)
    if table is None:
        return None, []
    others = [str(s.get("name")) for s in subnets
              if n.arm_id(s.get("id")) not in node_subnets and n.ref_id(_props(s).get("routeTable")) == table]
    return table, others


def migration_checks(source: str, want: Mapping[str, Any], live: Mapping[str, Any], *,
                     vnet: Mapping[str, Any] | None, vnet_prefixes: tuple[str, ...]) -> list[Check]:
    """Every prerequisite of the move from `source` ("kubenet" or "azure") to overlay, with live values.
    A stage earlier in the same apply may meet one (the spec's user-assigned identity, `policy: none`)."""
    props, net, want_net = _props(live), _net(live), _net(want)
    out: list[Check] = []
    version = props.get("currentKubernetesVersion") or props.get("kubernetesVersion")
    parsed = n.version_tuple(version)
    out.append(Check("kubernetes version", "ipam", Prerequisite(
        f"Kubernetes >= 1.27 (live: {version or 'unknown'})",
        parsed is not None and parsed[:2] >= MIN_MIGRATION_VERSION)))
    live_policy, want_policy = _policy(net.get("networkPolicy")), n.enum(want_net.get("networkPolicy"))
    # The Cilium dataplane (a later stage) brings its own engine: a spec asking for it has the old one
    # uninstalled first by the policy stage.
    cilium_later = n.enum(want_net.get("networkDataplane")) == "cilium" and want_policy in (None, "cilium", "none")
    out.append(Check("policy engine", "policy", Prerequisite(
        f"no network policy engine (live: {live_policy or 'none'}, spec: {want_policy or 'not set'}); "
        "set network.policy: none to uninstall it first",
        live_policy in (None, "cilium") or want_policy == "none" or cilium_later)))
    pools = props.get("agentPoolProfiles") or ()
    windows = [str(p.get("name")) for p in pools if n.enum(p.get("osType")) == "windows"]
    out.append(Check("windows pools", "ipam", Prerequisite(
        f"no Windows node pools (live: {', '.join(windows) or 'none'})", not windows)))
    families = [str(f) for f in net.get("ipFamilies") or ("IPv4",)]
    out.append(Check("dual-stack", "ipam", Prerequisite(
        f"single-stack IPv4 (live ipFamilies: {', '.join(families)})", "ipv6" not in {f.lower() for f in families})))
    if source == "kubenet":
        live_type = n.enum((live.get("identity") or {}).get("type")) or "none"
        want_type = n.enum((want.get("identity") or {}).get("type")) or live_type
        out.append(Check("identity", "identity", Prerequisite(
            f"a user-assigned cluster identity, to detach the route table (live: {live_type}, spec: {want_type})",
            want_type == "userassigned")))
        table, others = _shared_route_table(live, vnet)
        where = f"route table {table.rsplit('/', 1)[-1]}" if table else "no route table"
        out.append(Check("shared route table", "ipam", Prerequisite(
            f"the node subnet's route table is not shared with other subnets, whose hosts reach pods through "
            f"AKS's kubenet routes (live: {where}" + (f", shared with {', '.join(others)})" if others else ")"),
            not others)))
    pod = want_net.get("podCidr") or net.get("podCidr")
    if source == "azure":
        out.append(Check("pod CIDR", "ipam", Prerequisite(
            "podCidr set in the spec (required when leaving the node subnet)", bool(want_net.get("podCidr")))))
    if pod:
        service = want_net.get("serviceCidr") or net.get("serviceCidr")
        clashes = [p for p in (*vnet_prefixes, service) if p and n.overlaps(str(pod), str(p))]
        out.append(Check("pod CIDR", "ipam", Prerequisite(
            f"the pod CIDR {pod} must overlap neither the VNet nor the service CIDR"
            + (f" (overlaps {', '.join(map(str, clashes))})" if clashes else ""), not clashes)))
    return out


def migration_stages(want: Mapping[str, Any], live: Mapping[str, Any], checks: list[Check]) -> tuple[Stage, ...]:
    """The ordered stages of a migration to overlay, each marked done when live state already shows it."""
    net, want_net = _net(live), _net(want)
    gates = {name: tuple(c.prerequisite for c in checks if c.stage == name)
             for name in ("identity", "policy", "ipam")}
    want_ids, live_ids = identity_ids(want), identity_ids(live)
    live_type = n.enum((live.get("identity") or {}).get("type"))
    stages = [
        Stage("identity", "user-assigned identity: create it, grant Network Contributor on the node subnet "
              "(and route table), switch the cluster to it (the control plane may keep using the old identity "
              "for a while)", live_type == "userassigned" and (not want_ids or want_ids == live_ids),
              gates["identity"]),
        # Cilium's own policy engine (after the dataplane stage) is not the one this stage removes.
        Stage("policy", "uninstall the network policy engine (networkPolicy: none, in place)",
              _policy(net.get("networkPolicy")) in (None, "cilium"), gates["policy"]),
        Stage("ipam", "migrate IPAM to Azure CNI Overlay (one-way; reimages every node pool at once; AKS "
              f"removes its kubenet routes; pod CIDR {want_net.get('podCidr') or net.get('podCidr')})",
              plugin_key(net.get("networkPlugin"), net.get("networkPluginMode")) == "overlay", gates["ipam"]),
    ]
    if n.enum(want_net.get("networkDataplane")) == "cilium":
        stages.append(Stage("dataplane", "switch the dataplane to Cilium (its own operation, after the IPAM "
                            "migration)", n.enum(net.get("networkDataplane")) == "cilium"))
    stages.append(Stage("verify", "plugin mode overlay, AKS's kubenet routes gone, pod CIDR as planned, "
                        "cluster Succeeded", False))
    return tuple(stages)


def readiness(address: str, live: Mapping[str, Any], *, vnet: Mapping[str, Any] | None,
              vnet_prefixes: tuple[str, ...], want: Mapping[str, Any] | None = None) -> Readiness:
    """Can this live kubenet cluster migrate to overlay now? Judged on live state (a spec that already
    plans the identity or `policy: none` counts as meeting those, since the staged apply does them)."""
    target = dict(want or {})
    checks = migration_checks("kubenet", target, live, vnet=vnet, vnet_prefixes=vnet_prefixes)
    # The identity is not a blocker: adding one to the spec is harmless and the staged apply creates,
    # grants and switches it (stage 1). Removing a policy engine is a posture decision, so it blocks.
    blockers = tuple((c.category, c.prerequisite.description) for c in checks
                     if not c.prerequisite.met and c.category != "identity")
    return Readiness(address, not blockers, blockers, tuple(c.prerequisite for c in checks))


def live_vnet(live_bodies: Mapping[str, Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The live VNet among the bodies read (the spec has one)."""
    for rid, body in live_bodies.items():
        if rid.lower().rstrip("/").rsplit("/", 2)[-2] == "virtualnetworks":
            return body
    return None
