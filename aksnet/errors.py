"""Errors a user can cause. The CLI turns each into one clear line (plus its hint) and exit code 1."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aksnet.model import Finding


class AksnetError(Exception):
    """Base of every error a user can cause; `hint` says what to do about it."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class SpecError(AksnetError):
    """The spec cannot be loaded or is invalid; carries the located findings."""

    def __init__(self, message: str, findings: Sequence[Finding] = (), hint: str = "") -> None:
        super().__init__(message, hint)
        self.findings = tuple(findings)


class UsageError(AksnetError):
    """Bad command-line usage (conflicting flags, missing argument)."""


class ConsentRequiredError(AksnetError):
    """A delete, replace or migrate was planned but the matching --allow-* flag was not given."""


class PlanStaleError(AksnetError):
    """A saved plan no longer matches live state or the spec."""


class LockHeldError(AksnetError):
    """Another aksnet process holds the lock for this spec."""


class ApplyInterrupted(AksnetError):
    """The user interrupted apply (SIGINT): a step stopped watching an operation Azure still runs."""


class CredentialError(AksnetError):
    """No usable Azure credential; the message lists what was tried (never a secret)."""


class AzureRequestError(AksnetError):
    """Azure (or the emulator) refused a request. Names the resource, ARM code and correlation id."""

    def __init__(
        self,
        message: str,
        *,
        resource_id: str = "",
        code: str = "",
        status: int | None = None,
        correlation_id: str = "",
        hint: str = "",
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, hint)
        self.resource_id = resource_id
        self.code = code
        self.status = status
        self.correlation_id = correlation_id
        self.retry_after = retry_after


class ConcurrentChangeError(AksnetError):
    """Another writer changed a resource between aksnet's read and its write (412 on If-Match / If-None-Match),
    and the change the plan made is no longer the one the spec yields against what is there now."""
