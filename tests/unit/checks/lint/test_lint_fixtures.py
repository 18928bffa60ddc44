"""Every lint rule has a failing and a passing YAML fixture (tests/fixtures/lint/<RULE>/), loaded with the
real spec loader; the fixtures double as examples of each rule."""

from __future__ import annotations

import pytest
from paths import TESTS

from aksnet.checks.lint import RULES, lint, lint_report
from aksnet.spec.load import load_spec

FIXTURES = TESTS / "fixtures" / "lint"


def test_every_rule_has_both_fixtures() -> None:
    assert sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()) == sorted(RULES)
    for rule in RULES:
        assert (FIXTURES / rule / "fail.yaml").is_file() and (FIXTURES / rule / "pass.yaml").is_file()


@pytest.mark.parametrize("rule", sorted(RULES))
def test_fail_fixture_reports_the_rule(rule: str) -> None:
    spec = load_spec(str(FIXTURES / rule / "fail.yaml"))
    hits = [f for f in lint(spec) if f.rule == rule]
    assert hits, f"{rule}/fail.yaml did not report {rule}"
    for finding in hits:
        assert finding.severity is RULES[rule].severity
        assert finding.file.endswith(f"{rule}/fail.yaml") and finding.line > 0 and finding.column > 0
        assert finding.message and finding.fix


@pytest.mark.parametrize("rule", sorted(RULES))
def test_pass_fixture_does_not(rule: str) -> None:
    spec = load_spec(str(FIXTURES / rule / "pass.yaml"))
    assert rule not in {f.rule for f in lint(spec)}


def test_fixture_locations_point_at_the_offending_yaml() -> None:
    ssh = next(f for f in lint(load_spec(str(FIXTURES / "AKSNET006" / "fail.yaml"))) if f.rule == "AKSNET006")
    lines = (FIXTURES / "AKSNET006" / "fail.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[ssh.line - 1].strip() == "- name: allow-ssh"
    assert ssh.path == "spec.networkSecurityGroups[0].rules[1]"


def test_suppression_from_yaml() -> None:
    report = lint_report(load_spec(str(FIXTURES / "suppressed.yaml")))
    assert [f.rule for f in report.suppressed] == ["AKSNET010"]
    assert report.suppressed[0].extra["suppressionReason"] == "public HTTPS ingress for the web tier"
    assert "AKSNET011" in {f.rule for f in report.findings}
    assert "AKSNET010" not in {f.rule for f in report.findings}
