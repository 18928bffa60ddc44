"""Microsoft.Network/networkSecurityGroups/securityRules: the rule checks as one `ChildType`
(network_base), used by the rule API and the NSG's inline `securityRules` (R47-R49; NSG-spec enums
and port text)."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from typing import Any

from aksnet.emulator.arm.contract import Body, Rid, Txn
from aksnet.emulator.providers.network.base import ChildType, standalone
from aksnet.emulator.providers.network.common import (
    RULE_TYPE,
    UPDATING,
    bad_request,
    check_reference,
    child_row,
    drop,
    properties_of,
    unparseable,
)

_READ_ONLY = ("provisioningState", "etag", "type")

# R49 / NSG-spec enums. NRP parses enums case-insensitively and answers the canonical spelling.
_ENUMS: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("protocol", "SecurityRuleProtocol",
     {"tcp": "Tcp", "udp": "Udp", "icmp": "Icmp", "esp": "Esp", "ah": "Ah", "*": "*"}),
    ("access", "SecurityRuleAccess", {"allow": "Allow", "deny": "Deny"}),
    ("direction", "SecurityRuleDirection", {"inbound": "Inbound", "outbound": "Outbound"}),
)
MIN_PRIORITY, MAX_PRIORITY = 100, 4096  # R47 (65000-65500 belong to the default rules)
MAX_RULES = 1000  # R49: rules per NSG

_SERVICE_TAG = re.compile(r"^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*$")  # VirtualNetwork, Storage.EastUS


def _port_ok(value: Any) -> bool:
    text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    if text == "*":
        return True
    bounds = text.split("-")
    if len(bounds) > 2 or not all(b.isdigit() for b in bounds):
        return False
    numbers = [int(b) for b in bounds]
    return all(0 <= n <= 65535 for n in numbers) and numbers[0] <= numbers[-1]


def _check_ports(props: Mapping[str, Any], side: str) -> None:
    values: list[Any] = []
    many = props.get(f"{side}PortRanges")
    if many is not None and not isinstance(many, list):
        raise unparseable(f"properties.{side}PortRanges", "Expected an array of strings.")
    values.extend(many or [])
    if props.get(f"{side}PortRange") is not None:
        values.append(props[f"{side}PortRange"])
    for value in values:
        if not _port_ok(value):
            # Message verbatim from public reports (Azure/azure-cli#23499, terraform-provider-azurerm#1530).
            raise bad_request(
                "SecurityRuleInvalidPortRange",
                f"Security rule has invalid Port range. Value provided: {value}. Value should be an integer "
                "OR integer range with '-' delimiter. Valid range 0-65535.")


def _address_ok(value: str) -> bool:
    if value == "*" or _SERVICE_TAG.match(value):
        return True
    try:
        ipaddress.ip_network(value, strict=True)  # an IP, or a CIDR without host bits (R1)
    except ValueError:
        return False
    return True


def _check_addresses(rule_id: str, props: Mapping[str, Any], side: str) -> None:
    single = props.get(f"{side}AddressPrefix")
    many = props.get(f"{side}AddressPrefixes")
    if many is not None and not isinstance(many, list):
        raise unparseable(f"properties.{side}AddressPrefixes", "Expected an array of strings.")
    for value in [*(many or []), *([single] if single is not None else [])]:
        if not isinstance(value, str) or not _address_ok(value):
            # R1: "has invalid Address prefix. Value provided: 50.206.209.68/27" (azure-powershell#4557).
            raise bad_request("SecurityRuleInvalidAddressPrefix",
                              f"Security rule {rule_id} has invalid Address prefix. Value provided: {value}.")
    for value in many or []:
        if value == "*" or _SERVICE_TAG.match(value):
            # R49: only one service tag per field, so tags belong in the singular property.
            field = f"{side[0].upper()}{side[1:]}AddressPrefixes"
            raise bad_request(
                "SecurityRuleParameterContainsUnsupportedValue",
                f"Security rule parameter {field} for rule with Id {rule_id} cannot specify existing "
                f"VIRTUALNETWORK, INTERNET, AZURELOADBALANCER, '*' or system tags. Unsupported value used: {value}.")


def prepare_rule(rid: Rid, existing: Body | None, entry: Mapping[str, Any], path: str = "properties") -> Body:
    """Validate one security rule (child PUT body or inline entry) and return the row to store."""
    props = drop(properties_of(entry, path), _READ_ONLY)
    for key, type_name, allowed in _ENUMS:
        value = props.get(key)
        if value is None:
            raise unparseable(f"{path}.{key}", f"Required property '{key}' not found in JSON.")
        canonical = allowed.get(str(value).lower()) if isinstance(value, str) else None
        if canonical is None:
            raise unparseable(f"{path}.{key}", f"Error converting value \"{value}\" to type '{type_name}'.")
        props[key] = canonical
    priority = props.get("priority")
    if priority is None:
        raise unparseable(f"{path}.priority", "Required property 'priority' not found in JSON.")
    if isinstance(priority, bool) or not isinstance(priority, int):
        raise unparseable(f"{path}.priority", f"Could not convert {priority!r} to integer.")
    if not MIN_PRIORITY <= priority <= MAX_PRIORITY:
        # R47; message as the service words it (public az CLI transcripts).
        raise bad_request("SecurityRuleInvalidPriority",
                          f"Security rule has invalid Priority. Value provided: {priority} Allowed range "
                          f"{MIN_PRIORITY}-{MAX_PRIORITY}.")
    for side in ("source", "destination"):
        _check_ports(props, side)
        _check_addresses(rid.raw, props, side)
    props["provisioningState"] = UPDATING
    return child_row(rid, existing, RULE_TYPE, props)


def check_rule_conflicts(rules: list[Body]) -> None:
    """R48: no two rules share priority and direction (SecurityRuleConflict, public error text)."""
    for i, rule in enumerate(rules):
        props = rule["properties"]
        for earlier in rules[:i]:
            other = earlier["properties"]
            if (props["priority"], props["direction"]) == (other["priority"], other["direction"]):
                raise bad_request(
                    "SecurityRuleConflict",
                    f"Security rule {rule['name']} conflicts with rule {earlier['name']}. Rules cannot have "
                    "the same Priority and Direction.")


def check_rule_count(nsg_id: str, count: int) -> None:
    if count > MAX_RULES:
        # R49 limit; the exact service code was not found in public sources.
        raise bad_request("SecurityRulesPerNetworkSecurityGroupLimitReached",
                          f"Network security group {nsg_id} has {count} security rules; the limit is {MAX_RULES}.")


def _check_rule_conflicts_in(nsg_name: str, rules: list[Body]) -> None:
    check_rule_conflicts(rules)


ASG_TYPE = "Microsoft.Network/applicationSecurityGroups"
_ASG_FIELDS = ("sourceApplicationSecurityGroups", "destinationApplicationSecurityGroups")


def _prepare_with_references(txn: Txn, rid: Rid, existing: Body | None, entry: Mapping[str, Any], parent: Body,
                             path: str) -> Body:
    """`prepare_rule`, then every application security group the rule names must exist: NRP refuses a
    dangling reference with 400 InvalidResourceReference ("Resource X referenced by resource Y was not
    found...", https://github.com/MicrosoftDocs/azure-docs/pull/111001). The emulator models no ASGs, so
    any ASG reference is dangling unless a row of that type was stored."""
    row = standalone(prepare_rule)(txn, rid, existing, entry, parent, path)
    props = row.get("properties") or {}
    for field in _ASG_FIELDS:
        refs = props.get(field)
        if refs is None:
            continue
        if not isinstance(refs, list):
            raise unparseable(f"{path}.{field}", "Expected an array of objects.")
        for ref in refs:
            ref_id = ref.get("id") if isinstance(ref, dict) else None
            if not isinstance(ref_id, str):
                raise unparseable(f"{path}.{field}", "Expected objects with an 'id'.")
            check_reference(txn, ref_id, ASG_TYPE, rid.raw, None)
    return row


# The security rule child type, shared by the NSG's inline `securityRules` and the rule API.
SECURITY_RULE = ChildType(type=RULE_TYPE, segment="securityRules", noun="security rule",
                          prepare=_prepare_with_references, check_count=check_rule_count,
                          check_siblings=_check_rule_conflicts_in)
