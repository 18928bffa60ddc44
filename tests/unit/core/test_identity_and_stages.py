"""User-assigned identities in the desired state, and the staged migration's stages and readiness. Pure."""

from __future__ import annotations

from dataclasses import replace

from builders import walkthrough, with_cluster

from aksnet.core.desired import desired_state
from aksnet.core.stages import migration_checks, migration_stages, readiness
from aksnet.ids import Kind
from aksnet.spec.types import Spec, UserAssignedIdentity

SUB = "00000000-0000-0000-0000-000000000000"


def uai_kubenet(kubelet: bool = False) -> Spec:
    spec = walkthrough("kubenet")
    vnet = spec.virtual_network
    subnet = replace(vnet.subnets[0], route_table="aks-route-table")
    spec = replace(spec, virtual_network=replace(vnet, subnets=(subnet,)),
                   identities=(UserAssignedIdentity("id-aks"), UserAssignedIdentity("id-kubelet", "ids-rg")))
    return with_cluster(spec, identity="UserAssigned", identity_name="id-aks",
                        kubelet_identity="id-kubelet" if kubelet else None)


def test_user_assigned_grants_precede_the_cluster() -> None:
    state = desired_state(uai_kubenet(kubelet=True), SUB)
    cluster = next(d for d in state.values() if d.kind is Kind.CLUSTER)
    identity = next(d for d in state.values() if d.kind is Kind.IDENTITY and d.name == "id-aks")
    grants = [d for d in state.values() if d.kind is Kind.ROLE_ASSIGNMENT]
    assert sorted(g.name for g in grants) == ["id-aks-identity-operator-kubelet",
                                              "id-aks-network-contributor-route-table",
                                              "id-aks-network-contributor-subnet"]
    assert all(g.id in cluster.depends_on and identity.id in g.depends_on for g in grants)
    assert all(g.body["properties"]["principalId"]["resource"] == identity.id for g in grants)
    assert cluster.body["identity"] == {"type": "UserAssigned", "userAssignedIdentities": {identity.id: {}}}
    kubelet = cluster.body["properties"]["identityProfile"]["kubeletidentity"]["resourceId"]
    assert "/resourceGroups/ids-rg/" in kubelet and kubelet.endswith("/id-kubelet")
    other_group = next(d for d in state.values() if d.kind is Kind.IDENTITY and d.name == "id-kubelet")
    assert other_group.depends_on == frozenset()  # a resource group the spec does not own


def test_system_assigned_keeps_its_single_grant_after_the_cluster() -> None:
    state = desired_state(walkthrough("kubenet"), SUB)
    [grant] = [d for d in state.values() if d.kind is Kind.ROLE_ASSIGNMENT]
    cluster = next(d for d in state.values() if d.kind is Kind.CLUSTER)
    assert cluster.id in grant.depends_on and not any(d.kind is Kind.IDENTITY for d in state.values())


def _live(policy: str = "none", identity: str = "SystemAssigned", families: tuple[str, ...] = ("IPv4",),
          other_subnet_shares: bool = False, version: str = "1.33.3") -> tuple[dict, dict]:  # type: ignore[type-arg]
    subnet = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v/subnets/aks"
    table = {"id": "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/routeTables/rt"}
    subnets = [{"id": subnet, "name": "aks", "properties": {"routeTable": table}}]
    if other_subnet_shares:
        subnets.append({"id": subnet + "-appgw", "name": "appgw", "properties": {"routeTable": table}})
    live = {"identity": {"type": identity}, "properties": {
        "currentKubernetesVersion": version,
        "agentPoolProfiles": [{"name": "p", "osType": "Linux", "vnetSubnetID": subnet}],
        "networkProfile": {"networkPlugin": "kubenet", "podCidr": "192.168.0.0/16", "serviceCidr": "10.32.0.0/16",
                           "networkPolicy": policy, "ipFamilies": list(families)}}}
    return live, {"properties": {"subnets": subnets}}


WANT = {"identity": {"type": "UserAssigned", "userAssignedIdentities": {"/x/id-aks": {}}},
        "properties": {"networkProfile": {"networkPlugin": "azure", "networkPluginMode": "overlay",
                                          "podCidr": "192.168.0.0/16", "networkPolicy": "none"}}}


