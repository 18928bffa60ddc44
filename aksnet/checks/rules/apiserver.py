"""API server authorized IP ranges: R41 (count), R42 (format, as the az CLI checks it), R43, R44."""

from __future__ import annotations

import ipaddress

from aksnet.checks.rules.context import CLUSTER, RuleContext

MAX_AUTHORIZED_RANGES = 200  # R41 (2,000 only with API Server VNet Integration, not modelled in v1)
OWN_OUTBOUND_ONLY = "0.0.0.0/32"  # R43
API = (*CLUSTER, "apiServer")


def check_authorized_ranges(ctx: RuleContext) -> None:
    api = ctx.spec.cluster.api_server
    ranges = api.authorized_ip_ranges
    if not ranges:
        return  # None: not managed; (): the feature is disabled
    path = (*API, "authorizedIpRanges")
    if len(ranges) > MAX_AUTHORIZED_RANGES:
        ctx.emit("AKSNET-API-001", path,
                 f"{len(ranges)} authorized IP ranges; AKS allows at most {MAX_AUTHORIZED_RANGES}.")
    if OWN_OUTBOUND_ONLY in ranges and len(ranges) > 1:
        ctx.emit("AKSNET-API-004", path,
                 f"{OWN_OUTBOUND_ONLY} (only the cluster's own outbound IP) is listed with {len(ranges) - 1} other range(s).")
    if api.private_cluster:
        ctx.emit("AKSNET-API-005", path, "Authorized IP ranges are set on a private cluster; they apply only to a "
                                         "public API server.")
    for i, text in enumerate(ranges):
        _check_entry(ctx, (*path, i), text)


def _check_entry(ctx: RuleContext, path: tuple[str | int, ...], text: str) -> None:
    # R42: azure-cli validate_ip_ranges uses ip_network(strict) and rejects IPv6 and non-global ranges.
    try:
        net = ipaddress.ip_network(text, strict=False)
    except ValueError:
        ctx.emit("AKSNET-API-002", path, f"Authorized range '{text}' is not an IPv4 address or CIDR.")
        return
    if net.version == 6:
        ctx.emit("AKSNET-API-002", path, f"Authorized range '{text}' is IPv6; AKS takes IPv4 ranges only.")
        return
    if str(net.network_address) != text.split("/")[0]:
        ctx.emit("AKSNET-API-002", path, f"Authorized range '{text}' has host bits set; write {net}.",
                 fix=f"write {net}")
        return
    if text == OWN_OUTBOUND_ONLY:
        return
    if not net.is_global:
        ctx.emit("AKSNET-API-003", path,
                 f"Authorized range {text} is private or reserved; the API server sees public source addresses.")


CHECKS = (check_authorized_ranges,)
