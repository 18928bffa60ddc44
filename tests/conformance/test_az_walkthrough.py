"""Conformance: the az CLI (a client nobody here wrote) runs the walkthrough's own sequence against a
served emulator, then aksnet exports what az built and plans it clean. `make conformance` installs az into
a cached venv and sets AKSNET_AZ; `make test` does not run this module (it is skipped without AKSNET_AZ).

The sequence (docs/emulator.md, "Conformance"): resource group; VNet 10.0.0.0/8 with aks-subnet
10.100.0.0/16; NSG and route table associated with the subnet; a kubenet cluster refused while the route
table is attached (system-assigned identity), accepted once it is removed; authorized IP ranges; the
credentials; a role assignment; then Azure CNI and Azure CNI Overlay clusters on the same subnet; deletes.
Error paths assert the ARM codes Azure documents (sources on each assertion).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from aksnet_run import SPECS, aksnet_env, run_cli
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from aksnet.emulator.server import RunningEmulator

AZ = os.environ.get("AKSNET_AZ")
pytestmark = [pytest.mark.conformance, pytest.mark.emulator,
              pytest.mark.skipif(not AZ, reason="conformance suite: run `make conformance` (installs the az CLI)")]
__all__ = ["aksnet_env"]
SUB = "00000000-0000-0000-0000-000000000000"
RG = "aks-rg"
VNET = "vNet_aks_useast"
_AKS = "https://learn.microsoft.com/azure/aks/"
_TROUBLESHOOT = "https://learn.microsoft.com/troubleshoot/azure/azure-kubernetes/create-upgrade-delete/"


class Az:
    """`az ... -o json` against the emulator, in its own config dir (cloud registered, logged in)."""

    def __init__(self, emulator: RunningEmulator, home: Path) -> None:
        self.env = {**os.environ, "AZURE_CONFIG_DIR": str(home / "az"), "REQUESTS_CA_BUNDLE": emulator.ca_file,
                    "AZURE_CORE_INSTANCE_DISCOVERY": "false", "AZURE_CORE_COLLECT_TELEMETRY": "false",
                    "AZURE_CORE_ONLY_SHOW_ERRORS": "true"}
        self.log: list[tuple[str, str]] = []  # (command, result) for docs/emulator.md

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(AZ), *args], env=self.env, capture_output=True, text=True, timeout=600)

    def ok(self, *args: str) -> Any:
        done = self.run(*args, "-o", "json")
        self.log.append((" ".join(args), "ok" if done.returncode == 0 else f"exit {done.returncode}"))
        assert done.returncode == 0, f"az {' '.join(args)}\n{done.stderr}"
        return json.loads(done.stdout) if done.stdout.strip() else None

    def fails(self, code: str, *args: str) -> str:
        done = self.run(*args, "-o", "json")
        self.log.append((" ".join(args), f"exit {done.returncode}, {code}" if code in done.stderr else done.stderr))
        assert done.returncode != 0, f"az {' '.join(args)} succeeded; expected {code}"
        assert code in done.stderr, done.stderr
        return done.stderr


@pytest.fixture(scope="module")
def az(emulator: RunningEmulator, tmp_path_factory: pytest.TempPathFactory) -> Az:
    client = Az(emulator, tmp_path_factory.mktemp("az"))
    client.ok("cloud", "register", "--name", "aksnet-local", "--endpoint-resource-manager", f"{emulator.endpoint}/")
    client.ok("cloud", "set", "--name", "aksnet-local")
    accounts = client.ok("login", "--service-principal", "-u", "any-client", "-p", "any-secret", "--tenant", SUB)
    assert accounts[0]["id"] == SUB
    return client


@pytest.fixture(scope="module")
def ssh_key(tmp_path_factory: pytest.TempPathFactory) -> str:
    key = ed25519.Ed25519PrivateKey.generate().public_key()
    path = tmp_path_factory.mktemp("ssh") / "azurekey.pub"
    path.write_bytes(key.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH) + b" t@h\n")
    return str(path)


def _aks_create(az: Az, subnet: str, ssh_key: str, *network: str) -> Any:
    return az.ok("aks", "create", "--resource-group", RG, "--name", "aks-cluster", "--vnet-subnet-id", subnet,
                 *network, "--service-cidr", "10.32.0.0/16", "--dns-service-ip", "10.32.0.10", "--node-count", "2",
                 "--ssh-key-value", ssh_key)


def test_walkthrough_sequence_then_export_and_plan_are_clean(az: Az, ssh_key: str, emulator: RunningEmulator,
                                                            tmp_path: Path, aksnet_env: None) -> None:
    az.ok("group", "list")
    # aksnet's hint for an unknown location names `az account list-locations`; it answers from the emulator.
    regions = {r["name"]: r["displayName"] for r in az.ok("account", "list-locations")}
    assert regions["eastus"] == "East US" and "mars" not in regions
    assert az.ok("group", "create", "--name", RG, "--location", "eastus")["properties"]["provisioningState"] == "Succeeded"
    az.ok("network", "vnet", "create", "-g", RG, "-n", VNET, "--address-prefix", "10.0.0.0/8",
          "--subnet-name", "aks-subnet", "--subnet-prefix", "10.100.0.0/16")
    assert [s["name"] for s in az.ok("network", "vnet", "subnet", "list", "-g", RG, "--vnet-name", VNET)] == ["aks-subnet"]
    az.ok("network", "vnet", "show", "-g", RG, "--name", VNET)
    subnet = az.ok("network", "vnet", "subnet", "show", "-g", RG, "--vnet-name", VNET, "--name", "aks-subnet")["id"]
    az.ok("network", "nsg", "list")
    az.ok("network", "nsg", "create", "-g", RG, "--name", "aks-nsg", "--location", "eastus")
    az.ok("network", "vnet", "subnet", "update", "-g", RG, "--vnet-name", VNET, "--name", "aks-subnet",
          "--network-security-group", "aks-nsg")
    az.ok("network", "route-table", "create", "-g", RG, "-n", "aks-route-table")
    az.ok("network", "vnet", "subnet", "update", "-g", RG, "--vnet-name", VNET, "--name", "aks-subnet",
          "--route-table", "aks-route-table")

    # kubenet + a route table of one's own needs a user-assigned identity (configure-kubenet), so the
    # walkthrough removes the route table first; with it attached AKS refuses the create.
    az.fails("CustomRouteTableWithUnsupportedMSIType", "aks", "create", "--resource-group", RG, "--name",
             "aks-cluster", "--vnet-subnet-id", subnet, "--network-plugin", "kubenet", "--pod-cidr", "10.244.0.0/16",
             "--service-cidr", "10.32.0.0/16", "--dns-service-ip", "10.32.0.10", "--node-count", "2",
             "--ssh-key-value", ssh_key)
    # (`--route-table ""` sends an id ending in "routeTables/", which NRP refuses: the generic --remove detaches)
    az.ok("network", "vnet", "subnet", "update", "-g", RG, "--vnet-name", VNET, "--name", "aks-subnet",
          "--remove", "routeTable")
    cluster = _aks_create(az, subnet, ssh_key, "--network-plugin", "kubenet", "--pod-cidr", "10.244.0.0/16")
    assert cluster["provisioningState"] == "Succeeded" and cluster["networkProfile"]["networkPlugin"] == "kubenet"
    # specs/kubenet.yaml pins maxSurge 1 (az aks create has no --max-surge; the pool takes the RP default)
    pool = az.ok("aks", "nodepool", "update", "--resource-group", RG, "--cluster-name", "aks-cluster",
                 "--name", "nodepool1", "--max-surge", "1")
    assert pool["upgradeSettings"]["maxSurge"] == "1"
    updated = az.ok("aks", "update", "--resource-group", RG, "--name", "aks-cluster",
                    "--api-server-authorized-ip-ranges", "39.100.100.100/32")
    assert updated["apiServerAccessProfile"]["authorizedIpRanges"] == ["39.100.100.100/32"]
    kubeconfig = tmp_path / "kubeconfig"
    az.ok("aks", "get-credentials", "--resource-group", RG, "--name", "aks-cluster", "--file", str(kubeconfig))
    server = yaml.safe_load(kubeconfig.read_text())["clusters"][0]["cluster"]["server"]
    assert server == f"https://{cluster['fqdn']}:443"
    principal = cluster["identity"]["principalId"]
    grants = az.ok("role", "assignment", "list", "--scope", subnet)
    assert [g["principalId"] for g in grants] == [principal]  # az aks create granted Network Contributor
    assert grants[0]["roleDefinitionId"].startswith(f"/subscriptions/{SUB}/providers/Microsoft.Authorization/")
    reader = az.ok("role", "assignment", "create", "--assignee-object-id", principal, "--assignee-principal-type",
                   "ServicePrincipal", "--role", "Reader", "--scope", f"/subscriptions/{SUB}/resourceGroups/{RG}")
    az.ok("role", "assignment", "delete", "--ids", reader["id"])

    exported = tmp_path / "exported.yaml"
    done = run_cli(emulator, "export", "--resource-group", RG, "--cluster", "aks-cluster", "--out", str(exported))
    assert done.code == 0, done.stderr
    for spec in (str(exported), str(SPECS / "kubenet.yaml")):
        plan = run_cli(emulator, "plan", spec, "--detailed-exitcode")
        assert plan.code == 0 and "No changes" in plan.stdout, plan.stdout + plan.stderr
        az.log.append((f"aksnet plan {Path(spec).name}", "No changes"))

    az.ok("aks", "delete", "--resource-group", RG, "--name", "aks-cluster", "--yes")
    cni = _aks_create(az, subnet, ssh_key, "--network-plugin", "azure")
    assert cni["networkProfile"]["networkPlugin"] == "azure" and cni["agentPoolProfiles"][0]["maxPods"] == 30
    az.ok("aks", "update", "--resource-group", RG, "--name", "aks-cluster",
          "--api-server-authorized-ip-ranges", "39.51.100.100/32")
    az.ok("aks", "delete", "--resource-group", RG, "--name", "aks-cluster", "--yes")
    overlay = _aks_create(az, subnet, ssh_key, "--network-plugin", "azure", "--network-plugin-mode", "overlay",
                          "--pod-cidr", "172.17.0.0/16")
    assert overlay["networkProfile"]["networkPluginMode"] == "overlay"
    az.ok("aks", "update", "--resource-group", RG, "--name", "aks-cluster",
          "--api-server-authorized-ip-ranges", "39.100.100.100/32")

    # Error paths a user hits, with the ARM codes Azure returns.
    # A service CIDR overlapping the node subnet: ServiceCidrOverlapExistingSubnetsCidr
    # ({_TROUBLESHOOT}error-code-servicecidroverlapexistingsubnetscidr).
    az.fails("ServiceCidrOverlapExistingSubnetsCidr", "aks", "create", "--resource-group", RG, "--name", "aks-bad",
             "--vnet-subnet-id", subnet, "--network-plugin", "azure", "--service-cidr", "10.100.0.0/16",
             "--dns-service-ip", "10.100.0.10", "--node-count", "1", "--ssh-key-value", ssh_key)
    # The DNS service IP outside the service CIDR: DnsServiceIpOutOfServiceCidr
    # ({_TROUBLESHOOT}error-code-dnsserviceipoutofservicecidr).
    az.fails("DnsServiceIpOutOfServiceCidr", "aks", "create", "--resource-group", RG, "--name", "aks-bad",
             "--vnet-subnet-id", subnet, "--network-plugin", "azure", "--service-cidr", "10.33.0.0/16",
             "--dns-service-ip", "10.34.0.10", "--node-count", "1", "--ssh-key-value", ssh_key)
    # An NSG rule priority outside 100-4096: SecurityRuleInvalidPriority
    # (https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#security-rules).
    az.fails("SecurityRuleInvalidPriority", "network", "nsg", "rule", "create", "-g", RG, "--nsg-name", "aks-nsg",
             "-n", "too-high", "--priority", "99", "--access", "Allow", "--protocol", "Tcp",
             "--destination-port-ranges", "443")
    # A subnet outside the VNet's address space: NetcfgSubnetRangeOutsideVnet
    # (https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq).
    az.fails("NetcfgSubnetRangeOutsideVnet", "network", "vnet", "subnet", "create", "-g", RG, "--vnet-name", VNET,
             "-n", "outside", "--address-prefixes", "192.168.0.0/24")
    # Deleting an NSG still associated with a subnet: InUseNetworkSecurityGroupCannotBeDeleted
    # (https://learn.microsoft.com/azure/virtual-network/manage-network-security-group#delete-a-network-security-group).
    az.fails("InUseNetworkSecurityGroupCannotBeDeleted", "network", "nsg", "delete", "-g", RG, "-n", "aks-nsg")

    az.ok("aks", "delete", "--resource-group", RG, "--name", "aks-cluster", "--yes")
    az.ok("group", "delete", "--name", RG, "--yes")
    assert az.ok("group", "exists", "--name", RG) is False
    results = os.environ.get("AKSNET_CONFORMANCE_LOG")
    if results:
        Path(results).write_text("".join(f"| `az {c}` | {r} |\n" if not c.startswith("aksnet") else f"| `{c}` | {r} |\n"
                                         for c, r in az.log))
