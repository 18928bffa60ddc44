"""AKS's naming rules ("What naming restrictions are enforced for AKS resources and parameters?":
https://learn.microsoft.com/troubleshoot/azure/azure-kubernetes/create-upgrade-delete/aks-common-issues-faq;
resource-name-rules, Microsoft.ContainerService): cluster 1-63 letters, digits, '_' and '-', starting
and ending with a letter or digit; Linux agent pool 1-12 lowercase letters and digits, starting with a
letter; dnsPrefix 1-54 letters, digits and '-', starting and ending with a letter or digit. AKS answers
400 InvalidParameter naming the parameter and https://aka.ms/aks-naming-rules.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from aksnet.emulator.arm import errors
from aksnet.emulator.arm.contract import ArmError
from aksnet.emulator.arm.names import NameRule


def _invalid(parameter: str) -> Any:
    def error(name: str) -> ArmError:
        return errors.invalid_parameter(
            f"The value of parameter {parameter} is invalid: {name!r}. Please see https://aka.ms/aks-naming-rules "
            "for more details.", target=parameter)
    return error


CLUSTER = NameRule(1, 63, re.compile(r"[a-zA-Z0-9]([-_a-zA-Z0-9]*[a-zA-Z0-9])?", re.ASCII), _invalid("resourceName"))
AGENT_POOL = NameRule(1, 12, re.compile(r"[a-z][a-z0-9]*", re.ASCII), _invalid("agentPoolProfile.name"))
DNS_PREFIX = NameRule(1, 54, re.compile(r"[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?", re.ASCII),
                      _invalid("properties.dnsPrefix"))


def check_cluster_names(name: str, body: Mapping[str, Any]) -> None:
    """The cluster's own name, its dnsPrefix and the names of the pools it lists inline."""
    CLUSTER.check(name)
    props = body.get("properties") if isinstance(body.get("properties"), Mapping) else {}
    prefix = (props or {}).get("dnsPrefix")
    if isinstance(prefix, str):
        DNS_PREFIX.check(prefix)
    for profile in (props or {}).get("agentPoolProfiles") or ():
        if isinstance(profile, Mapping) and isinstance(profile.get("name"), str):
            AGENT_POOL.check(profile["name"])
