"""The Azure CLI recipe of docs/emulator.md against the emulator. Optional: runs only when `az` is on PATH."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from aksnet.emulator.control.client import EmulatorAdmin
from aksnet.emulator.server import RunningEmulator

pytestmark = [pytest.mark.az, pytest.mark.emulator,
              pytest.mark.skipif(shutil.which("az") is None, reason="az CLI not on PATH (pip install azure-cli)")]


def test_az_cli_recipe(emulator: RunningEmulator, admin: EmulatorAdmin, tmp_path: Path) -> None:
    env = {**os.environ, "AZURE_CONFIG_DIR": str(tmp_path / "az"), "REQUESTS_CA_BUNDLE": emulator.ca_file,
           "AZURE_CORE_INSTANCE_DISCOVERY": "false", "AZURE_CORE_COLLECT_TELEMETRY": "false"}

    def az(*args: str) -> Any:
        done = subprocess.run(["az", *args, "-o", "json"], env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout) if done.stdout.strip() else None

    az("cloud", "register", "--name", "aksnet-local", "--endpoint-resource-manager", f"{emulator.endpoint}/")
    az("cloud", "set", "--name", "aksnet-local")
    accounts = az("login", "--service-principal", "-u", "any-client", "-p", "any-secret",
                  "--tenant", "00000000-0000-0000-0000-000000000000")
    assert accounts[0]["id"] == "00000000-0000-0000-0000-000000000000"
    assert az("group", "create", "-n", "aks-rg", "-l", "eastus")["properties"]["provisioningState"] == "Succeeded"
    vnet = az("network", "vnet", "create", "-g", "aks-rg", "-n", "vnet1", "--address-prefixes", "10.0.0.0/8",
              "--subnet-name", "aks-subnet", "--subnet-prefixes", "10.240.0.0/16")
    assert vnet["newVNet"]["provisioningState"] == "Succeeded"
    subnet = az("network", "vnet", "subnet", "show", "-g", "aks-rg", "--vnet-name", "vnet1", "-n", "aks-subnet")
    cluster = az("aks", "create", "-g", "aks-rg", "-n", "aks1", "--network-plugin", "azure", "--network-plugin-mode",
                 "overlay", "--pod-cidr", "192.168.0.0/16", "--vnet-subnet-id", subnet["id"], "--node-count", "2",
                 "--no-ssh-key")
    assert cluster["provisioningState"] == "Succeeded"
    assert cluster["nodeResourceGroup"] == "MC_aks-rg_aks1_eastus"
    az("group", "delete", "-n", "aks-rg", "--yes")
    assert az("group", "exists", "-n", "aks-rg") is False


def test_az_kubenet_with_own_route_table_and_user_assigned_identity(emulator: RunningEmulator, admin: EmulatorAdmin,
                                                                    tmp_path: Path) -> None:
    """The walkthrough's kubenet cluster as `az` users build it with their own route table: `az identity
    create`, then `az aks create --network-plugin kubenet --assign-identity` on a subnet with a route table
    (https://learn.microsoft.com/azure/aks/configure-kubenet#bring-your-own-subnet-and-route-table-with-kubenet)."""
    env = {**os.environ, "AZURE_CONFIG_DIR": str(tmp_path / "az"), "REQUESTS_CA_BUNDLE": emulator.ca_file,
           "AZURE_CORE_INSTANCE_DISCOVERY": "false", "AZURE_CORE_COLLECT_TELEMETRY": "false"}

    def az(*args: str) -> Any:
        done = subprocess.run(["az", *args, "-o", "json"], env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout) if done.stdout.strip() else None

    az("cloud", "register", "--name", "aksnet-local", "--endpoint-resource-manager", f"{emulator.endpoint}/")
    az("cloud", "set", "--name", "aksnet-local")
    az("login", "--service-principal", "-u", "any-client", "-p", "any-secret",
       "--tenant", "00000000-0000-0000-0000-000000000000")
    az("group", "create", "-n", "uai-rg", "-l", "eastus")
    identity = az("identity", "create", "-g", "uai-rg", "-n", "id-aks")
    assert identity["principalId"] and identity["clientId"]
    table = az("network", "route-table", "create", "-g", "uai-rg", "-n", "aks-route-table")
    az("network", "vnet", "create", "-g", "uai-rg", "-n", "vnet1", "--address-prefixes", "10.0.0.0/8",
       "--subnet-name", "aks-subnet", "--subnet-prefixes", "10.100.0.0/16")
    subnet = az("network", "vnet", "subnet", "update", "-g", "uai-rg", "--vnet-name", "vnet1", "-n", "aks-subnet",
                "--route-table", table["id"])
    cluster = az("aks", "create", "-g", "uai-rg", "-n", "aks1", "--network-plugin", "kubenet",
                 "--pod-cidr", "192.168.0.0/16", "--vnet-subnet-id", subnet["id"], "--node-count", "2",
                 "--enable-managed-identity", "--assign-identity", identity["id"], "--no-ssh-key")
    assert cluster["provisioningState"] == "Succeeded" and cluster["identity"]["type"] == "UserAssigned"
    routes = az("network", "route-table", "route", "list", "-g", "uai-rg", "--route-table-name", "aks-route-table")
    assert len(routes) == 2  # AKS's, one per node, in the user's table
