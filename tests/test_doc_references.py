"""Every pointer to documentation (``docs/NAME.md``) in the code, the docs, the README, the
examples and the Makefile names a file the project has: no message sends a user to a page
that is not there (nor to ``../shared``, which a clone or a wheel does not have)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REF = re.compile(r"(?<![\w./-])((?:\.\./)*(?:shared/)?docs/[\w.-]+\.md)")
#: Files another change owns for now; their references are to the shared developers' notes.
PENDING: set[str] = set()


def _sources() -> list[Path]:
    files = [ROOT / "README.md", ROOT / "Makefile"]
    for folder, pattern in (("src", "*.py"), ("docs", "*.md"), ("examples", "*.yaml"),
                            ("experiments", "*.yaml")):
        files += sorted((ROOT / folder).rglob(pattern))
    return [f for f in files if f.is_file() and "_bundled" not in f.parts]


def test_every_docs_reference_exists():
    missing = []
    for f in _sources():
        rel = f.relative_to(ROOT).as_posix()
        if rel in PENDING:
            continue
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            for ref in REF.findall(line):
                target = ref.split("docs/", 1)[1]
                if "shared/" in ref or not (ROOT / "docs" / target).is_file():
                    missing.append(f"{rel}:{n}: {ref}")
    assert not missing, "\n".join(missing)


def test_the_pattern_finds_references():
    assert REF.findall("see docs/models.md §2 and ../shared/docs/contracts.md.") == [
        "docs/models.md", "../shared/docs/contracts.md"]
