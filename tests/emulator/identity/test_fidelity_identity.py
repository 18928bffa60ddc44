"""A system-assigned cluster identity belongs to the caller's tenant, the one `/subscriptions` shows."""

from __future__ import annotations

import pytest
from sdk_clients import TENANT, SdkClients

pytestmark = pytest.mark.emulator


def test_cluster_identity_tenant_is_the_callers_and_stays(sdk: SdkClients) -> None:
    sdk.resource.resource_groups.create_or_update("rg-id", {"location": "eastus"})
    body = {
        "location": "eastus",
        "identity": {"type": "SystemAssigned"},
        "properties": {
            "dnsPrefix": "idt",
            "agentPoolProfiles": [{"name": "pool1", "count": 1, "mode": "System", "vmSize": "Standard_DS2_v2"}],
        },
    }
    created = sdk.aks.managed_clusters.begin_create_or_update("rg-id", "idt", body).result()
    assert created.identity.tenant_id == TENANT  # the token's tid, as GET /subscriptions reports it
    body["properties"]["agentPoolProfiles"][0]["count"] = 2
    updated = sdk.aks.managed_clusters.begin_create_or_update("rg-id", "idt", body).result()
    assert updated.identity.tenant_id == TENANT and updated.identity.principal_id == created.identity.principal_id
