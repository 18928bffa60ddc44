"""The internal catalogue numbers (R1..R65) that rules, change classes and comments cite.

Users see the `AKSNET-...` ids; a number here names the Azure behaviour a rule or a plan decision
encodes, with the public page it comes from. `docs/reference/rules.md` is generated from this table
(one anchor per number, e.g. `#r32`), so every number the code or its output mentions is defined.
"""

from __future__ import annotations

from dataclasses import dataclass

_AKS = "https://learn.microsoft.com/azure/aks/"
_VNET_FAQ = "https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq"
_NET_LIMITS = (
    "https://learn.microsoft.com/azure/azure-resource-manager/management/"
    "azure-subscription-service-limits#azure-networking-limits"
)
_TROUBLESHOOT = "https://learn.microsoft.com/troubleshoot/azure/azure-kubernetes/"
_AKS_SPEC = (
    "https://github.com/Azure/azure-rest-api-specs/blob/main/specification/containerservice/"
    "resource-manager/Microsoft.ContainerService/aks/stable/2024-09-01/managedClusters.json"
)
_NSG_SPEC = (
    "https://github.com/Azure/azure-rest-api-specs/blob/main/specification/network/"
    "resource-manager/Microsoft.Network/stable/2024-05-01/networkSecurityGroup.json"
)
_ROUTE_SPEC = (
    "https://github.com/Azure/azure-rest-api-specs/blob/main/specification/network/"
    "resource-manager/Microsoft.Network/stable/2024-05-01/routeTable.json"
)
_CLI_VALIDATORS = (
    "https://github.com/Azure/azure-cli/blob/dev/src/azure-cli/azure/cli/command_modules/acs/_validators.py"
)


@dataclass(frozen=True, slots=True)
class CatalogueNumber:
    number: str  # "R32"
    summary: str  # one sentence, aksnet's own words
    sources: tuple[str, ...]  # public URLs


def _n(number: str, summary: str, *sources: str) -> CatalogueNumber:
    return CatalogueNumber(number, summary, sources)


