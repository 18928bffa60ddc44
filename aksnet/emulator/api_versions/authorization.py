"""Microsoft.Authorization roleAssignments and roleDefinitions:
specification/authorization/resource-manager/Microsoft.Authorization/{stable,preview}. The newest stable
for both is 2022-04-01 (azure-mgmt-authorization 4.x, az); 2022-05-01-preview added roleDefinitions
only."""

from __future__ import annotations

from aksnet.emulator.api_versions import versions

ROLE_ASSIGNMENTS = versions(
    ("2015-07-01", "2018-01-01-preview", "2018-09-01-preview", "2020-04-01-preview", "2020-08-01-preview",
     "2020-10-01-preview", "2022-01-01-preview", "2022-04-01"),
)
ROLE_DEFINITIONS = versions(
    ("2015-07-01", "2018-01-01-preview", "2022-04-01", "2022-05-01-preview"),
)
