"""Links into docs/ resolve: a `docs/<page>.md#anchor` cited by code, tests or the README names a page that
exists and a heading (or `<a id>`) on it, and the relative links between the pages do too."""

from __future__ import annotations

import re
from pathlib import Path

from paths import REPO

DOCS = REPO / "docs"
CITED = re.compile(r"\bdocs/((?:reference/)?[a-z-]+\.md)(?:#([a-z0-9-]+))?")
MD_LINK = re.compile(r"\]\(([^)#\s]+\.md)(?:#([a-z0-9-]+))?\)")


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    text = page.read_text(encoding="utf-8")
    found = {slug(m) for m in re.findall(r"^#+ (.+)$", text, flags=re.M)}
    return found | set(re.findall(r'<a id="([^"]+)"></a>', text))


def _check(target: Path, anchor: str | None, where: str, problems: list[str]) -> None:
    if not target.exists():
        problems.append(f"{where}: {target.relative_to(REPO)} does not exist")
    elif anchor and anchor not in anchors(target):
        problems.append(f"{where}: {target.relative_to(REPO)} has no heading for #{anchor}")


def test_docs_pages_cited_by_code_and_readme_exist_with_their_anchors() -> None:
    problems: list[str] = []
    sources = [*(REPO / "aksnet").rglob("*.py"), *(REPO / "tests").rglob("*.py"), *(REPO / "bench").rglob("*.py"),
               REPO / "README.md", REPO / "Makefile"]
    for source in sources:
        for page, anchor in CITED.findall(source.read_text(encoding="utf-8")):
            _check(DOCS / page, anchor or None, str(source.relative_to(REPO)), problems)
    assert not problems, "\n".join(problems)


def test_relative_links_between_pages_resolve() -> None:
    problems: list[str] = []
    for page in [REPO / "README.md", *DOCS.rglob("*.md")]:
        for target, anchor in MD_LINK.findall(page.read_text(encoding="utf-8")):
            if "://" in target:
                continue
            _check((page.parent / target).resolve(), anchor or None, str(page.relative_to(REPO)), problems)
        for anchor in re.findall(r"\]\(#([a-z0-9-]+)\)", page.read_text(encoding="utf-8")):
            _check(page, anchor, str(page.relative_to(REPO)), problems)
    assert not problems, "\n".join(problems)


def test_slug_follows_github() -> None:
    assert slug("Interrupting an apply") == "interrupting-an-apply"
    assert slug("aksnet emulator serve") == "aksnet-emulator-serve"
    assert slug("Export: adopting an existing cluster") == "export-adopting-an-existing-cluster"
