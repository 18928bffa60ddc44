"""Request validation of the emulated AKS RP: shape, network profile, authorized ranges, capacity.

Each check cites its catalogue number (R##, docs/reference/rules.md#catalogue-numbers) and the AKS error code
it answers with.
Update-only checks (immutability, supported migrations) live in managed_clusters_update.py.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from typing import Any

from aksnet.emulator.arm import errors
from aksnet.emulator.arm.contract import ArmError, Body, Txn, parse_rid
from aksnet.emulator.providers.containerservice.common import (
    AKS_RESERVED_RANGES,
    KUBENET_MAX_NODES,
    MANAGED_SUBNET_PREFIX,
    MANAGED_VNET_PREFIX,
    MAX_AGENT_POOLS,
    MAX_AUTHORIZED_IP_RANGES,
    SUBNET_TYPE,
    invalid,
    parse_cidr,
    plugin_key,
    pool_node_count,
    props,
    usable_addresses,
)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
_POOL_NAME = re.compile(r"^[a-z][a-z0-9]{0,11}$")  # AKS-spec agent pool name pattern (Linux)


def check_shape(body: Body, creating: bool) -> None:
    """Fields AKS cannot do without (required in managedClusters.json: reject bodies missing required wire fields)."""
    if not body.get("location"):
        raise errors.location_required()
    p = body.get("properties")
    if not isinstance(p, dict):
        raise invalid("properties", "The value of parameter properties is invalid.")
    pools = p.get("agentPoolProfiles")
    if creating and (not isinstance(pools, list) or not pools):
        raise invalid("agentPoolProfiles", "The value of parameter agentPoolProfiles is invalid. "
                      "A managed cluster needs at least one agent pool.")
    if isinstance(pools, list) and len(pools) > MAX_AGENT_POOLS:
        raise invalid("agentPoolProfiles", f"A managed cluster can have at most {MAX_AGENT_POOLS} agent pools.",
                      code="MaxAgentPoolCountReached")  # R37 (code list)
    network = p.get("networkProfile")
    if network is not None and not isinstance(network, dict):
        raise invalid("networkProfile", "The value of parameter networkProfile is invalid.")


def check_pool(pool: Body) -> None:
    name = str(pool.get("name", ""))
    if not _POOL_NAME.match(name):
        raise invalid("agentPoolProfile.name", f"The agent pool name '{name}' is invalid: it must start with a "
                      "lowercase letter and contain only lowercase letters and numbers, up to 12 characters.")
    count = pool.get("count")
    if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= 1000:
        raise invalid("agentPoolProfile.count", "The value of parameter agentPoolProfile.count is invalid. "
                      "It must be between 0 and 1000.")  # R37
    if str(pool.get("mode", "")).lower() == "system" and count < 1:
        raise invalid("agentPoolProfile.count", "System node pools must have at least 1 node.")  # R37
    max_pods = pool.get("maxPods")
    if not isinstance(max_pods, int) or isinstance(max_pods, bool) or not 10 <= max_pods <= 250:
        # R28: maxPods 10-250; "The value of parameter maxPods is invalid." (Azure/AKS#931)
        raise invalid("agentPoolProfile.maxPods", "The value of parameter maxPods is invalid. "
                      "It must be between 10 and 250.")


@dataclass
class NodeSubnet:
    """A node subnet the cluster's pools use, with the VNet it sits in."""

    id: str | None  # None: AKS's managed VNet
    prefixes: list[Network]
    route_table_id: str | None = None
    vnet_prefixes: list[Network] = field(default_factory=list)
    vnet_subnets: list[tuple[str, Network]] = field(default_factory=list)
    pools: list[Body] = field(default_factory=list)


def _net_list(p: Body) -> list[Network]:
    values = p.get("addressPrefixes") or ([p["addressPrefix"]] if p.get("addressPrefix") else [])
    out = []
    for v in values:
        try:
            out.append(ipaddress.ip_network(str(v), strict=False))
        except ValueError:
            continue
    return out


