"""`-o github`: workflow commands with actions/toolkit escaping (command.ts) and GitHub's annotation cap."""

from __future__ import annotations

from dataclasses import replace

from lint_specs import clean_spec, inbound

from aksnet.checks.lint import lint
from aksnet.model import Finding, Severity
from aksnet.render.github import escape_data, escape_property, render_github


def test_escaping_follows_the_toolkit() -> None:
    assert escape_data("100%\r\nnext: a,b") == "100%25%0D%0Anext: a,b"
    assert escape_property("100%\r\nnext: a,b") == "100%25%0D%0Anext%3A a%2Cb"


def test_annotation_line() -> None:
    findings = lint(clean_spec(rules=(inbound("ssh", "Internet", "22"),)))
    lines = render_github(findings).splitlines()
    assert lines[0].startswith(
        "::error file=specs/test.yaml,line=14,col=9,title=AKSNET006 SSH (22) open to the internet::"
    )
    assert 'rule "ssh" of NSG "aks-nsg" allows SSH (22/tcp)' in lines[0]
    assert lines[1].startswith("::notice file=specs/test.yaml,line=40,col=7,title=AKSNET013 Not a private cluster::")


def test_hostile_text_cannot_inject_a_command() -> None:
    finding = Finding(
        rule="AKSNET010",
        severity=Severity.WARNING,
        message="rule \"x\n::error::pwned\" allows 100%",
        fix="fix, it",
        file="dir,with:odd/spec.yaml",
        line=3,
        column=0,
        path="spec",
    )
    (line,) = render_github([finding]).splitlines()
    assert line.startswith("::warning file=dir%2Cwith%3Aodd/spec.yaml,line=3,title=AKSNET010 ")
    assert "%0A::error::pwned" in line and "100%25" in line


def test_at_most_ten_annotations_per_level() -> None:
    base = lint(clean_spec(rules=(inbound("ssh", "Internet", "22"),)))[0]
    findings = [replace(base, line=i) for i in range(1, 13)] + [replace(base, severity=Severity.WARNING)]
    lines = render_github(findings).splitlines()
    assert sum(1 for line in lines if line.startswith("::error ")) == 10
    assert sum(1 for line in lines if line.startswith("::warning ")) == 1
    assert lines[-1].startswith("aksnet: 2 more finding(s) not annotated")


def test_report_to_stderr_for_plan_apply_drift() -> None:
    import io

    from aksnet.checks.lint import lint_report
    from aksnet.render.lint_text import report_to_stderr

    stream = io.StringIO()
    report_to_stderr(lint_report(clean_spec(rules=(inbound("ssh", "Internet", "22"),))), stream)
    text = stream.getvalue()
    assert text.startswith("error[AKSNET006]: ")
    assert text.rstrip().endswith("Lint: 1 error(s), 0 warning(s), 1 info, 0 suppressed.")
    quiet = io.StringIO()
    report_to_stderr([], quiet)
    assert quiet.getvalue() == ""
