"""Validation the Network RP does, through the real SDK: a security rule naming an application security
group (or any resource) that does not exist, and a VNet PUT that omits a subnet a cluster's nodes use."""

from __future__ import annotations

from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError
from sdk_clients import SUBSCRIPTION, SdkClients

pytestmark = pytest.mark.emulator
RG = "val-rg"
MISSING_ASG = (f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{RG}/providers/Microsoft.Network/"
               "applicationSecurityGroups/no-such-asg")


def _rule(name: str, priority: int, **extra: Any) -> dict[str, Any]:
    props = {"priority": priority, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
             "sourcePortRange": "*", "destinationPortRange": "443", "destinationAddressPrefix": "*",
             "sourceAddressPrefix": "*"}
    props.update(extra)
    return {"name": name, "properties": props}


@pytest.mark.parametrize("field", ["sourceApplicationSecurityGroups", "destinationApplicationSecurityGroups"])
def test_rule_naming_a_missing_asg_is_invalid_resource_reference(sdk: SdkClients, field: str) -> None:
    """InvalidResourceReference, worded as NRP words it ("Resource X referenced by resource Y was not
    found...", e.g. https://github.com/MicrosoftDocs/azure-docs/pull/111001)."""
    sdk.resource.resource_groups.create_or_update(RG, {"location": "eastus"})
    side = "sourceAddressPrefix" if field.startswith("source") else "destinationAddressPrefix"
    rule = _rule("uses-asg", 100, **{field: [{"id": MISSING_ASG}]})
    rule["properties"].pop(side)
    with pytest.raises(HttpResponseError) as inline:
        sdk.network.network_security_groups.begin_create_or_update(
            RG, "nsg1", {"location": "eastus", "properties": {"securityRules": [rule]}}).result()
    assert inline.value.error is not None and inline.value.error.code == "InvalidResourceReference"
    assert MISSING_ASG in str(inline.value.message)
    sdk.network.network_security_groups.begin_create_or_update(RG, "nsg1", {"location": "eastus"}).result()
    with pytest.raises(HttpResponseError) as child:
        sdk.network.security_rules.begin_create_or_update(RG, "nsg1", "uses-asg", rule).result()
    assert child.value.error is not None and child.value.error.code == "InvalidResourceReference"
    assert [r.name for r in sdk.network.security_rules.list(RG, "nsg1")] == []


@pytest.mark.parametrize("plugin", ["kubenet", "azure", "overlay"])
def test_vnet_put_omitting_the_node_subnet_is_refused(sdk: SdkClients, plugin: str) -> None:
    """A VNet PUT replaces its subnet list; a subnet the cluster's nodes use cannot be dropped that way
    (InUseSubnetCannotBeDeleted, https://github.com/hashicorp/terraform/issues/16093)."""
    sdk.resource.resource_groups.create_or_update(RG, {"location": "eastus"})
    vnet = {"location": "eastus", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/8"]}, "subnets": [
        {"name": "aks-subnet", "properties": {"addressPrefix": "10.100.0.0/16"}},
        {"name": "spare", "properties": {"addressPrefix": "10.101.0.0/16"}}]}}
    sdk.network.virtual_networks.begin_create_or_update(RG, "vnet1", vnet).result()
    subnet = sdk.network.subnets.get(RG, "vnet1", "aks-subnet")
    sdk.aks.managed_clusters.begin_create_or_update(RG, "aks1", {
        "location": "eastus", "identity": {"type": "SystemAssigned"},
        "properties": {"dnsPrefix": "aks1", "agentPoolProfiles": [
            {"name": "nodepool1", "count": 1, "mode": "System", "vnetSubnetID": subnet.id}],
            "networkProfile": {"networkPlugin": "kubenet" if plugin == "kubenet" else "azure",
                               **({"networkPluginMode": "overlay", "podCidr": "192.168.0.0/16"} if plugin == "overlay" else {}),
                               "serviceCidr": "10.32.0.0/16", "dnsServiceIP": "10.32.0.10"}}}).result()
    without_nodes = {**vnet, "properties": {**vnet["properties"], "subnets": [vnet["properties"]["subnets"][1]]}}
    with pytest.raises(HttpResponseError) as refused:
        sdk.network.virtual_networks.begin_create_or_update(RG, "vnet1", without_nodes).result()
    assert refused.value.error is not None and refused.value.error.code == "InUseSubnetCannotBeDeleted"
    assert {s.name for s in sdk.network.subnets.list(RG, "vnet1")} == {"aks-subnet", "spare"}
    # Dropping the unused subnet is fine.
    only_nodes = {**vnet, "properties": {**vnet["properties"], "subnets": [vnet["properties"]["subnets"][0]]}}
    sdk.network.virtual_networks.begin_create_or_update(RG, "vnet1", only_nodes).result()
    assert [s.name for s in sdk.network.subnets.list(RG, "vnet1")] == ["aks-subnet"]
