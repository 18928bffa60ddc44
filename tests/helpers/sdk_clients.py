"""The SDK clients the emulator tests use (imported by conftest.py and by tests: `from sdk_clients import ...`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aksnet.emulator.arm.contract import Settings

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
    """The four clients as docs/emulator.md#the-python-sdk builds them; extra kwargs go to every client."""
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
