"""Nothing in the repository cites a document a clone does not have: no path outside the repository, no
background notes by file name, no section signs pointing into them, no tracker issue numbers. Cite a
public URL (learn.microsoft.com, github.com/...) or a page under docs/ instead."""

from __future__ import annotations

import re
import subprocess

from paths import REPO

# Built from pieces so that this file does not match itself.
_DOT = "."
_SEP = "[-_]"  # a file name also turns up as an identifier, with _ for -
_NAMES = [
    ("arm", "protocol"),
    ("reliability", "security"),
    ("ux", "conventions"),
    ("style", "examples"),
    ("aks", "network", "rules"),
    ("aks", "change", "rules"),
    ("layers", "sketch"),
    ("networking", "walkthrough"),
]
FORBIDDEN = re.compile(
    "|".join(
        [
            re.escape(".." + "/shared"),
            re.escape("DESIGN" + _DOT + "md"),
            *(_SEP.join(parts) for parts in _NAMES),
            "[Ii]ssue" + " [0-9]",
            "\u00a7",  # the section sign, as in a citation of a section of a background note
        ]
    )
)


def _repository_files() -> list[str]:
    """Tracked files plus new ones not ignored (work not yet committed is checked too)."""
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO, capture_output=True, check=True,
    ).stdout.decode()
    return sorted({name for name in out.split("\0") if name})


def test_no_file_cites_a_document_outside_the_repository() -> None:
    hits = []
    files = _repository_files()
    assert len(files) > 100
    for name in files:
        path = REPO / name
        if not path.is_file():
            continue  # deleted in the working tree
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary
        for number, line in enumerate(text.splitlines(), 1):
            if FORBIDDEN.search(line):
                hits.append(f"{name}:{number}: {line.strip()[:120]}")
    assert not hits, "outside references (cite a public URL or docs/ instead):\n" + "\n".join(hits)
