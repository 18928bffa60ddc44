"""The Microsoft.Network kinds, as listed in `aksnet.emulator.arm.registry` (module "network_kinds")."""

from __future__ import annotations

from aksnet.emulator.arm.contract import Kind
from aksnet.emulator.providers.network.base import ChildKind
from aksnet.emulator.providers.network.default_rules import DEFAULT_SECURITY_RULE_KIND
from aksnet.emulator.providers.network.nsgs import NETWORK_SECURITY_GROUP_KIND
from aksnet.emulator.providers.network.routes import ROUTE_KIND, ROUTE_TABLE_KIND
from aksnet.emulator.providers.network.security_rules import SECURITY_RULE
from aksnet.emulator.providers.network.subnets import SUBNET
from aksnet.emulator.providers.network.vnets import VIRTUAL_NETWORK_KIND

KINDS: tuple[Kind, ...] = (
    VIRTUAL_NETWORK_KIND,
    ChildKind(SUBNET),
    NETWORK_SECURITY_GROUP_KIND,
    ChildKind(SECURITY_RULE),
    DEFAULT_SECURITY_RULE_KIND,
    ROUTE_TABLE_KIND,
    ROUTE_KIND,
)
