"""The lint rules AKSNET001-AKSNET014: ids, default severities, fixes and their Checkov / Azure Policy /
Trivy (AVD) equivalents (ids from https://github.com/bridgecrewio/checkov, https://avd.aquasec.com and
https://learn.microsoft.com/azure/aks/policy-reference).

Data only; the checks live in one module per family (`api_server`, `nsg`, `subnets`, `cluster`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from aksnet.model import Severity

AUTHORIZED_RANGES_DOC = "https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges"
NSG_DOC = "https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview"
NETWORK_POLICY_DOC = "https://learn.microsoft.com/azure/aks/use-network-policies"
PRIVATE_CLUSTER_DOC = "https://learn.microsoft.com/azure/aks/private-clusters"
CNI_DOC = "https://learn.microsoft.com/azure/aks/concepts-network-cni-overview"

# Azure Policy built-in definition ids (https://learn.microsoft.com/azure/aks/policy-reference)
POLICY_AUTHORIZED_RANGES = "0e246bcf-5f6f-4f87-bc6f-775d4712c7ea"
POLICY_SUBNET_NSG = "e71308d3-144b-4262-b144-efdc3cc90517"
POLICY_PRIVATE_CLUSTER = "040732e8-d947-40b8-95d6-854c95024bf8"


@dataclass(frozen=True, slots=True)
class LintRule:
    id: str  # "AKSNET006"
    name: str  # PascalCase, SARIF reportingDescriptor.name
    title: str  # one line, SARIF shortDescription and annotation title
    description: str  # SARIF fullDescription
    severity: Severity  # default severity
    fix: str  # one line: how to fix it
    help_uri: str
    # {"checkov": ..., "azurePolicy": ..., "avd": ...}: only the equivalents that exist
    equivalents: Mapping[str, str] = field(default_factory=dict)

    @property
    def equivalents_text(self) -> str:
        label = {"azurePolicy": "Azure Policy "}
        return ", ".join(f"{label.get(kind, '')}{value}" for kind, value in self.equivalents.items())


_RULES = (
    LintRule(
        "AKSNET001",
        "ApiServerWithoutAuthorizedRanges",
        "Public API server without authorized IP ranges",
        "The cluster's API server is public (not a private cluster) and apiServer.authorizedIpRanges is "
        "missing or empty, so anyone on the internet can reach it. Checkov CKV_AZURE_6 passes only for a "
        "private cluster or at least one authorized range.",
        Severity.ERROR,
        "set spec.cluster.apiServer.authorizedIpRanges to the CIDRs that need the API server, or make the "
        "cluster private",
        AUTHORIZED_RANGES_DOC,
        {"checkov": "CKV_AZURE_6", "azurePolicy": POLICY_AUTHORIZED_RANGES, "avd": "AVD-AZU-0041"},
    ),
    LintRule(
        "AKSNET002",
        "ApiServerOpenToAnyAddress",
        "Authorized IP range open to every address (/0)",
        "An authorized IP range has prefix length 0 (0.0.0.0/0 or ::/0), which admits every address and "
        "defeats the purpose of authorized ranges (Checkov CKV_AZURE_6 still passes on it).",
        Severity.ERROR,
        "replace the /0 range with the specific CIDRs that need the API server",
        AUTHORIZED_RANGES_DOC,
    ),
    LintRule(
        "AKSNET003",
        "AuthorizedRangeNotAligned",
        "Authorized IP range not aligned to its prefix",
        "AKS requires an authorized range to start at its network address (137.117.106.88/29, not "
        "137.117.106.90/29).",
        Severity.ERROR,
        "use the network address of the range (clear the host bits), e.g. 137.117.106.88/29",
        AUTHORIZED_RANGES_DOC,
    ),
    LintRule(
        "AKSNET004",
        "TooManyAuthorizedRanges",
        "More than 200 authorized IP ranges",
        "AKS accepts at most 200 API server authorized IP ranges.",
        Severity.ERROR,
        "merge ranges into larger CIDRs so that at most 200 remain",
        AUTHORIZED_RANGES_DOC,
    ),
    LintRule(
        "AKSNET005",
        "AuthorizedRangesOnPrivateCluster",
        "Authorized IP ranges on a private cluster",
        "API server authorized IP ranges are not supported on private clusters.",
        Severity.ERROR,
        "remove spec.cluster.apiServer.authorizedIpRanges, or make the cluster public",
        AUTHORIZED_RANGES_DOC,
    ),
    LintRule(
        "AKSNET006",
        "NsgSshOpenToInternet",
        "SSH (22) open to the internet",
        "An inbound Allow rule of a network security group admits TCP port 22 from the internet "
        "(source '*', 'Internet', 'Any', '0.0.0.0' or any /0 CIDR).",
        Severity.ERROR,
        "restrict the rule's source to known CIDRs (or use Azure Bastion), or deny port 22",
        NSG_DOC,
        {"checkov": "CKV_AZURE_10", "avd": "AVD-AZU-0050"},
    ),
    LintRule(
        "AKSNET007",
        "NsgRdpOpenToInternet",
        "RDP (3389) open to the internet",
        "An inbound Allow rule of a network security group admits TCP port 3389 from the internet.",
        Severity.ERROR,
        "restrict the rule's source to known CIDRs (or use Azure Bastion), or deny port 3389",
        NSG_DOC,
        {"checkov": "CKV_AZURE_9", "avd": "AVD-AZU-0048"},
    ),
    LintRule(
        "AKSNET008",
        "NsgHttpOpenToInternet",
        "HTTP (80) open to the internet",
        "An inbound Allow rule of a network security group admits TCP port 80 (unencrypted HTTP) from "
        "the internet.",
        Severity.WARNING,
        "serve HTTPS on 443 instead, or restrict the rule's source; suppress with a reason if intended",
        NSG_DOC,
        {"checkov": "CKV_AZURE_160"},
    ),
    LintRule(
        "AKSNET009",
        "NsgUdpOpenToInternet",
        "UDP open to the internet",
        "An inbound Allow rule of a network security group admits UDP traffic from the internet.",
        Severity.WARNING,
        "restrict the rule's source to known CIDRs; suppress with a reason if the service must be public",
        NSG_DOC,
        {"checkov": "CKV_AZURE_77"},
    ),
    LintRule(
        "AKSNET010",
        "NsgInboundFromInternet",
        "Inbound traffic allowed from the internet",
        "An inbound Allow rule of a network security group admits traffic from the internet. Reported "
        "only for rules that AKSNET006-009 do not already report.",
        Severity.WARNING,
        "restrict the rule's source to known CIDRs; suppress with a reason for intended public ingress",
        NSG_DOC,
        {"avd": "AVD-AZU-0047"},
    ),
    LintRule(
        "AKSNET011",
        "SubnetWithoutNsg",
        "Subnet without a network security group",
        "A subnet has no network security group. GatewaySubnet and AzureFirewallSubnet are exempt "
        "(Azure does not allow an NSG on them), as in Checkov CKV2_AZURE_31.",
        Severity.WARNING,
        "set networkSecurityGroup on the subnet to an NSG of this spec",
        NSG_DOC,
        {"checkov": "CKV2_AZURE_31", "azurePolicy": POLICY_SUBNET_NSG},
    ),
    LintRule(
        "AKSNET012",
        "NoNetworkPolicy",
        "No Kubernetes network policy engine",
        "spec.cluster.network.policy is not set, so Kubernetes NetworkPolicy objects are not enforced "
        "and every pod can reach every other pod.",
        Severity.WARNING,
        "set spec.cluster.network.policy (azure, calico or cilium)",
        NETWORK_POLICY_DOC,
        {"checkov": "CKV_AZURE_7", "avd": "AVD-AZU-0043"},
    ),
    LintRule(
        "AKSNET013",
        "NotPrivateCluster",
        "Not a private cluster",
        "The cluster's API server has a public endpoint; a private cluster keeps it on the virtual network.",
        Severity.INFO,
        "set spec.cluster.apiServer.privateCluster: true if clients can reach the VNet",
        PRIVATE_CLUSTER_DOC,
        {"checkov": "CKV_AZURE_115", "azurePolicy": POLICY_PRIVATE_CLUSTER},
    ),
    LintRule(
        "AKSNET014",
        "NetworkPluginNotAzureCni",
        "Network plugin is not Azure CNI",
        "The cluster does not use the Azure CNI network plugin (Checkov CKV2_AZURE_29 accepts only "
        "network_plugin azure).",
        Severity.INFO,
        "use spec.cluster.network.plugin: azure (with pluginMode: overlay to keep pod IPs off the VNet)",
        CNI_DOC,
        {"checkov": "CKV2_AZURE_29"},
    ),
)

RULES: Mapping[str, LintRule] = {rule.id: rule for rule in _RULES}
"""Every lint rule by id, in id order."""
