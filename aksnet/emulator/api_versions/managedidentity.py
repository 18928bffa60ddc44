"""Microsoft.ManagedIdentity userAssignedIdentities:
specification/msi/resource-manager/Microsoft.ManagedIdentity/{stable,preview} (az uses 2023-01-31,
azure-mgmt-msi 7.x defaults to 2024-11-30)."""

from __future__ import annotations

from aksnet.emulator.api_versions import versions

USER_ASSIGNED_IDENTITIES = versions(
    ("2015-08-31-preview", "2018-11-30", "2021-09-30-preview", "2022-01-31-preview", "2023-01-31",
     "2023-07-31-preview", "2024-11-30", "2025-01-31-preview", "2025-05-31-preview"),
)
