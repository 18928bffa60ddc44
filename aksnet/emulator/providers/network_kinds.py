"""The Microsoft.Network kinds, as listed in `aksnet.emulator.registry` (module "network_kinds")."""

from __future__ import annotations

from aksnet.emulator.kinds import Kind
from aksnet.emulator.providers.network_nsgs import NetworkSecurityGroupKind
from aksnet.emulator.providers.network_routes import RouteKind, RouteTableKind
from aksnet.emulator.providers.network_security_rules import SecurityRuleKind
from aksnet.emulator.providers.network_subnets import SubnetKind
from aksnet.emulator.providers.network_vnets import VirtualNetworkKind

KINDS: tuple[Kind, ...] = (
    VirtualNetworkKind(),
    SubnetKind(),
    NetworkSecurityGroupKind(),
    SecurityRuleKind(),
    RouteTableKind(),
    RouteKind(),
)