def test_stages_in_order_and_done_from_live_state() -> None:
    live, vnet = _live(policy="calico")
    checks = migration_checks("kubenet", WANT, live, vnet=vnet, vnet_prefixes=("10.0.0.0/8",))
    assert all(c.prerequisite.met for c in checks)
    stages = migration_stages(WANT, live, checks)
    assert [(s.name, s.done) for s in stages] == [("identity", False), ("policy", False), ("ipam", False),
                                                 ("verify", False)]
    live["identity"] = {"type": "UserAssigned", "userAssignedIdentities": {"/X/ID-AKS": {}}}  # ids: any case
    live["properties"]["networkProfile"]["networkPolicy"] = "none"
    assert [s.done for s in migration_stages(WANT, live, checks)][:3] == [True, True, False]


def test_readiness_blockers_and_identity_is_not_one() -> None:
    live, vnet = _live(policy="azure", families=("IPv4", "IPv6"), other_subnet_shares=True, version="1.26.3")
    result = readiness("aks.c", live, vnet=vnet, vnet_prefixes=("10.0.0.0/8",), want={})
    assert not result.ready
    assert [c for c, _ in result.blockers] == ["kubernetes version", "policy engine", "dual-stack",
                                               "shared route table"]
    assert "shared with appgw" in dict(result.blockers)["shared route table"]
    ready = readiness("aks.c", *_live()[:1], vnet=_live()[1], vnet_prefixes=("10.0.0.0/8",), want={})
    assert ready.ready and any("user-assigned" in p.description and not p.met for p in ready.checks)


def test_cilium_target_counts_as_removing_the_old_engine() -> None:
    live, vnet = _live(policy="calico")
    want = {**WANT, "properties": {"networkProfile": {**WANT["properties"]["networkProfile"],  # type: ignore[index]
                                                      "networkPolicy": None, "networkDataplane": "cilium"}}}
    checks = migration_checks("kubenet", want, live, vnet=vnet, vnet_prefixes=())
    assert next(c for c in checks if c.category == "policy engine").prerequisite.met
    assert [s.name for s in migration_stages(want, live, checks)][-2:] == ["dataplane", "verify"]


def test_export_writes_the_identities_back_and_round_trips() -> None:
    import yaml

    from aksnet.core.export import export_spec
    from aksnet.spec.load import load_spec_text

    spec = uai_kubenet(kubelet=True)
    state = desired_state(spec, SUB)
    cluster = next(d for d in state.values() if d.kind is Kind.CLUSTER)
    vnet = next(d for d in state.values() if d.kind is Kind.VNET)
    nsg = next(d for d in state.values() if d.kind is Kind.NSG)
    table = next(d for d in state.values() if d.kind is Kind.ROUTE_TABLE)
    live_cluster = {**cluster.body, "id": cluster.id, "name": cluster.name,
                    "properties": {**cluster.body["properties"], "nodeResourceGroup": "MC_aks-rg_aks-cluster_eastus"}}
    subnets = [{**s, "id": f"{vnet.id}/subnets/{s['name']}"} for s in vnet.body["properties"]["subnets"]]
    live_vnet = {**vnet.body, "id": vnet.id, "name": vnet.name, "properties": {**vnet.body["properties"],
                                                                               "subnets": subnets}}
    document = export_spec(resource_group="aks-rg", location="eastus", subscription=SUB, vnet=live_vnet,
                           nsgs=[{**nsg.body, "id": nsg.id, "name": nsg.name}],
                           route_tables=[{**table.body, "id": table.id, "name": table.name}], cluster=live_cluster)
    exported = document["spec"]
    assert exported["cluster"]["identity"] == {"type": "UserAssigned", "name": "id-aks", "kubeletIdentity": "id-kubelet"}
    assert exported["identities"] == {"userAssignedIdentities": [{"name": "id-aks"},
                                                                 {"name": "id-kubelet", "resourceGroup": "ids-rg"}]}
    again = load_spec_text(yaml.safe_dump(document), "exported.yaml")
    assert again.cluster.identity_name == "id-aks" and again.cluster.kubelet_identity == "id-kubelet"
    # the exported spec implies the same cluster identity body and grants as the original
    rebuilt = desired_state(again, SUB)
    assert rebuilt[cluster.id].body["identity"] == cluster.body["identity"]
    assert sorted(d.id for d in rebuilt.values() if d.kind is Kind.ROLE_ASSIGNMENT) == sorted(
        d.id for d in state.values() if d.kind is Kind.ROLE_ASSIGNMENT)