def resolve_subnets(txn: Txn, pools: list[Body]) -> list[NodeSubnet]:
    """The node subnets of the pools, read from the store (R26: all or none BYO, one VNet)."""
    byo = [p for p in pools if p.get("vnetSubnetID")]
    if byo and len(byo) != len(pools):
        raise invalid("agentPoolProfile.vnetSubnetID", "All or none of the agentpools should set vnetSubnetID.")
    if not byo:
        managed = NodeSubnet(None, [ipaddress.ip_network(MANAGED_SUBNET_PREFIX)],
                             vnet_prefixes=[ipaddress.ip_network(MANAGED_VNET_PREFIX)],
                             vnet_subnets=[("aks-subnet", ipaddress.ip_network(MANAGED_SUBNET_PREFIX))])
        managed.pools = list(pools)
        return [managed]
    subnets: dict[str, NodeSubnet] = {}
    vnet_ids: set[str] = set()
    for pool in pools:
        sid = str(pool["vnetSubnetID"])
        try:
            rid = parse_rid(sid)
        except ValueError:
            rid = None
        if rid is None or rid.type.lower() != SUBNET_TYPE.lower() or rid.resource_group is None:
            # Azure/AKS#695: "The value of parameter agentPoolProfile.vnetSubnetID is invalid."
            raise invalid("agentPoolProfile.vnetSubnetID",
                          "The value of parameter agentPoolProfile.vnetSubnetID is invalid.")
        if sid.lower() not in subnets:
            row = txn.get(sid)
            if row is None:  # sassoftware/viya4-iac-azure#163
                raise ArmError(400, "SubnetNotFound", f"Could not find subnet {rid.names[1]} in vnet {rid.names[0]} "
                               f"from resource group {rid.resource_group} of subscription {rid.subscription}.",
                               target="agentPoolProfile.vnetSubnetID")
            delegations = props(row).get("delegations") or []
            if delegations:  # R24
                raise ArmError(400, "SubnetIsDelegated", f"AgentPoolProfile subnet with id {sid} cannot be used "
                               "as it's a delegated subnet.", target="agentPoolProfile.vnetSubnetID")
            vnet_id = sid.rsplit("/", 2)[0]
            vnet_ids.add(vnet_id.lower())
            vnet = txn.get(vnet_id) or {}
            siblings = [(str(s.get("name")), n) for s in txn.children(vnet_id, "subnets") for n in _net_list(props(s))]
            rt = props(row).get("routeTable")
            subnets[sid.lower()] = NodeSubnet(sid, _net_list(props(row)),
                                              rt.get("id") if isinstance(rt, dict) else None,
                                              _net_list(props(vnet).get("addressSpace") or {}), siblings)
        subnets[sid.lower()].pools.append(pool)
    if len(vnet_ids) > 1:  # R26
        raise invalid("agentPoolProfile.vnetSubnetID", "All agent pools of a cluster must use subnets of the same "
                      "virtual network.")
    return list(subnets.values())


def _overlaps(a: Network, b: Network) -> bool:
    return a.version == b.version and a.overlaps(b)


