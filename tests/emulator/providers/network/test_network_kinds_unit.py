"""Network kinds through an in-memory Txn: validation codes, replace semantics, back-references,
server-filled fields and the helpers the AKS kind calls. The SDK-level tests are in
test_network_sdk.py; these are fast and cover every rule branch."""

from __future__ import annotations

import json
from typing import Any

import pytest
from paths import TESTS

from aksnet.emulator.arm.contract import ArmError, parse_rid
from aksnet.emulator.providers.network import KINDS
from aksnet.emulator.providers.network import common as nc

try:
    from network_fake_txn import NET, RG, FakeTxn
except ImportError:  # tests/emulator became a package
    from .network_fake_txn import NET, RG, FakeTxn  # type: ignore[no-redef,import-not-found,unused-ignore]

EXAMPLES = TESTS / "fixtures" / "arm-examples"
VNET = f"{NET}/virtualNetworks/vnet1"
NSG = f"{NET}/networkSecurityGroups/nsg1"
RT = f"{NET}/routeTables/rt1"


def vnet_body(*subnets: tuple[str, str], space: str = "10.0.0.0/16", extra: dict[str, Any] | None = None) -> dict[str, Any]:
    subs = [{"name": n, "properties": {"addressPrefix": p, **(extra or {})}} for n, p in subnets]
    return {"location": "eastus", "properties": {"addressSpace": {"addressPrefixes": [space]}, "subnets": subs}}


def rule(name: str, priority: Any = 100, direction: str = "Inbound", **props: Any) -> dict[str, Any]:
    base = {"protocol": "Tcp", "access": "Allow", "direction": direction, "priority": priority,
            "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "*",
            "destinationPortRange": "443"}
    base.update(props)
    return {"name": name, "properties": base}


def route(name: str, prefix: str = "0.0.0.0/0", hop: str = "VirtualAppliance", ip: str | None = "10.0.0.4") -> dict[str, Any]:
    props: dict[str, Any] = {"addressPrefix": prefix, "nextHopType": hop}
    if ip is not None:
        props["nextHopIpAddress"] = ip
    return {"name": name, "properties": props}


def code_of(call: Any, *args: Any) -> ArmError:
    with pytest.raises(ArmError) as info:
        call(*args)
    return info.value


@pytest.fixture()
def txn() -> FakeTxn:
    return FakeTxn()


# ---- virtual networks and subnets ----------------------------------------------------------------

def test_vnet_inline_subnets_are_child_rows_and_materialised(txn: FakeTxn) -> None:
    shown = txn.arm_put(VNET, vnet_body(("a", "10.0.1.0/24"), ("b", "10.0.2.0/24")))
    assert shown["id"] == VNET and shown["type"] == "Microsoft.Network/virtualNetworks"
    assert shown["etag"].startswith('W/"') and shown["properties"]["resourceGuid"]
    assert shown["properties"]["provisioningState"] == "Succeeded"
    assert shown["properties"]["virtualNetworkPeerings"] == [] and shown["properties"]["enableDdosProtection"] is False
    subnets = shown["properties"]["subnets"]
    assert [s["name"] for s in subnets] == ["a", "b"]
    assert subnets[0]["id"] == f"{VNET}/subnets/a" and subnets[0]["type"] == "Microsoft.Network/virtualNetworks/subnets"
    assert subnets[0]["properties"]["privateEndpointNetworkPolicies"] == "Disabled"
    assert subnets[0]["properties"]["privateLinkServiceNetworkPolicies"] == "Enabled"
    assert subnets[0]["properties"]["provisioningState"] == "Succeeded"
    assert "subnets" not in txn.get(VNET)["properties"]  # type: ignore[index]  # stored as child rows
    assert txn.get(f"{VNET}/subnets/b") is not None


def test_vnet_put_during_operation_shows_updating(txn: FakeTxn) -> None:
    shown = txn.arm_put(VNET, vnet_body(("a", "10.0.1.0/24")), complete=False)
    assert shown["properties"]["provisioningState"] == "Updating"
    assert shown["properties"]["subnets"][0]["properties"]["provisioningState"] == "Updating"


