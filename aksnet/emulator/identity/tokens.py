"""What a client needs before its first ARM call: cloud metadata, OpenID configuration, tokens,
subscriptions, tenants and provider registrations.

- `ClientSecretCredential(authority=..., disable_instance_discovery=True)` reads
  `/{tenant}/v2.0/.well-known/openid-configuration` then posts to its `token_endpoint`
  (https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc); msal needs `authorization_endpoint`, `token_endpoint`, `issuer`.
- `az cloud register --endpoint-resource-manager URL` reads `URL/metadata/endpoints?api-version=2022-09-01`
  and maps it with azure-cli `cloud._arm_to_cli_mapper` (needs `name`, `authentication.loginEndpoint`,
  `authentication.audiences`, `suffixes`); `az login --service-principal` then lists `/subscriptions`.
Tokens are JWT-shaped (header.claims.signature, not verifiable): clients never parse them, the
emulator reads back `tid`/`exp` to authenticate ARM calls.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from typing import Any
from urllib.parse import parse_qs

from aksnet.emulator.arm import errors, regions
from aksnet.emulator.arm.contract import Body
from aksnet.emulator.arm.http import Request, Response
from aksnet.emulator.arm.ids import DEFAULT_SUBSCRIPTION

DEFAULT_TENANT = "00000000-0000-0000-0000-000000000000"
MANAGEMENT_AUDIENCE = "https://management.core.windows.net/"
TOKEN_LIFETIME_S = 3599


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _tenant(path_tenant: str) -> str:
    return DEFAULT_TENANT if path_tenant.lower() in ("common", "organizations", "consumers") else path_tenant


def metadata(request: Request) -> Response:
    """Cloud metadata in the 2022-09-01 single-cloud shape az reads (azure-cli cloud.py)."""
    base = request.base_url
    body: Body = {
        "name": "aksnet-local",
        "portal": base,
        "resourceManager": f"{base}/",
        "authentication": {"loginEndpoint": base, "audiences": [MANAGEMENT_AUDIENCE, "https://management.azure.com/"],
                           "tenant": "common", "identityProvider": "AAD"},
        "media": "https://rest.media.azure.net",
        "graphAudience": "https://graph.windows.net/",
        "graph": "https://graph.windows.net/",
        # az's Graph client uses this as its base URL and token audience: point it here so `az role assignment`
        # resolves principals against the emulator (graph.py) instead of failing on graph.microsoft.com.
        "microsoftGraphResourceId": f"{base}/",
        "batch": "https://batch.core.windows.net/",
        "sqlManagement": "https://management.core.windows.net:8443/",
        "gallery": "https://gallery.azure.com/",
        "activeDirectoryDataLake": "https://datalake.azure.net/",
        "vmImageAliasDoc": "https://raw.githubusercontent.com/Azure/azure-rest-api-specs/main/arm-compute/quickstart-templates/aliases.json",
        "suffixes": {"azureDataLakeStoreFileSystem": "azuredatalakestore.net", "acrLoginServer": "azurecr.io",
                     "sqlServerHostname": "database.windows.net", "azureDataLakeAnalyticsCatalogAndJob": "azuredatalakeanalytics.net",
                     "keyVaultDns": "vault.azure.net", "storage": "core.windows.net", "azureFrontDoorEndpointSuffix": "azurefd.net",
                     "mhsmDns": "managedhsm.azure.net"},
    }
    return Response(200, body)


def openid_configuration(request: Request, tenant: str, v2: bool) -> Response:
    base, suffix = f"{request.base_url}/{tenant}", "/v2.0" if v2 else ""
    body: Body = {
        "token_endpoint": f"{base}/oauth2{suffix}/token",
        "authorization_endpoint": f"{base}/oauth2{suffix}/authorize",
        "device_authorization_endpoint": f"{base}/oauth2{suffix}/devicecode",
        "issuer": f"{base}{suffix}",
        "jwks_uri": f"{base}/discovery{suffix}/keys",
        "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "tenant_region_scope": None,
    }
    return Response(200, body)


def instance_discovery(request: Request) -> Response:
    """Only reached when a client did not disable instance discovery: describe this host as the only alias."""
    host = request.base_url.split("://", 1)[1]
    authority = request.param("authorization_endpoint") or f"{request.base_url}/common/oauth2/v2.0/authorize"
    return Response(200, {"tenant_discovery_endpoint": authority.replace("oauth2/v2.0/authorize",
                                                                          "v2.0/.well-known/openid-configuration"),
                          "api-version": "1.1",
                          "metadata": [{"preferred_network": host, "preferred_cache": host, "aliases": [host]}]})


def token(request: Request, tenant: str) -> Response:
    """Any client id, secret, scope or resource gets a token."""
    form = {k: v[0] for k, v in parse_qs(request.body.decode(errors="replace")).items()}
    client_id = form.get("client_id") or "aksnet-emulator-client"
    scope = form.get("scope") or form.get("resource") or f"{MANAGEMENT_AUDIENCE}.default"
    audience = scope.split()[0].removesuffix(".default").removesuffix("/") + "/"
    tid, now = _tenant(tenant), int(time.time())
    object_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"aksnet-emulator/{tid}/{client_id}"))
    claims = {"aud": audience, "iss": f"https://sts.windows.net/{tid}/", "iat": now, "nbf": now,
              "exp": now + TOKEN_LIFETIME_S, "appid": client_id, "azp": client_id, "idtyp": "app",
              "oid": object_id, "sub": object_id, "tid": tid, "ver": "1.0", "uti": uuid.uuid4().hex}
    header = {"typ": "JWT", "alg": "RS256", "kid": "aksnet-emulator"}
    access_token = ".".join((_b64(json.dumps(header).encode()), _b64(json.dumps(claims).encode()),
                             _b64(uuid.uuid4().bytes)))
    body: Body = {"token_type": "Bearer", "expires_in": TOKEN_LIFETIME_S, "ext_expires_in": TOKEN_LIFETIME_S,
                  "access_token": access_token}
    if "resource" in form:  # v1 endpoint shape
        body.update({"resource": form["resource"], "expires_on": str(now + TOKEN_LIFETIME_S), "not_before": str(now)})
    return Response(200, body, {"Cache-Control": "no-store"})


def authenticate(request: Request) -> dict[str, Any]:
    """The caller's token claims; 401 as ARM answers without a usable bearer token."""
    header = request.header("authorization")
    if not header:
        raise errors.authentication_failed("Authentication failed. The 'Authorization' header is missing.")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise errors.authentication_failed(
            "Authentication failed. The 'Authorization' header is provided in an invalid format.")
    parts = value.strip().split(".")
    try:
        claims: dict[str, Any] = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
        if len(parts) != 3 or not isinstance(claims, dict) or "tid" not in claims:
            raise ValueError("not an emulator token")
    except (ValueError, IndexError, UnicodeDecodeError) as err:
        raise errors.invalid_authentication_token() from err
    if int(claims.get("exp", 0)) < time.time():
        raise errors.expired_authentication_token()
    return claims


