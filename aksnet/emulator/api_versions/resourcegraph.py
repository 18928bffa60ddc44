"""Microsoft.ResourceGraph `POST /providers/Microsoft.ResourceGraph/resources` (the query API):
specification/resourcegraph/resource-manager/Microsoft.ResourceGraph/stable (azure-mgmt-resourcegraph
8.x sends 2022-10-01, az graph 2021-03-01)."""

from __future__ import annotations

from aksnet.emulator.api_versions import versions

RESOURCES_QUERY = versions(("2019-04-01", "2021-03-01", "2022-10-01", "2024-04-01"))