def test_read_back_body_is_accepted_and_etags_change(txn: FakeTxn) -> None:
    first = txn.arm_put(VNET, vnet_body(("a", "10.0.1.0/24")))
    second = txn.arm_put(VNET, first)  # a client sending back what it read (read-only fields ignored)
    assert second["properties"]["resourceGuid"] == first["properties"]["resourceGuid"]
    assert second["etag"] != first["etag"]
    assert second["properties"]["subnets"][0]["etag"] != first["properties"]["subnets"][0]["etag"]


def test_vnet_put_replaces_subnet_collection(txn: FakeTxn) -> None:
    txn.arm_put(VNET, vnet_body(("a", "10.0.1.0/24"), ("b", "10.0.2.0/24")))
    shown = txn.arm_put(VNET, vnet_body(("b", "10.0.2.0/24")))
    assert [s["name"] for s in shown["properties"]["subnets"]] == ["b"]
    body = vnet_body()
    del body["properties"]["subnets"]  # absent means none (bicep#3781)
    assert txn.arm_put(VNET, body)["properties"]["subnets"] == []


@pytest.mark.parametrize(("prefix", "code"), [
    ("10.1.0.0/24", "NetcfgSubnetRangeOutsideVnet"),
    ("10.0.1.1/24", "InvalidCIDRNotation"),
    ("10.0.1.0", "InvalidAddressPrefixFormat"),
    ("10.0.999.0/24", "InvalidAddressPrefixFormat"),
    ("10.0.1.0/30", "NetcfgInvalidSubnet"),
])
def test_subnet_prefix_errors(txn: FakeTxn, prefix: str, code: str) -> None:
    error = code_of(txn.arm_put, VNET, vnet_body(("a", prefix)))
    assert (error.status, error.code) == (400, code)
    txn.arm_put(VNET, vnet_body())
    error = code_of(txn.arm_put, f"{VNET}/subnets/a", {"properties": {"addressPrefix": prefix}})
    assert error.code == code


def test_outside_message_matches_azure(txn: FakeTxn) -> None:
    error = code_of(txn.arm_put, VNET, vnet_body(("aks", "10.1.0.0/24")))
    assert error.message == ("Subnet 'aks' is not valid because its IP address range is outside the IP address "
                             "range of virtual network 'vnet1'.")


def test_overlapping_subnets_inline_and_child(txn: FakeTxn) -> None:
    error = code_of(txn.arm_put, VNET, vnet_body(("a", "10.0.0.0/23"), ("b", "10.0.1.0/24")))
    assert error.code == "NetcfgSubnetRangesOverlap" and "'b'" in error.message
    txn.arm_put(VNET, vnet_body(("a", "10.0.0.0/23")))
    error = code_of(txn.arm_put, f"{VNET}/subnets/b", {"properties": {"addressPrefix": "10.0.1.0/24"}})
    assert error.code == "NetcfgSubnetRangesOverlap"
    # re-PUT of the same subnet does not overlap with itself
    txn.arm_put(f"{VNET}/subnets/a", {"properties": {"addressPrefix": "10.0.0.0/23"}})


def test_vnet_address_space_errors(txn: FakeTxn) -> None:
    assert code_of(txn.arm_put, VNET, vnet_body(space="10.0.0.1/16")).code == "InvalidCIDRNotation"
    assert code_of(txn.arm_put, VNET, {"location": "eastus", "properties": {}}).code == "InvalidAddressSpace"
    assert code_of(txn.arm_put, VNET, {"properties": vnet_body()["properties"]}).code == "LocationRequired"
    txn.arm_put(VNET, vnet_body(("a", "10.0.1.0/24")))
    # shrinking the space under a listed subnet
    assert code_of(txn.arm_put, VNET, vnet_body(("a", "10.0.1.0/24"), space="10.0.2.0/24")).code == \
        "NetcfgSubnetRangeOutsideVnet"
    moved = vnet_body(("a", "10.0.1.0/24"))
    moved["location"] = "westus"
    assert code_of(txn.arm_put, VNET, moved).code == "InvalidResourceLocation"


