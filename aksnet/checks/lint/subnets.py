"""AKSNET011: a subnet without a network security group.

Source: Checkov graph check AzureSubnetConfigWithNSG.yaml (CKV2_AZURE_31), which exempts GatewaySubnet and
AzureFirewallSubnet (Azure refuses an NSG on them); Azure Policy e71308d3-144b-4262-b144-efdc3cc90517.
Checkov's CKV2_AZURE_31 exempts exactly these two, so AzureBastionSubnet (which takes an NSG with
Bastion's required rules) is reported like any other subnet.
"""

from __future__ import annotations

from collections.abc import Iterator

from aksnet.checks.lint.hits import Hit
from aksnet.spec.types import Spec

# Azure matches these reserved names case-insensitively
EXEMPT_SUBNETS = frozenset({"gatewaysubnet", "azurefirewallsubnet"})


def check(spec: Spec) -> Iterator[Hit]:
    vnet = spec.virtual_network
    for index, subnet in enumerate(vnet.subnets):
        if subnet.network_security_group or subnet.name.lower() in EXEMPT_SUBNETS:
            continue
        yield Hit(
            "AKSNET011",
            ("spec", "virtualNetwork", "subnets", index),
            f'subnet "{subnet.name}" of virtual network "{vnet.name}" has no network security group',
            f"vnet.{vnet.name}/subnets/{subnet.name}",
            subnet.lint,
        )
