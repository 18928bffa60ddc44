"""Three Microsoft.Network fidelity gaps, through the unmodified NetworkManagementClient: the NSG's
read-only defaultSecurityRules API, R6 (forbidden VNet ranges) and R7 (subnets per VNet)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sdk_clients import SdkClients

from aksnet.emulator.control.client import EmulatorAdmin
from aksnet.emulator.providers.network import subnets as network_subnets

pytestmark = pytest.mark.emulator
RG = "gaps-rg"
DEFAULT_NAMES = ["AllowVnetInBound", "AllowAzureLoadBalancerInBound", "DenyAllInBound", "AllowVnetOutBound",
                 "AllowInternetOutBound", "DenyAllOutBound"]


@pytest.fixture
def net(sdk: SdkClients, admin: EmulatorAdmin) -> Any:
    admin.config(default_network_duration=0.0, default_aks_duration=0.0)
    sdk.resource.resource_groups.create_or_update(RG, {"location": "eastus"})
    return sdk.network


def failure(call: Callable[[], Any]) -> tuple[int, str, str]:
    from azure.core.exceptions import HttpResponseError

    with pytest.raises(HttpResponseError) as caught:
        call()
    assert caught.value.error is not None, caught.value
    return caught.value.status_code or 0, str(caught.value.error.code), str(caught.value.error.message)


def vnet(prefixes: list[str], subnets: int = 0) -> dict[str, Any]:
    return {"location": "eastus", "properties": {
        "addressSpace": {"addressPrefixes": prefixes},
        "subnets": [{"name": f"s{i}", "properties": {"addressPrefix": f"10.0.{i}.0/24"}} for i in range(subnets)]}}


def raw(sdk: SdkClients, method: str, path: str) -> Any:
    """A request the SDK has no method for, through the network client's own pipeline (auth, TLS)."""
    from azure.core.rest import HttpRequest

    url = f"{sdk.endpoint}/subscriptions/{sdk.subscription_id}/resourceGroups/{RG}/providers/Microsoft.Network/{path}"
    body = {"properties": {"access": "Allow"}} if method != "DELETE" else None
    return sdk.network._client.send_request(HttpRequest(method, url, params={"api-version": "2026-03-01"}, json=body))


# ---- 1. defaultSecurityRules -------------------------------------------------------------------------

def test_default_security_rules_get_and_list_match_the_nsg_body(net: Any) -> None:
    nsg = net.network_security_groups.begin_create_or_update(RG, "nsg1", {"location": "eastus"}).result()
    assert [r.name for r in nsg.default_security_rules] == DEFAULT_NAMES

    one = net.default_security_rules.get(RG, "nsg1", "DenyAllInBound")
    assert (one.name, one.priority, one.access, one.direction, one.protocol) == (
        "DenyAllInBound", 65500, "Deny", "Inbound", "*")
    inline = {r.name: r.as_dict() for r in nsg.default_security_rules}
    assert one.as_dict() == inline["DenyAllInBound"]
    listed = {r.name: r.as_dict() for r in net.default_security_rules.list(RG, "nsg1")}
    assert listed == inline

    status, code, message = failure(lambda: net.default_security_rules.get(RG, "nsg1", "NoSuchRule"))
    assert (status, code) == (404, "ResourceNotFound") and "defaultSecurityRules/NoSuchRule" in message


def test_default_security_rules_are_read_only(net: Any, sdk: SdkClients) -> None:
    net.network_security_groups.begin_create_or_update(RG, "nsg2", {"location": "eastus"}).result()
    for method in ("PUT", "DELETE", "PATCH"):
        response = raw(sdk, method, "networkSecurityGroups/nsg2/defaultSecurityRules/DenyAllInBound")
        assert response.status_code == 405, (method, response.text())
        assert response.json()["error"]["code"] == "MethodNotAllowed"
    assert net.default_security_rules.get(RG, "nsg2", "DenyAllInBound").access == "Deny"  # still there
    net.network_security_groups.begin_delete(RG, "nsg2").result()
    status, _, _ = failure(lambda: list(net.default_security_rules.list(RG, "nsg2")))
    assert status == 404  # they go with the NSG


# ---- 2. R6 forbidden VNet ranges -----------------------------------------------------------------------

@pytest.mark.parametrize("prefix", ["224.0.0.0/4", "224.1.0.0/16", "255.255.255.255/32", "127.0.0.0/8",
                                    "169.254.0.0/16", "168.63.129.16/32", "168.63.128.0/22", "0.0.0.0/0"])
def test_vnet_address_space_cannot_include_a_forbidden_range(net: Any, prefix: str) -> None:
    status, code, message = failure(
        lambda: net.virtual_networks.begin_create_or_update(RG, "bad", vnet(["10.0.0.0/16", prefix])).result())
    assert (status, code) == (400, "InvalidAddressSpace") and prefix in message
    assert [v.name for v in net.virtual_networks.list(RG)] == []


def test_vnet_address_space_next_to_forbidden_ranges_is_fine(net: Any) -> None:
    ok = net.virtual_networks.begin_create_or_update(RG, "ok", vnet(["10.0.0.0/16", "168.63.130.0/24",
                                                                     "100.64.0.0/10"])).result()
    assert ok.provisioning_state == "Succeeded"


# ---- 3. R7 subnets per VNet -----------------------------------------------------------------------------

def test_subnet_limit_default_is_the_documented_3000() -> None:
    assert network_subnets.MAX_SUBNETS == 3000


def test_subnets_per_vnet_limit_on_vnet_put_and_subnet_put(net: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(network_subnets, "MAX_SUBNETS", 2)  # the emulator runs in this process
    status, code, _ = failure(
        lambda: net.virtual_networks.begin_create_or_update(RG, "v", vnet(["10.0.0.0/16"], 3)).result())
    assert (status, code) == (400, "SubnetsPerVirtualNetworkLimitReached")

    net.virtual_networks.begin_create_or_update(RG, "v", vnet(["10.0.0.0/16"], 2)).result()  # at the limit
    status, code, _ = failure(lambda: net.subnets.begin_create_or_update(
        RG, "v", "s2", {"properties": {"addressPrefix": "10.0.2.0/24"}}).result())
    assert (status, code) == (400, "SubnetsPerVirtualNetworkLimitReached")
    # Re-writing an existing subnet does not add one.
    again = net.subnets.begin_create_or_update(RG, "v", "s1", {"properties": {"addressPrefix": "10.0.1.0/24"}}).result()
    assert again.provisioning_state == "Succeeded"
    assert [s.name for s in net.subnets.list(RG, "v")] == ["s0", "s1"]
