"""specs/: the three clusters of the walkthrough (kubenet, Azure CNI, Azure CNI Overlay)."""

from __future__ import annotations

from pathlib import Path

import pytest

from aksnet.cli.cmd_validate import validate_path
from aksnet.model import Severity
from aksnet.spec.load import load_spec
from aksnet.spec.types import ApiServer, Spec

ROOT = Path(__file__).resolve().parents[3]
NAMES = ("kubenet.yaml", "azure-cni.yaml", "azure-cni-overlay.yaml")


def spec(name: str) -> Spec:
    return load_spec(str(ROOT / "specs" / name))


@pytest.mark.parametrize("name", NAMES)
def test_shared_network_and_cluster_shape(name: str) -> None:
    s = spec(name)
    assert s.subscription_id == "00000000-0000-0000-0000-000000000000"
    assert (s.resource_group, s.location) == ("aks-rg", "eastus")
    assert (s.virtual_network.name, s.virtual_network.address_space) == ("vNet_aks_useast", ("10.0.0.0/8",))
    (subnet,) = s.virtual_network.subnets
    assert (subnet.name, subnet.address_prefix, subnet.network_security_group) == ("aks-subnet", "10.100.0.0/16", "aks-nsg")
    (nsg,) = s.network_security_groups
    assert (nsg.name, nsg.rules) == ("aks-nsg", ())
    c = s.cluster
    assert (c.name, c.subnet, c.node_pool.count, c.node_pool.max_surge) == ("aks-cluster", "aks-subnet", 2, "1")
    assert c.node_pool.max_pods is None and c.linux_profile is None
    assert (c.network.service_cidr, c.network.dns_service_ip) == ("10.32.0.0/16", "10.32.0.10")
    assert s.name  # metadata.name
    assert (ROOT / "specs" / name).read_text().startswith("# ")  # header citing the walkthrough


def test_kubenet() -> None:
    s = spec("kubenet.yaml")
    assert s.virtual_network.subnets[0].route_table is None  # R54: AKS brings its own route table
    assert s.route_tables == ()
    assert (s.cluster.network.plugin, s.cluster.network.plugin_mode, s.cluster.network.pod_cidr) == ("kubenet", None, "10.244.0.0/16")
    assert s.cluster.api_server == ApiServer(authorized_ip_ranges=("39.100.100.100/32",))


def test_azure_cni() -> None:
    s = spec("azure-cni.yaml")
    assert s.virtual_network.subnets[0].route_table == "aks-route-table"
    assert [(t.name, t.routes) for t in s.route_tables] == [("aks-route-table", ())]
    assert (s.cluster.network.plugin, s.cluster.network.plugin_mode, s.cluster.network.pod_cidr) == ("azure", None, None)
    assert s.cluster.api_server == ApiServer(authorized_ip_ranges=("39.51.100.100/32",))


def test_azure_cni_overlay() -> None:
    s = spec("azure-cni-overlay.yaml")
    assert s.virtual_network.subnets[0].route_table == "aks-route-table"
    assert [(t.name, t.routes) for t in s.route_tables] == [("aks-route-table", ())]
    net = s.cluster.network
    assert (net.plugin, net.plugin_mode, net.pod_cidr) == ("azure", "overlay", "172.17.0.0/16")
    assert s.cluster.api_server == ApiServer(authorized_ip_ranges=("39.100.100.100/32",))


@pytest.mark.parametrize("name", NAMES)
def test_validate_finds_no_errors(name: str) -> None:
    # Loader + schema + references, plus aksnet.checks.rules.check once it is importable (warnings are fine).
    findings = validate_path(str(ROOT / "specs" / name))
    assert [f for f in findings if f.severity is Severity.ERROR] == []
