"""The few Microsoft Graph calls `az role assignment` makes (the cloud metadata points Graph at the emulator).

`az role assignment list` resolves principal names with `POST /v1.0/directoryObjects/getByIds`, and
`--assignee <id>` looks the id up with `GET /v1.0/users|servicePrincipals?$filter=...` before falling
back to getByIds (azure-cli `role/custom.py` `_resolve_object_id_and_type`, `_get_object_stubs`). The
emulator has no directory: name searches find nothing, and every GUID object id is a service principal
(the identities AKS and aksnet assign roles to are managed identities, i.e. service principals).
"""

from __future__ import annotations

import re

from aksnet.emulator.arm.contract import Body
from aksnet.emulator.arm.http import Request, Response

_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)
_CONTEXT = "https://graph.microsoft.com/v1.0/$metadata#directoryObjects"


def service_principal(object_id: str) -> Body:
    """A directoryObject stub in Graph's servicePrincipal shape (graph/api/directoryobject-getbyids)."""
    return {"@odata.type": "#microsoft.graph.servicePrincipal", "id": object_id,
            "displayName": f"aksnet-emulator-{object_id[:8]}", "appId": object_id,
            "servicePrincipalNames": [object_id], "servicePrincipalType": "ManagedIdentity"}


def get_by_ids(request: Request) -> Response:
    body = request.json_object()
    ids = [str(i) for i in body.get("ids") or [] if _GUID.match(str(i))]
    return Response(200, {"@odata.context": _CONTEXT, "value": [service_principal(i) for i in ids]})


def search(request: Request, collection: str) -> Response:
    """`GET /v1.0/users|servicePrincipals?$filter=...`: the emulator's directory holds no names."""
    return Response(200, {"@odata.context": f"https://graph.microsoft.com/v1.0/$metadata#{collection}", "value": []})
