"""Names and locations ARM and the resource providers refuse, as the emulator answers them.

Locations: ARM checks a tracked resource's `location` against the regions its type is registered in
(`LocationNotAvailableForResourceType`; for a resource group `LocationNotAvailableForResourceGroup`).
The emulator serves every type in every public, government and China region ("Azure regions list":
https://learn.microsoft.com/azure/reliability/regions-list); ARM also accepts the display name ("East US").
Names: each provider checks its own ("Naming rules and restrictions for Azure resources":
https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules); the provider
packages call `check_name` with their rule. A name holding `/` never gets here: it splits the path.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from aksnet.emulator.arm import errors
from aksnet.emulator.arm.contract import ArmError
from aksnet.emulator.arm.regions import KNOWN_LOCATIONS

_AVAILABLE = ",".join(sorted(KNOWN_LOCATIONS))


def known_location(location: str) -> bool:
    return location.replace(" ", "").lower() in KNOWN_LOCATIONS


def check_location(arm_type: str, location: object) -> None:
    """Raise ARM's error for a location no region has (a missing one is the kind's LocationRequired)."""
    if not isinstance(location, str) or not location or known_location(location):
        return
    if arm_type.lower() == "microsoft.resources/resourcegroups":
        raise errors.location_not_available_for_resource_group(location, _AVAILABLE)
    raise errors.location_not_available_for_resource_type(location, arm_type, _AVAILABLE)


@dataclass(frozen=True, slots=True)
class NameRule:
    min_len: int
    max_len: int
    pattern: re.Pattern[str]
    error: Callable[[str], ArmError]  # the provider's answer for a name that breaks the rule

    def check(self, name: str) -> None:
        if not self.min_len <= len(name) <= self.max_len or self.pattern.fullmatch(name) is None:
            raise self.error(name)


def check_resource_group_name(name: str) -> None:
    """1-90 letters (Unicode too), digits, '-', '.', '(', ')', '_'; not ending with '.'."""
    bad = "".join(sorted({c for c in name if not (c.isalnum() or c in "-._()")}))
    if bad:
        raise errors.invalid_resource_group(name, bad)
    if not 1 <= len(name) <= 90 or name.endswith("."):
        raise errors.invalid_resource_group(name)
