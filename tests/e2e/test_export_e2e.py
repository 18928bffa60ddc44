"""`aksnet export` against the emulator through the real SDK.

Round trip: apply a spec, export the cluster, and the exported spec validates and plans no changes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from aksnet_run import SPEC_FILES, SPECS, aksnet_env, last_index, run_cli, spec_copy, writes

from aksnet.spec.schema import SCHEMA_PATH

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("aksnet_env")]
__all__ = ["aksnet_env"]
RG = "aks-rg"

RULES = """  networkSecurityGroups:
    - name: aks-nsg
      rules:
        - name: allow-https
          priority: 100
          direction: Inbound
          access: Allow
          protocol: Tcp
          source: [10.0.0.0/8, 192.168.0.0/16]
          destination: '*'
          destinationPorts: ['443', 8000-8080]
        - name: deny-out
          priority: 4000
          direction: Outbound
          access: Deny
          protocol: '*'
          source: '*'
          destination: Internet
"""
ROUTES = """  routeTables:
    - name: aks-route-table
      routes:
        - name: to-firewall
          addressPrefix: 0.0.0.0/0
          nextHopType: VirtualAppliance
          nextHopIpAddress: 10.1.0.4
        - name: local
          addressPrefix: 10.100.0.0/16
          nextHopType: VnetLocal