def check_network(network: Body, subnets: list[NodeSubnet], request_network: Body) -> None:
    """The network profile against itself and the node VNet (R8, R9, R11, R12, R17, R18, R21)."""
    plugin = plugin_key(network)
    raw_plugin = str(network.get("networkPlugin", ""))
    if raw_plugin.lower() not in ("azure", "kubenet", "none"):
        raise invalid("networkProfile.networkPlugin", f"The value of parameter networkProfile.networkPlugin "
                      f"'{raw_plugin}' is invalid. Allowed values are azure, kubenet and none.")
    mode = network.get("networkPluginMode")
    if mode and (str(mode).lower() != "overlay" or raw_plugin.lower() != "azure"):  # R21
        # The code and wording `az aks update --network-plugin-mode overlay` gets on a kubenet cluster
        # when the plugin itself is not changed to azure (Azure/AKS#5662).
        raise invalid("networkProfile.networkPluginMode", f"NetworkPluginMode {mode} is not supported with "
                      f"NetworkPlugin {raw_plugin}.", code="UnsupportedNetworkPluginModeWithNetworkPlugin")
    if plugin == "azure" and request_network.get("podCidr"):  # R21
        raise invalid("networkProfile.podCIDR", "Pod CIDR can only be specified with network plugin kubenet or "
                      "with network plugin azure in overlay mode (networkPluginMode: overlay); Azure CNI assigns "
                      "pod IPs from the node subnet.")
    if plugin == "kubenet" and str(network.get("networkPolicy", "")).lower() == "azure":  # R22
        raise invalid("networkProfile.networkPolicy", "Network policy 'azure' is not supported with network "
                      "plugin kubenet; use calico.", code="NetworkPolicyAzureNotSupportedForKubenet")
    service = parse_cidr(network["serviceCidr"], "networkProfile.serviceCIDR")
    try:
        dns = ipaddress.ip_address(str(network["dnsServiceIP"]))
    except ValueError:
        raise invalid("networkProfile.dnsServiceIP", f"The DNS service IP {network['dnsServiceIP']} is not a "
                      "valid IP address.", code="DnsServiceIpParseError") from None
    if dns.version != service.version or dns not in service:  # R17, R18
        raise ArmError(400, "DnsServiceIpOutOfServiceCidr", f"The DNS service IP {dns} is out of the range "
                       f"defined by service CIDR {service}.", target="networkProfile.dnsServiceIP")
    pod = parse_cidr(network["podCidr"], "networkProfile.podCIDR") if plugin in ("kubenet", "overlay") else None
    for name, net, target in (("service CIDR", service, "networkProfile.serviceCIDR"),
                              ("pod CIDR", pod, "networkProfile.podCIDR")):
        for reserved in AKS_RESERVED_RANGES:  # R8
            if net is not None and _overlaps(net, reserved):
                raise invalid(target, f"The {name} {net} overlaps with the range {reserved}, which AKS reserves; "
                              "choose a range outside 169.254.0.0/16, 172.30.0.0/16, 172.31.0.0/16 and "
                              "192.0.2.0/24.")
    for subnet in subnets:
        for _name, snet in subnet.vnet_subnets:  # R9
            if _overlaps(service, snet):
                raise ArmError(400, "ServiceCidrOverlapExistingSubnetsCidr", f"The specified service CIDR {service} "
                               f"is conflicted with an existing subnet CIDR {snet}", target="networkProfile.serviceCIDR")
        if pod is not None and plugin == "overlay":
            for vnet_net in subnet.vnet_prefixes:  # R12
                if _overlaps(pod, vnet_net):
                    raise ArmError(400, "NetworkProfileCIDROverlapVNET", f"NetworkProfile CIDR {pod} overlaps with "
                                   f"reserved VNET CIDR {vnet_net}", target="networkProfile.podCIDR")
    if pod is not None and _overlaps(pod, service):  # R11 (code list)
        raise ArmError(400, "PodCidrOverlapServiceCidr", f"The pod CIDR {pod} overlaps with the service CIDR "
                       f"{service}.", target="networkProfile.podCIDR")


