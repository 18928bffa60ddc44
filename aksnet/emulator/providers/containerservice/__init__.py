"""Microsoft.ContainerService: managed clusters and their agent pools."""

from aksnet.emulator.providers.containerservice.managed_clusters import KINDS
from aksnet.emulator.providers.containerservice.routes import ROUTES

__all__ = ["KINDS", "ROUTES"]
