"""One factory per ARM error code the emulator answers with, so a code has one status and one wording.

Provider-specific codes (SubnetIsDelegated, PodCidrOverlapServiceCidr...) stay with their provider;
these are the codes of ARM itself and the ones several providers share. Wordings are Azure's, from
the public sources named beside each.
"""

from __future__ import annotations

from aksnet.emulator.arm.contract import ArmError, Rid

# --- requests ------------------------------------------------------------------------------------


def missing_api_version() -> ArmError:
    return ArmError(400, "MissingApiVersionParameter",
                    "The api-version query parameter (?api-version=) is required for all requests.")


def invalid_api_version(version: str, supported: frozenset[str]) -> ArmError:
    """ARM's own types (resource groups, generic resource lists) answer InvalidApiVersionParameter, not the
    provider error: "The api-version '2023-02-01' is invalid. The supported versions are '...'."
    (https://github.com/Azure/azure-cli/issues/28038, https://github.com/Azure/azure-sdk-for-python/issues/975)."""
    return ArmError(400, "InvalidApiVersionParameter", f"The api-version '{version}' is invalid. The supported "
                    f"versions are '{','.join(sorted(supported, reverse=True))}'.")


def no_registered_provider(location: str, version: str, short_type: str, supported: frozenset[str]) -> ArmError:
    """A provider's type asked for with an api-version it does not serve.
    Wording: https://github.com/Azure/azure-cli/issues/31868."""
    return ArmError(400, "NoRegisteredProviderFound",
                    f"No registered resource provider found for location '{location}' and "
                    f"API version '{version}' for type '{short_type}'. The supported api-versions are "
                    f"'{', '.join(sorted(supported))}'. The supported locations are "
                    f"'eastus, eastus2, westus, westus2, westus3, centralus, northeurope, westeurope'.")


def invalid_resource_namespace(namespace: str) -> ArmError:
    return ArmError(400, "InvalidResourceNamespace", f"The resource namespace '{namespace}' is invalid.")


def invalid_resource_type(short_type: str, namespace: str) -> ArmError:
    # Inferred from ARM's wording for an unknown type in a known namespace.
    return ArmError(400, "InvalidResourceType",
                    f"The resource type '{short_type}' could not be found in the namespace '{namespace}'.")


def invalid_request_content(message: str = "The request content was invalid and could not be deserialized.",
                            ) -> ArmError:
    return ArmError(400, "InvalidRequestContent", message)


def request_entity_too_large(length: int, limit: int) -> ArmError:
    # The emulator's own guard; ARM documents no code for it. 413 is HTTP's answer (RFC 9110 section 15.5.14),
    # and 4 MB the size ARM allows a whole template
    # (https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/error-job-size-exceeded).
    return ArmError(413, "RequestEntityTooLarge",
                    f"The request content length {length} exceeds the maximum of {limit} bytes.")


def invalid_parameter(message: str, *, target: str | None = None) -> ArmError:
    return ArmError(400, "InvalidParameter", message, target=target)


def location_required() -> ArmError:
    return ArmError(400, "LocationRequired", "The location property is required for this definition.")


def method_not_allowed(message: str) -> ArmError:
    """405; each provider words it its own way (the message says which method and why)."""
    return ArmError(405, "MethodNotAllowed", message)


def no_route(uri: str) -> ArmError:
    """A path no route serves (ASP.NET Web API wording, as ARM's front door answers)."""
    return ArmError(404, "NotFound", f"No HTTP resource was found that matches the request URI '{uri}'.")


# --- what is (not) there -------------------------------------------------------------------------


def resource_group_not_found(name: str) -> ArmError:
    return ArmError(404, "ResourceGroupNotFound", f"Resource group '{name}' could not be found.")


def resource_not_found(rid: Rid) -> ArmError:
    """Wording: https://github.com/Azure/application-gateway-kubernetes-ingress/issues/964."""
    if rid.resource_group is None:
        return ArmError(404, "ResourceNotFound", f"The Resource '{rid.type}/{rid.name}' was not found.")
    typed = "/".join(part for pair in zip(rid.type_path, rid.names, strict=True) for part in pair)
    return ArmError(404, "ResourceNotFound",
                    f"The Resource '{rid.namespace}/{typed}' under resource group '{rid.resource_group}' was not "
                    f"found. For more details please go to https://aka.ms/ARMResourceNotFoundFix")


def role_assignment_not_found(name: str) -> ArmError:
    return ArmError(404, "RoleAssignmentNotFound", f"The role assignment '{name}' is not found.")


def parent_resource_not_found(parent_name: str) -> ArmError:
    """A child resource whose parent is missing. Wording: https://github.com/Azure/azure-cli/issues/18112."""
    return ArmError(404, "ParentResourceNotFound",
                    f"Can not perform requested operation on nested resource. Parent resource '{parent_name}' not found.")


def operation_not_found(operation_id: str) -> ArmError:
    return ArmError(404, "OperationNotFound", f"The operation '{operation_id}' could not be found.")


# --- state conflicts -----------------------------------------------------------------------------


def precondition_failed() -> ArmError:
    """If-Match / If-None-Match not met
    (https://github.com/Azure/azure-resource-manager-rpc/blob/master/v1.0/Addendum.md#etags-for-resources)."""
    return ArmError(412, "PreconditionFailed", "The condition specified using HTTP conditional header(s) is not met.")


def resource_group_being_deleted(name: str) -> ArmError:
    return ArmError(409, "ResourceGroupBeingDeleted",
                    f"The resource group '{name}' is in deprovisioning state and cannot perform this operation.")


def conflict(message: str) -> ArmError:
    return ArmError(409, "Conflict", message)


# --- server and caller ---------------------------------------------------------------------------


def internal_server_error(message: str) -> ArmError:
    return ArmError(500, "InternalServerError", message)


def authentication_failed(message: str) -> ArmError:
    return ArmError(401, "AuthenticationFailed", message)


def invalid_authentication_token() -> ArmError:
    return ArmError(401, "InvalidAuthenticationToken", "The access token is invalid.")


def expired_authentication_token() -> ArmError:
    return ArmError(401, "ExpiredAuthenticationToken",
                    "The access token expiry UTC time is earlier than current UTC time.")


# --- names and locations -------------------------------------------------------------------------


def invalid_resource_group(name: str, bad: str | None = None) -> ArmError:
    """ARM's own check of a resource group name: characters (wording: https://github.com/Azure/azure-cli/issues/14481),
    or, with `bad` None, its length or a trailing period (wording inferred from the naming rules)."""
    if bad is None:
        return ArmError(400, "InvalidResourceGroup", f"The provided resource group name '{name}' is invalid. It must "
                        "be 1-90 characters long and must not end with a period.")
    return ArmError(400, "InvalidResourceGroup",
                    f"The provided resource group name '{name}' has these invalid characters: '{bad}'. The name can "
                    "only be a letter, digit, '-', '.', '(', ')' or '_'.")


def location_not_available_for_resource_group(location: str, available: str) -> ArmError:
    """Wording: https://github.com/Azure/azure-cli/issues/16368."""
    return ArmError(400, "LocationNotAvailableForResourceGroup",
                    f"The provided location '{location}' is not available for resource group. List of available "
                    f"regions is '{available}'.")


def location_not_available_for_resource_type(location: str, arm_type: str, available: str) -> ArmError:
    """Wording: https://github.com/redhat-developer/mapt/issues/393 (ARM, for any provider's type)."""
    return ArmError(400, "LocationNotAvailableForResourceType",
                    f"The provided location '{location}' is not available for resource type '{arm_type}'. List of "
                    f"available regions for the resource type is '{available}'.")
