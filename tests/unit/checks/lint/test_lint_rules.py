"""Each lint rule's logic on Spec objects built directly, the matching helpers, suppression, ordering."""

from __future__ import annotations

import pytest
from lint_specs import clean_spec, inbound

from aksnet.checks.lint import RULES, lint, lint_report
from aksnet.checks.lint.internet import is_internet, port_matches
from aksnet.model import Severity
from aksnet.spec.types import ApiServer, ClusterNetwork, LintSuppression, SecurityRule, Subnet


def rule_ids(spec: object) -> list[str]:
    return [f.rule for f in lint(spec)]  # type: ignore[arg-type]


def test_catalogue_matches_the_checkov_policy_and_avd_ids() -> None:
    expected = {
        "AKSNET001": (Severity.ERROR, "CKV_AZURE_6"),
        "AKSNET002": (Severity.ERROR, None),
        "AKSNET003": (Severity.ERROR, None),
        "AKSNET004": (Severity.ERROR, None),
        "AKSNET005": (Severity.ERROR, None),
        "AKSNET006": (Severity.ERROR, "CKV_AZURE_10"),
        "AKSNET007": (Severity.ERROR, "CKV_AZURE_9"),
        "AKSNET008": (Severity.WARNING, "CKV_AZURE_160"),
        "AKSNET009": (Severity.WARNING, "CKV_AZURE_77"),
        "AKSNET010": (Severity.WARNING, None),
        "AKSNET011": (Severity.WARNING, "CKV2_AZURE_31"),
        "AKSNET012": (Severity.WARNING, "CKV_AZURE_7"),
        "AKSNET013": (Severity.INFO, "CKV_AZURE_115"),
        "AKSNET014": (Severity.INFO, "CKV2_AZURE_29"),
    }
    assert {rid: (r.severity, r.equivalents.get("checkov")) for rid, r in RULES.items()} == expected
    assert RULES["AKSNET001"].equivalents["azurePolicy"] == "0e246bcf-5f6f-4f87-bc6f-775d4712c7ea"
    assert RULES["AKSNET011"].equivalents["azurePolicy"] == "e71308d3-144b-4262-b144-efdc3cc90517"
    assert RULES["AKSNET013"].equivalents["azurePolicy"] == "040732e8-d947-40b8-95d6-854c95024bf8"
    assert RULES["AKSNET006"].equivalents["avd"] == "AVD-AZU-0050"
    assert RULES["AKSNET010"].equivalents["avd"] == "AVD-AZU-0047"


def test_clean_spec_only_reports_public_cluster_info() -> None:
    assert rule_ids(clean_spec()) == ["AKSNET013"]


@pytest.mark.parametrize(
    ("prefix", "internet"),
    [
        ("*", True),
        ("Internet", True),
        ("INTERNET", True),
        ("any", True),
        ("0.0.0.0", True),
        ("0.0.0.0/0", True),
        ("10.0.0.0/0", True),
        ("::/0", True),
        ("<nw>/0", True),
        ("/0", True),
        ("VirtualNetwork", False),
        ("203.0.113.0/24", False),
        ("::", False),
        ("AzureLoadBalancer", False),
    ],
)
def test_internet_sources(prefix: str, internet: bool) -> None:
    assert is_internet(prefix) is internet


@pytest.mark.parametrize(
    ("spec", "port", "matches"),
    [("22", 22, True), ("*", 3389, True), ("20-30", 22, True), ("22-22", 22, True), ("23-30", 22, False),
     ("2222", 22, False), ("bogus", 22, False), ("80", 8080, False)],
)
def test_port_specs(spec: str, port: int, matches: bool) -> None:
    assert port_matches(spec, port) is matches


def test_api_server_rules() -> None:
    assert "AKSNET001" in rule_ids(clean_spec(api=ApiServer()))
    assert "AKSNET001" in rule_ids(clean_spec(api=ApiServer(authorized_ip_ranges=())))
    assert "AKSNET001" not in rule_ids(clean_spec(api=ApiServer(private_cluster=True)))
    assert "AKSNET002" in rule_ids(clean_spec(api=ApiServer(authorized_ip_ranges=("::/0",))))
    assert "AKSNET003" in rule_ids(clean_spec(api=ApiServer(authorized_ip_ranges=("137.117.106.90/29",))))
    assert "AKSNET003" not in rule_ids(clean_spec(api=ApiServer(authorized_ip_ranges=("137.117.106.88/29",))))
    # a bare address is a /32 and always aligned; 0.0.0.0/32 means "the LB outbound IP only"
    assert rule_ids(clean_spec(api=ApiServer(authorized_ip_ranges=("39.100.100.100", "0.0.0.0/32")))) == [
        "AKSNET013"
    ]
    many = tuple(f"198.51.{i // 256}.{i % 256}/32" for i in range(201))
    assert "AKSNET004" in rule_ids(clean_spec(api=ApiServer(authorized_ip_ranges=many)))
    assert "AKSNET004" not in rule_ids(clean_spec(api=ApiServer(authorized_ip_ranges=many[:200])))
    private = rule_ids(clean_spec(api=ApiServer(authorized_ip_ranges=("203.0.113.0/24",), private_cluster=True)))
    assert private == ["AKSNET005"]


