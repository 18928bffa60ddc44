"""The JSON Schema: structure, unknown keys with suggestions, optional fields and their defaults."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from spec_samples import BASE, errors_of, load, only, variant

from aksnet.spec.schema import SCHEMA_PATH, suggest
from aksnet.spec.types import ApiServer, LintSuppression

ROOT = Path(__file__).resolve().parents[3]


def test_packaged_schema_is_the_canonical_file() -> None:
    # schemas/ is the documented location; aksnet/schemas/ is what ships in the wheel (package-data).
    canonical = ROOT / "schemas" / "clusternetwork.v1.json"
    assert SCHEMA_PATH == ROOT / "aksnet" / "schemas" / "clusternetwork.v1.json"
    assert SCHEMA_PATH.read_bytes() == canonical.read_bytes(), "run: cp schemas/clusternetwork.v1.json aksnet/schemas/"


def _objects(node: Any) -> list[dict[str, Any]]:
    found = []
    if isinstance(node, dict):
        if "properties" in node:
            found.append(node)
        for value in node.values():
            found += _objects(value)
    elif isinstance(node, list):
        for value in node:
            found += _objects(value)
    return found


def test_schema_is_draft_2020_12_and_closed_everywhere() -> None:
    schema = json.loads(SCHEMA_PATH.read_text())
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    objects = _objects(schema)
    assert len(objects) >= 14
    for obj in objects:
        assert obj.get("additionalProperties") is False, sorted(obj["properties"])


def test_unknown_key_is_located_at_the_key_with_a_suggestion() -> None:
    finding = only(errors_of(variant("        addressPrefix: 10.100", "        adressPrefix: 10.100")))
    assert finding.rule == "AKSNET-SCHEMA-001"
    assert finding.message == "unknown key 'adressPrefix' in spec.virtualNetwork.subnets[0]"
    assert finding.fix == "did you mean 'addressPrefix'?"
    assert (finding.line, finding.column, finding.path) == (13, 9, "spec.virtualNetwork.subnets[0].adressPrefix")


def test_unknown_key_without_a_close_match_lists_the_allowed_keys() -> None:
    finding = only(errors_of(variant("  location: eastus\n", "  location: eastus\n  zzz: 1\n")))
    assert finding.rule == "AKSNET-SCHEMA-001"
    assert finding.fix.startswith("remove it; allowed here: subscriptionId, location, resourceGroup, tags")


def test_unknown_top_level_key_and_wrong_case() -> None:
    finding = only(errors_of(variant("kind: ClusterNetwork", "Kind: ClusterNetwork")))
    assert (finding.rule, finding.fix, finding.line) == ("AKSNET-SCHEMA-001", "did you mean 'kind'?", 2)


def test_missing_metadata_name() -> None:
    finding = only(errors_of(variant("  name: sample\n", "  {}\n").replace("metadata:\n  {}", "metadata: {}")))
    assert (finding.rule, finding.path) == ("AKSNET-SCHEMA-002", "metadata.name")
    assert finding.fix == "add `name: ...` to metadata"
    assert finding.line == 3


def test_wrong_api_version_and_enum_suggestions() -> None:
    finding = only(errors_of(variant("aksnet/v1", "aksnet/v2")))
    assert (finding.rule, finding.fix) == ("AKSNET-SCHEMA-004", "use aksnet/v1 (the only value allowed here)")
    finding = only(errors_of(variant("direction: Inbound", "direction: inbound")))
    assert (finding.rule, finding.fix, finding.line) == ("AKSNET-SCHEMA-004", "did you mean 'Inbound'?", 20)
    finding = only(errors_of(variant("plugin: azure", "plugin: flannel")))
    assert finding.fix == "use one of: kubenet, azure, none"


def test_wrong_type_points_at_the_value() -> None:
    finding = only(errors_of(variant("count: 2", "count: two")))
    assert finding.rule == "AKSNET-SCHEMA-003"
    assert finding.message == "spec.cluster.nodePool.count must be an integer, not the string 'two'"
    assert (finding.line, finding.column) == (30, 14)


def test_empty_value_says_give_it_a_value() -> None:
    finding = only(errors_of(variant("location: eastus", "location:")))
    assert finding.rule == "AKSNET-SCHEMA-003"
    assert finding.fix == "give it a value, or remove the key"


def test_several_errors_are_all_reported_in_file_order() -> None:
    text = variant("count: 2", "count: two", variant("addressPrefix: 10", "adressPrefix: 10"))
    findings = errors_of(text)
    assert [f.rule for f in findings] == ["AKSNET-SCHEMA-001", "AKSNET-SCHEMA-003"]


def test_defaults_of_omitted_optional_fields() -> None:
    spec = load(BASE)
    rule = spec.network_security_groups[0].rules[0]
    assert rule.source_ports == ("*",) and rule.destination_ports == ("*",)
    assert rule.source == ("Internet",) and rule.destination == ("*",)
    assert spec.tags == {} and spec.subscription_id is None and spec.route_tables == ()
    cluster = spec.cluster
    assert cluster.dns_prefix is None and cluster.kubernetes_version is None
    assert cluster.identity == "SystemAssigned"
    assert cluster.linux_profile is None and cluster.lint is None
    assert cluster.api_server == ApiServer(authorized_ip_ranges=None, private_cluster=None)
    pool = cluster.node_pool
    assert (pool.vm_size, pool.max_pods, pool.max_surge) == (None, None, None)
    net = cluster.network
    assert (net.plugin_mode, net.pod_cidr, net.service_cidr, net.dns_service_ip) == (None, None, None, None)
    assert (net.policy, net.outbound_type) == (None, None)
    assert spec.virtual_network.subnets[0].route_table is None
    assert len(spec.sha256) == 64


def test_optional_fields_when_given() -> None:
    text = variant(
        "      count: 2\n",
        "      count: 2\n      vmSize: Standard_D4s_v5\n      maxPods: 50\n      maxSurge: '33%'\n",
    )
    text = variant("    subnet: aks-subnet\n", "    subnet: aks-subnet\n    dnsPrefix: dns1\n    kubernetesVersion: '1.30'\n"
                   "    identity: SystemAssigned\n    apiServer:\n      authorizedIpRanges: []\n      privateCluster: true\n", text)
    text = variant("      plugin: azure\n", "      plugin: azure\n      policy: calico\n      outboundType: userDefinedRouting\n", text)
    text = variant("  resourceGroup: aks-rg\n", "  resourceGroup: aks-rg\n  tags: {team: platform}\n"
                   "  subscriptionId: 00000000-0000-0000-0000-000000000000\n", text)
    text = variant("          destination: '*'\n", "          destination: [10.0.0.0/8, VirtualNetwork]\n"
                   "          sourcePorts: [80, '8000-8080']\n          destinationPorts: 443\n", text)
    spec = load(text)
    pool = spec.cluster.node_pool
    assert (pool.vm_size, pool.max_pods, pool.max_surge) == ("Standard_D4s_v5", 50, "33%")
    assert (spec.cluster.dns_prefix, spec.cluster.kubernetes_version) == ("dns1", "1.30")
    assert spec.cluster.api_server == ApiServer(authorized_ip_ranges=(), private_cluster=True)
    assert (spec.cluster.network.policy, spec.cluster.network.outbound_type) == ("calico", "userDefinedRouting")
    assert spec.tags == {"team": "platform"}
    assert spec.subscription_id == "00000000-0000-0000-0000-000000000000"
    rule = spec.network_security_groups[0].rules[0]
    assert rule.destination == ("10.0.0.0/8", "VirtualNetwork")
    assert rule.source_ports == ("80", "8000-8080") and rule.destination_ports == ("443",)


def test_max_surge_integer_and_bad_format() -> None:
    assert load(variant("      count: 2\n", "      count: 2\n      maxSurge: 1\n")).cluster.node_pool.max_surge == "1"
    finding = only(errors_of(variant("      count: 2\n", "      count: 2\n      maxSurge: lots\n")))
    assert (finding.rule, finding.path) == ("AKSNET-SCHEMA-005", "spec.cluster.nodePool.maxSurge")
    assert "wrong format" in finding.message and "33%" in finding.fix


def test_identity_only_system_assigned() -> None:
    finding = only(errors_of(variant("    subnet: aks-subnet\n", "    subnet: aks-subnet\n    identity: UserAssigned\n")))
    assert (finding.rule, finding.fix) == ("AKSNET-SCHEMA-004", "use SystemAssigned (the only value allowed here)")


def test_lint_suppression_on_nsg_subnet_and_cluster() -> None:
    lint = "lint: {skip: [AKSNET008, AKSNET011], reason: reviewed}"
    text = variant("    - name: aks-nsg\n", f"    - name: aks-nsg\n      {lint}\n")
    text = variant("        networkSecurityGroup: aks-nsg\n", f"        networkSecurityGroup: aks-nsg\n        {lint}\n", text)
    text = variant("    subnet: aks-subnet\n", f"    subnet: aks-subnet\n    {lint}\n", text)
    spec = load(text)
    expected = LintSuppression(rules=("AKSNET008", "AKSNET011"), reason="reviewed")
    assert spec.network_security_groups[0].lint == expected
    assert spec.virtual_network.subnets[0].lint == expected
    assert spec.cluster.lint == expected


def test_lint_suppression_needs_a_reason_and_rule_ids() -> None:
    finding = only(errors_of(variant("    subnet: aks-subnet\n", "    subnet: aks-subnet\n    lint: {skip: [AKSNET008]}\n")))
    assert (finding.rule, finding.path) == ("AKSNET-SCHEMA-002", "spec.cluster.lint.reason")
    finding = only(errors_of(variant("    subnet: aks-subnet\n", "    subnet: aks-subnet\n    lint: {skip: [ssh], reason: x}\n")))
    assert (finding.rule, finding.path) == ("AKSNET-SCHEMA-005", "spec.cluster.lint.skip[0]")


def _with_linux(profile: str) -> str:
    return variant("    subnet: aks-subnet\n", f"    subnet: aks-subnet\n    linuxProfile: {profile}\n")


def test_linux_profile_with_key_text() -> None:
    spec = load(_with_linux("{adminUsername: azureuser, sshPublicKey: 'ssh-rsa AAAA'}"))
    assert spec.cluster.linux_profile is not None
    assert (spec.cluster.linux_profile.admin_username, spec.cluster.linux_profile.ssh_public_key) == ("azureuser", "ssh-rsa AAAA")


def test_linux_profile_with_key_file_relative_to_the_spec(tmp_path: Path) -> None:
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / "id.pub").write_text("ssh-ed25519 AAAAC3 user@host\n")
    spec = load(_with_linux("{adminUsername: azureuser, sshPublicKeyFile: keys/id.pub}"), str(tmp_path / "spec.yaml"))
    assert spec.cluster.linux_profile is not None
    assert spec.cluster.linux_profile.ssh_public_key == "ssh-ed25519 AAAAC3 user@host"


def test_linux_profile_missing_key_file(tmp_path: Path) -> None:
    finding = only(errors_of(_with_linux("{adminUsername: u, sshPublicKeyFile: nope.pub}"), str(tmp_path / "s.yaml")))
    assert (finding.rule, finding.path, finding.line) == ("AKSNET-REF-005", "spec.cluster.linuxProfile.sshPublicKeyFile", 28)
    assert "nope.pub" in finding.message


@pytest.mark.parametrize("profile", ["{adminUsername: u}", "{adminUsername: u, sshPublicKey: k, sshPublicKeyFile: f}"])
def test_linux_profile_needs_exactly_one_key_source(profile: str) -> None:
    finding = only(errors_of(_with_linux(profile)))
    assert (finding.rule, finding.path) == ("AKSNET-SCHEMA-005", "spec.cluster.linuxProfile")
    assert "exactly one of sshPublicKey or sshPublicKeyFile" in finding.fix


def test_source_must_be_a_string_or_a_list_of_strings() -> None:
    finding = only(errors_of(variant("source: Internet", "source: {cidr: x}")))
    assert finding.message.endswith("must be a string or a list, not a mapping")
    finding = only(errors_of(variant("source: Internet", "source: []")))
    assert finding.rule == "AKSNET-SCHEMA-005" and "at least 1 item" in finding.message


def test_suggest() -> None:
    assert suggest("adressPrefix", ["addressPrefix", "name"]) == "addressPrefix"
    assert suggest("NAME", ["name"]) == "name"
    assert suggest("zzz", ["name"]) is None
