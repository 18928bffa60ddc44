"""docs/reference/{rules,lint}.md are what scripts/gen_docs.py makes of the code's rule data, and they cover
every rule id `aksnet validate` / `aksnet lint` can print, each with a public source URL."""

from __future__ import annotations

import importlib.util
import re
import sys
from types import ModuleType

from paths import REPO

from aksnet.checks.lint.catalogue import RULES as LINT_RULES
from aksnet.checks.rules.catalogue import RULES
from aksnet.checks.rules.numbers import BY_NUMBER
from aksnet.spec.loader_rules import LOADER_RULES

PUBLIC_URL = re.compile(r"<https://[^>\s]+>")


def _gen_docs() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_docs", REPO / "scripts" / "gen_docs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _sections(page: str) -> dict[str, str]:
    """`### ID` heading -> the text up to the next heading."""
    parts = re.split(r"^### (\S+)\n", page, flags=re.M)
    return {parts[i]: parts[i + 1].split("\n## ")[0] for i in range(1, len(parts), 2)}


def test_generated_pages_are_current() -> None:
    gen = _gen_docs()
    for page, render in gen.PAGES.items():
        if page.name == "commands.md" and sys.version_info[:2] != (3, 11):
            # argparse lays out --help differently from one Python to the next (3.13 indents the command
            # list less): the page is generated, and compared, on the project's reference Python 3.11.
            continue
        assert page.read_text(encoding="utf-8") == render(), f"{page.relative_to(REPO)} is stale: run `make docs`"


def _ids_validate_can_print() -> set[str]:
    """The catalogues, plus every literal `AKSNET-XXX-NNN` id anywhere in the package (a rule added outside
    the catalogues is still found)."""
    ids = set(LOADER_RULES) | {rule.id for rule in RULES}
    for module in (REPO / "aksnet").rglob("*.py"):
        ids |= set(re.findall(r'"(AKSNET-[A-Z]+-\d{3})"', module.read_text(encoding="utf-8")))
    return ids


def test_every_validate_rule_id_has_a_section_with_a_public_url() -> None:
    sections = _sections((REPO / "docs" / "reference" / "rules.md").read_text(encoding="utf-8"))
    ids = _ids_validate_can_print()
    assert len(ids) > 70
    for rule_id in sorted(ids):
        assert rule_id in sections, f"{rule_id} is missing from docs/reference/rules.md"
        assert PUBLIC_URL.search(sections[rule_id]), f"{rule_id} has no public source URL"


def test_every_lint_rule_has_a_section_with_a_public_url() -> None:
    sections = _sections((REPO / "docs" / "reference" / "lint.md").read_text(encoding="utf-8"))
    for rule_id in LINT_RULES:
        assert PUBLIC_URL.search(sections[rule_id]), f"{rule_id} has no public source URL"


def test_every_catalogue_number_the_code_cites_is_defined() -> None:
    """A bare `R32` in code, a comment or a plan reason must be resolvable on the rules page."""
    cited: dict[str, str] = {}
    for module in (REPO / "aksnet").rglob("*.py"):
        for number in re.findall(r"\bR(\d{1,2})\b", module.read_text(encoding="utf-8")):
            cited.setdefault(f"R{number}", str(module.relative_to(REPO)))
    rules_page = (REPO / "docs" / "reference" / "rules.md").read_text(encoding="utf-8")
    for number, where in sorted(cited.items()):
        assert number in BY_NUMBER, f"{number} (cited in {where}) is not defined in aksnet/checks/rules/numbers.py"
        assert f'<a id="{number.lower()}"></a>' in rules_page
