"""Microsoft.Network/networkSecurityGroups with inline securityRules (replace semantics, as for a
VNet's subnets: arm-protocol.md §6.2), the six default rules, and the `subnets` back-reference."""

from __future__ import annotations

import copy
from typing import Any

from aksnet.emulator.kinds import ArmError, Body, Rid, Txn, parse_rid
from aksnet.emulator.providers.network_common import (
    NETWORK_API_VERSIONS,
    NSG_TYPE,
    SUCCEEDED,
    UPDATING,
    bad_request,
    busy,
    drop,
    entry_name,
    inline_entries,
    new_guid,
    no_duplicate_names,
    patch_tags,
    properties_of,
    subnets_referencing,
    top_level_row,
    top_lock_key,
    with_state,
)
from aksnet.emulator.providers.network_security_rules import (
    check_rule_conflicts,
    check_rule_count,
    prepare_rule,
)

# Read-only NSG properties (arm-protocol.md §6.5), plus the materialised rules.
_READ_ONLY = ("provisioningState", "resourceGuid", "defaultSecurityRules", "networkInterfaces", "subnets",
              "flowLogs", "securityRules")

# (name, description, access, source, destination, direction, priority): exactly the six rules of
# NetworkSecurityGroupCreate.json (2026-03-01).
_DEFAULT_RULES: tuple[tuple[str, str, str, str, str, str, int], ...] = (
    ("AllowVnetInBound", "Allow inbound traffic from all VMs in VNET", "Allow", "VirtualNetwork",
     "VirtualNetwork", "Inbound", 65000),
    ("AllowAzureLoadBalancerInBound", "Allow inbound traffic from azure load balancer", "Allow",
     "AzureLoadBalancer", "*", "Inbound", 65001),
    ("DenyAllInBound", "Deny all inbound traffic", "Deny", "*", "*", "Inbound", 65500),
    ("AllowVnetOutBound", "Allow outbound traffic from all VMs to all VMs in VNET", "Allow", "VirtualNetwork",
     "VirtualNetwork", "Outbound", 65000),
    ("AllowInternetOutBound", "Allow outbound traffic from all VMs to Internet", "Allow", "*", "Internet",
     "Outbound", 65001),
    ("DenyAllOutBound", "Deny all outbound traffic", "Deny", "*", "*", "Outbound", 65500),
)


def default_security_rules(nsg_id: str) -> list[dict[str, Any]]:
    return [
        {"name": name, "id": f"{nsg_id}/defaultSecurityRules/{name}",
         "properties": {"description": description, "access": access, "destinationAddressPrefix": destination,
                        "destinationPortRange": "*", "direction": direction, "priority": priority,
                        "provisioningState": "Succeeded", "sourceAddressPrefix": source,
                        "sourcePortRange": "*", "protocol": "*"}}
        for name, description, access, source, destination, direction, priority in _DEFAULT_RULES
    ]


class NetworkSecurityGroupKind:
    type = NSG_TYPE
    api_versions = NETWORK_API_VERSIONS
    long_running = True
    supports_patch = True

    def lock_key(self, rid: Rid) -> str | None:
        return top_lock_key(rid)

    def busy_error(self, rid: Rid) -> ArmError:
        return busy(rid)

    def put(self, txn: Txn, rid: Rid, existing: Body | None, body: Body) -> Body:
        row = top_level_row(rid, existing, body)
        given = properties_of(body)
        entries = inline_entries(given, "securityRules")
        props = drop(given, _READ_ONLY)
        nsg_id = str(row["id"])
        names = [entry_name(e, "properties.securityRules") for e in entries]
        no_duplicate_names(rid, names)
        check_rule_count(nsg_id, len(entries))
        current = {str(r["name"]).lower(): r for r in txn.children(nsg_id, "securityRules")}
        nsg_rid = parse_rid(nsg_id)
        rules = [
            prepare_rule(nsg_rid.child("securityRules", name), current.get(name.lower()), entry,
                         path=f"properties.securityRules[{i}].properties")
            for i, (name, entry) in enumerate(zip(names, entries, strict=True))
        ]
        check_rule_conflicts(rules)
        listed = {n.lower() for n in names}
        for key, rule in current.items():
            if key not in listed:
                txn.delete(str(rule["id"]))
        for rule in rules:
            txn.put(str(rule["id"]), rule)
        props.setdefault("flushConnection", False)  # NetworkSecurityGroupCreate.json
        props["resourceGuid"] = (existing or {}).get("properties", {}).get("resourceGuid") or new_guid()
        props["provisioningState"] = UPDATING
        row["properties"] = props
        return row

    def complete_put(self, txn: Txn, rid: Rid, stored: Body) -> Body:
        for rule in txn.children(str(stored["id"]), "securityRules"):
            if (rule.get("properties") or {}).get("provisioningState") != SUCCEEDED:
                txn.put(str(rule["id"]), with_state(rule, SUCCEEDED))
        return with_state(stored, SUCCEEDED)

    def patch(self, txn: Txn, rid: Rid, existing: Body, body: Body) -> Body:
        return patch_tags(existing, body)

    def check_delete(self, txn: Txn, rid: Rid, existing: Body) -> None:
        users = subnets_referencing(txn, parse_rid(str(existing["id"])), "networkSecurityGroup")
        if users:
            # Message from pulumi-azure-native#3051 (arm-protocol.md §6.2).
            raise bad_request(
                "InUseNetworkSecurityGroupCannotBeDeleted",
                f"Network security group {existing['id']} cannot be deleted because it is in use by the "
                f"following resources: {', '.join(users)}. In order to delete the Network security group, "
                "remove the association with the resource(s).")

    def complete_delete(self, txn: Txn, rid: Rid, existing: Body) -> None:
        return None  # rules go with the NSG (the framework removes child rows)

    def view(self, txn: Txn, rid: Rid, stored: Body) -> Body:
        out = copy.deepcopy(stored)
        nsg_id = str(stored["id"])
        props = out.setdefault("properties", {})
        props["securityRules"] = [copy.deepcopy(r) for r in txn.children(nsg_id, "securityRules")]
        props["defaultSecurityRules"] = default_security_rules(nsg_id)
        users = subnets_referencing(txn, parse_rid(nsg_id), "networkSecurityGroup")
        if users:
            props["subnets"] = [{"id": u} for u in users]
        return out
