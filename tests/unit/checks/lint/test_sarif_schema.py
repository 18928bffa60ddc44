"""`-o sarif` output validates against the official SARIF 2.1.0 JSON schema (OASIS errata01, vendored in
tests/fixtures/sarif-2.1.0.json) and carries what GitHub code scanning requires
(https://docs.github.com/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning)."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from lint_specs import clean_spec, inbound
from paths import TESTS

from aksnet.checks.lint import RULES, lint_report
from aksnet.render.sarif import build_sarif
from aksnet.spec.types import LintSuppression, Subnet

SCHEMA_FILE = TESTS / "fixtures" / "sarif-2.1.0.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert schema["id"].endswith("sarif-schema-2.1.0.json")
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())


def sample_log() -> dict[str, Any]:
    spec = clean_spec(
        rules=(inbound("ssh", "Internet", "22"), inbound("https", "Internet", "443")),
        nsg_lint=LintSuppression(("AKSNET010",), "public HTTPS: web tier"),
        subnets=(Subnet("jump box", "10.241.0.0/24"),),
    )
    report = lint_report(spec)
    return build_sarif(report.findings, report.suppressed, automation_id="aksnet/specs/test.yaml/")


def test_sarif_validates_against_the_official_schema(validator: jsonschema.Draft4Validator) -> None:
    log = sample_log()
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def test_schema_catches_a_broken_log(validator: jsonschema.Draft4Validator) -> None:
    log = sample_log()
    log["runs"][0]["results"][0]["level"] = "critical"  # not a SARIF level
    del log["version"]
    assert len(list(validator.iter_errors(log))) >= 2


def test_sarif_has_what_github_code_scanning_needs() -> None:
    log = sample_log()
    assert log["version"] == "2.1.0" and log["$schema"]
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "aksnet"
    assert [r["id"] for r in driver["rules"]] == list(RULES)
    for descriptor in driver["rules"]:
        assert descriptor["name"] and descriptor["shortDescription"]["text"]
        assert descriptor["fullDescription"]["text"] and descriptor["help"]["text"] and descriptor["helpUri"]
        assert "security" in descriptor["properties"]["tags"]
        assert 0.0 < float(descriptor["properties"]["security-severity"]) <= 10.0
    ssh = next(r for r in run["results"] if r["ruleId"] == "AKSNET006")
    assert driver["rules"][ssh["ruleIndex"]]["id"] == "AKSNET006"
    assert driver["rules"][ssh["ruleIndex"]]["properties"]["checkov"] == "CKV_AZURE_10"
    assert ssh["level"] == "error"
    assert ssh["message"]["text"]
    location = ssh["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "specs/test.yaml"
    assert location["region"] == {"startLine": 14, "startColumn": 9}
    assert ssh["partialFingerprints"]["primaryLocationLineHash"]
    info = next(r for r in run["results"] if r["ruleId"] == "AKSNET013")
    assert info["level"] == "note"
    assert run["automationDetails"]["id"] == "aksnet/specs/test.yaml/"


def test_suppressed_findings_are_results_with_a_justification() -> None:
    results = sample_log()["runs"][0]["results"]
    suppressed = [r for r in results if "suppressions" in r]
    assert [r["ruleId"] for r in suppressed] == ["AKSNET010"]
    assert suppressed[0]["suppressions"] == [{"kind": "inSource", "justification": "public HTTPS: web tier"}]


def test_fingerprint_survives_moved_lines() -> None:
    spec = clean_spec(rules=(inbound("ssh", "Internet", "22"),))
    moved = spec.__class__(**{**{f: getattr(spec, f) for f in spec.__dataclass_fields__}, "locations": {}})
    first = build_sarif(lint_report(spec).findings)["runs"][0]["results"]
    second = build_sarif(lint_report(moved).findings)["runs"][0]["results"]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in second] == [1, 1]
    assert [r["partialFingerprints"] for r in first] == [r["partialFingerprints"] for r in second]
