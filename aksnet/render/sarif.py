"""SARIF 2.1.0 log of lint findings for GitHub code scanning. Pure: findings in, a JSON-ready dict out.

Follows GitHub's "SARIF support for code scanning"
(https://docs.github.com/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning): `$schema`, `version`,
`runs[].tool.driver` with one rule per AKSNET id (`shortDescription`, `fullDescription`, `help.text`,
`helpUri`, `properties.tags` incl. "security", `properties.security-severity`); each result has
`message.text`, one location with a repo-relative `artifactLocation.uri` and a `region`, and
`partialFingerprints.primaryLocationLineHash` built from rule id + file + spec path + resource, so the
alert survives lines moving. Suppressed findings are kept as results with `suppressions` (kind
"inSource", justification = the spec's reason): code scanning shows them as dismissed, not as open.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote

from aksnet import __version__
from aksnet.checks.lint.catalogue import RULES, LintRule
from aksnet.model import Finding, Severity

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# GitHub maps security-severity > 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low (https://docs.github.com/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning)
SECURITY_SEVERITY = {Severity.ERROR: "8.0", Severity.WARNING: "5.0", Severity.INFO: "2.0"}
TAGS = ("security", "aks", "network")


def artifact_uri(file: str) -> str:
    """A relative URI reference for a repo-relative path (forward slashes, percent-encoded)."""
    return quote(file.replace("\\", "/"), safe="/-_.~")


def fingerprint(finding: Finding) -> str:
    resource = str(finding.extra.get("resource", ""))
    key = "|".join((finding.rule, finding.file.replace("\\", "/"), finding.path, resource))
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def reporting_descriptor(rule: LintRule) -> dict[str, Any]:
    equivalents = "".join(f"\n- {name}: {value}" for name, value in rule.equivalents.items())
    markdown = f"{rule.description}\n\n**Fix:** {rule.fix}\n\n[Documentation]({rule.help_uri})"
    if equivalents:
        markdown += f"\n\n**Equivalent checks:**{equivalents}"
    properties: dict[str, Any] = {
        "tags": list(TAGS),
        "security-severity": SECURITY_SEVERITY[rule.severity],
        "precision": "very-high",
        "problem.severity": "recommendation" if rule.severity is Severity.INFO else str(rule.severity),
    }
    properties.update(rule.equivalents)
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.description},
        "help": {"text": f"{rule.description} Fix: {rule.fix}", "markdown": markdown},
        "helpUri": rule.help_uri,
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": properties,
    }


def result(finding: Finding, rule_index: Mapping[str, int]) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": max(finding.line, 1)}
    if finding.column > 0:
        region["startColumn"] = finding.column
    out: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index[finding.rule],
        "level": LEVEL[finding.severity],
        "message": {"text": f"{finding.message}. Fix: {finding.fix}."},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": artifact_uri(finding.file)},
                    "region": region,
                },
                "logicalLocations": [{"fullyQualifiedName": finding.path, "kind": "member"}],
            }
        ],
        "partialFingerprints": {"primaryLocationLineHash": fingerprint(finding)},
        "properties": {"path": finding.path, **{k: v for k, v in finding.extra.items() if k != "suppressed"}},
    }
    if finding.extra.get("suppressed"):
        out["suppressions"] = [
            {"kind": "inSource", "justification": str(finding.extra.get("suppressionReason", ""))}
        ]
    return out


def build_sarif(
    findings: Iterable[Finding],
    suppressed: Iterable[Finding] = (),
    *,
    automation_id: str = "aksnet/lint/",
) -> dict[str, Any]:
    """The SARIF log. `findings` / `suppressed` must carry repo-relative `file` paths (the CLI rewrites
    them); `automation_id` must differ per upload when several SARIF files go up for one commit."""
    rules = list(RULES.values())
    rule_index = {rule.id: index for index, rule in enumerate(rules)}
    results = [result(f, rule_index) for f in (*findings, *suppressed)]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "aksnet",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": [reporting_descriptor(rule) for rule in rules],
                    }
                },
                "automationDetails": {"id": automation_id},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
