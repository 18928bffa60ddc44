"""What the ARM engine asks of a request's fault rules, as protocols.

The test control plane (control/faults.py) decides which rules match a request; the engine only reads
the answer: how an operation this request starts should end, and whether another client writes first.
Declaring that here keeps the engine below the control plane (it imports nothing of it).
"""

from __future__ import annotations

from typing import Protocol


class OperationFault(Protocol):
    """A fault rule's say over the long-running operation a request starts."""

    @property
    def op_outcome(self) -> str | None:
        """"Failed" (the operation fails) or "never" (it never ends); None: it succeeds."""
        ...

    @property
    def op_duration_s(self) -> float | None:
        """Seconds the operation stays InProgress, instead of the configured duration."""
        ...

    @property
    def code(self) -> str | None:
        """Error code of a Failed operation."""
        ...

    @property
    def message(self) -> str | None:
        ...


class RequestEffect(Protocol):
    """What the matching fault rules ask of the request being handled."""

    @property
    def op_rule(self) -> OperationFault | None: ...

    @property
    def foreign_tags(self) -> dict[str, str] | None:
        """Another client's tags PATCH that commits just before this request is handled."""
        ...
