"""State survives restarts, an operation completes across a restart, processes can share one database."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rawarm import RawArm
from sdk_clients import SUBSCRIPTION, TEST_SETTINGS

from aksnet.emulator.arm.contract import Settings
from aksnet.emulator.server import start_emulator

pytestmark = pytest.mark.emulator
VNET = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/vnet1?api-version=2026-03-01"
RG = f"/subscriptions/{SUBSCRIPTION}/resourcegroups/rg1?api-version=2025-04-01"
VNET_BODY = {"location": "eastus", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/8"]}}}


def test_restart_mid_operation_loses_nothing_and_reuses_the_ca(tmp_path: Path) -> None:
    db = str(tmp_path / "state" / "emulator.db")
    first = start_emulator(db, Settings(default_network_duration=1.0))
    ca_before = Path(first.ca_file).read_bytes()
    raw = RawArm(first.endpoint, first.ca_file)
    assert raw.call("PUT", RG, {"location": "eastus"}).status == 201
    created = raw.call("PUT", VNET, VNET_BODY)
    assert created.status == 201
    first.stop()

    second = start_emulator(db, Settings(default_network_duration=1.0))
    try:
        assert Path(second.ca_file).read_bytes() == ca_before
        assert second.ca_file == str(tmp_path / "state" / "ca.pem")
        raw = RawArm(second.endpoint, second.ca_file)
        assert raw.call("GET", RG).status == 200
        time.sleep(1.0)
        vnet = raw.call("GET", VNET)
        assert vnet.status == 200 and vnet.body["properties"]["provisioningState"] == "Succeeded"
        op_path = (created.header("azure-asyncoperation") or "").split("/subscriptions/", 1)[1]
        assert raw.call("GET", f"/subscriptions/{op_path}").body["status"] == "Succeeded"
    finally:
        second.stop()


def test_two_emulators_share_one_database(tmp_path: Path) -> None:
    db = str(tmp_path / "emulator.db")
    with start_emulator(db, TEST_SETTINGS) as one, start_emulator(db, TEST_SETTINGS) as two:
        assert RawArm(one.endpoint, one.ca_file).call("PUT", RG, {"location": "eastus"}).status == 201
        seen = RawArm(two.endpoint, two.ca_file).call("GET", RG)
        assert seen.status == 200 and seen.body["name"] == "rg1"


def test_cli_serve_prints_the_endpoint_ca_and_client_environment(tmp_path: Path) -> None:
    db = tmp_path / "cli" / "emulator.db"
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; from aksnet.cli.main import main; sys.exit(main())",
         "emulator", "serve", "--port", "0", "--db", str(db), "--duration", "network=0.1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(5)]
        text = "".join(lines)
        found = re.search(r"https://127\.0\.0\.1:(\d+)", text)
        assert found, text
        assert f"CA certificate: {db.parent / 'ca.pem'}" in text
        assert "REQUESTS_CA_BUNDLE=" in text and "AZURE_CORE_INSTANCE_DISCOVERY=false" in text
        raw = RawArm(found.group(0), str(db.parent / "ca.pem"))
        assert raw.call("PUT", RG, {"location": "eastus"}).status == 201
    finally:
        process.terminate()
        process.wait(timeout=10)
