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
from dataclasses import dataclass
from typing import Any

import pytest

from aksnet.emulator.admin import EmulatorAdmin
from aksnet.emulator.kinds import Settings
from aksnet.emulator.server import RunningEmulator, start_emulator

SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
TENANT = "11111111-2222-3333-4444-555555555555"
TEST_SETTINGS = Settings(default_network_duration=0.2, default_aks_duration=0.5, retry_after=1)


@dataclass
class SdkClients:
    network: Any  # azure.mgmt.network.NetworkManagementClient
    aks: Any  # azure.mgmt.containerservice.ContainerServiceClient
    resource: Any  # azure.mgmt.resource.resources.ResourceManagementClient
    authorization: Any  # azure.mgmt.authorization.AuthorizationManagementClient
    credential: Any  # azure.identity.ClientSecretCredential
    subscription_id: str
    endpoint: str
    ca_file: str


def build_sdk_clients(endpoint: str, ca_file: str, subscription_id: str = SUBSCRIPTION, **client_kwargs: Any) -> SdkClients:
    """The four clients as DESIGN.md "The local emulator" builds them; extra kwargs go to every client."""
    from azure.identity import ClientSecretCredential
    from azure.mgmt.authorization import AuthorizationManagementClient
    from azure.mgmt.containerservice import ContainerServiceClient
    from azure.mgmt.network import NetworkManagementClient
    from azure.mgmt.resource.resources import ResourceManagementClient

    credential = ClientSecretCredential(TENANT, "aksnet-tests", "not-a-secret", authority=endpoint,
                                        disable_instance_discovery=True, connection_verify=ca_file)
    kwargs: dict[str, Any] = {"base_url": endpoint, "connection_verify": ca_file, "retry_backoff_factor": 0.05,
                              "retry_backoff_max": 1, "polling_interval": 0.2, **client_kwargs}
    return SdkClients(
        network=NetworkManagementClient(credential, subscription_id, **kwargs),
        aks=ContainerServiceClient(credential, subscription_id, **kwargs),
        resource=ResourceManagementClient(credential, subscription_id, **kwargs),
        authorization=AuthorizationManagementClient(credential, subscription_id, **kwargs),
        credential=credential, subscription_id=subscription_id, endpoint=endpoint, ca_file=ca_file,
    )


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
