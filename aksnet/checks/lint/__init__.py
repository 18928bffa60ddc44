"""`aksnet lint`: security rules AKSNET001-014 on a spec (docs/reference/lint.md). Pure, offline.

    lint(spec) -> list[Finding]            active findings, sorted by file/line
    lint_report(spec, skip=()) -> LintReport   active + suppressed (suppressed keep their reason)
    RULES: {id: LintRule}                   the catalogue (severity, fix, checkov/policy/avd ids)

Commands that lint as a side step (plan, apply, drift) show findings with
`aksnet.render.lint_text.report_to_stderr(lint_report(spec))` (prints to stderr, nothing when
clean); lint findings never change their exit codes. This package does no I/O itself.
"""

from aksnet.checks.lint.catalogue import RULES, LintRule
from aksnet.checks.lint.engine import SEVERITY_RANK, LintReport, lint, lint_report

__all__ = ["RULES", "SEVERITY_RANK", "LintReport", "LintRule", "lint", "lint_report"]
