"""What an update of an existing cluster may change (catalogue numbers R57-R62, docs/reference/rules.md#catalogue-numbers).

Immutable fields answer `PropertyChangeNotAllowed` "Changing property '<path>' is not allowed." (R57);
the supported in-place changes are the overlay migrations (R58), overlay pod CIDR expansion (R60),
outbound type changes (R61), authorized IP ranges (R62), scale and version upgrades.
"""

from __future__ import annotations

import ipaddress

from aksnet.emulator.arm.contract import Body
from aksnet.emulator.providers.containerservice.common import (
    change_not_allowed,
    invalid,
    parse_cidr,
    plugin_key,
    props,
    same_id,
)

# R61: outbound types a BYO-VNet cluster can move between (https://learn.microsoft.com/azure/aks/egress-outboundtype); `block` is not one.
_OUTBOUND_MUTABLE = {"loadbalancer", "userassignednatgateway", "userdefinedrouting", "none", "managednatgateway"}
_POOL_IMMUTABLE = ("vnetSubnetID", "maxPods", "vmSize", "osType", "podSubnetID")  # R30, R57


def _text(value: object) -> str:
    return str(value or "").lower()


def check_update(old: Body, old_pools: list[Body], new: Body, new_pools: list[Body], request: Body) -> None:
    if _text(old.get("location")).replace(" ", "") != _text(new.get("location")).replace(" ", ""):
        raise change_not_allowed("location")
    op, np = props(old), props(new)
    for key in ("dnsPrefix", "fqdnSubdomain", "nodeResourceGroup"):  # AKS-spec: "cannot be updated"
        if _text(op.get(key)) != _text(np.get(key)):
            raise change_not_allowed(key)
    if bool((op.get("apiServerAccessProfile") or {}).get("enablePrivateCluster")) != bool(
            (np.get("apiServerAccessProfile") or {}).get("enablePrivateCluster")):
        raise change_not_allowed("apiServerAccessProfile.enablePrivateCluster")
    _check_network(op.get("networkProfile") or {}, np.get("networkProfile") or {},
                   (props(request).get("networkProfile") or {}))
    old_by_name = {_text(p.get("name")): p for p in old_pools}
    for pool in new_pools:
        before = old_by_name.get(_text(pool.get("name")))
        if before is None:
            continue
        for key in _POOL_IMMUTABLE:
            a, b = before.get(key), pool.get(key)
            if (a or b) and not (same_id(a, b) if isinstance(a, str) else a == b):
                raise change_not_allowed(f"agentPoolProfile.{key}")


def _check_network(old: Body, new: Body, requested: Body) -> None:
    for key, path in (("serviceCidr", "networkProfile.serviceCidr"), ("dnsServiceIP", "networkProfile.dnsServiceIP"),
                      ("loadBalancerSku", "networkProfile.loadBalancerSku"), ("networkMode", "networkProfile.networkMode")):
        if _text(old.get(key)) != _text(new.get(key)):  # R20, R57
            raise change_not_allowed(path)
    if [_text(x) for x in old.get("ipFamilies") or []] != [_text(x) for x in new.get("ipFamilies") or []]:
        raise change_not_allowed("networkProfile.ipFamilies")
    before, after = plugin_key(old), plugin_key(new)
    migrating = before != after
    if migrating:
        if after != "overlay" or before not in ("kubenet", "azure"):  # R58: only to overlay, one-way
            if _text(old.get("networkPlugin")) != _text(new.get("networkPlugin")):
                raise change_not_allowed("networkProfile.networkPlugin")
            raise change_not_allowed("networkProfile.networkPluginMode")
        if _text(old.get("networkPolicy")) not in ("", "none"):  # R58: no network policy engine
            raise invalid("networkProfile.networkPolicy", "Migrating to Azure CNI Overlay requires no network policy "
                          f"engine; uninstall network policy '{old.get('networkPolicy')}' first.")
        if _text(old.get("networkDataplane") or "azure") != _text(new.get("networkDataplane") or "azure"):
            raise invalid("networkProfile.networkDataplane", "The IPAM mode and the network dataplane cannot be "
                          "changed in the same operation.")  # R58
        if before == "azure" and not requested.get("podCidr"):  # R58: from node subnet podCidr is required
            raise invalid("networkProfile.podCIDR", "A pod CIDR is required to migrate an Azure CNI cluster to "
                          "Azure CNI Overlay.")
    if before in ("kubenet", "overlay") and after in ("kubenet", "overlay"):
        old_pod = parse_cidr(old.get("podCidr"), "networkProfile.podCIDR")
        new_pod = parse_cidr(new.get("podCidr"), "networkProfile.podCIDR")
        # R58 (kubenet -> overlay keeps or enlarges), R60 (overlay expands to a superset); kubenet: fixed.
        may_grow = after == "overlay"
        if old_pod != new_pod and not (may_grow and _is_superset(new_pod, old_pod)):
            raise change_not_allowed("networkProfile.podCidr")
    old_dp, new_dp = _text(old.get("networkDataplane")), _text(new.get("networkDataplane"))
    if old_dp and old_dp != new_dp and not (old_dp == "azure" and new_dp == "cilium"):  # R59
        raise change_not_allowed("networkProfile.networkDataplane")
    old_out, new_out = _text(old.get("outboundType")), _text(new.get("outboundType"))
    if old_out != new_out and not (old_out in _OUTBOUND_MUTABLE and new_out in _OUTBOUND_MUTABLE):  # R61
        raise change_not_allowed("networkProfile.outboundType")


def _is_superset(new: ipaddress.IPv4Network | ipaddress.IPv6Network,
                 old: ipaddress.IPv4Network | ipaddress.IPv6Network) -> bool:
    return new.version == old.version and new.supernet_of(old)  # type: ignore[arg-type]
