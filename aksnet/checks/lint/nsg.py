"""AKSNET006-010: network security group rules that admit traffic from the internet.

Source: Checkov NSGRuleSSHAccessRestricted.py (CKV_AZURE_10, port 22), NSGRuleRDPAccessRestricted.py
(CKV_AZURE_9, 3389), NSGRuleHTTPAccessRestricted.py (CKV_AZURE_160, 80) through the shared
NSGRulePortAccessRestricted.py (access Allow, direction Inbound, protocol tcp or '*');
NSGRuleUDPAccessRestricted.py (CKV_AZURE_77, inbound allow udp); Trivy AVD-AZU-0047 (any public ingress).
"""

from __future__ import annotations

from collections.abc import Iterator

from aksnet.checks.lint.hits import Hit
from aksnet.checks.lint.internet import any_internet, ports_cover
from aksnet.spec.types import SecurityRule, Spec

# (rule id, port, service name) for the TCP port checks, in rule id order
_PORT_RULES = (("AKSNET006", 22, "SSH"), ("AKSNET007", 3389, "RDP"), ("AKSNET008", 80, "HTTP"))


def _admits_internet(rule: SecurityRule) -> bool:
    return (
        rule.direction.lower() == "inbound"
        and rule.access.lower() == "allow"
        and any_internet(rule.source)
    )


def check(spec: Spec) -> Iterator[Hit]:
    for nsg_index, nsg in enumerate(spec.network_security_groups):
        address = f"nsg.{nsg.name}"
        for rule_index, rule in enumerate(nsg.rules):
            if not _admits_internet(rule):
                continue
            path = ("spec", "networkSecurityGroups", nsg_index, "rules", rule_index)
            where = f'rule "{rule.name}" of NSG "{nsg.name}"'
            source = ", ".join(rule.source)
            protocol = rule.protocol.lower()
            specific = False
            if protocol in ("tcp", "*"):
                for rule_id, port, service in _PORT_RULES:
                    if ports_cover(rule.destination_ports, port):
                        specific = True
                        yield Hit(
                            rule_id,
                            path,
                            f"{where} allows {service} ({port}/tcp) from the internet (source {source})",
                            address,
                            nsg.lint,
                        )
            if protocol == "udp":
                specific = True
                ports = ", ".join(rule.destination_ports)
                yield Hit(
                    "AKSNET009",
                    path,
                    f"{where} allows UDP port(s) {ports} from the internet (source {source})",
                    address,
                    nsg.lint,
                )
            if not specific:
                # AKSNET010 is the catch-all: a rule already reported as SSH/RDP/HTTP/UDP is not repeated
                ports = ", ".join(rule.destination_ports)
                yield Hit(
                    "AKSNET010",
                    path,
                    f"{where} allows inbound {rule.protocol} port(s) {ports} from the internet (source {source})",
                    address,
                    nsg.lint,
                )
