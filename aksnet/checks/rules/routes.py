"""Route tables and UDR: R52 (route shape and count), R53 (userDefinedRouting), R54 (kubenet BYO table)."""

from __future__ import annotations

from aksnet.checks.rules.cidr import parse_address
from aksnet.checks.rules.context import NETWORK, VNET, RuleContext
from aksnet.checks.rules.effective import PluginKind

MAX_ROUTES = 400  # R52, https://learn.microsoft.com/azure/azure-resource-manager/management/azure-subscription-service-limits#azure-networking-limits
NEXT_HOPS = ("VirtualNetworkGateway", "VnetLocal", "Internet", "VirtualAppliance", "None")
UDR_EGRESS_HOPS = ("VirtualAppliance", "VirtualNetworkGateway")  # R53, https://learn.microsoft.com/azure/aks/egress-udr


def check_routes(ctx: RuleContext) -> None:
    for t, table in enumerate(ctx.spec.route_tables):
        base = ("spec", "routeTables", t, "routes")
        if len(table.routes) > MAX_ROUTES:
            ctx.emit("AKSNET-RT-001", base,
                     f"Route table '{table.name}' has {len(table.routes)} routes; the limit is {MAX_ROUTES}.")
        for r, route in enumerate(table.routes):
            path = (*base, r)
            if route.next_hop_type not in NEXT_HOPS:
                ctx.emit("AKSNET-RT-002", (*path, "nextHopType"),
                         f"Route '{route.name}' has nextHopType '{route.next_hop_type}'; use one of {', '.join(NEXT_HOPS)}.")
                continue
            ip = route.next_hop_ip_address
            if route.next_hop_type == "VirtualAppliance":
                if ip is None:
                    ctx.emit("AKSNET-RT-003", path,
                             f"Route '{route.name}' goes to a VirtualAppliance but has no nextHopIpAddress.",
                             fix="set nextHopIpAddress to the appliance's private IP")
                elif parse_address(ip) is None:
                    ctx.emit("AKSNET-RT-003", (*path, "nextHopIpAddress"),
                             f"Route '{route.name}' nextHopIpAddress '{ip}' is not an IPv4 address.")
            elif ip is not None:
                ctx.emit("AKSNET-RT-003", (*path, "nextHopIpAddress"),
                         f"Route '{route.name}' has nextHopIpAddress {ip} with nextHopType {route.next_hop_type}; "
                         "only VirtualAppliance takes one.", fix="remove nextHopIpAddress")


def check_udr_egress(ctx: RuleContext) -> None:
    if ctx.spec.cluster.network.outbound_type != "userDefinedRouting":
        return
    path = (*NETWORK, "outboundType")
    subnet = ctx.spec.subnet(ctx.spec.cluster.subnet)
    table = ctx.spec.route_table(subnet.route_table) if subnet is not None and subnet.route_table else None
    if table is None:
        ctx.emit("AKSNET-RT-004", path,
                 f"outboundType userDefinedRouting, but node subnet '{ctx.spec.cluster.subnet}' has no route table.")
        return
    defaults = [route for route in table.routes if route.address_prefix == "0.0.0.0/0"]
    if not defaults:
        ctx.emit("AKSNET-RT-004", path,
                 f"outboundType userDefinedRouting, but route table '{table.name}' has no 0.0.0.0/0 route "
                 "(RouteTableMissingDefaultRouteError).")
    elif not any(route.next_hop_type in UDR_EGRESS_HOPS for route in defaults):
        hops = ", ".join(route.next_hop_type for route in defaults)
        ctx.emit("AKSNET-RT-004", path,
                 f"outboundType userDefinedRouting, but the 0.0.0.0/0 route of '{table.name}' goes to {hops}, not a "
                 "VirtualAppliance or VirtualNetworkGateway (RouteTableInvalidNextHop).")


def check_kubenet_byo_route_table(ctx: RuleContext) -> None:
    """R54: the RP rejects a BYO route table with a SystemAssigned identity
    (CustomRouteTableWithUnsupportedMSIType); a user-assigned identity brings one
    (https://learn.microsoft.com/azure/aks/configure-kubenet#bring-your-own-subnet-and-route-table-with-kubenet)."""
    if ctx.kind is not PluginKind.KUBENET or ctx.spec.cluster.identity != "SystemAssigned":
        return
    index = ctx.node_subnet_index
    if index is None:
        return
    subnet = ctx.spec.virtual_network.subnets[index]
    if subnet.route_table is None:
        return
    ctx.emit("AKSNET-RT-005", (*VNET, "subnets", index, "routeTable"),
             f"Kubenet node subnet '{subnet.name}' brings route table '{subnet.route_table}', but cluster identity "
             "SystemAssigned cannot use a BYO route table (CustomRouteTableWithUnsupportedMSIType); use a "
             "user-assigned identity (cluster.identity: {type: UserAssigned, name: ...}).")


CHECKS = (check_routes, check_udr_egress, check_kubenet_byo_route_table)
