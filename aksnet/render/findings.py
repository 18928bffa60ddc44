"""One finding as a text block, the shape `validate` and `lint` share:

    error[AKSNET-SCHEMA-001]: unknown key 'adressPrefix' in spec.virtualNetwork.subnets[0]
      --> specs/x.yaml:21:9 (spec.virtualNetwork.subnets[0].adressPrefix)
      fix: did you mean 'addressPrefix'?

Kept free of heavy imports: it is on the fast `validate` path.
"""

from __future__ import annotations

from collections.abc import Iterable

from aksnet.model import Finding


def format_finding(finding: Finding, more: Iterable[str] = ()) -> str:
    """Headline, location, fix and source lines, then `more` (lines a command adds, already indented)."""
    where = finding.file
    if finding.line:
        where += f":{finding.line}:{finding.column}"
    if finding.path:
        where += f" ({finding.path})"
    lines = [f"{finding.severity}[{finding.rule}]: {finding.message}", f"  --> {where}"]
    if finding.fix:
        lines.append(f"  fix: {finding.fix}")
    if finding.catalogue and finding.source:
        # The rule's primary public source; docs/reference/rules.md lists them all, by rule id.
        lines.append(f"  source: {finding.source.split()[0]}")
    lines.extend(more)
    return "\n".join(lines)
