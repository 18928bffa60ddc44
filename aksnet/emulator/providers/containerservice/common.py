"""Shared names, numbers and small helpers of the emulated AKS resource provider.

Everything here encodes what AKS does on its own (https://learn.microsoft.com/azure/aks/configure-kubenet, https://github.com/kubernetes-sigs/cloud-provider-azure/blob/master/pkg/provider/azure_routes.go);
the emulator imports nothing from aksnet's planning side.
"""

from __future__ import annotations

import copy
import hashlib
import ipaddress
from typing import Any

from aksnet.emulator.api_versions import containerservice as containerservice_versions
from aksnet.emulator.arm.contract import ArmError, Body

CLUSTER_TYPE = "Microsoft.ContainerService/managedClusters"
POOL_TYPE = "Microsoft.ContainerService/managedClusters/agentPools"
POOLS_SEGMENT = "agentPools"
SUBNET_TYPE = "Microsoft.Network/virtualNetworks/subnets"

# Every published AKS api-version (aksnet/emulator/api_versions/containerservice.py).
API_VERSIONS = containerservice_versions.MANAGED_CLUSTERS

# Kubernetes minors the emulated region offers, with the patch AKS picks for "major.minor"
# (AKS resolves a minor to its latest patch: https://learn.microsoft.com/azure/aks/supported-kubernetes-versions).
KUBERNETES_PATCHES = {"1.31": "1.31.11", "1.32": "1.32.7", "1.33": "1.33.3", "1.34": "1.34.1", "1.35": "1.35.0"}
DEFAULT_KUBERNETES_MINOR = "1.33"
NODE_IMAGE_VERSION = "AKSUbuntu-2204gen2containerd-202607.21.0"

# Defaults the RP writes when the request omits them (defaults in managedClusters.json of azure-rest-api-specs).
DEFAULT_SERVICE_CIDR = "10.0.0.0/16"
DEFAULT_DNS_SERVICE_IP = "10.0.0.10"
DEFAULT_POD_CIDR = "10.244.0.0/16"
DEFAULT_POD_CIDR_V6 = "fd12:3456:789a::/64"  # R63
DEFAULT_SERVICE_CIDR_V6 = "fd12:3456:789a:1::/108"  # R63
DEFAULT_VM_SIZE = "Standard_DS2_v2"  # az aks create --node-vm-size default
DEFAULT_MAX_SURGE = "10%"  # R40: the API/RP default (SupportArticles-docs#2101)
MAX_AGENT_POOLS = 100  # R37
# maxPods default per plugin (R28: kubenet 110, Azure CNI node subnet 30, overlay / none 250).
DEFAULT_MAX_PODS = {"kubenet": 110, "azure": 30, "overlay": 250, "none": 250}

# Without a BYO subnet AKS creates aks-vnet-<digits> 10.224.0.0/12 with subnet aks-subnet 10.224.0.0/16
# in the node resource group (https://github.com/Azure/AKS/issues/2927).
MANAGED_VNET_PREFIX = "10.224.0.0/12"
MANAGED_SUBNET_PREFIX = "10.224.0.0/16"
MANAGED_SUBNET_NAME = "aks-subnet"

# R8: ranges AKS reserves for itself.
AKS_RESERVED_RANGES = tuple(ipaddress.ip_network(c) for c in
                            ("169.254.0.0/16", "172.30.0.0/16", "172.31.0.0/16", "192.0.2.0/24"))
KUBENET_MAX_NODES = 400  # R34: 400 routes per route table
MAX_AUTHORIZED_IP_RANGES = 200  # R41


def cluster_digits(cluster_id: str) -> str:
    """The 8-digit number AKS puts in its resource names (aks-nodepool1-26280851-vmss)."""
    return f"{int(hashlib.sha256(cluster_id.lower().encode()).hexdigest(), 16) % 10**8:08d}"


def _base36(n: int, width: int = 6) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out.rjust(width, "0")


def vmss_name(pool: str, digits: str) -> str:
    return f"aks-{pool}-{digits}-vmss"


def node_name(pool: str, digits: str, instance: int) -> str:
    """VMSS computer names: prefix + 6-char base-36 instance id (aks-nodepool1-26280851-vmss000000)."""
    return f"{vmss_name(pool, digits)}{_base36(instance)}"


def default_node_resource_group(resource_group: str, cluster: str, location: str) -> str:
    return f"MC_{resource_group}_{cluster}_{location}"  # https://learn.microsoft.com/azure/aks/faq#why-are-two-resource-groups-created-with-aks


def managed_route_table_name(digits: str) -> str:
    return f"aks-agentpool-{digits}-routetable"  # https://learn.microsoft.com/azure/aks/configure-kubenet


def managed_vnet_name(digits: str) -> str:
    return f"aks-vnet-{digits}"


def rg_scope(subscription: str, resource_group: str) -> str:
    return f"/subscriptions/{subscription}/resourceGroups/{resource_group}"


def invalid(target: str, message: str, code: str = "InvalidParameter") -> ArmError:
    return ArmError(400, code, message, target=target)


def change_not_allowed(prop: str) -> ArmError:
    # R57: "Changing property 'agentPoolProfile.vnetSubnetID' is not allowed." (Azure/AKS#695)
    return ArmError(400, "PropertyChangeNotAllowed", f"Changing property '{prop}' is not allowed.", target=prop)


def parse_cidr(value: Any, target: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    """A CIDR with no host bits; AKS answers CidrStringParseError "Cidr is invalid" (Azure/AKS#506)."""
    try:
        return ipaddress.ip_network(str(value), strict=True)
    except ValueError:
        raise ArmError(400, "CidrStringParseError", f"Cidr {value} is invalid", target=target) from None


def usable_addresses(net: ipaddress.IPv4Network | ipaddress.IPv6Network) -> int:
    return max(0, net.num_addresses - 5)  # R5: Azure keeps the first four and the last address


def props(body: Body) -> Body:
    p = body.get("properties")
    return p if isinstance(p, dict) else {}


def deep(body: Body) -> Body:
    return copy.deepcopy(body)


def pool_profile(row: Body) -> Body:
    """An agentPools child row shown as an entry of `agentPoolProfiles` (flattened properties)."""
    return {"name": row.get("name"), **deep(props(row))}


def pool_row(cluster_id: str, profile: Body) -> Body:
    name = str(profile["name"])
    properties = {k: v for k, v in deep(profile).items() if k != "name"}
    return {"id": f"{cluster_id}/{POOLS_SEGMENT}/{name}", "name": name, "type": POOL_TYPE,
            "properties": properties}


def pool_node_count(profile: Body) -> int:
    """Nodes a pool can reach: with the autoscaler its maxCount (R32/R36)."""
    if profile.get("enableAutoScaling") and isinstance(profile.get("maxCount"), int):
        return int(profile["maxCount"])
    return int(profile.get("count") or 0)


def plugin_key(network_profile: Body) -> str:
    """kubenet | azure | overlay | none (the plugin names of docs/reference/rules.md)."""
    plugin = str(network_profile.get("networkPlugin") or "").lower()
    if plugin == "azure" and str(network_profile.get("networkPluginMode") or "").lower() == "overlay":
        return "overlay"
    return plugin


def same_id(a: Any, b: Any) -> bool:
    return isinstance(a, str) and isinstance(b, str) and a.lower() == b.lower()