def test_missing_prefix_duplicate_names_bad_names(txn: FakeTxn) -> None:
    body = vnet_body()
    body["properties"]["subnets"] = [{"name": "a", "properties": {}}]
    assert code_of(txn.arm_put, VNET, body).code == "NoAddressPrefixOrPoolProvided"
    assert code_of(txn.arm_put, VNET, vnet_body(("a", "10.0.1.0/24"), ("A", "10.0.2.0/24"))).code == \
        "DuplicateResourceName"
    assert code_of(txn.arm_put, f"{NET}/virtualNetworks/-bad", vnet_body()).code == "InvalidResourceName"
    body = vnet_body()
    body["properties"]["subnets"] = "nope"
    assert code_of(txn.arm_put, VNET, body).code == "InvalidRequestFormat"


def test_multi_prefix_subnet(txn: FakeTxn) -> None:
    body = vnet_body()
    body["properties"]["subnets"] = [{"name": "a", "properties": {"addressPrefixes": ["10.0.1.0/24", "10.0.2.0/24"]}}]
    txn.arm_put(VNET, body)
    error = code_of(txn.arm_put, f"{VNET}/subnets/b", {"properties": {"addressPrefix": "10.0.2.0/25"}})
    assert error.code == "NetcfgSubnetRangesOverlap"


def test_in_use_subnet_rules(txn: FakeTxn) -> None:
    txn.arm_put(VNET, vnet_body(("a", "10.0.1.0/24"), ("b", "10.0.2.0/24")))
    nic = f"{RG}/providers/Microsoft.Compute/virtualMachineScaleSets/vmss/virtualMachines/0/networkInterfaces/nic/ipConfigurations/ipconfig1"
    nc.add_subnet_ip_configurations(txn, f"{VNET}/subnets/a", [nic, nic])
    sub = txn.show(f"{VNET}/subnets/a")
    assert sub is not None and sub["properties"]["ipConfigurations"] == [{"id": nic}]

    error = code_of(txn.arm_put, VNET, vnet_body(("b", "10.0.2.0/24")))
    assert error.code == "InUseSubnetCannotBeDeleted"
    assert error.message.startswith(f"Subnet a is in use by {nic} and cannot be deleted.")
    assert txn.get(f"{VNET}/subnets/b") is not None  # nothing written by the refused PUT
    assert code_of(txn.arm_delete, f"{VNET}/subnets/a").code == "InUseSubnetCannotBeDeleted"
    assert code_of(txn.arm_delete, VNET).code == "InUseSubnetCannotBeDeleted"
    assert code_of(txn.arm_put, VNET, vnet_body(("a", "10.0.0.0/23"), ("b", "10.0.2.0/24"))).code == \
        "InUseSubnetCannotBeUpdated"
    # listing it unchanged keeps its ipConfigurations (read-only input)
    shown = txn.arm_put(VNET, vnet_body(("a", "10.0.1.0/24"), ("b", "10.0.2.0/24")))
    assert shown["properties"]["subnets"][0]["properties"]["ipConfigurations"] == [{"id": nic}]

    nc.remove_subnet_ip_configurations(txn, f"{VNET}/subnets/a", under=f"{RG}/providers/Microsoft.Compute")
    assert "ipConfigurations" not in txn.show(f"{VNET}/subnets/a")["properties"]
    txn.arm_delete(f"{VNET}/subnets/a")
    txn.arm_delete(VNET)
    assert txn.get(f"{VNET}/subnets/b") is None


def test_subnet_child_put_needs_parent_and_touches_vnet_etag(txn: FakeTxn) -> None:
    error = code_of(txn.arm_put, f"{VNET}/subnets/a", {"properties": {"addressPrefix": "10.0.1.0/24"}})
    assert (error.status, error.code) == (404, "ParentResourceNotFound")
    before = txn.arm_put(VNET, vnet_body())["etag"]
    txn.arm_put(f"{VNET}/subnets/a", {"properties": {"addressPrefix": "10.0.1.0/24"}})
    assert txn.get(VNET)["etag"] != before  # type: ignore[index]


# ---- references and back-references ----------------------------------------------------------------

