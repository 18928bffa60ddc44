"""Microsoft.ManagedIdentity: user-assigned identities."""

from aksnet.emulator.providers.managedidentity.user_assigned import KINDS

__all__ = ["KINDS"]
