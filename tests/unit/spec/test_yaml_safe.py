"""Hostile and broken YAML: each gives one located AKSNET-YAML-* error, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from spec_samples import BASE, errors_of, load, only, variant

from aksnet.errors import SpecError
from aksnet.spec.load import load_spec
from aksnet.spec.yaml_safe import MAX_BYTES, MAX_DEPTH, MAX_NODES, parse_yaml

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "specs"


@pytest.mark.parametrize(
    ("name", "rule", "line", "column", "words"),
    [
        ("syntax-error.yaml", "AKSNET-YAML-001", 5, 5, "flow sequence started at line 4, column 9"),
        ("duplicate-key.yaml", "AKSNET-YAML-002", 5, 3, "duplicate key 'name' in metadata (first defined on line 4)"),
        ("alias-bomb.yaml", "AKSNET-YAML-003", 0, 0, f"more than {MAX_NODES} nodes"),
        ("python-tag.yaml", "AKSNET-YAML-006", 4, 9, "unsupported tag !!python/object/apply:os.system"),
        ("custom-tag.yaml", "AKSNET-YAML-006", 2, 7, "unsupported tag !ClusterNetwork"),
        ("not-utf8.yaml", "AKSNET-YAML-007", 4, 12, "not valid UTF-8 (byte 0xe9)"),
        ("top-level-list.yaml", "AKSNET-YAML-008", 1, 1, "top level must be a mapping"),
        ("empty.yaml", "AKSNET-YAML-008", 1, 1, "empty"),
        ("comments-only.yaml", "AKSNET-YAML-008", 1, 1, "empty"),
        ("two-documents.yaml", "AKSNET-YAML-008", 2, 1, "more than one YAML document"),
    ],
)
def test_hostile_fixture_files_give_one_located_error(name: str, rule: str, line: int, column: int, words: str) -> None:
    path = str(FIXTURES / name)
    with pytest.raises(SpecError) as caught:
        load_spec(path)
    finding = only(list(caught.value.findings))
    assert finding.rule == rule
    assert words in finding.message
    assert finding.file == path
    assert finding.severity == "error"
    assert finding.fix
    if line:
        assert (finding.line, finding.column) == (line, column)


def test_alias_bomb_stops_at_the_alias_that_crosses_the_cap() -> None:
    finding = only(errors_of((FIXTURES / "alias-bomb.yaml").read_bytes()))
    assert finding.line == 7  # f: 9^6 = 531,441 leaves; e (59,049 + lists) still fits under 100,000
    assert finding.path.startswith("f[")


def test_aliases_within_the_cap_are_expanded_with_locations() -> None:
    loaded = parse_yaml("base: &b {x: 1, y: [a, b]}\ncopy: *b\n", "f.yaml")
    assert loaded.data["copy"] == {"x": 1, "y": ["a", "b"]}
    assert loaded.values[("copy",)].line == 2  # the alias itself
    assert loaded.values[("copy", "y", 1)].line == 1  # inner values: where the anchor defined them


def test_alias_to_an_undefined_anchor() -> None:
    finding = only(errors_of(variant("location: eastus", "location: *nowhere")))
    assert (finding.rule, finding.line, finding.column) == ("AKSNET-YAML-001", 6, 13)
    assert "*nowhere" in finding.message


def test_merge_keys_are_refused() -> None:
    finding = only(errors_of(variant("  location: eastus\n", "  <<: {location: eastus}\n")))
    assert finding.rule == "AKSNET-YAML-003"
    assert "merge keys" in finding.message
    assert finding.line == 6


def test_syntax_error_names_file_line_and_column() -> None:
    finding = only(errors_of(variant("  location: eastus", "  location: eastus: west"), filename="my.yaml"))
    assert (finding.rule, finding.file, finding.line, finding.column) == ("AKSNET-YAML-001", "my.yaml", 6, 19)
    assert "mapping values are not allowed" in finding.message


def test_control_characters_are_a_clear_error() -> None:
    finding = only(errors_of(variant("eastus", "east\x07us")))
    assert finding.rule == "AKSNET-YAML-001"
    assert "not allowed" in finding.message


def test_duplicate_keys_in_a_list_item_report_both_lines() -> None:
    text = variant("          priority: 100\n", "          priority: 100\n          priority: 200\n")
    finding = only(errors_of(text))
    assert finding.rule == "AKSNET-YAML-002"
    assert (finding.line, finding.column) == (20, 11)
    assert "first defined on line 19" in finding.message
    assert finding.path == "spec.networkSecurityGroups[0].rules[0].priority"


@pytest.mark.parametrize("nesting", ["block", "flow", "flow-beyond-libyaml"])
def test_deep_nesting_is_capped(nesting: str) -> None:
    if nesting == "block":
        text = "".join("  " * i + f"k{i}:\n" for i in range(MAX_DEPTH + 5)) + "  " * (MAX_DEPTH + 5) + "v\n"
    elif nesting == "flow":
        text = "a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n"
    else:
        text = "a: " + "[" * 5000 + "]" * 5000 + "\n"
    finding = only(errors_of(text))
    assert finding.rule == "AKSNET-YAML-004"
    assert "nesting" in finding.message
    assert finding.line == 1 if nesting != "block" else finding.line == MAX_DEPTH + 1


def test_huge_files_are_refused_before_parsing(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(BASE.encode() + b"#" * MAX_BYTES)
    finding = only(errors_of(big.read_bytes()))
    assert finding.rule == "AKSNET-YAML-005"
    assert f"{MAX_BYTES}-byte limit" in finding.message
    with pytest.raises(SpecError) as caught:
        load_spec(str(big))
    assert caught.value.findings[0].rule == "AKSNET-YAML-005"


def test_huge_text_input_is_refused_too() -> None:
    finding = only(errors_of(BASE + "#" * MAX_BYTES))
    assert finding.rule == "AKSNET-YAML-005"


def test_utf8_bom_is_accepted() -> None:
    assert load("\ufeff" + BASE).name == "sample"
    assert load(b"\xef\xbb\xbf" + BASE.encode()).name == "sample"


def test_not_utf8_reports_line_and_column_of_the_bad_byte() -> None:
    finding = only(errors_of(variant("eastus", "eastus\xff").encode("latin-1")))
    assert (finding.rule, finding.line, finding.column) == ("AKSNET-YAML-007", 6, 19)


@pytest.mark.parametrize(
    ("old", "new", "path", "text", "read_as"),
    [
        ("name: aks-cluster", "name: no", "spec.cluster.name", "no", "the boolean false"),
        ("name: aks-cluster", "name: on", "spec.cluster.name", "on", "the boolean true"),
        ("location: eastus", "location: 010", "spec.location", "010", "the number 8"),
        ("source: Internet", "source: 22:22", "spec.networkSecurityGroups[0].rules[0].source", "22:22", "the number 1342"),
        ("location: eastus", "location: 2024-01-01", "spec.location", "2024-01-01", "the date 2024-01-01"),
        ("location: eastus", "location: 1_000", "spec.location", "1_000", "the number 1000"),
    ],
)
def test_yaml_11_surprises_in_string_fields_say_quote_it(old: str, new: str, path: str, text: str, read_as: str) -> None:
    finding = only(errors_of(variant(old, new)))
    assert finding.rule == "AKSNET-SCHEMA-003"
    assert finding.path == path
    assert f"unquoted `{text}` as {read_as}" in finding.message
    assert finding.fix == f"quote it: '{text}'"


def test_yaml_11_surprise_in_a_port_list() -> None:
    text = variant("          destination: '*'\n", "          destination: '*'\n          destinationPorts: [443, 22:22]\n")
    finding = only(errors_of(text))
    assert finding.path == "spec.networkSecurityGroups[0].rules[0].destinationPorts[1]"
    assert finding.fix.startswith("quote it: '22:22'")
    assert "as the number 1342" in finding.message
    assert (finding.line, finding.column) == (25, 35)


@pytest.mark.parametrize(("written", "read"), [("010", 8), ("0x10", 16), ("1_0", 10), ("1:00", 60)])
def test_non_decimal_integers_are_ambiguous_even_where_integers_are_allowed(written: str, read: int) -> None:
    finding = only(errors_of(variant("      count: 2\n", f"      count: 2\n      maxSurge: {written}\n")))
    assert (finding.rule, finding.path) == ("AKSNET-SCHEMA-003", "spec.cluster.nodePool.maxSurge")
    assert f"`{written}` as the number {read}" in finding.message


def test_plain_decimal_integers_are_fine() -> None:
    assert load(variant("      count: 2\n", "      count: +2\n")).cluster.node_pool.count == 2


def test_quoted_values_stay_strings() -> None:
    spec = load(variant("name: aks-cluster", "name: 'no'"))
    assert spec.cluster.name == "no"


def test_keys_are_taken_verbatim_not_as_yaml_11_booleans() -> None:
    loaded = parse_yaml("on: 1\nno: 2\n", "f.yaml")
    assert loaded.data == {"on": 1, "no": 2}


def test_every_key_and_list_item_is_located() -> None:
    spec = load(BASE)
    locs = spec.locations
    assert locs[("spec", "virtualNetwork", "subnets", 0, "addressPrefix")].line == 13
    assert locs[("spec", "virtualNetwork", "subnets", 0, "addressPrefix")].column == 24
    assert locs[("spec", "virtualNetwork", "addressSpace", 0)].column == 20
    assert locs[("spec", "virtualNetwork", "subnets", 0)].line == 12
    assert locs[("spec", "networkSecurityGroups", 0, "rules", 0, "priority")].line == 19
    assert spec.locate(("spec", "cluster", "nodePool", "maxPods")) == locs[("spec", "cluster", "nodePool")]
