"""One write per top-level resource at a time across every spec an apply runs at once.

The Network RP serialises writes to a VNet and its subnets (a second one answers
AnotherOperationInProgress / RetryableErrorDueToAnotherOperation:
https://learn.microsoft.com/azure/virtual-network/virtual-network-troubleshoot-cannot-delete-vnet and the
Network RP's error list). The applier already keeps one write per VNet within a spec; when several
specs apply concurrently they share this table, so two specs naming one VNet still take turns.
"""

from __future__ import annotations

import threading


class WriteLocks:
    """A set of held keys (lower-case top-level ids) with non-blocking acquire and a change signal."""

    def __init__(self) -> None:
        self._held: set[str] = set()
        self._changed = threading.Condition()

    def try_acquire(self, key: str) -> bool:
        with self._changed:
            if key in self._held:
                return False
            self._held.add(key)
            return True

    def release(self, key: str) -> None:
        with self._changed:
            self._held.discard(key)
            self._changed.notify_all()

    def wait_for_release(self, timeout: float) -> None:
        """Block until some key is released (or `timeout` seconds pass)."""
        with self._changed:
            self._changed.wait(timeout)
