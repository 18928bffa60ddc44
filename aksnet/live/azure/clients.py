"""SDK client construction and credentials for the three targets (see `aksnet.workflows.targets`).

The same clients serve all three targets; only endpoint, credential and CA differ.
Recipes (https://learn.microsoft.com/python/api/azure-identity/azure.identity.clientsecretcredential): ClientSecretCredential with authority=<emulator>,
disable_instance_discovery, connection_verify=<ca>; clients with base_url + credential_scopes).
`logging_enable` is never set: azure-core's NetworkTraceLoggingPolicy would print the bearer token
(https://github.com/Azure/azure-sdk-for-python/pull/17424).
"""

from __future__ import annotations

import base64
import json
import os
import uuid
from dataclasses import dataclass, field
from typing import Any

from aksnet.errors import UsageError

ARM_SCOPE = "https://management.azure.com/.default"
# Fixed, non-secret values for the emulator's token endpoint, which accepts any client.
LOCAL_TENANT = "00000000-0000-0000-0000-0000000000aa"
LOCAL_CLIENT_ID = "aksnet-local"
LOCAL_CLIENT_SECRET = "aksnet-local"  # noqa: S105 - not a secret: the emulator accepts anything


@dataclass(slots=True)
class Connection:
    """An open target: where to send requests and how to authenticate. Thread-safe to share."""

    kind: str  # "azure" | "local" | "endpoint"
    base_url: str | None  # None: public Azure (SDK default)
    ca_file: str | None
    credential: Any
    correlation_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    _clients: dict[tuple[str, str], Any] = field(default_factory=dict)

    @property
    def is_emulator(self) -> bool:
        return self.kind != "azure"

    def client_kwargs(self) -> dict[str, Any]:
        # One correlation id per run on every request, printed with every error (https://github.com/Azure/azure-resource-manager-rpc/blob/master/v1.0/common-api-details.md).
        kw: dict[str, Any] = {"headers": {"x-ms-correlation-request-id": self.correlation_id}}
        if self.base_url:
            kw["base_url"] = self.base_url
            kw["credential_scopes"] = [ARM_SCOPE]
            # The emulator always sends Retry-After; without one the SDK would wait 30 s per poll.
            kw["polling_interval"] = 1
        backoff = os.environ.get("AKSNET_SDK_RETRY_BACKOFF")
        if backoff:
            # Test seam: the SDK's 0.8 s exponential backoff makes 5xx-burst tests slow.
            kw["retry_backoff_factor"] = float(backoff)
        if self.ca_file:
            kw["connection_verify"] = self.ca_file
        # Every attempt (SDK retries included) under the shared, header-driven budget; 429s are waited
        # there, under the run's deadline, instead of by the SDK's own retry (aksnet.live.pacing).
        from aksnet.live.azure.throttle_policy import NoThrottleRetryPolicy, PacedHookPolicy
        from aksnet.live.pacing import shared_pacer

        retry_keys = ("retry_backoff_factor",)
        kw["retry_policy"] = NoThrottleRetryPolicy(**{k: kw[k] for k in retry_keys if k in kw})
        kw["custom_hook_policy"] = PacedHookPolicy(shared_pacer())
        return kw

    def client(self, which: str, subscription: str) -> Any:
        """A cached SDK client: which = network | aks | resources | authorization | msi."""
        key = (which, subscription)
        if key not in self._clients:
            self._clients[key] = _build_client(which, self.credential, subscription, self.client_kwargs())
        return self._clients[key]

    def first_subscription(self) -> str | None:
        """The first subscription the principal can see (`GET /subscriptions`)."""
        from azure.core.rest import HttpRequest

        client = self.client("resources", "00000000-0000-0000-0000-000000000000")
        # The client's ARM pipeline (auth, retries, pacing): `send_request` is public on the resources client
        # only from azure-mgmt-resource 26; the pipeline client has it in every version the floor admits.
        root = (self.base_url or "https://management.azure.com").rstrip("/")
        response = client._client.send_request(HttpRequest("GET", f"{root}/subscriptions?api-version=2022-12-01"))
        if response.status_code != 200:
            return None
        values = response.json().get("value") or []
        return str(values[0]["subscriptionId"]) if values else None

    def close(self) -> None:
        for client in self._clients.values():
            client.close()
        self._clients.clear()
        closer = getattr(self.credential, "close", None)
        if closer is not None:
            closer()