def test_nsg_port_rules_pick_the_specific_rule_not_the_catch_all() -> None:
    assert rule_ids(clean_spec(rules=(inbound("ssh", "Internet", "22"),))) == ["AKSNET006", "AKSNET013"]
    assert rule_ids(clean_spec(rules=(inbound("rdp", "*", "3000-4000", protocol="*"),))) == ["AKSNET007", "AKSNET013"]
    # a '*' port from the internet opens 22, 3389 and 80 at once
    everything = rule_ids(clean_spec(rules=(inbound("all", "0.0.0.0/0", "*"),)))
    assert everything == ["AKSNET006", "AKSNET007", "AKSNET008", "AKSNET013"]
    assert rule_ids(clean_spec(rules=(inbound("dns", "::/0", "53", protocol="Udp"),))) == ["AKSNET009", "AKSNET013"]
    # UDP 22 is not SSH over TCP (checkov: protocol tcp or *)
    assert rule_ids(clean_spec(rules=(inbound("udp22", "Internet", "22", protocol="Udp"),))) == [
        "AKSNET009",
        "AKSNET013",
    ]
    assert rule_ids(clean_spec(rules=(inbound("https", "Internet", "443"),))) == ["AKSNET010", "AKSNET013"]


def test_nsg_rules_that_do_not_admit_the_internet() -> None:
    rules = (
        inbound("deny-ssh", "Internet", "22", access="Deny"),
        inbound("office-ssh", "203.0.113.0/24", "22"),
        inbound("vnet-http", "VirtualNetwork", "80"),
    )
    outbound = (SecurityRule("out", 200, "Outbound", "Allow", "*", ("*",), ("*",)),)
    assert rule_ids(clean_spec(rules=rules + outbound)) == ["AKSNET013"]


def test_subnet_without_nsg_and_exemptions() -> None:
    subnets = (
        Subnet("jumpbox", "10.241.0.0/24"),
        Subnet("GatewaySubnet", "10.242.0.0/27"),
        Subnet("AzureFirewallSubnet", "10.243.0.0/26"),
        Subnet("AzureBastionSubnet", "10.244.0.0/26"),  # CKV2_AZURE_31 exempts only the two above
    )
    findings = [f for f in lint(clean_spec(subnets=subnets)) if f.rule == "AKSNET011"]
    assert [f.path for f in findings] == ["spec.virtualNetwork.subnets[1]", "spec.virtualNetwork.subnets[4]"]


def test_cluster_rules() -> None:
    kubenet = ClusterNetwork(plugin="kubenet", pod_cidr="192.168.0.0/16")
    assert sorted(rule_ids(clean_spec(network=kubenet))) == ["AKSNET012", "AKSNET013", "AKSNET014"]
    assert "AKSNET013" not in rule_ids(clean_spec(api=ApiServer(private_cluster=True)))


def test_finding_fields_and_order() -> None:
    spec = clean_spec(rules=(inbound("https", "Internet", "443"), inbound("ssh", "Internet", "22")))
    findings = lint(spec)
    assert [(f.rule, f.line) for f in findings] == [("AKSNET010", 14), ("AKSNET006", 15), ("AKSNET013", 40)]
    ssh = findings[1]
    assert ssh.severity is Severity.ERROR
    assert ssh.file == "specs/test.yaml" and ssh.column == 9
    assert ssh.path == "spec.networkSecurityGroups[0].rules[1]"
    assert 'rule "ssh" of NSG "aks-nsg"' in ssh.message and "22/tcp" in ssh.message
    assert ssh.fix
    assert ssh.as_dict()["checkov"] == "CKV_AZURE_10" and ssh.as_dict()["avd"] == "AVD-AZU-0050"


def test_suppression_is_per_resource_and_keeps_the_reason() -> None:
    spec = clean_spec(
        rules=(inbound("https", "Internet", "443"),),
        nsg_lint=LintSuppression(("aksnet010",), "public HTTPS ingress"),
        subnets=(Subnet("jumpbox", "10.241.0.0/24"),),
        cluster_lint=LintSuppression(("AKSNET010",), "does not apply to the NSG"),
    )
    report = lint_report(spec)
    assert [f.rule for f in report.findings] == ["AKSNET011", "AKSNET013"]
    assert [f.rule for f in report.suppressed] == ["AKSNET010"]
    assert report.suppressed[0].extra["suppressed"] is True
    assert report.suppressed[0].extra["suppressionReason"] == "public HTTPS ingress"
    assert [f.rule for f in lint(spec)] == ["AKSNET011", "AKSNET013"]


def test_run_wide_skip() -> None:
    report = lint_report(clean_spec(), skip=["aksnet013"])
    assert report.findings == ()
    assert [(f.rule, f.extra["suppressionReason"]) for f in report.suppressed] == [
        ("AKSNET013", "skipped with --skip")
    ]


def test_fail_threshold() -> None:
    report = lint_report(clean_spec(rules=(inbound("https", "Internet", "443"),)))
    assert [f.rule for f in report.at_or_above(Severity.ERROR)] == []
    assert [f.rule for f in report.at_or_above(Severity.WARNING)] == ["AKSNET010"]
    assert [f.rule for f in report.at_or_above(Severity.INFO)] == ["AKSNET010", "AKSNET013"]
