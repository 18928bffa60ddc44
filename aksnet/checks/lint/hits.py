"""What a check yields before suppression: the rule, the spec path and the resource that owns it."""

from __future__ import annotations

from dataclasses import dataclass

from aksnet.spec.types import LintSuppression, SpecPath


@dataclass(frozen=True, slots=True)
class Hit:
    rule: str  # "AKSNET006"
    path: SpecPath  # where in the YAML, e.g. ("spec", "networkSecurityGroups", 0, "rules", 1)
    message: str  # one line: what is wrong, naming the resource
    resource: str  # plan-style address of the resource that owns it, e.g. "nsg.aks-nsg"
    suppression: LintSuppression | None  # that resource's `lint:` block, if any
