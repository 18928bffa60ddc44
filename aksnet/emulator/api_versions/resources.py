"""Microsoft.Resources resourceGroups (and the generic resource lists):
specification/resources/resource-manager/Microsoft.Resources/stable."""

from __future__ import annotations

from aksnet.emulator.api_versions import versions

RESOURCE_GROUPS = versions(
    # older pins az and azure-mgmt-resource releases still send
    ("2019-05-01", "2019-10-01", "2020-06-01", "2020-10-01", "2021-01-01", "2021-04-01"),
    ("2022-09-01", "2023-07-01", "2024-03-01", "2024-07-01", "2024-11-01", "2025-01-01", "2025-03-01",
     "2025-04-01"),
)
