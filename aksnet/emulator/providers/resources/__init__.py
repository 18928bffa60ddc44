"""Microsoft.Resources: resource groups."""

from aksnet.emulator.providers.resources.resource_groups import KINDS

__all__ = ["KINDS"]