NUMBERS: tuple[CatalogueNumber, ...] = (
    _n("R1", "Every address range is an IPv4 CIDR written by its network address (no host bits).", _AKS_SPEC,
       "https://github.com/Azure/azure-powershell/issues/4557"),
    _n("R2", "A subnet lies inside one address prefix of its VNet.", _VNET_FAQ),
    _n("R3", "The subnets of one VNet do not overlap.", _VNET_FAQ),
    _n("R4", "An IPv4 subnet is between /29 and /2.", _VNET_FAQ),
    _n("R5", "Azure reserves five addresses in every subnet (the first four and the last).", _VNET_FAQ),
    _n("R6", "A VNet may not use multicast, broadcast, loopback, link-local or Azure's internal DNS ranges.",
       _VNET_FAQ),
    _n("R7", "A VNet holds at most 3,000 subnets and 65,536 private addresses.", _NET_LIMITS,
       f"{_AKS}plan-pod-networking"),
    _n("R8", "Service, pod and VNet ranges avoid 169.254.0.0/16, 172.30.0.0/16, 172.31.0.0/16 and 192.0.2.0/24.",
       f"{_AKS}concepts-network-cni-overview"),
    _n("R9", "The service CIDR overlaps no subnet of the cluster's VNet.",
       f"{_TROUBLESHOOT}create-upgrade-delete/error-code-servicecidroverlapexistingsubnetscidr"),
    _n("R10", "The service CIDR should stay outside the VNet, peered and on-premises ranges.",
       f"{_AKS}concepts-network-legacy-cni"),
    _n("R11", "Pod and service ranges are disjoint.", f"{_AKS}concepts-network-azure-cni-overlay"),
    _n("R12", "An overlay pod CIDR overlaps no address prefix of the VNet.", f"{_AKS}update-azure-cni"),
    _n("R13", "A kubenet pod CIDR stays out of the node subnet and should stay out of the VNet.",
       f"{_AKS}configure-kubenet"),
    _n("R14", "Pod ranges should come from private (RFC 1918 / RFC 6598) space.",
       f"{_AKS}concepts-network-azure-cni-overlay"),
    _n("R15", "dockerBridgeCidr is obsolete and ignored.", "https://github.com/Azure/AKS/issues/3534"),
    _n("R16", "The service CIDR is smaller than a /12.", f"{_AKS}concepts-network-ip-address-planning"),
    _n("R17", "serviceCidr and dnsServiceIp are set together or not at all.", _AKS_SPEC),
    _n("R18", "The DNS service IP lies inside the service CIDR.",
       f"{_TROUBLESHOOT}create-upgrade-delete/error-code-dnsserviceipoutofservicecidr"),
    _n("R19", "The DNS service IP is not the network, first or broadcast address; .10 by convention.",
       f"{_AKS}concepts-network-ip-address-planning", f"{_AKS}configure-kubenet"),
    _n("R20", "The service CIDR and DNS service IP cannot change after creation.", f"{_AKS}configure-kubenet"),
    _n("R21", "networkPlugin is azure, kubenet or none; pluginMode overlay only with azure; a pod CIDR only for "
       "kubenet or overlay.", f"{_AKS}azure-cni-overlay", _AKS_SPEC),
    _n("R22", "Kubenet lacks Azure network policy and Windows pools, and is retired on 2028-03-31.",
       f"{_AKS}configure-kubenet"),
    _n("R23", "Cilium network policy needs the Cilium dataplane.", _AKS_SPEC),
    _n("R24", "A node subnet cannot be delegated to another service.", f"{_AKS}concepts-network-cni-overview"),
    _n("R25", "Kubenet clusters cannot share a subnet.", f"{_AKS}configure-kubenet"),
    _n("R26", "All node pool subnets of a cluster are in one VNet.", f"{_AKS}node-pool-unique-subnet"),
    _n("R27", "With overlay, the subnet, VNet and resource group names are at most 63 characters.",
       f"{_AKS}concepts-network-azure-cni-overlay"),
    _n("R28", "maxPods is 10..250; its default depends on the plugin.", f"{_AKS}concepts-network-ip-address-planning"),
    _n("R29", "Each node pool holds at least 30 pods (maxPods x count).", f"{_AKS}concepts-network-ip-address-planning"),
    _n("R30", "A node pool's maxPods cannot change once the pool exists.", f"{_AKS}create-node-pools"),
    _n("R31", "Windows pools should run at most 110 pods per node.", f"{_AKS}concepts-network-azure-cni-overlay"),
    _n("R32", "Azure CNI reserves (nodes + surge) x (maxPods + 1) addresses in the node subnet.",
       f"{_AKS}concepts-network-ip-address-planning",
       f"{_TROUBLESHOOT}connectivity/insufficientsubnetsize-error-advanced-networking"),
    _n("R33", "Kubenet and overlay need one node-subnet address per node, surge included.",
       f"{_AKS}configure-kubenet", f"{_AKS}concepts-network-azure-cni-overlay"),
    _n("R34", "A kubenet cluster has at most 400 nodes: one route per node, 400 routes per table.",
       f"{_AKS}configure-kubenet"),
    _n("R35", "Each kubenet node takes a /24 of the pod CIDR.", f"{_AKS}configure-kubenet"),
    _n("R36", "Each overlay node takes a fixed /24 of the pod CIDR.", f"{_AKS}concepts-network-azure-cni-overlay"),
    _n("R37", "A node pool has 1..1,000 nodes (system pools: at least 2 recommended).", f"{_AKS}quotas-skus-regions",
       f"{_AKS}use-system-pools"),
    _n("R38", "Dynamic pod-subnet IPs are handed to nodes in batches of 16.",
       f"{_AKS}configure-azure-cni-dynamic-ip-allocation"),
    _n("R39", "Static block allocation gives each node ceil((maxPods + 1) / 16) /28 blocks.",
       f"{_AKS}configure-azure-cni-static-block-allocation"),
    _n("R40", "Every pool needs room for its upgrade surge; maxSurge is a count or a percentage.",
       f"{_AKS}upgrade-aks-node-pools-rolling"),
    _n("R41", "At most 200 API server authorized IP ranges.", f"{_AKS}api-server-authorized-ip-ranges"),
    _n("R42", "An authorized range is a public IPv4 address or CIDR by its network address.",
       f"{_AKS}api-server-authorized-ip-ranges", _CLI_VALIDATORS),
    _n("R43", "0.0.0.0/32 (only the cluster's own egress) is the only entry when used.",
       f"{_AKS}api-server-authorized-ip-ranges", _CLI_VALIDATORS),
    _n("R44", "Private clusters take no authorized IP ranges.", f"{_AKS}api-server-authorized-ip-ranges",
       f"{_AKS}private-clusters"),
    _n("R45", "Authorized ranges need the Standard load balancer.", f"{_AKS}api-server-authorized-ip-ranges"),
    _n("R46", "Keep the cluster's own egress address among the authorized ranges.",
       f"{_AKS}api-server-authorized-ip-ranges"),
    _n("R47", "A custom NSG rule priority is 100..4096.", _NSG_SPEC),
    _n("R48", "No two NSG rules of one direction share a priority.", _NSG_SPEC),
    _n("R49", "NSG rule names, protocols, ports and addresses follow the NSG API; an NSG holds at most 1,000 rules.",
       "https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview", _NSG_SPEC, _NET_LIMITS),
    _n("R50", "An NSG on a node subnet must not block node, pod or control-plane traffic.",
       f"{_AKS}concepts-network", f"{_AKS}concepts-network-azure-cni-overlay"),
    _n("R51", "Outbound rules must still allow the egress AKS needs.", f"{_AKS}outbound-rules-control-egress"),
    _n("R52", "A route table holds at most 400 routes; next hop types and addresses follow the route API.",
       _NET_LIMITS, _ROUTE_SPEC),
    _n("R53", "userDefinedRouting needs a 0.0.0.0/0 route to an appliance or gateway on the node subnet.",
       f"{_AKS}egress-udr", f"{_AKS}egress-outboundtype"),
    _n("R54", "Kubenet with a bring-your-own route table needs a user-assigned identity; AKS adds its routes "
       "to that table.", f"{_AKS}configure-kubenet"),
    _n("R55", "The routes AKS writes for kubenet nodes belong to AKS: never edit or remove them.",
       f"{_AKS}configure-kubenet"),
    _n("R56", "With a VNet of your own, the cluster identity needs Network Contributor on the subnet.",
       f"{_AKS}configure-kubenet", "https://learn.microsoft.com/azure/role-based-access-control/built-in-roles"),
    _n("R57", "Service CIDR, DNS service IP, dnsPrefix, node subnet, VM size and maxPods are fixed at creation.",
       _AKS_SPEC, f"{_AKS}create-node-pools", "https://github.com/Azure/AKS/issues/695"),
    _n("R58", "The only in-place IPAM change is to Azure CNI Overlay (from kubenet or Azure CNI), keeping the "
       "pod CIDR or growing it.", f"{_AKS}update-azure-cni"),
    _n("R59", "Switching the dataplane to Cilium is supported from Azure CNI.", f"{_AKS}update-azure-cni"),
    _n("R60", "An overlay pod CIDR may grow in place (Linux-only clusters), never shrink or move.",
       f"{_AKS}azure-cni-overlay-pod-expand"),
    _n("R61", "Some outbound type changes are supported in place for a VNet of your own.",
       f"{_AKS}egress-outboundtype"),
    _n("R62", "Authorized IP ranges can be replaced in place.", f"{_AKS}api-server-authorized-ip-ranges"),
    _n("R63", "ipFamilies is [IPv4] or [IPv4, IPv6]; pod and service CIDR lists follow it.",
       f"{_AKS}azure-cni-overlay", _AKS_SPEC),
    _n("R64", "An IPv6 service CIDR is no larger than /108.", f"{_AKS}azure-cni-overlay"),
    _n("R65", "Dual-stack does not support Azure NPM or Calico network policy.", f"{_AKS}azure-cni-overlay"),
)

BY_NUMBER: dict[str, CatalogueNumber] = {entry.number: entry for entry in NUMBERS}
