"""Microsoft.ContainerService managedClusters and agentPools (and the cluster's actions and locations
routes): specification/containerservice/resource-manager/Microsoft.ContainerService/aks/{stable,preview}.

The RP publishes a stable version most months and a `-02-preview` beside it; azure-mgmt-containerservice
pins one per release (32.x: 2024-08-01, 41.x: 2026-08-01), the aks-preview az extension a preview.
"""

from __future__ import annotations

from aksnet.emulator.api_versions import monthly, versions

STABLE = versions(
    monthly(2022, (1, 2, 3, 4, 6, 7, 9, 11)),
    monthly(2023, (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)),
    monthly(2024, (1, 2, 5, 7, 8, 9, 10)),
    monthly(2025, (1, 2, 3, 4, 5, 6, 7, 8, 9, 10)),
    # Published after the specs snapshot consulted above; what azure-mgmt-containerservice 41.x and
    # current az builds send (their own api-version pins).
    monthly(2026, (1, 2, 3, 4, 5, 6, 7, 8)),
)
PREVIEW = versions(
    monthly(2022, (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), 2, "-preview"), ("2022-08-03-preview",),
    monthly(2023, (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), 2, "-preview"),
    monthly(2024, (1, 2, 3, 4, 5, 6, 7, 9, 10), 2, "-preview"),
    monthly(2025, (1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 2, "-preview"),
)
MANAGED_CLUSTERS = STABLE | PREVIEW
AGENT_POOLS = MANAGED_CLUSTERS  # one swagger (managedClusters.json) defines both

# `locations/{l}/orchestrators` (location.json, stable 2017-09-30 .. 2019-08-01, which Ansible's
# azure_rm_aks calls through ContainerServiceClient's multi-api `container_services.list_orchestrators`)
# and the managedClusters versions that kept it.
LOCATIONS = MANAGED_CLUSTERS | versions(("2017-09-30", "2019-04-01", "2019-06-01", "2019-08-01"))
