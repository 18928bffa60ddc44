"""azure.core exceptions -> `AzureRequestError` / `CredentialError` naming resource, ARM code, message and
correlation id. Never includes request headers (the bearer token lives there)."""

from __future__ import annotations

import contextlib
import json
from typing import Any

from aksnet.errors import AzureRequestError, CredentialError

# Codes worth another attempt after a wait (https://learn.microsoft.com/troubleshoot/azure/azure-kubernetes/create-upgrade-delete/operationnotallowed; https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling). Everything
# else stops the run.
RETRYABLE_CODES = frozenset(
    code.lower()
    for code in (
        "AnotherOperationInProgress",
        "RetryableErrorDueToAnotherOperation",
        "ReferencedResourceNotProvisioned",
        "OperationNotAllowed",  # AKS: "Another operation (Updating) is in progress" (aka.ms/aks-pending-operation)
        "EtagMismatch",  # AKS PUT during another operation (Azure/terraform-azurerm-aks #604)
        "PrincipalNotFound",  # a new identity not yet replicated (azurerm role_assignment_resource.go)
        # ARM's subscription throttling (429 + Retry-After, MicrosoftDocs/azure-docs#105248,
        # https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling)
        # and resource providers' own; also when an operation's final status carries the code rather
        # than an HTTP 429.
        "SubscriptionRequestsThrottled",
        "TooManyRequests",
        "RetryableError",
        "ConnectionDropped",  # the connection closed before an answer (translate(), ServiceResponseError)
    )
)
CONNECTION_DROPPED = "ConnectionDropped"


def _error_from_body(text: str) -> tuple[str, str]:
    """(code, message) from an ARM error body or an operation status body (`{"status":"Failed","error":...}`)."""
    try:
        data = json.loads(text)
    except (ValueError, TypeError):
        return "", ""
    if not isinstance(data, dict):
        return "", ""
    inner = data.get("error")
    error: dict[str, Any] = inner if isinstance(inner, dict) else data
    code = str(error.get("code") or "")
    message = str(error.get("message") or "")
    # A 429 RetryableError may carry the real cause as a detail code (RetryableErrorDueToAnotherOperation).
    details = error.get("details") or []
    if isinstance(details, list) and code.lower() in {"retryableerror", ""}:
        for detail in details:
            if isinstance(detail, dict) and detail.get("code"):
                return str(detail["code"]), str(detail.get("message") or message)
    return code, message


def _retry_after(headers: Any) -> float | None:
    if headers is None:
        return None
    for name in ("retry-after-ms", "x-ms-retry-after-ms"):
        value = headers.get(name)
        if value:
            with contextlib.suppress(ValueError):  # a malformed header falls back to Retry-After
                return float(value) / 1000.0
    value = headers.get("retry-after")
    if value:
        try:
            return float(value)
        except ValueError:
            return None
    return None


def retry_after_seconds(headers: Any) -> float | None:
    """The wait a response asks for (retry-after-ms, x-ms-retry-after-ms, Retry-After), or None."""
    return _retry_after(headers)


def translate(err: Exception, *, resource_id: str = "", action: str = "", correlation_id: str = "") -> Exception:
    """The aksnet error for an azure.core / azure.identity exception (others are returned unchanged)."""
    from azure.core.exceptions import (
        AzureError,
        ClientAuthenticationError,
        HttpResponseError,
        ServiceRequestError,
        ServiceResponseError,
    )
    from azure.identity import CredentialUnavailableError

    chain_failed = isinstance(err, ClientAuthenticationError) and "Attempted credentials" in str(err.message)
    if isinstance(err, CredentialUnavailableError) or chain_failed:
        # Its message lists every credential DefaultAzureCredential tried and why it was unavailable.
        return CredentialError(
            f"no Azure credential available: {getattr(err, 'message', err)}",
            hint="sign in with `az login`, or set AZURE_TENANT_ID/AZURE_CLIENT_ID/AZURE_CLIENT_SECRET, "
            "or use --local for the embedded emulator",
        )
    if isinstance(err, ClientAuthenticationError):
        return CredentialError(f"Azure authentication failed: {err.message}",
                               hint="check the credential's tenant, client id and secret or certificate")
    where = f" {action} {resource_id}" if resource_id else ""
    if isinstance(err, HttpResponseError):
        response: Any = err.response
        headers = response.headers if response is not None else None
        code, message = "", ""
        if response is not None:
            try:
                code, message = _error_from_body(response.text())
            except Exception:  # noqa: BLE001 - a body we cannot read still leaves err.message
                code, message = "", ""
        if not code and err.error is not None:
            code = str(getattr(err.error, "code", "") or "")
            message = str(getattr(err.error, "message", "") or "")
        code = code or (err.reason or "HttpError")
        message = message or str(err.message).splitlines()[0]
        correlation = ""
        if headers is not None:
            correlation = headers.get("x-ms-correlation-request-id") or ""
        correlation = correlation or correlation_id
        request_id = headers.get("x-ms-request-id", "") if headers is not None else ""
        status = err.status_code
        text = f"Azure refused{where}: ({code}) {message}"
        details = [f"HTTP {status}" if status else "", f"correlation id {correlation}" if correlation else "",
                   f"request id {request_id}" if request_id else ""]
        text += " [" + ", ".join(d for d in details if d) + "]"
        return AzureRequestError(
            text, resource_id=resource_id, code=code, status=status, correlation_id=correlation,
            retry_after=_retry_after(headers),
        )
    if isinstance(err, ServiceRequestError):
        return AzureRequestError(
            f"could not reach Azure{where}: {err.message}", resource_id=resource_id, code="ServiceRequestError",
            correlation_id=correlation_id, hint="check the endpoint, network and CA settings",
        )
    if isinstance(err, ServiceResponseError):
        # The request went out but the connection dropped before an answer (after the SDK's own retries):
        # retryable (ARM PUTs and DELETEs are idempotent and apply re-reads first), then reported for
        # this resource instead of escaping as an internal error.
        return AzureRequestError(
            f"the connection to Azure dropped{where} before an answer arrived: {err.message}",
            resource_id=resource_id, code=CONNECTION_DROPPED, correlation_id=correlation_id,
            hint="check the network (a proxy or VPN cutting connections); run the command again: apply re-reads "
            "every resource and continues where it stopped",
        )
    if isinstance(err, AzureError):  # a body that cannot be decoded, retries exhausted without a response
        return AzureRequestError(
            f"Azure request failed{where}: {type(err).__name__}: {err.message}", resource_id=resource_id,
            code=type(err).__name__, correlation_id=correlation_id, hint="run the command again",
        )
    return err


def is_retryable(err: AzureRequestError) -> bool:
    """Conflicts and throttling that clear by themselves; anything else stops the run."""
    return err.code.lower() in RETRYABLE_CODES or err.status == 429