def test_subnet_references_nsg_and_route_table(txn: FakeTxn) -> None:
    assoc = {"networkSecurityGroup": {"id": NSG}, "routeTable": {"id": RT}}
    error = code_of(txn.arm_put, VNET, vnet_body(("a", "10.0.1.0/24"), extra=assoc))
    assert error.code == "InvalidResourceReference" and NSG in error.message
    txn.arm_put(NSG, {"location": "eastus"})
    txn.arm_put(RT, {"location": "westus"})
    error = code_of(txn.arm_put, VNET, vnet_body(("a", "10.0.1.0/24"), extra=assoc))
    assert error.code == "InvalidResourceReference" and RT in error.message  # other region
    assert code_of(txn.arm_put, RT, {"location": "East US"}).code == "InvalidResourceLocation"
    txn.arm_delete(RT)
    assert txn.arm_put(RT, {"location": "East US"})["location"] == "eastus"
    assert code_of(txn.arm_put, VNET, vnet_body(("a", "10.0.1.0/24"), extra={"routeTable": {"id": "rt1"}})).code == \
        "LinkedInvalidPropertyId"
    txn.arm_put(VNET, vnet_body(("a", "10.0.1.0/24"), extra=assoc))

    nsg = txn.show(NSG)
    table = txn.show(RT)
    assert nsg is not None and nsg["properties"]["subnets"] == [{"id": f"{VNET}/subnets/a"}]
    assert table is not None and table["properties"]["subnets"] == [{"id": f"{VNET}/subnets/a"}]
    error = code_of(txn.arm_delete, NSG)
    assert error.code == "InUseNetworkSecurityGroupCannotBeDeleted"
    assert error.message == (f"Network security group {NSG} cannot be deleted because it is in use by the following "
                             f"resources: {VNET}/subnets/a. In order to delete the Network security group, remove "
                             "the association with the resource(s).")
    assert code_of(txn.arm_delete, RT).message == "Route table rt1 is in use and cannot be deleted."
    txn.arm_put(VNET, vnet_body(("a", "10.0.1.0/24")))  # dissociate
    assert "subnets" not in txn.show(NSG)["properties"]
    txn.arm_delete(NSG)
    txn.arm_delete(RT)


# ---- NSGs and rules ------------------------------------------------------------------------------------

def test_nsg_defaults_match_the_example(txn: FakeTxn) -> None:
    example = json.loads((EXAMPLES / "networkSecurityGroups/NetworkSecurityGroupCreate.json").read_text())
    nsg_id = example["responses"]["201"]["body"]["id"]
    shown = txn.arm_put(nsg_id, example["parameters"]["parameters"])
    expected = example["responses"]["201"]["body"]["properties"]
    assert shown["properties"]["defaultSecurityRules"] == expected["defaultSecurityRules"]
    assert shown["properties"]["securityRules"] == [] and shown["properties"]["flushConnection"] is False


def test_nsg_inline_rules_replace_and_child_rules(txn: FakeTxn) -> None:
    shown = txn.arm_put(NSG, {"location": "eastus", "properties": {"securityRules": [rule("r1"), rule("r2", 200)]}})
    assert [r["name"] for r in shown["properties"]["securityRules"]] == ["r1", "r2"]
    r1 = shown["properties"]["securityRules"][0]
    assert r1["type"] == "Microsoft.Network/networkSecurityGroups/securityRules" and r1["etag"].startswith('W/"')
    txn.arm_put(f"{NSG}/securityRules/r3", {"properties": rule("r3", 300, protocol="udp")["properties"]})
    shown = txn.show(NSG)
    assert shown is not None and [r["name"] for r in shown["properties"]["securityRules"]] == ["r1", "r2", "r3"]
    assert shown["properties"]["securityRules"][2]["properties"]["protocol"] == "Udp"  # canonical casing
    shown = txn.arm_put(NSG, {"location": "eastus", "properties": {"securityRules": [rule("r2", 200)]}})
    assert [r["name"] for r in shown["properties"]["securityRules"]] == ["r2"]
    txn.arm_delete(f"{NSG}/securityRules/r2")
    assert txn.show(NSG)["properties"]["securityRules"] == []


