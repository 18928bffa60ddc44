"""Microsoft.Network kinds through the unmodified NetworkManagementClient and real LRO pollers:
VNets with inline and child subnets, NSGs with inline and child rules, route tables with routes,
Azure's validation codes, in-use deletes, one write at a time per VNet, replayed PUTs, etags, tags."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from sdk_clients import SdkClients

from aksnet.emulator.control.client import EmulatorAdmin

pytestmark = pytest.mark.emulator
RG = "net-rg"


@pytest.fixture
def net(sdk: SdkClients, admin: EmulatorAdmin) -> Any:
    admin.config(default_network_duration=0.0, default_aks_duration=0.0)  # the first poll already succeeds
    sdk.resource.resource_groups.create_or_update(RG, {"location": "eastus"})
    return sdk.network


def vnet(*subnets: tuple[str, str], **subnet_props: Any) -> dict[str, Any]:
    return {"location": "eastus", "properties": {
        "addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
        "subnets": [{"name": n, "properties": {"addressPrefix": p, **subnet_props}} for n, p in subnets]}}


def rule(name: str, priority: Any = 100, direction: str = "Inbound", **props: Any) -> dict[str, Any]:
    return {"name": name, "properties": {
        "protocol": "Tcp", "access": "Allow", "direction": direction, "priority": priority,
        "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "*",
        "destinationPortRange": "443", **props}}


def error_code(call: Callable[[], Any]) -> str:
    from azure.core.exceptions import HttpResponseError

    with pytest.raises(HttpResponseError) as caught:
        call()
    assert caught.value.error is not None, caught.value
    return str(caught.value.error.code)


def test_vnet_with_inline_subnets_and_child_subnets(net: Any) -> None:
    poller = net.virtual_networks.begin_create_or_update(RG, "vnet1", vnet(("a", "10.0.1.0/24"), ("b", "10.0.2.0/24")))
    created = poller.result()
    assert poller.done() and created.provisioning_state == "Succeeded" and created.resource_guid
    assert created.etag.startswith('W/"') and created.type == "Microsoft.Network/virtualNetworks"
    assert [(s.name, s.address_prefix, s.provisioning_state) for s in created.subnets] == [
        ("a", "10.0.1.0/24", "Succeeded"), ("b", "10.0.2.0/24", "Succeeded")]
    assert created.subnets[0].id.endswith("/virtualNetworks/vnet1/subnets/a") and created.subnets[0].etag

    sub = net.subnets.begin_create_or_update(RG, "vnet1", "c", {"properties": {"addressPrefix": "10.0.3.0/24"}}).result()
    assert sub.provisioning_state == "Succeeded" and sub.private_endpoint_network_policies == "Disabled"
    assert [s.name for s in net.subnets.list(RG, "vnet1")] == ["a", "b", "c"]
    net.subnets.begin_delete(RG, "vnet1", "a").result()
    assert [s.name for s in net.virtual_networks.get(RG, "vnet1").subnets] == ["b", "c"]
    # the VNet PUT replaces the collection: "c" is not listed, so it goes
    again = net.virtual_networks.begin_create_or_update(RG, "vnet1", vnet(("b", "10.0.2.0/24"))).result()
    assert [s.name for s in again.subnets] == ["b"]
    net.virtual_networks.begin_delete(RG, "vnet1").result()
    assert error_code(lambda: net.virtual_networks.get(RG, "vnet1")) == "ResourceNotFound"


def test_read_back_model_is_accepted_and_etags_change(net: Any) -> None:
    first = net.virtual_networks.begin_create_or_update(RG, "vnet1", vnet(("a", "10.0.1.0/24"))).result()
    second = net.virtual_networks.begin_create_or_update(RG, "vnet1", first).result()  # read-only fields ignored
    assert second.resource_guid == first.resource_guid and second.etag != first.etag
    assert second.subnets[0].etag != first.subnets[0].etag
    sub = net.subnets.get(RG, "vnet1", "a")
    assert net.subnets.begin_create_or_update(RG, "vnet1", "a", sub).result().etag != sub.etag
    # a plain replay after completion is a safe no-op update (the SDK replays PUTs, azure-core's RetryPolicy)
    third = net.virtual_networks.begin_create_or_update(RG, "vnet1", vnet(("a", "10.0.1.0/24"))).result()
    assert [s.name for s in third.subnets] == ["a"] and third.resource_guid == first.resource_guid


def test_nsg_inline_and_child_rules(net: Any) -> None:
    nsg = net.network_security_groups.begin_create_or_update(RG, "nsg1", {
        "location": "eastus", "properties": {"securityRules": [rule("allow-https"), rule("deny-out", 100, "Outbound")]}}
    ).result()
    assert [r.name for r in nsg.security_rules] == ["allow-https", "deny-out"]
    assert [(r.name, r.priority) for r in nsg.default_security_rules] == [
        ("AllowVnetInBound", 65000), ("AllowAzureLoadBalancerInBound", 65001), ("DenyAllInBound", 65500),
        ("AllowVnetOutBound", 65000), ("AllowInternetOutBound", 65001), ("DenyAllOutBound", 65500)]
    child = net.security_rules.begin_create_or_update(RG, "nsg1", "ssh", rule("ssh", 200, destinationPortRange="22")).result()
    assert child.provisioning_state == "Succeeded" and child.destination_port_range == "22"
    assert [r.name for r in net.security_rules.list(RG, "nsg1")] == ["allow-https", "deny-out", "ssh"]
    net.security_rules.begin_delete(RG, "nsg1", "deny-out").result()
    assert [r.name for r in net.network_security_groups.get(RG, "nsg1").security_rules] == ["allow-https", "ssh"]


def test_children_come_back_in_creation_order_not_by_name(net: Any) -> None:
    """Azure does not sort NSG rules by name (https://github.com/Azure/azure-xplat-cli/issues/2317): an NSG
    PUT keeps its request's order, a rule added later comes last, a re-PUT keeps the earlier ones' places."""
    names = ["zeta", "alpha", "mid"]
    nsg = _nsg(net, *(rule(n, 100 + 10 * i) for i, n in enumerate(names)))
    assert [r.name for r in nsg.security_rules] == names
    net.security_rules.begin_create_or_update(RG, "nsg1", "beta", rule("beta", 300)).result()
    assert [r.name for r in net.security_rules.list(RG, "nsg1")] == [*names, "beta"]
    again = _nsg(net, rule("beta", 300), *(rule(n, 100 + 10 * i) for i, n in enumerate(names)))
    assert [r.name for r in again.security_rules] == [*names, "beta"]
    vnet1 = net.virtual_networks.begin_create_or_update(RG, "vnet1", vnet(("web", "10.0.1.0/24"),
                                                                          ("aks", "10.0.2.0/24"))).result()
    assert [s.name for s in vnet1.subnets] == ["web", "aks"]


def test_route_table_and_routes(net: Any) -> None:
    table = net.route_tables.begin_create_or_update(RG, "rt1", {"location": "eastus", "properties": {"routes": [
        {"name": "fw", "properties": {"addressPrefix": "0.0.0.0/0", "nextHopType": "VirtualAppliance",
                                      "nextHopIpAddress": "10.1.0.4"}}]}}).result()
    assert table.disable_bgp_route_propagation is False and table.routes[0].next_hop_ip_address == "10.1.0.4"
    route = net.routes.begin_create_or_update(RG, "rt1", "local", {"properties": {
        "addressPrefix": "10.0.3.0/24", "nextHopType": "VnetLocal"}}).result()
    assert route.provisioning_state == "Succeeded" and route.type == "Microsoft.Network/routeTables/routes"
    assert sorted(r.name for r in net.routes.list(RG, "rt1")) == ["fw", "local"]
    net.routes.begin_delete(RG, "rt1", "fw").result()
    assert [r.name for r in net.route_tables.get(RG, "rt1").routes] == ["local"]


def _nsg(net: Any, *rules: dict[str, Any]) -> Any:
    return net.network_security_groups.begin_create_or_update(
        RG, "nsg1", {"location": "eastus", "properties": {"securityRules": list(rules)}}).result()


def _routes(net: Any, *props: dict[str, Any]) -> Any:
    return net.route_tables.begin_create_or_update(RG, "rt1", {"location": "eastus", "properties": {
        "routes": [{"name": f"r{i}", "properties": p} for i, p in enumerate(props)]}}).result()


CASES: list[tuple[str, Callable[[Any], Any], str]] = [
    ("outside", lambda n: n.virtual_networks.begin_create_or_update(RG, "v", vnet(("a", "10.1.0.0/24"))),
     "NetcfgSubnetRangeOutsideVnet"),
    ("overlap", lambda n: n.virtual_networks.begin_create_or_update(
        RG, "v", vnet(("a", "10.0.0.0/23"), ("b", "10.0.1.0/24"))), "NetcfgSubnetRangesOverlap"),
    ("host bits", lambda n: n.virtual_networks.begin_create_or_update(RG, "v", vnet(("a", "10.0.1.7/24"))),
     "InvalidCIDRNotation"),
    ("not cidr", lambda n: n.virtual_networks.begin_create_or_update(RG, "v", vnet(("a", "ten"))),
     "InvalidAddressPrefixFormat"),
    ("missing nsg", lambda n: n.virtual_networks.begin_create_or_update(RG, "v", vnet(
        ("a", "10.0.1.0/24"), networkSecurityGroup={"id": f"/subscriptions/{SUB}/resourceGroups/{RG}/providers/"
                                                           "Microsoft.Network/networkSecurityGroups/nope"})),
     "InvalidResourceReference"),
    ("no location", lambda n: n.route_tables.begin_create_or_update(RG, "rt1", {}), "LocationRequired"),
    ("priority", lambda n: _nsg(n, rule("x", 4097)), "SecurityRuleInvalidPriority"),
    ("conflict", lambda n: _nsg(n, rule("x", 300), rule("y", 300)), "SecurityRuleConflict"),
    ("protocol", lambda n: _nsg(n, rule("x", protocol="Http")), "InvalidRequestFormat"),
    ("ports", lambda n: _nsg(n, rule("x", destinationPortRange="0-70000")), "SecurityRuleInvalidPortRange"),
    ("appliance without ip", lambda n: _routes(n, {"addressPrefix": "0.0.0.0/0", "nextHopType": "VirtualAppliance"}),
     "MissingNextHopIpAddress"),
    ("ip without appliance", lambda n: _routes(n, {"addressPrefix": "0.0.0.0/0", "nextHopType": "Internet",
                                                   "nextHopIpAddress": "10.0.0.4"}), "InvalidNextHopIpAddress"),
    ("over 400 routes", lambda n: _routes(n, *[{"addressPrefix": f"10.{i // 256}.{i % 256}.0/24",
                                                "nextHopType": "VnetLocal"} for i in range(401)]),
     "RoutesPerRouteTableLimitReached"),
]
SUB = "00000000-0000-0000-0000-000000000000"


@pytest.mark.parametrize(("call", "code"), [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES])
def test_validation_errors_carry_azure_codes(net: Any, call: Callable[[Any], Any], code: str) -> None:
    assert error_code(lambda: call(net)) == code


def test_in_use_resources_cannot_be_deleted(sdk: SdkClients, net: Any) -> None:
    nsg = net.network_security_groups.begin_create_or_update(RG, "nsg1", {"location": "eastus"}).result()
    rt = net.route_tables.begin_create_or_update(RG, "rt1", {"location": "eastus"}).result()
    net.virtual_networks.begin_create_or_update(RG, "vnet1", vnet(
        ("aks", "10.0.0.0/22"), networkSecurityGroup={"id": nsg.id}, routeTable={"id": rt.id})).result()
    subnet_id = net.subnets.get(RG, "vnet1", "aks").id
    assert [s.id for s in net.network_security_groups.get(RG, "nsg1").subnets] == [subnet_id]
    assert [s.id for s in net.route_tables.get(RG, "rt1").subnets] == [subnet_id]
    assert error_code(lambda: net.network_security_groups.begin_delete(RG, "nsg1")) == \
        "InUseNetworkSecurityGroupCannotBeDeleted"
    assert error_code(lambda: net.route_tables.begin_delete(RG, "rt1")) == "InUseRouteTableCannotBeDeleted"

    # node NICs (an Azure CNI cluster on the subnet) make the subnet itself in use
    sdk.aks.managed_clusters.begin_create_or_update(RG, "aks", {
        "location": "eastus", "identity": {"type": "SystemAssigned"}, "properties": {
            "dnsPrefix": "aks", "networkProfile": {"networkPlugin": "azure", "serviceCidr": "10.32.0.0/16",
                                                   "dnsServiceIP": "10.32.0.10"},
            "agentPoolProfiles": [{"name": "nodepool1", "count": 1, "vmSize": "Standard_DS2_v2", "mode": "System",
                                   "osType": "Linux", "vnetSubnetID": subnet_id}]}}).result()
    assert net.subnets.get(RG, "vnet1", "aks").ip_configurations
    assert error_code(lambda: net.subnets.begin_delete(RG, "vnet1", "aks")) == "InUseSubnetCannotBeDeleted"
    assert error_code(lambda: net.virtual_networks.begin_delete(RG, "vnet1")) == "InUseSubnetCannotBeDeleted"
    assert error_code(lambda: net.virtual_networks.begin_create_or_update(RG, "vnet1", vnet())) == \
        "InUseSubnetCannotBeDeleted"
    assert error_code(lambda: net.subnets.begin_create_or_update(
        RG, "vnet1", "aks", {"properties": {"addressPrefix": "10.0.0.0/23"}})) == "InUseSubnetCannotBeUpdated"

    sdk.aks.managed_clusters.begin_delete(RG, "aks").result()
    net.virtual_networks.begin_create_or_update(RG, "vnet1", vnet(("aks", "10.0.0.0/22"))).result()  # dissociate
    net.network_security_groups.begin_delete(RG, "nsg1").result()
    net.route_tables.begin_delete(RG, "rt1").result()
    net.subnets.begin_delete(RG, "vnet1", "aks").result()


def test_one_write_at_a_time_per_vnet(sdk: SdkClients, net: Any, admin: EmulatorAdmin) -> None:
    net.virtual_networks.begin_create_or_update(RG, "vnet1", vnet()).result()
    admin.config(default_network_duration=1.0)
    first = net.subnets.begin_create_or_update(RG, "vnet1", "a", {"properties": {"addressPrefix": "10.0.1.0/24"}})
    body = {"properties": {"addressPrefix": "10.0.2.0/24"}}
    code = error_code(lambda: net.subnets.begin_create_or_update(RG, "vnet1", "b", body, retry_total=0))
    assert code == "RetryableErrorDueToAnotherOperation"
    # other VNets are not locked
    net.virtual_networks.begin_create_or_update(RG, "vnet2", vnet(("x", "10.0.1.0/24")))
    # the SDK's retry policy honours Retry-After and gets through once the first operation ends
    started = time.monotonic()
    second = net.subnets.begin_create_or_update(RG, "vnet1", "b", body).result()
    assert second.provisioning_state == "Succeeded" and time.monotonic() - started >= 0.5
    assert first.result().provisioning_state == "Succeeded"
    journal = [e for e in admin.journal() if e["method"] == "PUT" and "/subnets/b?" in e["path"]]
    assert 429 in [e["status"] for e in journal]


def test_concurrent_writers_both_land(net: Any, admin: EmulatorAdmin) -> None:
    net.virtual_networks.begin_create_or_update(RG, "vnet1", vnet()).result()
    admin.config(default_network_duration=0.3)
    errors: list[BaseException] = []

    def write(name: str, prefix: str) -> None:
        try:
            net.subnets.begin_create_or_update(RG, "vnet1", name, {"properties": {"addressPrefix": prefix}}).result()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(f"s{i}", f"10.0.{i}.0/24")) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(s.name for s in net.subnets.list(RG, "vnet1")) == ["s0", "s1", "s2"]


def test_tags_patch_on_top_level_types(net: Any) -> None:
    net.virtual_networks.begin_create_or_update(RG, "vnet1", {**vnet(), "tags": {"a": "1"}}).result()
    net.network_security_groups.begin_create_or_update(RG, "nsg1", {"location": "eastus", "tags": {"a": "1"}}).result()
    net.route_tables.begin_create_or_update(RG, "rt1", {"location": "eastus"}).result()
    assert net.virtual_networks.update_tags(RG, "vnet1", {"tags": {"b": "2"}}).tags == {"b": "2"}
    assert net.network_security_groups.update_tags(RG, "nsg1", {"tags": {}}).tags in ({}, None)
    assert net.route_tables.update_tags(RG, "rt1", {"tags": {"team": "x"}}).tags == {"team": "x"}
    assert net.virtual_networks.get(RG, "vnet1").tags == {"b": "2"}
