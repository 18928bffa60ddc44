"""Microsoft.Authorization: role assignments (and the built-in role definitions they name)."""

from aksnet.emulator.providers.authorization.role_assignments import KINDS
from aksnet.emulator.providers.authorization.routes import ROUTES

__all__ = ["KINDS", "ROUTES"]
