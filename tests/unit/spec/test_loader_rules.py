"""The loader's rule-id table matches the ids the code can emit, and SpecError says the first problem."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from spec_samples import variant

from aksnet.errors import SpecError
from aksnet.spec.load import load_spec_text
from aksnet.spec.loader_rules import LOADER_RULES

SPEC_PACKAGE = Path(__file__).resolve().parents[3] / "aksnet" / "spec"


def test_table_lists_exactly_the_ids_in_the_code() -> None:
    used = set()
    for module in SPEC_PACKAGE.glob("*.py"):
        if module.name != "loader_rules.py":
            used |= set(re.findall(r'"(AKSNET-(?:FILE|YAML|SCHEMA|REF|KEY)-\d{3})"', module.read_text()))
    assert used == set(LOADER_RULES)


def test_spec_error_message_names_the_first_finding_and_the_count() -> None:
    text = variant("count: 2", "count: two", variant("addressPrefix: 10", "adressPrefix: 10"))
    with pytest.raises(SpecError) as caught:
        load_spec_text(text, "x.yaml")
    err = caught.value
    assert err.message == (
        "x.yaml:13:9: unknown key 'adressPrefix' in spec.virtualNetwork.subnets[0] "
        "(and 1 more error: run `aksnet validate x.yaml`)"
    )
    assert err.hint == "did you mean 'addressPrefix'?"
    assert len(err.findings) == 2
