"""Every semantic rule aksnet runs: id, severity, title, default fix, catalogue number (R##) and sources.

The catalogue numbers are defined in `aksnet.checks.rules.numbers`; `source` holds the public URLs (space
separated) the rule rests on. Where Microsoft's pages disagree, severity and wording follow the stricter
documented reading. docs/reference/rules.md is generated from this list (scripts/gen_docs.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from aksnet.model import Severity

E = Severity.ERROR
W = Severity.WARNING


@dataclass(frozen=True, slots=True)
class RuleInfo:
    id: str
    severity: Severity
    title: str
    fix: str  # default fix; a finding may carry a more precise one
    catalogue: str | None  # "R12" (aksnet.checks.rules.numbers), or None when no number applies
    source: str  # public URLs, space separated


_FAQ = "https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq"
_LIMITS = "https://learn.microsoft.com/azure/azure-resource-manager/management/azure-subscription-service-limits#azure-networking-limits"
_IPPLAN = "https://learn.microsoft.com/azure/aks/concepts-network-ip-address-planning"
_OVERLAY = "https://learn.microsoft.com/azure/aks/concepts-network-azure-cni-overlay"
_KUBENET = "https://learn.microsoft.com/azure/aks/configure-kubenet"
_AUTH = "https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges https://github.com/Azure/azure-cli/blob/dev/src/azure-cli/azure/cli/command_modules/acs/_validators.py"
_AKS_SPEC = "https://github.com/Azure/azure-rest-api-specs/blob/main/specification/containerservice/resource-manager/Microsoft.ContainerService/aks/stable/2024-09-01/managedClusters.json"
_ROUTE_SPEC = "https://github.com/Azure/azure-rest-api-specs/blob/main/specification/network/resource-manager/Microsoft.Network/stable/2024-05-01/routeTable.json"
_NSG = "https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview https://github.com/Azure/azure-rest-api-specs/blob/main/specification/network/resource-manager/Microsoft.Network/stable/2024-05-01/networkSecurityGroup.json"

_NAMES = "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules"
_NETWORK_NAME_FIX = ("use 1-80 letters, digits, '_', '.' or '-', starting with a letter or digit and ending with "
                     "a letter, digit or '_'")

RULES: tuple[RuleInfo, ...] = (
    # A. Address syntax and VNet basics
    RuleInfo("AKSNET-CIDR-001", E, "Address is not an IPv4 CIDR (a.b.c.d/n)",
             "write an IPv4 CIDR with its prefix length, e.g. 10.0.0.0/16", "R1", _AKS_SPEC),
    RuleInfo("AKSNET-CIDR-002", E, "CIDR has host bits set",
             "use the network address of the prefix", "R1", f"{_AKS_SPEC} https://github.com/Azure/azure-powershell/issues/4557"),
    RuleInfo("AKSNET-VNET-001", E, "Subnet lies outside the VNet address space",
             "move the subnet inside an address prefix of the VNet or add a prefix that covers it", "R2", _FAQ),
    RuleInfo("AKSNET-VNET-002", E, "Subnets overlap",
             "give each subnet its own, non-overlapping range", "R3", _FAQ),
    RuleInfo("AKSNET-VNET-003", E, "Subnet size outside /2../29",
             "use a subnet prefix length between /2 and /29", "R4", _FAQ),
    RuleInfo("AKSNET-VNET-004", E, "VNet address space includes a range Azure forbids",
             "use RFC 1918 or RFC 6598 (100.64.0.0/10) space for the VNet", "R6", _FAQ),
    RuleInfo("AKSNET-VNET-005", E, "More than 3,000 subnets in one VNet",
             "split the subnets across VNets (limit 3,000 per VNet)", "R7", _LIMITS),
    RuleInfo("AKSNET-CIDR-003", E, "Range overlaps a range AKS reserves",
             "avoid 169.254.0.0/16, 172.30.0.0/16, 172.31.0.0/16 and 192.0.2.0/24", "R8",
             "https://learn.microsoft.com/azure/aks/concepts-network-cni-overview"),
    # C. Service CIDR and DNS
    RuleInfo("AKSNET-SVC-001", E, "Service CIDR overlaps a subnet of the VNet",
             "pick a service CIDR outside every subnet (and ideally outside the VNet)", "R9",
             "https://learn.microsoft.com/troubleshoot/azure/azure-kubernetes/create-upgrade-delete/error-code-servicecidroverlapexistingsubnetscidr"),
    RuleInfo("AKSNET-SVC-002", W, "Service CIDR inside the VNet address space",
             "pick a service CIDR outside the VNet, peered and on-prem ranges", "R10", "https://learn.microsoft.com/azure/aks/concepts-network-legacy-cni"),
    RuleInfo("AKSNET-SVC-003", E, "Service CIDR /12 or larger",
             "use a service CIDR smaller than /12 (prefix length 13 or more)", "R16", _IPPLAN),
    RuleInfo("AKSNET-SVC-004", E, "serviceCidr and dnsServiceIp not set together",
             "set both serviceCidr and dnsServiceIp, or neither", "R17", _AKS_SPEC),
    RuleInfo("AKSNET-SVC-005", E, "DNS service IP not inside the service CIDR",
             "set dnsServiceIp to an address inside serviceCidr, conventionally its .10", "R18",
             "https://learn.microsoft.com/troubleshoot/azure/azure-kubernetes/create-upgrade-delete/error-code-dnsserviceipoutofservicecidr"),
    RuleInfo("AKSNET-SVC-006", E, "DNS service IP is the network, first or broadcast address",
             "use the .10 address of the service CIDR", "R19", _IPPLAN),
    RuleInfo("AKSNET-SVC-007", W, "DNS service IP is not the .10 address",
             "use the .10 address of the service CIDR, the documented convention", "R19", _KUBENET),
    # B. Pod CIDR
    RuleInfo("AKSNET-POD-001", E, "Pod CIDR overlaps the service CIDR",
             "give pods and services disjoint ranges", "R11", _OVERLAY),
    RuleInfo("AKSNET-POD-002", E, "Overlay pod CIDR overlaps the VNet address space",
             "pick a pod CIDR outside every VNet address prefix, e.g. 192.168.0.0/16", "R12", "https://learn.microsoft.com/azure/aks/update-azure-cni"),
    RuleInfo("AKSNET-POD-003", E, "Kubenet pod CIDR overlaps the node subnet",
             "pick a pod CIDR outside the node subnet (and ideally outside the VNet)", "R13", _KUBENET),
    RuleInfo("AKSNET-POD-004", W, "Kubenet pod CIDR inside the VNet address space",
             "pick a pod CIDR not in use elsewhere in your network", "R13", _KUBENET),
    # D. Plugin
    RuleInfo("AKSNET-NET-001", E, "Unknown network plugin",
             "set network.plugin to kubenet, azure or none", "R21", _AKS_SPEC),
    RuleInfo("AKSNET-NET-002", E, "pluginMode other than overlay, or not with plugin azure",
             "use pluginMode: overlay with plugin: azure only", "R21", f"https://learn.microsoft.com/azure/aks/azure-cni-overlay {_AKS_SPEC}"),
    RuleInfo("AKSNET-NET-003", E, "podCidr set for a plugin without a pod CIDR",
             "remove podCidr, or use plugin kubenet or azure with pluginMode overlay", "R21",
             "https://github.com/Azure/azure-cli-extensions/blob/main/src/aks-preview/azext_aks_preview/managed_cluster_decorator.py"),
    RuleInfo("AKSNET-NET-004", W, "Kubenet is retired on 2028-03-31",
             "plan a migration to Azure CNI Overlay (pluginMode: overlay)", "R22", _KUBENET),
    RuleInfo("AKSNET-NET-005", E, "Kubenet with Azure network policy",
             "use policy: calico with kubenet, or move to Azure CNI", "R22", _KUBENET),
    RuleInfo("AKSNET-NET-006", E, "Overlay: VNet, subnet or resource group name over 63 characters",
             "shorten the name to 63 characters or fewer", "R27", _OVERLAY),
    RuleInfo("AKSNET-NET-007", E, "Cilium dataplane without Azure CNI",
             "migrate to plugin azure (pluginMode overlay) first, then set dataplane: cilium", "R59",
             "https://learn.microsoft.com/azure/aks/azure-cni-powered-by-cilium"),
    RuleInfo("AKSNET-NET-008", E, "Cilium dataplane with another network policy engine",
             "leave policy unset (or cilium, or none) with dataplane: cilium", "R59",
             "https://learn.microsoft.com/azure/aks/azure-cni-powered-by-cilium"),
    # E. Max pods and pools
    RuleInfo("AKSNET-POOL-001", E, "maxPods outside 10..250",
             "set maxPods between 10 and 250", "R28", _IPPLAN),
    RuleInfo("AKSNET-POOL-002", E, "Pool holds fewer than 30 pods (maxPods x count)",
             "raise maxPods or the node count so maxPods x count >= 30", "R29", _IPPLAN),
    RuleInfo("AKSNET-POOL-003", E, "Node count outside 1..1000",
             "set the system pool's count between 1 and 1000", "R37", f"https://learn.microsoft.com/azure/aks/quotas-skus-regions {_AKS_SPEC}"),
    RuleInfo("AKSNET-POOL-004", W, "System pool with fewer than 2 nodes",
             "run at least 2 nodes in the system pool", "R37", "https://learn.microsoft.com/azure/aks/use-system-pools"),
    RuleInfo("AKSNET-POOL-005", E, "maxSurge is not an integer or a percentage",
             "write maxSurge as a node count ('1') or a percentage ('33%')", "R40", "https://learn.microsoft.com/azure/aks/upgrade-aks-node-pools-rolling"),
    RuleInfo("AKSNET-POOL-006", E, "Pool size plus surge exceeds 1,000 VMSS instances",
             "lower the count or maxSurge so count + surge <= 1000", "R40", "https://learn.microsoft.com/azure/aks/upgrade-aks-node-pools-rolling"),
    # F. IP capacity
    RuleInfo("AKSNET-CAP-001", E, "Azure CNI: node subnet too small for nodes x (maxPods + 1)",
             "use a larger node subnet, fewer nodes or a lower maxPods", "R32",
             "https://learn.microsoft.com/troubleshoot/azure/azure-kubernetes/connectivity/insufficientsubnetsize-error-advanced-networking"),
    RuleInfo("AKSNET-CAP-002", E, "Azure CNI: node subnet too small for the upgrade surge",
             "leave room for (nodes + surge) x (maxPods + 1) addresses, or lower maxSurge", "R32", _IPPLAN),
    RuleInfo("AKSNET-CAP-003", E, "Node subnet too small for nodes + surge",
             "use a larger node subnet or fewer nodes", "R33", f"{_KUBENET} {_OVERLAY}"),
    RuleInfo("AKSNET-CAP-004", E, "Kubenet cluster over 400 nodes (route table limit)",
             "keep kubenet at 400 nodes or fewer, or move to Azure CNI Overlay", "R34", _KUBENET),
    RuleInfo("AKSNET-CAP-005", W, "Kubenet upgrade surge may need more than 400 routes",
             "keep nodes + surge <= 400 or move to Azure CNI Overlay", "R34", _KUBENET),
    RuleInfo("AKSNET-CAP-006", E, "Kubenet pod CIDR too small for a /24 per node",
             "use a larger pod CIDR (each node takes a /24)", "R35", _KUBENET),
    RuleInfo("AKSNET-CAP-007", E, "Overlay pod CIDR too small for a /24 per node",
             "use a larger pod CIDR (each node takes a /24)", "R36", _OVERLAY),
    RuleInfo("AKSNET-CAP-008", E, "Azure CNI: more than 65,536 IPs in the VNet",
             "use Azure CNI Overlay, fewer nodes or a lower maxPods", "R7", f"{_LIMITS} https://learn.microsoft.com/azure/aks/plan-pod-networking"),
    # G. API server
    RuleInfo("AKSNET-API-001", E, "More than 200 authorized IP ranges",
             "merge ranges so there are at most 200", "R41", _AUTH),
    RuleInfo("AKSNET-API-002", E, "Authorized IP range is not an IPv4 address or network CIDR",
             "write an IPv4 address or CIDR by its network address (no IPv6, no host bits)", "R42", _AUTH),
    RuleInfo("AKSNET-API-003", E, "Authorized IP range is not globally routable",
             "authorize public (global, non-reserved) addresses only", "R42", _AUTH),
    RuleInfo("AKSNET-API-004", E, "0.0.0.0/32 mixed with other authorized ranges",
             "use 0.0.0.0/32 as the only entry, or remove it", "R43", _AUTH),
    RuleInfo("AKSNET-API-005", E, "Authorized IP ranges on a private cluster",
             "remove authorizedIpRanges or make the cluster public", "R44", f"{_AUTH} https://learn.microsoft.com/azure/aks/private-clusters"),
    # H. NSGs
    RuleInfo("AKSNET-NSG-001", E, "NSG rule priority outside 100..4096",
             "use a priority between 100 and 4096", "R47", _NSG),
    RuleInfo("AKSNET-NSG-002", E, "Two NSG rules share a priority and direction",
             "give each rule of a direction its own priority", "R48", _NSG),
    RuleInfo("AKSNET-NSG-003", E, "NSG rule name, protocol, direction or access invalid",
             "names: 1-80 chars, word char first, word char or _ last; enums per the NSG API", "R49", _NSG),
    RuleInfo("AKSNET-NSG-004", E, "NSG rule port invalid",
             "use '*', a port 0-65535 or a range low-high", "R49", _NSG),
    RuleInfo("AKSNET-NSG-005", E, "NSG rule address invalid",
             "use '*', a service tag alone, or IPv4 addresses/CIDRs by network address", "R49",
             f"{_NSG} https://github.com/Azure/azure-powershell/issues/4557"),
    RuleInfo("AKSNET-NSG-006", E, "NSG over its rule or address limits",
             "at most 1,000 rules and 4,000 source/destination addresses per NSG", "R49", _LIMITS),
    RuleInfo("AKSNET-NSG-007", E, "Node subnet NSG blocks node or pod traffic",
             "allow node subnet <-> node subnet, node <-> pod CIDR and pod <-> pod on all ports before any deny",
             "R50", f"https://learn.microsoft.com/azure/aks/concepts-network {_OVERLAY}#network-security-groups"),
    RuleInfo("AKSNET-NSG-008", W, "Node subnet NSG denies egress AKS depends on",
             "allow outbound TCP 443 to AzureCloud (and use a firewall for FQDN rules) before the deny", "R51",
             "https://learn.microsoft.com/azure/aks/outbound-rules-control-egress"),
    # I. Routes
    RuleInfo("AKSNET-RT-001", E, "Route table over 400 routes",
             "keep at most 400 routes per route table", "R52", _LIMITS),
    RuleInfo("AKSNET-RT-002", E, "Route next hop type invalid",
             "use VirtualNetworkGateway, VnetLocal, Internet, VirtualAppliance or None", "R52",
             _ROUTE_SPEC),
    RuleInfo("AKSNET-RT-003", E, "Route next hop IP wrong for its type",
             "give a nextHopIpAddress for VirtualAppliance only", "R52", _ROUTE_SPEC),
    RuleInfo("AKSNET-RT-004", E, "userDefinedRouting without a 0.0.0.0/0 route to an appliance or gateway",
             "associate a route table with 0.0.0.0/0 -> VirtualAppliance (or VirtualNetworkGateway) to the node subnet",
             "R53", "https://learn.microsoft.com/azure/aks/egress-udr https://learn.microsoft.com/azure/aks/egress-outboundtype"),
    RuleInfo("AKSNET-RT-005", E, "Kubenet with a BYO route table needs a user-assigned identity",
             "give the cluster a user-assigned identity (identity: {type: UserAssigned, name: ...} naming one of "
             "spec.identities), or remove routeTable from the node subnet (AKS creates its own)",
             "R54", _KUBENET),
    # N. Names and locations Azure refuses (ARM naming rules per resource type; region list)
    RuleInfo("AKSNET-NAME-001", E, "Resource group name Azure refuses",
             "use 1-90 letters, digits, '_', '-', '.', '(' or ')', not ending with '.'", None, _NAMES),
    RuleInfo("AKSNET-NAME-002", E, "Virtual network name Azure refuses",
             "use 2-64 letters, digits, '_', '.' or '-', starting with a letter or digit and ending with a "
             "letter, digit or '_'", None, _NAMES),
    RuleInfo("AKSNET-NAME-003", E, "Subnet name Azure refuses", _NETWORK_NAME_FIX, None, _NAMES),
    RuleInfo("AKSNET-NAME-004", E, "Network security group name Azure refuses", _NETWORK_NAME_FIX, None, _NAMES),
    RuleInfo("AKSNET-NAME-005", E, "Route table name Azure refuses", _NETWORK_NAME_FIX, None, _NAMES),
    RuleInfo("AKSNET-NAME-006", E, "Route name Azure refuses", _NETWORK_NAME_FIX, None, _NAMES),
    RuleInfo("AKSNET-NAME-007", E, "AKS cluster name Azure refuses",
             "use 1-63 letters, digits, '_' or '-', starting and ending with a letter or digit", None, _NAMES),
    RuleInfo("AKSNET-NAME-008", E, "Node pool name Azure refuses",
             "use 1-12 lowercase letters and digits, starting with a letter (e.g. nodepool1)", None, _NAMES),
    RuleInfo("AKSNET-NAME-009", E, "dnsPrefix Azure refuses",
             "use 1-54 letters, digits or '-', starting and ending with a letter or digit", None,
             "https://learn.microsoft.com/azure/aks/learn/quick-kubernetes-deploy-cli " + _NAMES),
    RuleInfo("AKSNET-NAME-010", E, "User-assigned identity name Azure refuses",
             "use 3-128 letters, digits, '_' or '-', starting with a letter or digit", None, _NAMES),
    RuleInfo("AKSNET-LOC-001", E, "Location is not an Azure region",
             "use a region name as `az account list-locations -o table` lists it, e.g. eastus or westeurope",
             None, "https://learn.microsoft.com/azure/reliability/regions-list"),
    # L. What Azure holds now blocks the create (checked by plan against the live state, before any write)
    RuleInfo("AKSNET-LIVE-001", E, "Node subnet in Azure carries a route table a kubenet cluster with a "
             "SystemAssigned identity cannot use",
             "detach it (az network vnet subnet update ... --remove routeTable; AKS creates its own), or give the "
             "cluster a user-assigned identity and name the route table on the subnet in the spec", "R54", _KUBENET),
    RuleInfo("AKSNET-LIVE-002", E, "Node subnet in Azure already holds another kubenet cluster's nodes",
             "give this cluster a subnet of its own (\"Multiple kubenet clusters can't share a subnet\")", None,
             f"{_KUBENET}#limitations--considerations-for-kubenet"),
    RuleInfo("AKSNET-LIVE-003", E, "Node subnet in Azure is delegated to a service",
             "use an undelegated subnet for the nodes, or remove the delegation if nothing uses it", None,
             "https://learn.microsoft.com/azure/virtual-network/subnet-delegation-overview"),
    RuleInfo("AKSNET-LIVE-004", W, "A subnet in Azure carries an NSG or route table the spec does not name",
             "name it on the subnet in the spec (so aksnet manages it), or detach it; until then aksnet leaves it in "
             "place, and its rules or routes still apply to the cluster's traffic", None,
             "https://learn.microsoft.com/azure/aks/concepts-network#network-security-groups"),
)

BY_ID: dict[str, RuleInfo] = {rule.id: rule for rule in RULES}