def check_capacity(network: Body, subnets: list[NodeSubnet]) -> None:
    """IP capacity at create/scale time (R32 no-surge RP count, R33, R34, R35, R36)."""
    plugin = plugin_key(network)
    total = sum(pool_node_count(p) for s in subnets for p in s.pools)
    if plugin == "kubenet" and total > KUBENET_MAX_NODES:  # R34 (code unknown)
        raise invalid("agentPoolProfile.count", f"A kubenet cluster can have at most {KUBENET_MAX_NODES} nodes "
                      f"(one route per node, 400 routes per route table); requested {total}. "
                      "Use Azure CNI Overlay for larger clusters.")
    for subnet in subnets:
        available = sum(usable_addresses(n) for n in subnet.prefixes)
        if plugin == "azure":  # R32: nodes x (maxPods + 1), no surge (Azure/AKS#456)
            needed = sum(pool_node_count(p) * (int(p["maxPods"]) + 1) for p in subnet.pools)
        else:  # R33 / R36: one address per node
            needed = sum(pool_node_count(p) for p in subnet.pools)
        if needed > available:
            raise ArmError(400, "InsufficientSubnetSize", f"Pre-allocated IPs {needed} exceeds IPs available in "
                           f"Subnet {available}", target="agentPoolProfile.count")
    if plugin in ("kubenet", "overlay"):
        pod = parse_cidr(network["podCidr"], "networkProfile.podCIDR")
        slots = 0 if pod.prefixlen > 24 else 2 ** (24 - pod.prefixlen)  # one /24 per node (R35, R36)
        if total > slots:  # Azure/AKS-Construction#701 wording
            raise ArmError(400, "InsufficientSubnetSize", f"Pre-allocated IPs {total * 256} exceeds IPs available "
                           f"{pod.num_addresses} in Subnet Cidr {pod}, Subnet Name networkProfile.podCIDR.",
                           target="networkProfile.podCIDR")


def check_api_server(p: Body) -> None:
    """Authorized IP ranges (R41, R42, R43, R44)."""
    access = p.get("apiServerAccessProfile")
    if not isinstance(access, dict):
        return
    ranges: list[Any] = access.get("authorizedIPRanges") or []
    if len(ranges) > MAX_AUTHORIZED_IP_RANGES:  # R41 (neumanndaniel/terraform#1)
        raise invalid("apiServerAccessProfile.authorizedIPRanges", "The number of APIServer Authorized IP Ranges "
                      f"is greater than the allowed value {MAX_AUTHORIZED_IP_RANGES}.")
    for entry in ranges:  # R42
        try:
            net = ipaddress.ip_network(str(entry), strict=True)
        except ValueError:
            raise invalid("apiServerAccessProfile.authorizedIPRanges", f"The authorized IP range '{entry}' is not a "
                          "valid IPv4 address or CIDR (use the network address).") from None
        if net.version != 4:
            raise invalid("apiServerAccessProfile.authorizedIPRanges", "Authorized IP ranges cannot be IPv6.")
    if "0.0.0.0/32" in ranges and len(ranges) > 1:  # R43 (Azure/terraform-azurerm-aks#378)
        raise invalid("apiServerAccessProfile.authorizedIPRanges",
                      "Setting apiServerAuthorizedIPRange to 0.0.0.0/32 is not allowed with other IP ranges.")
    if ranges and access.get("enablePrivateCluster"):  # R44 (aquasecurity/tfsec#571)
        raise invalid("apiServerAccessProfile.authorizedIPRanges",
                      "Private cluster cannot be enabled with AuthorizedIPRanges.")


def identity_type(cluster: Body) -> str:
    return str((cluster.get("identity") or {}).get("type", "")).lower()


def check_byo_route_table(cluster: Body, subnets: list[NodeSubnet], managed_route_table_id: str) -> None:
    """R54: kubenet + BYO route table needs a user-assigned identity (or a service principal)."""
    if plugin_key(props(cluster).get("networkProfile") or {}) != "kubenet":
        return
    for subnet in subnets:
        rt = subnet.route_table_id
        if rt and rt.lower() != managed_route_table_id.lower() and identity_type(cluster) == "systemassigned":
            raise ArmError(400, "CustomRouteTableWithUnsupportedMSIType", "Clusters using managed identity type "
                           "SystemAssigned do not support bringing your own route table. Please see "
                           "https://aka.ms/aks/customrt for more information",
                           target="agentPoolProfile.vnetSubnetID")