def subscription_body(subscription: str, tenant: str) -> Body:
    return {"id": f"/subscriptions/{subscription}", "authorizationSource": "RoleBased", "managedByTenants": [],
            "subscriptionId": subscription, "tenantId": tenant, "displayName": f"aksnet emulator {subscription[:8]}",
            "state": "Enabled",
            "subscriptionPolicies": {"locationPlacementId": "Public_2014-09-01", "quotaId": "PayAsYouGo_2014-09-01",
                                     "spendingLimit": "Off"}}


def subscriptions(known: list[str], tenant: str) -> Response:
    """The default subscription first, then every other one clients have used."""
    rest = sorted({s.lower() for s in known} - {DEFAULT_SUBSCRIPTION})
    return Response(200, {"value": [subscription_body(s, tenant) for s in (DEFAULT_SUBSCRIPTION, *rest)]})


def tenants(tenant: str) -> Response:
    return Response(200, {"value": [{"id": f"/tenants/{tenant}", "tenantId": tenant, "tenantCategory": "Home",
                                     "displayName": "aksnet emulator", "defaultDomain": "aksnet.local",
                                     "domains": ["aksnet.local"], "tenantType": "AAD"}]})


def provider(subscription: str, namespace: str, resource_types: dict[str, list[str]]) -> Body:
    """Every namespace is Registered, so the SDK's auto-registration policy never triggers."""
    return {"id": f"/subscriptions/{subscription}/providers/{namespace}", "namespace": namespace,
            "registrationState": "Registered", "registrationPolicy": "RegistrationRequired",
            "resourceTypes": [{"resourceType": t, "locations": regions.display_names(),
                               "apiVersions": versions} for t, versions in sorted(resource_types.items())]}
