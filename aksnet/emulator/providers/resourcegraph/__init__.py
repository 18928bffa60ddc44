"""Microsoft.ResourceGraph: the subset of Resource Graph queries aksnet sends (see query.py)."""

from aksnet.emulator.providers.resourcegraph.query import KINDS, ROUTES

__all__ = ["KINDS", "ROUTES"]
