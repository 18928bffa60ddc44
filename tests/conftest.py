"""Shared fixtures: one in-process emulator per test session (per xdist worker) and real SDK clients.

- `emulator` (session): a RunningEmulator (`.endpoint`, `.ca_file`, `.db_path`, `.port`) on a free
  port with its own temporary database, short operation durations (network 0.2 s, AKS 0.5 s).
- `admin` (function): an EmulatorAdmin for that emulator, after a reset (empty state, no faults,
  empty journal, start-up durations) so each test starts clean.
- `sdk` (function, implies `admin`): SdkClients with the four unmodified mgmt clients
  (`network`, `aks`, `resource`, `authorization`) built on a ClientSecretCredential against the
  emulator's token endpoint, with a small retry backoff so 5xx bursts cost milliseconds.
The Azure SDK is imported inside the fixtures, so unit tests never pay for it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sdk_clients import TEST_SETTINGS, SdkClients, build_sdk_clients

from aksnet.emulator.control.client import EmulatorAdmin
from aksnet.emulator.server import RunningEmulator, start_emulator


@pytest.fixture(scope="session")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningEmulator]:
    # tmp_path_factory is per xdist worker, so each worker has its own database and CA.
    db = tmp_path_factory.mktemp("emulator") / "emulator.db"
    running = start_emulator(str(db), TEST_SETTINGS)
    yield running
    running.stop()


@pytest.fixture
def admin(emulator: RunningEmulator) -> EmulatorAdmin:
    client = EmulatorAdmin(emulator.endpoint, emulator.ca_file)
    client.reset()
    return client


@pytest.fixture(scope="session")
def _session_sdk(emulator: RunningEmulator) -> SdkClients:
    return build_sdk_clients(emulator.endpoint, emulator.ca_file)


@pytest.fixture
def sdk(_session_sdk: SdkClients, admin: EmulatorAdmin) -> SdkClients:
    return _session_sdk