@pytest.mark.parametrize(("bad", "code"), [
    (rule("x", 99), "SecurityRuleInvalidPriority"),
    (rule("x", 4097), "SecurityRuleInvalidPriority"),
    (rule("x", "high"), "InvalidRequestFormat"),
    (rule("x", protocol="Http"), "InvalidRequestFormat"),
    (rule("x", direction="Sideways"), "InvalidRequestFormat"),
    (rule("x", access="Maybe"), "InvalidRequestFormat"),
    (rule("x", destinationPortRange="70000"), "SecurityRuleInvalidPortRange"),
    (rule("x", destinationPortRange="90-80"), "SecurityRuleInvalidPortRange"),
    (rule("x", destinationPortRange="any"), "SecurityRuleInvalidPortRange"),
    (rule("x", sourcePortRanges=["80", "636, 389"]), "SecurityRuleInvalidPortRange"),
    (rule("x", sourceAddressPrefix="50.206.209.68/27"), "SecurityRuleInvalidAddressPrefix"),
    (rule("x", sourceAddressPrefixes=["10.0.0.0/8", "Internet"]), "SecurityRuleParameterContainsUnsupportedValue"),
])
def test_rule_errors(txn: FakeTxn, bad: dict[str, Any], code: str) -> None:
    assert code_of(txn.arm_put, NSG, {"location": "eastus", "properties": {"securityRules": [bad]}}).code == code
    txn.arm_put(NSG, {"location": "eastus"})
    assert code_of(txn.arm_put, f"{NSG}/securityRules/x", {"properties": bad["properties"]}).code == code


def test_rule_priority_message_and_missing_field(txn: FakeTxn) -> None:
    error = code_of(txn.arm_put, NSG, {"location": "eastus", "properties": {"securityRules": [rule("x", 50)]}})
    assert error.message == "Security rule has invalid Priority. Value provided: 50 Allowed range 100-4096."
    missing = rule("x")
    del missing["properties"]["access"]
    error = code_of(txn.arm_put, NSG, {"location": "eastus", "properties": {"securityRules": [missing]}})
    assert error.code == "InvalidRequestFormat" and "access" in error.details[0]["message"]


def test_rule_conflicts(txn: FakeTxn) -> None:
    body = {"location": "eastus", "properties": {"securityRules": [rule("a", 100), rule("b", 100)]}}
    error = code_of(txn.arm_put, NSG, body)
    assert error.code == "SecurityRuleConflict"
    assert error.message == "Security rule b conflicts with rule a. Rules cannot have the same Priority and Direction."
    body = {"location": "eastus", "properties": {"securityRules": [rule("a", 100), rule("b", 100, "Outbound")]}}
    txn.arm_put(NSG, body)  # same priority, other direction: fine (R48)
    error = code_of(txn.arm_put, f"{NSG}/securityRules/c", {"properties": rule("c", 100)["properties"]})
    assert error.code == "SecurityRuleConflict" and error.message.startswith("Security rule c conflicts with rule a.")
    txn.arm_put(f"{NSG}/securityRules/a", {"properties": rule("a", 100, destinationPortRange="80")["properties"]})


# ---- route tables and routes -----------------------------------------------------------------------------

def test_route_table_inline_and_child_routes(txn: FakeTxn) -> None:
    shown = txn.arm_put(RT, {"location": "westus", "properties": {"routes": [route("r1")]}})
    assert shown["properties"]["disableBgpRoutePropagation"] is False and shown["properties"]["resourceGuid"]
    r1 = shown["properties"]["routes"][0]
    assert r1["type"] == "Microsoft.Network/routeTables/routes" and r1["properties"]["nextHopIpAddress"] == "10.0.0.4"
    txn.arm_put(f"{RT}/routes/r2", {"properties": {"addressPrefix": "10.0.3.0/24", "nextHopType": "internet"}})
    shown = txn.show(RT)
    assert shown is not None and shown["properties"]["routes"][1]["properties"]["nextHopType"] == "Internet"
    shown = txn.arm_put(RT, {"location": "westus", "properties": {"routes": []}})
    assert shown["properties"]["routes"] == []


@pytest.mark.parametrize(("bad", "code"), [
    (route("x", ip=None), "MissingNextHopIpAddress"),
    (route("x", ip="10.0.0.999"), "InvalidNextHopIpAddress"),
    (route("x", hop="Internet"), "InvalidNextHopIpAddress"),
    (route("x", hop="Teleport", ip=None), "InvalidRequestFormat"),
    (route("x", prefix="10.0.0.1/24"), "InvalidCIDRNotation"),
    (route("x", prefix="10.0.0.0"), "InvalidAddressPrefixFormat"),
])
def test_route_errors(txn: FakeTxn, bad: dict[str, Any], code: str) -> None:
    assert code_of(txn.arm_put, RT, {"location": "eastus", "properties": {"routes": [bad]}}).code == code
    txn.arm_put(RT, {"location": "eastus"})
    assert code_of(txn.arm_put, f"{RT}/routes/x", {"properties": bad["properties"]}).code == code


