"""Microsoft.Network virtualNetworks, subnets, networkSecurityGroups, securityRules, routeTables, routes:
specification/network/resource-manager/Microsoft.Network/stable (the Network RP publishes no previews
for these types). One swagger set per version covers all six types.

2022-08-01, 2023-03-01 and 2024-09-01 were never published (absent from stable/).
"""

from __future__ import annotations

from aksnet.emulator.api_versions import versions

STABLE = versions(
    ("2021-02-01", "2021-03-01", "2021-05-01", "2021-08-01"),  # older az / SDK pins still in use
    ("2022-01-01", "2022-05-01", "2022-07-01", "2022-09-01", "2022-11-01"),
    ("2023-02-01", "2023-04-01", "2023-05-01", "2023-06-01", "2023-09-01", "2023-11-01"),
    ("2024-01-01", "2024-03-01", "2024-05-01", "2024-07-01", "2024-10-01"),
    ("2025-01-01", "2025-03-01", "2025-05-01", "2025-07-01"),
    ("2026-03-01",),  # azure-mgmt-network 33.x's pin, published after the snapshot consulted
)
VIRTUAL_NETWORKS = SUBNETS = NETWORK_SECURITY_GROUPS = SECURITY_RULES = ROUTE_TABLES = ROUTES = STABLE
