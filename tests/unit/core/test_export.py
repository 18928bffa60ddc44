"""Export round trip: exporting a converged live state and planning the exported spec is empty."""

from __future__ import annotations

import pytest
import yaml
from livestate import aks_route_table_id, aks_routes, live_state
from test_plan import SPECS, SUB, spec_named, with_rule

from aksnet.core.desired import desired_state
from aksnet.core.export import export_spec
from aksnet.core.plan import build_plan
from aksnet.model import Live
from aksnet.render.text import render_plan
from aksnet.spec.load import load_spec_text


def _export(live: dict[str, Live]) -> dict:  # type: ignore[type-arg]
    def bodies(kind_path: str) -> list:  # type: ignore[type-arg]
        return [v.body for k, v in live.items() if f"/{kind_path}/" in k and "roleAssignments" not in k]

    [vnet] = bodies("virtualNetworks")
    [cluster] = bodies("managedClusters")
    # AKS's own kubenet table, as a reader listing the node resource group would find it.
    aks_table_id = aks_route_table_id(SUB)
    aks_table = {"id": aks_table_id, "name": aks_table_id.rsplit("/", 1)[-1], "location": "eastus",
                 "properties": {"routes": aks_routes(2)}}
    return export_spec(resource_group="aks-rg", location="eastus", subscription=SUB, vnet=vnet,
                       nsgs=bodies("networkSecurityGroups"),
                       route_tables=[*bodies("routeTables"), aks_table], cluster=cluster)


@pytest.mark.parametrize("name", SPECS)
def test_export_round_trip_plans_no_changes(name: str) -> None:
    spec = with_rule(spec_named(name))
    live = live_state(desired_state(spec, SUB))
    document = _export(live)
    assert all("aks-agentpool" not in t["name"] for t in document["spec"].get("routeTables", []))
    exported = load_spec_text(yaml.safe_dump(document, sort_keys=False), f"exported-{name}.yaml")
    desired = desired_state(exported, SUB)
    assert desired.keys() == live.keys()
    plan = build_plan(desired, live, spec=exported, subscription=SUB)
    assert plan.is_empty, render_plan(plan)
    cluster = document["spec"]["cluster"]
    assert "loadBalancerProfile" not in str(document) and "policy" not in cluster["network"]
    # Written explicitly (the default AKS applied), so the export does not depend on a default that can move.
    assert cluster["nodePool"]["maxPods"] == next(
        b for rid, b in ((r, v.body) for r, v in live.items()) if "/managedClusters/" in rid
    )["properties"]["agentPoolProfiles"][0]["maxPods"]


def test_export_leaves_out_aks_routes_in_a_byo_table() -> None:
    spec = spec_named("azure-cni")
    live = live_state(desired_state(spec, SUB))
    table_id = next(k for k in live if "/routeTables/" in k)
    body = dict(live[table_id].body)
    body["properties"] = {**body["properties"], "routes": aks_routes(3)}
    live[table_id] = Live(table_id, body)
    [table] = _export(live)["spec"]["routeTables"]
    assert table == {"name": "aks-route-table", "routes": []}
