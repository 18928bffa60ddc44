"""The Terraform plan JSON conventions for one resource change's values
(https://developer.hashicorp.com/terraform/internals/json-format#change-representation), so policies
written for `terraform show -json` (OPA/conftest, Checkov, Sentinel-like scripts) read aksnet plans.

    arm_type(resource_id, fallback) -> "Microsoft.Network/virtualNetworks/subnets"   the resource's type
    split_unknowns(after) -> (after with null where unknown, after_unknown, markers)
    restore_unknowns(after, markers) -> after with aksnet's known-after-apply markers back (saved plans)
    sensitive_mirror(value) -> {} / false                                          nothing aksnet manages is secret
Pure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from aksnet.core.desired import is_unknown

# Terraform's provider address for the resource's provider; aksnet is its own "provider" of ARM resources.
# Policies that match provider_name "registry.terraform.io/hashicorp/azurerm" do not match it (documented).
PROVIDER_NAME = "aksnet/arm"


def arm_type(resource_id: str, fallback: str) -> str:
    """The ARM resource type of `resource_id`: the namespace after the last `/providers/` and every type
    segment after it (`Microsoft.Network/virtualNetworks/subnets` for a subnet id); a resource group id gives
    `Microsoft.Resources/resourceGroups`. `fallback` when the id has neither shape."""
    parts = [p for p in resource_id.split("/") if p]
    lowered = [p.lower() for p in parts]
    if "providers" in lowered:
        start = len(lowered) - 1 - lowered[::-1].index("providers")
        rest = parts[start + 1:]
        if len(rest) >= 3:
            return "/".join([rest[0], *rest[1::2]])
    if len(parts) == 4 and lowered[0] == "subscriptions" and lowered[2] == "resourcegroups":
        return "Microsoft.Resources/resourceGroups"
    return fallback


def split_unknowns(after: Any) -> tuple[Any, Any, list[dict[str, Any]]]:
    """(`after` with null in place of each known-after-apply value, Terraform's `after_unknown` mirror,
    the markers with their paths so a saved plan can be applied exactly)."""
    markers: list[dict[str, Any]] = []
    nulled = _null_unknowns(after, [], markers)
    return nulled, _unknown_mirror(after, top=True), markers


def _null_unknowns(value: Any, path: list[Any], markers: list[dict[str, Any]]) -> Any:
    if is_unknown(value):
        markers.append({"path": list(path), "value": dict(value)})
        return None
    if isinstance(value, Mapping):
        return {k: _null_unknowns(v, [*path, k], markers) for k, v in value.items()}
    if isinstance(value, list):
        return [_null_unknowns(v, [*path, i], markers) for i, v in enumerate(value)]
    return value


def _unknown_mirror(value: Any, *, top: bool = False) -> Any:
    """Terraform: unknown leaves are true, known leaves omitted in objects and false in lists; a value with
    nothing unknown is `{}` for an object (at the top) and false otherwise."""
    if is_unknown(value):
        return True
    if isinstance(value, Mapping):
        children = {k: _unknown_mirror(v) for k, v in value.items()}
        kept = {k: v for k, v in children.items() if v is not False and v != {}}
        return kept if kept or top else False
    if isinstance(value, list):
        items = [_unknown_mirror(v) for v in value]
        return items if any(item is not False for item in items) else False
    return {} if top and value is not None else False


def restore_unknowns(after: Any, markers: Sequence[Mapping[str, Any]]) -> Any:
    """`after` with each marker put back at its path (the inverse of `split_unknowns` for saved plans)."""
    for marker in markers:
        path = list(marker["path"])
        if not path:
            return dict(marker["value"])
        node = after
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = dict(marker["value"])
    return after


def sensitive_mirror(value: Any) -> Any:
    """`before_sensitive` / `after_sensitive`: no value aksnet manages is secret (an SSH *public* key, CIDRs,
    names), so `{}` for an object and false for null."""
    return {} if isinstance(value, Mapping) else False