def test_route_limit_400(txn: FakeTxn) -> None:
    routes = [route(f"r{i}", f"10.{i // 256}.{i % 256}.0/24") for i in range(401)]
    assert code_of(txn.arm_put, RT, {"location": "eastus", "properties": {"routes": routes}}).code == \
        "RoutesPerRouteTableLimitReached"
    txn.arm_put(RT, {"location": "eastus", "properties": {"routes": routes[:400]}})
    error = code_of(txn.arm_put, f"{RT}/routes/extra", {"properties": routes[400]["properties"]})
    assert error.code == "RoutesPerRouteTableLimitReached"


# ---- helpers for the AKS kind, tags, locks ----------------------------------------------------------------

def test_aks_helpers(txn: FakeTxn) -> None:
    node_rt = f"/subscriptions/{parse_rid(VNET).subscription}/resourceGroups/MC_rg1_c_eastus/providers/Microsoft.Network/routeTables/aks-agentpool-1-routetable"
    nc.ensure_route_table(txn, node_rt, "eastus")
    txn.arm_put(VNET, vnet_body(("a", "10.0.1.0/24")))
    before = txn.get(node_rt)["etag"]  # type: ignore[index]
    nc.put_route(txn, node_rt, "aks-nodepool1-1-vmss000000", "10.244.0.0/24", "VirtualAppliance", "10.0.1.4")
    nc.set_subnet_route_table(txn, f"{VNET}/subnets/a", node_rt)
    table = txn.show(node_rt)
    assert table is not None and table["etag"] != before
    assert table["properties"]["routes"][0]["properties"] == {
        "addressPrefix": "10.244.0.0/24", "nextHopType": "VirtualAppliance", "nextHopIpAddress": "10.0.1.4",
        "provisioningState": "Succeeded", "hasBgpOverride": False}
    assert table["properties"]["subnets"] == [{"id": f"{VNET}/subnets/a"}]
    nc.delete_route(txn, node_rt, "aks-nodepool1-1-vmss000000")
    nc.set_subnet_route_table(txn, f"{VNET}/subnets/a", None)
    table = txn.show(node_rt)
    assert table is not None and table["properties"]["routes"] == [] and "subnets" not in table["properties"]
    with pytest.raises(KeyError):
        nc.put_route(txn, f"{node_rt}-missing", "r", "10.0.0.0/24", "None")


def test_patch_tags_replaces_map(txn: FakeTxn) -> None:
    before = txn.arm_put(VNET, {**vnet_body(), "tags": {"a": "1"}})
    after = txn.arm_patch(VNET, {"tags": {"b": "2"}})
    assert after["tags"] == {"b": "2"} and after["etag"] != before["etag"]
    assert after["properties"]["addressSpace"] == before["properties"]["addressSpace"]


def test_lock_keys_and_busy_error() -> None:
    kinds = {k.type: k for k in KINDS}
    assert {k.long_running for k in KINDS} == {True}
    sub = parse_rid(f"{VNET}/subnets/a")
    assert kinds["Microsoft.Network/virtualNetworks/subnets"].lock_key(sub) == VNET.lower()
    assert kinds["Microsoft.Network/virtualNetworks"].lock_key(parse_rid(VNET)) == VNET.lower()
    assert kinds["Microsoft.Network/routeTables/routes"].lock_key(parse_rid(f"{RT}/routes/r")) == RT.lower()
    assert kinds["Microsoft.Network/networkSecurityGroups/securityRules"].lock_key(
        parse_rid(f"{NSG}/securityRules/r")) == NSG.lower()
    error = kinds["Microsoft.Network/virtualNetworks/subnets"].busy_error(sub)
    assert (error.status, error.code, error.retry_after) == (429, "RetryableErrorDueToAnotherOperation", 1)
    assert {"2026-03-01", "2025-07-01", "2025-05-01", "2024-07-01"} <= kinds[nc.VNET_TYPE].api_versions
    assert "2024-09-01" not in kinds[nc.VNET_TYPE].api_versions  # never published for Microsoft.Network
