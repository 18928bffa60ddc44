"""Microsoft.ContainerService: managed clusters and their agent pools."""

from aksnet.emulator.providers.containerservice.managed_clusters import KINDS

__all__ = ["KINDS"]
