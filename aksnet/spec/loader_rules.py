"""The ids of the findings the spec loader itself produces (before the semantic rules of aksnet.checks.rules).

All are severity error: a spec that fails here is not loaded at all. Listed for the README's rules table
and for tools; tests/unit/spec/test_loader_rules.py keeps this table and the code in step.
"""

from __future__ import annotations

LOADER_RULES: dict[str, str] = {
    "AKSNET-FILE-001": "the spec file cannot be read (missing, a directory, no permission)",
    "AKSNET-YAML-001": "YAML syntax error, control character, complex key, or alias to an undefined anchor",
    "AKSNET-YAML-002": "duplicate mapping key (YAML would silently keep the last one)",
    "AKSNET-YAML-003": "alias expansion over the node cap (billion laughs), or a merge key `<<`",
    "AKSNET-YAML-004": "nesting deeper than the cap",
    "AKSNET-YAML-005": "file larger than the 1 MiB cap",
    "AKSNET-YAML-006": "a tag other than the core YAML ones (`!!python/...`, `!!binary`, `!custom`)",
    "AKSNET-YAML-007": "the file is not UTF-8",
    "AKSNET-YAML-008": "empty file, more than one document, or a top level that is not a mapping",
    "AKSNET-SCHEMA-001": "unknown key (with a 'did you mean')",
    "AKSNET-SCHEMA-002": "missing required key",
    "AKSNET-SCHEMA-003": "wrong type, including YAML 1.1 typing surprises (`no`, `010`, `22:22`): quote it",
    "AKSNET-SCHEMA-004": "value not among the allowed ones (enum/const, with a 'did you mean')",
    "AKSNET-SCHEMA-005": "value breaks a constraint (format, minimum, non-empty, exactly one of)",
    "AKSNET-REF-001": "a subnet's networkSecurityGroup names no NSG of the spec",
    "AKSNET-REF-002": "a subnet's routeTable names no route table of the spec",
    "AKSNET-REF-003": "cluster.subnet names no subnet of the spec",
    "AKSNET-REF-004": "a name is defined twice (subnets, NSGs, route tables, rules, routes; case-insensitive)",
    "AKSNET-REF-005": "linuxProfile.sshPublicKeyFile cannot be read",
}
