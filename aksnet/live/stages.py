"""Apply a staged kubenet -> Azure CNI Overlay migration: one cluster write per stage, in order, each
awaited, then a verification of the result.

Which stage comes next is decided from a fresh GET every time (`core.stages.migration_stages` marks a
stage done when live state shows it), so a run killed at any point continues, when run again, at the
first stage live state does not show; an operation still in flight is awaited, never repeated. Stage
bodies are read-modify-writes (`core.merge`) carrying only that stage's fields on top of live state;
the IPAM stage carries the whole spec except the dataplane, which moves last in its own operation
(https://learn.microsoft.com/azure/aks/update-azure-cni).
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping
from typing import Any

from aksnet.core import normalize as n
from aksnet.core.desired import plugin_key
from aksnet.core.diff.network import is_aks_route
from aksnet.core.stages import migration_stages
from aksnet.errors import AksnetError
from aksnet.live.steps import StepContext, _put, wait_until_idle
from aksnet.model import Change, Desired

Body = dict[str, Any]


def _props(body: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return (body or {}).get("properties") or {}


def stage_body(stage: str, want: Mapping[str, Any]) -> Body:
    """What one stage writes on top of live state."""
    if stage == "identity":
        body: Body = {"identity": copy.deepcopy(dict(want.get("identity") or {}))}
        profile = _props(want).get("identityProfile")
        if profile:
            body["properties"] = {"identityProfile": copy.deepcopy(profile)}
        return body
    if stage == "policy":
        return {"properties": {"networkProfile": {"networkPolicy": "none"}}}
    full = copy.deepcopy(dict(want))
    if stage == "ipam":
        network = dict(_props(full).get("networkProfile") or {})
        if network.pop("networkDataplane", None) is not None and network.get("networkPolicy") not in (None, "none"):
            network["networkPolicy"] = "none"  # Cilium's engine comes with its dataplane, in the next stage
        full["properties"] = {**_props(full), "networkProfile": network}
    return full


def run_staged(ctx: StepContext, change: Change, desired: Desired) -> None:
    """Every unfinished stage in order (a fresh GET decides each), then the verification."""
    rid, address = desired.id, change.address
    wrote_all = False
    for _ in range(len(change.stages) + 1):
        live = wait_until_idle(ctx, rid, address, announce=True)
        if live is None:
            raise AksnetError(f"{address}: the cluster no longer exists; run `aksnet plan`")
        pending = [s for s in migration_stages(desired.body, live, []) if not s.done and s.name != "verify"]
        if not pending:
            break
        stage = pending[0]
        ctx.progress.note(f"{address}: stage {stage.name}: {stage.description}")
        _put(ctx, dataclasses.replace(desired, body=stage_body(stage.name, desired.body)),
             f"{address} [{stage.name}]", "update", from_scratch=False)
        wrote_all = stage.name in ("ipam", "dataplane") and stage is pending[-1]
    if not wrote_all:  # anything else the spec changes on the cluster (tags, counts, ...)
        _put(ctx, desired, address, "update", from_scratch=False)
    verify_migration(ctx, desired, address)


def verify_migration(ctx: StepContext, desired: Desired, address: str) -> None:
    """Plugin mode overlay, pod CIDR as planned, Succeeded, and no AKS kubenet route left in the node
    subnet's route table (AKS removes them during the migration)."""
    live = wait_until_idle(ctx, desired.id, address, announce=False) or {}
    ctx.live_bodies[desired.id] = live
    net, want_net = _props(live).get("networkProfile") or {}, _props(desired.body).get("networkProfile") or {}
    problems = []
    if plugin_key(net.get("networkPlugin"), net.get("networkPluginMode")) != "overlay":
        problems.append(f"network plugin is {net.get('networkPlugin')}/{net.get('networkPluginMode')}, not overlay")
    if want_net.get("podCidr") and n.cidr(want_net.get("podCidr")) != n.cidr(net.get("podCidr")):
        problems.append(f"pod CIDR is {net.get('podCidr')}, planned {want_net.get('podCidr')}")
    state = str(_props(live).get("provisioningState") or "")
    if state.lower() != "succeeded":
        problems.append(f"provisioningState is {state}")
    for table in _node_route_tables(ctx, live):
        left = [str(r.get("name")) for r in _props(ctx.api.get(table)).get("routes") or ()
                if is_aks_route(str(r.get("name", "")))]
        if left:
            problems.append(f"AKS's kubenet routes still in {table.rsplit('/', 1)[-1]}: {', '.join(left)}")
    if problems:
        raise AksnetError(f"{address}: the migration did not verify: {'; '.join(problems)}",
                          hint="run `aksnet apply` again (it continues from live state), or check the cluster")
    ctx.progress.note(f"{address}: verified: Azure CNI Overlay, pod CIDR {net.get('podCidr')}, "
                      "no kubenet routes left, Succeeded")


def _node_route_tables(ctx: StepContext, live: Mapping[str, Any]) -> list[str]:
    subnets = {str(p["vnetSubnetID"]) for p in _props(live).get("agentPoolProfiles") or () if p.get("vnetSubnetID")}
    tables = []
    for subnet in sorted(subnets):
        ref = _props(ctx.api.get(subnet)).get("routeTable") or {}
        if ref.get("id"):
            tables.append(str(ref["id"]))
    return tables
