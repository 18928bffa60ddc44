"""Microsoft.Resources: resource groups."""

from aksnet.emulator.providers.resources.resource_groups import KINDS
from aksnet.emulator.providers.resources.routes import ROUTES

__all__ = ["KINDS", "ROUTES"]
