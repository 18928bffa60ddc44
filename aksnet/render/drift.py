"""Drift report renderings: text (Terraform's "Objects have changed outside" shape), JSON, markdown
for $GITHUB_STEP_SUMMARY, JUnit XML (one test case per resource). Pure: returns strings/dicts."""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree as ET

from aksnet.core.diff.common import FAILED_STATE_PATH
from aksnet.core.drift import DriftReport, DriftStatus, ResourceDrift, plural
from aksnet.model import Action, FieldChange
from aksnet.render.json import readiness_document
from aksnet.render.readiness import readiness_markdown, readiness_summary, readiness_text


def _value(value: Any) -> str:
    if value is None:
        return "(absent)"
    return json.dumps(value, sort_keys=True)


def _field_path(change: FieldChange) -> str:
    return ".".join(change.path)


def _field_lines(entry: ResourceDrift) -> list[str]:
    """Spec value -> live value per field: in a drift run the spec is the reference and Azure moved."""
    change = entry.change
    if entry.status is DriftStatus.MISSING:
        return ["the resource does not exist in Azure"]
    if change.action is Action.DELETE:
        return ["exists in Azure but not in the spec (added outside of aksnet)"]
    lines = [f"{_field_path(f)}: spec {_value(f.after)}, Azure {_value(f.before)}"
             + (f" ({f.reason})" if f.path == FAILED_STATE_PATH else "") for f in change.fields]
    return lines or [change.reason or "differs from the spec"]


def render_text(report: DriftReport) -> str:
    out: list[str] = []
    for spec in report.specs:
        changed = [r for r in spec.resources if r.status is not DriftStatus.IN_SYNC]
        if not changed:
            out.append(f"{spec.spec_path}: in sync ({plural(len(spec.resources), 'resource')})")
            continue
        out.append(f"{spec.spec_path}: Objects have changed outside of aksnet")
        out.append("")
        for entry in changed:
            verb = "is missing" if entry.status is DriftStatus.MISSING else "has changed"
            out.append(f"  # {entry.address} {verb}")
            out.append(f"    id: {entry.change.id}")
            out.extend(f"    ~ {line}" for line in _field_lines(entry))
            out.append("")
    for path, message in report.errors:
        out.append(f"{path}: error: {message}")
    readiness = readiness_text(report.specs)
    if readiness:
        out.append(readiness.rstrip("\n"))
    out.append(report.footer())
    return "\n".join(out) + "\n"


def drift_document(report: DriftReport) -> dict[str, Any]:
    """JSON: `resource_drift[]` in the plan's change shape; `before` = spec-derived, `after` = live
    (Terraform's resource_drift, https://developer.hashicorp.com/terraform/internals/json-format)."""
    specs = []
    for spec in report.specs:
        entries = []
        for entry in spec.resources:
            change = entry.change
            entries.append({
                "address": entry.address,
                "azure_id": change.id,
                "status": str(entry.status),
                "fields": [
                    {"path": list(f.path), "expected": f.after, "actual": f.before} for f in change.fields
                ],
                "reason": change.reason,
            })
        specs.append({"path": spec.spec_path, "name": spec.spec_name, "drifted": spec.drifted,
                      "resource_drift": entries,
                      **({"migration_readiness": [readiness_document(r) for r in spec.readiness]}
                         if spec.readiness else {})})
    result = "error" if report.errors else ("drift" if report.exit_code == 2 else "in_sync")
    reads = {"reads": dict(report.reads)} if report.reads is not None else {}
    return {
        "format_version": "1.0",
        "result": result,
        "specs": specs,
        "errors": [{"spec": p, "message": m} for p, m in report.errors],
        "summary": {
            "resources": report.total,
            "specs": len(report.specs),
            "in_sync": report.count(DriftStatus.IN_SYNC),
            "drifted": report.count(DriftStatus.DRIFTED),
            "missing": report.count(DriftStatus.MISSING),
        },
        **reads,
        **({"migration_readiness_summary": readiness_summary(report.specs)} if readiness_summary(report.specs) else {}),
    }


def render_json(report: DriftReport) -> str:
    return json.dumps(drift_document(report), indent=2, sort_keys=False) + "\n"


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(report: DriftReport) -> str:
    icon = {0: "✅", 2: "⚠️", 1: "❌"}[report.exit_code]
    out = [f"## {icon} aksnet drift", "", f"**{report.footer()}**", ""]
    rows = [(spec.spec_path, e) for spec in report.specs for e in spec.resources
            if e.status is not DriftStatus.IN_SYNC]
    if rows:
        out += ["| spec | resource | status | what differs |", "|---|---|---|---|"]
        for path, entry in rows:
            detail = "<br>".join(_md_cell(line) for line in _field_lines(entry))
            out.append(f"| `{path}` | `{entry.address}` | {entry.status} | {detail} |")
        out.append("")
    for path, message in report.errors:
        out.append(f"- ❌ `{path}`: {_md_cell(message)}")
    readiness = readiness_markdown(report.specs)
    if readiness:
        out += ["", readiness]
    return "\n".join(out) + "\n"


def render_junit(report: DriftReport) -> str:
    """One <testsuite> per spec, one <testcase> per resource: drifted/missing ones fail."""
    suites = ET.Element("testsuites", name="aksnet drift", tests=str(report.total),
                        failures=str(report.total - report.count(DriftStatus.IN_SYNC)),
                        errors=str(len(report.errors)))
    for spec in report.specs:
        failures = sum(1 for e in spec.resources if e.status is not DriftStatus.IN_SYNC)
        suite = ET.SubElement(suites, "testsuite", name=spec.spec_path, tests=str(len(spec.resources)),
                              failures=str(failures), errors="0")
        for entry in spec.resources:
            case = ET.SubElement(suite, "testcase", classname=spec.spec_name, name=entry.address)
            if entry.status is not DriftStatus.IN_SYNC:
                failure = ET.SubElement(case, "failure", type=str(entry.status),
                                        message=f"{entry.address} {entry.status}")
                failure.text = "\n".join(_field_lines(entry))
    for path, message in report.errors:
        suite = ET.SubElement(suites, "testsuite", name=path, tests="1", failures="0", errors="1")
        case = ET.SubElement(suite, "testcase", classname="aksnet", name=path)
        ET.SubElement(case, "error", message=message)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
