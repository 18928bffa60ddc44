"""Typed model of an aksnet/v1 ClusterNetwork spec. Pure data; built by `aksnet.spec.load`.

Optional fields the user omitted are None (or empty): aksnet leaves them to Azure's default and never
reports them as drift. Field names are the snake_case of the spec's camelCase keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from aksnet.model import SourceLocation

SpecPath = tuple[str | int, ...]
"""A path into the YAML document, e.g. ("spec", "virtualNetwork", "subnets", 0, "addressPrefix")."""


@dataclass(frozen=True, slots=True)
class LintSuppression:
    """`lint: {skip: [AKSNET008], reason: "..."}` on a resource of the spec."""

    rules: tuple[str, ...]
    reason: str


@dataclass(frozen=True, slots=True)
class SecurityRule:
    name: str
    priority: int
    direction: str  # Inbound | Outbound
    access: str  # Allow | Deny
    protocol: str  # Tcp | Udp | Icmp | Esp | Ah | *
    source: tuple[str, ...]  # CIDRs, IPs, service tags or '*'
    destination: tuple[str, ...]
    source_ports: tuple[str, ...] = ("*",)
    destination_ports: tuple[str, ...] = ("*",)
    description: str | None = None


@dataclass(frozen=True, slots=True)
class NetworkSecurityGroup:
    name: str
    rules: tuple[SecurityRule, ...] = ()
    lint: LintSuppression | None = None


@dataclass(frozen=True, slots=True)
class Route:
    name: str
    address_prefix: str
    next_hop_type: str  # VirtualNetworkGateway | VnetLocal | Internet | VirtualAppliance | None
    next_hop_ip_address: str | None = None


@dataclass(frozen=True, slots=True)
class RouteTable:
    name: str
    routes: tuple[Route, ...] = ()


@dataclass(frozen=True, slots=True)
class UserAssignedIdentity:
    """Microsoft.ManagedIdentity/userAssignedIdentities the spec creates."""

    name: str
    resource_group: str | None = None  # None: the spec's resource group


@dataclass(frozen=True, slots=True)
class Subnet:
    name: str
    address_prefix: str
    network_security_group: str | None = None  # name of an NSG of this spec
    route_table: str | None = None  # name of a route table of this spec
    lint: LintSuppression | None = None


@dataclass(frozen=True, slots=True)
class VirtualNetwork:
    name: str
    address_space: tuple[str, ...]
    subnets: tuple[Subnet, ...]
    # Subnets in Azure that `subnets` does not list: kept (another spec or team shares the VNet) unless
    # the spec claims the whole list with `otherSubnets: delete`.
    delete_other_subnets: bool = False


@dataclass(frozen=True, slots=True)
class NodePool:
    name: str
    count: int
    vm_size: str | None = None  # az default Standard_DS2_v2 (left to Azure when omitted)
    max_pods: int | None = None  # None: the plugin default (R28)
    max_surge: str | None = None  # "1" or "33%"; None: AKS default (R40)


@dataclass(frozen=True, slots=True)
class ClusterNetwork:
    plugin: str  # kubenet | azure | none
    plugin_mode: str | None = None  # overlay (only with azure)
    pod_cidr: str | None = None
    service_cidr: str | None = None
    dns_service_ip: str | None = None
    policy: str | None = None  # calico | azure | cilium | none (none: uninstall the engine)
    outbound_type: str | None = None  # loadBalancer | userDefinedRouting | ...
    dataplane: str | None = None  # azure | cilium (networkDataplane)


@dataclass(frozen=True, slots=True)
class ApiServer:
    authorized_ip_ranges: tuple[str, ...] | None = None  # None: not managed; () disables the feature
    private_cluster: bool | None = None  # enablePrivateCluster


@dataclass(frozen=True, slots=True)
class LinuxProfile:
    admin_username: str
    ssh_public_key: str  # the key text (a sshPublicKeyFile is read by the loader)


@dataclass(frozen=True, slots=True)
class Cluster:
    name: str
    subnet: str  # name of the node subnet, a subnet of this spec
    node_pool: NodePool
    network: ClusterNetwork
    api_server: ApiServer = ApiServer()
    dns_prefix: str | None = None  # default: az aks create's (core.desired.default_dns_prefix), never compared
    kubernetes_version: str | None = None
    identity: str = "SystemAssigned"  # SystemAssigned | UserAssigned
    identity_name: str | None = None  # UserAssigned: a UserAssignedIdentity of the spec
    kubelet_identity: str | None = None  # optional kubelet identity, a UserAssignedIdentity of the spec
    linux_profile: LinuxProfile | None = None
    lint: LintSuppression | None = None


@dataclass(frozen=True, slots=True)
class Spec:
    name: str  # metadata.name
    location: str
    resource_group: str
    virtual_network: VirtualNetwork
    cluster: Cluster
    network_security_groups: tuple[NetworkSecurityGroup, ...] = ()
    route_tables: tuple[RouteTable, ...] = ()
    identities: tuple[UserAssignedIdentity, ...] = ()
    subscription_id: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)
    file: str = "<spec>"
    sha256: str = ""  # of the file bytes; a saved plan records it
    locations: Mapping[SpecPath, SourceLocation] = field(default_factory=dict)

    def locate(self, path: SpecPath) -> SourceLocation:
        """The YAML position of `path`, or of its nearest located ancestor."""
        probe = tuple(path)
        while probe:
            found = self.locations.get(probe)
            if found is not None:
                return found
            probe = probe[:-1]
        return SourceLocation(self.file, 0, 0)

    def subnet(self, name: str) -> Subnet | None:
        return next((s for s in self.virtual_network.subnets if s.name == name), None)

    def nsg(self, name: str) -> NetworkSecurityGroup | None:
        return next((n for n in self.network_security_groups if n.name == name), None)

    def route_table(self, name: str) -> RouteTable | None:
        return next((r for r in self.route_tables if r.name == name), None)

    def identity(self, name: str) -> UserAssignedIdentity | None:
        return next((i for i in self.identities if i.name.casefold() == name.casefold()), None)


def format_path(path: SpecPath) -> str:
    """("spec", "virtualNetwork", "subnets", 0, "addressPrefix") -> "spec.virtualNetwork.subnets[0].addressPrefix"."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out
