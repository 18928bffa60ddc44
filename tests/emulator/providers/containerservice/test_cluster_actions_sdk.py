"""Endpoints real clients call besides the resource itself, through the real SDK: Kubernetes versions
(`az aks create` without --kubernetes-version, `az aks get-versions`), orchestrators (Ansible's
azure_rm_aks, every run), credentials (`az aks get-credentials`) and the upgrade profile
(`az aks get-upgrades`). Shapes as in the official examples (azure-rest-api-specs
Microsoft.ContainerService/aks/stable/*/examples)."""

from __future__ import annotations

import base64

import pytest
import yaml
from azure.core.exceptions import ResourceNotFoundError
from rawarm import RawArm
from sdk_clients import SUBSCRIPTION, SdkClients

pytestmark = pytest.mark.emulator
RG = "actions-rg"


def _cluster(sdk: SdkClients) -> object:
    sdk.resource.resource_groups.create_or_update(RG, {"location": "eastus"})
    return sdk.aks.managed_clusters.begin_create_or_update(RG, "aks1", {
        "location": "eastus", "identity": {"type": "SystemAssigned"},
        "properties": {"dnsPrefix": "aks1", "kubernetesVersion": "1.32",
                       "agentPoolProfiles": [{"name": "nodepool1", "count": 1, "mode": "System"}],
                       "networkProfile": {"networkPlugin": "kubenet"}}}).result()


def test_kubernetes_versions_have_one_default_and_upgrade_paths(sdk: SdkClients) -> None:
    result = sdk.aks.managed_clusters.list_kubernetes_versions("eastus")
    # newer SDKs rename the field `values_property` (`values` is the mapping method there)
    listed = getattr(result, "values_property", None) or result.values
    minors = [v.version for v in listed]
    assert minors == sorted(minors, key=lambda m: tuple(map(int, m.split("."))))
    assert [v.version for v in listed if v.is_default] == ["1.33"]
    oldest = listed[0]
    [(patch, upgrades)] = oldest.patch_versions.items()
    assert patch.startswith(oldest.version + ".") and upgrades.upgrades
    assert all(u.split(".")[1] in (oldest.version.split(".")[1], str(int(oldest.version.split(".")[1]) + 1))
               for u in upgrades.upgrades)


def test_orchestrators_list_kubernetes_with_a_default(sdk: SdkClients) -> None:
    raw = RawArm(sdk.endpoint, sdk.ca_file)
    path = f"/subscriptions/{SUBSCRIPTION}/providers/Microsoft.ContainerService/locations/eastus/orchestrators"
    for version in ("2019-08-01", "2024-08-01"):  # location.json's, and a managedClusters one
        got = raw.call("GET", f"{path}?api-version={version}&resource-type=managedClusters")
        assert got.status == 200, got.body
        orchestrators = got.body["properties"]["orchestrators"]
        assert {o["orchestratorType"] for o in orchestrators} == {"Kubernetes"}
        assert [o["orchestratorVersion"] for o in orchestrators if o.get("default")] == ["1.33.3"]
    assert raw.call("GET", f"{path}?api-version=2001-01-01").status == 400


@pytest.mark.parametrize(("call", "user"), [("list_cluster_user_credentials", "clusterUser"),
                                            ("list_cluster_admin_credentials", "clusterAdmin")])
def test_credentials_are_a_kubeconfig_naming_the_cluster_fqdn(sdk: SdkClients, call: str, user: str) -> None:
    cluster = _cluster(sdk)
    result = getattr(sdk.aks.managed_clusters, call)(RG, "aks1")
    [kubeconfig] = result.kubeconfigs
    assert kubeconfig.name == user
    # The SDK decodes `value` (base64 on the wire) to bytes.
    raw_value = kubeconfig.value
    text = raw_value.decode() if isinstance(raw_value, bytes) else base64.b64decode(raw_value).decode()
    doc = yaml.safe_load(text)
    assert doc["kind"] == "Config"
    assert doc["clusters"][0]["cluster"]["server"] == f"https://{cluster.fqdn}:443"  # type: ignore[attr-defined]
    assert doc["current-context"] in {c["name"] for c in doc["contexts"]}


def test_credentials_of_a_missing_cluster_are_404(sdk: SdkClients) -> None:
    sdk.resource.resource_groups.create_or_update(RG, {"location": "eastus"})
    with pytest.raises(ResourceNotFoundError):
        sdk.aks.managed_clusters.list_cluster_user_credentials(RG, "nope")


def test_upgrade_profile_offers_the_next_versions(sdk: SdkClients) -> None:
    _cluster(sdk)
    profile = sdk.aks.managed_clusters.get_upgrade_profile(RG, "aks1")
    assert profile.name == "default"
    assert profile.control_plane_profile.kubernetes_version == "1.32.7"
    upgrades = [u.kubernetes_version for u in profile.control_plane_profile.upgrades]
    assert upgrades and all(u.startswith(("1.32.", "1.33.")) for u in upgrades)
    [pool] = profile.agent_pool_profiles
    assert pool.name == "nodepool1" and pool.kubernetes_version == "1.32.7"
