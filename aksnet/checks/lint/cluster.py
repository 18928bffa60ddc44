"""AKSNET012-014: cluster-wide network posture (network policy, private cluster, network plugin).

Source: Checkov AKSNetworkPolicy.py (CKV_AZURE_7: network_policy set to any value), AKSEnablesPrivateClusters.py
(CKV_AZURE_115), graph check AzureAKSclusterAzureCNIEnabled.yaml (CKV2_AZURE_29: network_plugin azure).
"""

from __future__ import annotations

from collections.abc import Iterator

from aksnet.checks.lint.hits import Hit
from aksnet.spec.types import Spec

_NETWORK = ("spec", "cluster", "network")


def check(spec: Spec) -> Iterator[Hit]:
    cluster = spec.cluster
    address = f"aks.{cluster.name}"
    network = cluster.network
    # "none" is how the API spells "no policy"; treat it as unset
    if not network.policy or network.policy.lower() == "none":
        yield Hit(
            "AKSNET012",
            _NETWORK if network.policy is None else (*_NETWORK, "policy"),
            f'cluster "{cluster.name}" has no network policy engine, so NetworkPolicy objects are not enforced',
            address,
            cluster.lint,
        )
    if cluster.api_server.private_cluster is not True:
        yield Hit(
            "AKSNET013",
            ("spec", "cluster", "apiServer"),
            f'cluster "{cluster.name}" is not a private cluster: its API server has a public endpoint',
            address,
            cluster.lint,
        )
    if network.plugin.lower() != "azure":
        yield Hit(
            "AKSNET014",
            (*_NETWORK, "plugin"),
            f'cluster "{cluster.name}" uses network plugin "{network.plugin}", not Azure CNI',
            address,
            cluster.lint,
        )
