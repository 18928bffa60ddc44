"""User-assigned identities in the spec: the object form of cluster.identity, its references, the
route-table rule it relaxes, `policy: none` and `dataplane: cilium` (additive to aksnet/v1)."""

from __future__ import annotations

from spec_samples import BASE, errors_of, load, only, variant

from aksnet.checks.rules import check
from aksnet.spec.load import load_spec

IDENTITIES = "  identities:\n    userAssignedIdentities:\n      - name: id-aks\n      - name: id-kubelet\n        resourceGroup: other-rg\n"


def uai(identity: str, text: str | None = None) -> str:
    text = variant("  cluster:\n", IDENTITIES + "  cluster:\n", text or BASE)
    return variant("    subnet: aks-subnet\n", f"    subnet: aks-subnet\n    identity: {identity}\n", text)


def test_existing_v1_spec_unchanged() -> None:
    spec = load_spec("specs/kubenet.yaml")
    assert (spec.cluster.identity, spec.cluster.identity_name, spec.identities) == ("SystemAssigned", None, ())


def test_user_assigned_object_form_builds() -> None:
    spec = load(uai("{type: UserAssigned, name: id-aks, kubeletIdentity: id-kubelet}"))
    assert (spec.cluster.identity, spec.cluster.identity_name, spec.cluster.kubelet_identity) == (
        "UserAssigned", "id-aks", "id-kubelet")
    assert [(i.name, i.resource_group) for i in spec.identities] == [("id-aks", None), ("id-kubelet", "other-rg")]


def test_dangling_identity_is_located_with_a_suggestion() -> None:
    finding = only(errors_of(uai("{type: UserAssigned, name: id-ak}")))
    assert (finding.rule, finding.path, finding.fix) == ("AKSNET-REF-006", "spec.cluster.identity.name",
                                                         "did you mean 'id-aks'?")


def test_user_assigned_without_name_is_refused() -> None:
    finding = only(errors_of(uai("{type: UserAssigned}")))
    assert (finding.rule, finding.path) == ("AKSNET-REF-006", "spec.cluster.identity")


def test_kubenet_own_route_table_needs_user_assigned_identity() -> None:
    kubenet = variant("      plugin: azure\n", "      plugin: kubenet\n      podCidr: 192.168.0.0/16\n")
    with_table = variant("        networkSecurityGroup: aks-nsg\n",
                         "        networkSecurityGroup: aks-nsg\n        routeTable: aks-route-table\n", kubenet)
    with_table = variant("  cluster:\n", "  routeTables:\n    - name: aks-route-table\n  cluster:\n", with_table)
    system = [f.rule for f in check(load(with_table))]
    assert "AKSNET-RT-005" in system
    user = [f.rule for f in check(load(uai("{type: UserAssigned, name: id-aks}", with_table)))]
    assert "AKSNET-RT-005" not in user


def test_policy_none_and_cilium_dataplane() -> None:
    text = variant("      plugin: azure\n", "      plugin: azure\n      policy: none\n      dataplane: cilium\n")
    spec = load(text)
    assert (spec.cluster.network.policy, spec.cluster.network.dataplane) == ("none", "cilium")