"""


def apply(emulator: Any, path: str) -> None:
    result = run_cli(emulator, "apply", path, "--auto-approve")
    assert result.code == 0, result.stdout + result.stderr


def export(emulator: Any, admin: Any, out: Path, *extra: str, group: str = RG) -> dict[str, Any]:
    since = last_index(admin)
    result = run_cli(emulator, "export", "--resource-group", group, "--cluster", "aks-cluster", "--out", str(out),
                     *extra)
    assert result.code == 0, result.stderr
    assert result.stdout == ""  # --out: the spec goes to the file only
    assert writes(admin, since) == [], "export must never write"
    text = out.read_text()
    modeline, _, rest = text.partition("\n")  # editors check the exported spec against the schema
    assert modeline == "# yaml-language-server: $schema=" + json.loads(SCHEMA_PATH.read_text())["$id"]
    assert rest.startswith("# Exported by aksnet")
    document: dict[str, Any] = yaml.safe_load(text)
    return document


def assert_round_trip(emulator: Any, admin: Any, path: Path) -> None:
    valid = run_cli(None, "validate", str(path))
    assert valid.code == 0, valid.stdout + valid.stderr
    since = last_index(admin)
    plan = run_cli(emulator, "plan", str(path), "--detailed-exitcode")
    assert plan.code == 0, plan.stdout + plan.stderr
    assert "No changes" in plan.stdout
    assert writes(admin, since) == []


@pytest.mark.parametrize("name", SPEC_FILES)
def test_export_round_trip(emulator: Any, admin: Any, tmp_path: Path, name: str) -> None:
    apply(emulator, str(SPECS / name))
    out = tmp_path / "exported.yaml"
    original = yaml.safe_load((SPECS / name).read_text())["spec"]
    document = export(emulator, admin, out, group=original["resourceGroup"])
    exported = document["spec"]
    assert exported["virtualNetwork"] == original["virtualNetwork"]
    assert exported["networkSecurityGroups"] == original["networkSecurityGroups"]
    assert exported.get("routeTables", []) == original.get("routeTables", [])  # kubenet: AKS's table left out
    network = exported["cluster"]["network"]
    # Everything the spec said, plus what Azure filled in and export states explicitly.
    assert {k: network.get(k) for k in original["cluster"]["network"]} == original["cluster"]["network"]
    assert set(network) - set(original["cluster"]["network"]) <= {"outboundType"}
    assert exported["cluster"].get("apiServer") == original["cluster"].get("apiServer")
    # a user-assigned identity comes back as the spec named it (identity and its declaration)
    assert exported["cluster"].get("identity", "SystemAssigned") == original["cluster"].get("identity", "SystemAssigned")
    assert exported.get("identities") == original.get("identities")
    assert_round_trip(emulator, admin, out)


def test_export_with_rules_and_routes_round_trips(emulator: Any, admin: Any, tmp_path: Path) -> None:
    text = (SPECS / "azure-cni.yaml").read_text()
    text = text.replace("  networkSecurityGroups:\n    - name: aks-nsg\n      rules: []\n", RULES)
    text = text.replace("  routeTables:\n    - name: aks-route-table\n      routes: []\n", ROUTES)
    assert "allow-https" in text and "to-firewall" in text
    source = tmp_path / "busy.yaml"
    source.write_text(text)
    apply(emulator, str(source))
    out = tmp_path / "exported.yaml"
    document = export(emulator, admin, out)
    [nsg] = document["spec"]["networkSecurityGroups"]
    assert [r["name"] for r in nsg["rules"]] == ["allow-https", "deny-out"]
    [table] = document["spec"]["routeTables"]
    assert {r["name"] for r in table["routes"]} == {"to-firewall", "local"}
    assert_round_trip(emulator, admin, out)


def test_kubenet_export_leaves_out_aks_route_table_and_routes(emulator: Any, admin: Any, sdk: Any,
                                                             tmp_path: Path) -> None:
    apply(emulator, str(SPECS / "kubenet.yaml"))
    # The emulator, like AKS, made its own route table in the node resource group with a route per node.
    cluster = sdk.aks.managed_clusters.get(RG, "aks-cluster")
    vnet = sdk.network.virtual_networks.get(RG, "vNet_aks_useast")
    [subnet] = vnet.subnets
    assert subnet.route_table is not None and cluster.node_resource_group.lower() in subnet.route_table.id.lower()
    aks_table = sdk.network.route_tables.get(cluster.node_resource_group, subnet.route_table.id.rsplit("/", 1)[-1])
    assert aks_table.routes
    out = tmp_path / "exported.yaml"
    document = export(emulator, admin, out)
    assert "routeTables" not in document["spec"]
    assert "routeTable" not in document["spec"]["virtualNetwork"]["subnets"][0]
    assert aks_table.name not in out.read_text()
    assert_round_trip(emulator, admin, out)


def test_export_to_stdout_is_one_yaml_document_and_the_name_can_be_set(emulator: Any, admin: Any,
                                                                        tmp_path: Path) -> None:
    apply(emulator, str(SPECS / "azure-cni-overlay.yaml"))
    result = run_cli(emulator, "export", "-g", RG, "-n", "aks-cluster", "--name", "adopted")
    assert result.code == 0, result.stderr
    document = yaml.safe_load(result.stdout)
    assert document["apiVersion"] == "aksnet/v1" and document["metadata"]["name"] == "adopted"
    out = tmp_path / "stdout.yaml"
    out.write_text(result.stdout)
    assert_round_trip(emulator, admin, out)


def test_export_in_another_resource_group_round_trips(emulator: Any, admin: Any, tmp_path: Path) -> None:
    path = spec_copy(tmp_path, "azure-cni.yaml", ("resourceGroup: aks-rg", "resourceGroup: team-b"))
    apply(emulator, path)
    result = run_cli(emulator, "export", "--resource-group", "team-b", "--cluster", "aks-cluster")
    assert result.code == 0, result.stderr
    assert yaml.safe_load(result.stdout)["spec"]["resourceGroup"] == "team-b"
    out = tmp_path / "team-b.yaml"
    out.write_text(result.stdout)
    assert_round_trip(emulator, admin, out)


def test_export_of_an_unknown_cluster_is_an_error(emulator: Any, admin: Any, tmp_path: Path) -> None:
    out = tmp_path / "nothing.yaml"
    result = run_cli(emulator, "export", "--resource-group", RG, "--cluster", "nope", "--out", str(out))
    assert result.code == 1
    assert "cluster nope not found" in result.stderr and result.stdout == ""
    assert not out.exists()


def test_export_of_a_cluster_built_without_aksnet_round_trips(emulator: Any, admin: Any, sdk: Any,
                                                              tmp_path: Path) -> None:
    from test_plan_e2e import build_kubenet_with_sdk

    build_kubenet_with_sdk(sdk)  # the walkthrough's kubenet cluster, made with direct SDK calls like `az`
    out = tmp_path / "adopted.yaml"
    document = export(emulator, admin, out)
    assert document["spec"]["cluster"]["network"]["plugin"] == "kubenet"
    assert_round_trip(emulator, admin, out)