def _build_client(which: str, credential: Any, subscription: str, kw: dict[str, Any]) -> Any:
    if which == "network":
        from azure.mgmt.network import NetworkManagementClient

        return NetworkManagementClient(credential, subscription, **kw)
    if which == "aks":
        from azure.mgmt.containerservice import ContainerServiceClient

        return ContainerServiceClient(credential, subscription, **kw)
    if which == "resources":
        # azure-mgmt-resource 26 moved the client (https://pypi.org/project/azure-mgmt-resource/).
        from azure.mgmt.resource.resources import ResourceManagementClient

        return ResourceManagementClient(credential, subscription, **kw)
    if which == "authorization":
        from azure.mgmt.authorization import AuthorizationManagementClient

        return AuthorizationManagementClient(credential, subscription, **kw)
    if which == "resourcegraph":
        # Resource Graph queries for fleets (`aksnet drift --via resource-graph`); tenant-level, no
        # subscription in the client (https://learn.microsoft.com/azure/governance/resource-graph/overview).
        from azure.mgmt.resourcegraph import ResourceGraphClient

        return ResourceGraphClient(credential, **kw)
    if which == "msi":
        # user-assigned identities (Microsoft.ManagedIdentity/userAssignedIdentities)
        from azure.mgmt.msi import ManagedServiceIdentityClient

        return ManagedServiceIdentityClient(credential, subscription, **kw)
    raise ValueError(f"unknown client {which!r}")


def emulator_credential(base_url: str, ca_file: str | None) -> Any:
    """Fixed local values against the emulator's own token endpoint; AZURE_* variables are ignored."""
    import logging

    from azure.identity import ClientSecretCredential

    # azure.identity logs a WARNING per failed attempt (one per reader thread); the failure itself
    # becomes one aksnet error instead (see _check_endpoint).
    logging.getLogger("azure.identity").setLevel(logging.ERROR)
    kw: dict[str, Any] = {"authority": base_url, "disable_instance_discovery": True}
    if ca_file:
        kw["connection_verify"] = ca_file
    return ClientSecretCredential(LOCAL_TENANT, LOCAL_CLIENT_ID, LOCAL_CLIENT_SECRET, **kw)


def azure_credential() -> Any:
    """DefaultAzureCredential, checked once up front so a missing credential is one clear error that
    lists what was tried (its CredentialUnavailableError message), not a warning per reader thread."""
    import logging

    from azure.identity import DefaultAzureCredential

    from aksnet.live.azure.errors import translate

    logging.getLogger("azure.identity").setLevel(logging.ERROR)
    credential = DefaultAzureCredential()
    try:
        credential.get_token(ARM_SCOPE)
    except Exception as err:  # noqa: BLE001 - translated; the token itself is never kept or shown
        raise translate(err) from err
    return credential


def check_endpoint(conn: Connection) -> None:
    """Get the emulator's token once up front: an endpoint that is down or a CA that does not match is
    one clear error (the credential caches the token, so this costs no extra request)."""
    from azure.core.exceptions import ClientAuthenticationError, ServiceRequestError

    try:
        conn.credential.get_token(ARM_SCOPE)
    except (ClientAuthenticationError, ServiceRequestError) as err:
        reason = str(getattr(err, "message", err)).removeprefix("Authentication failed: ")
        if "CERTIFICATE_VERIFY_FAILED" in reason or "CA certificate bundle" in reason:
            hint = "pass --ca-file with the ca.pem `aksnet emulator serve` printed for this endpoint"
        else:
            hint = "is `aksnet emulator serve` running there? use the URL it printed"
        raise UsageError(f"cannot reach the emulator at {conn.base_url}: {reason}", hint=hint) from err


def token_tenant(conn: Connection) -> str | None:
    """The tenant the credential signs in to: the `tid` claim of its ARM token (Microsoft identity
    platform access token claims, learn.microsoft.com/entra/identity-platform/access-token-claims-reference).
    None when it cannot be told (the claim is read, never verified: the token is only ever sent to ARM)."""
    try:
        token = str(conn.credential.get_token(ARM_SCOPE).token)
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except Exception:  # noqa: BLE001 - an opaque or unusual token: the tenant stays unknown
        return None
    tenant = claims.get("tid") if isinstance(claims, dict) else None
    return str(tenant) if tenant else None
