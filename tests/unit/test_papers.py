"""The paper protocol (exactmin.theorems.paper): every paper in the one registry has what a paper
needs - an example, a proof page, a docs page, kernel corpus folders, a property-test file,
its commands on the command line and a kernel checker for each of its theorem ids - and
``exactmin list`` prints them from that registry."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from exactmin.check import CHECKERS
from exactmin.experiments import EXPERIMENTS
from exactmin.theorems import PAPERS, THEOREMS

ROOT = Path(__file__).parents[2]


def _commands() -> set[str]:
    from exactmin.cli.app import parser

    p, _ = parser()
    sub = next(a for a in p._actions if a.__class__.__name__ == "_SubParsersAction")
    return set(sub.choices)


@pytest.mark.parametrize("paper", PAPERS, ids=lambda p: p.id)
def test_every_paper_has_what_a_paper_needs(paper) -> None:
    assert (ROOT / "examples" / paper.example).is_file()
    assert (ROOT / "proofs" / paper.proof).is_file()
    assert (ROOT / "docs" / "papers" / paper.docs).is_file()
    assert (ROOT / "tests" / "properties" / paper.properties).is_file()
    for folder in paper.corpus:
        assert (ROOT / "tests" / "kernel" / "corpus" / folder / "valid").is_dir(), folder
    assert set(paper.commands) <= _commands(), paper.commands
    assert set(paper.theorems) <= set(CHECKERS)
    assert set(paper.experiments) <= set(EXPERIMENTS)


def test_the_registry_is_the_kernels_and_the_lists() -> None:
    assert set(THEOREMS) == set(CHECKERS)  # every checked theorem has a paper, and back
    owned = [e for p in PAPERS for e in p.experiments]
    assert sorted(owned) == sorted(EXPERIMENTS)  # every experiment has exactly one paper
    assert len({p.id for p in PAPERS}) == len(PAPERS)
    proc = subprocess.run([sys.executable, "-m", "exactmin", "list", "--json"],
                          capture_output=True, text=True, timeout=60)
    listed = json.loads(proc.stdout)["papers"]
    assert proc.returncode == 0 and [p["id"] for p in listed] == [p.id for p in PAPERS]
    assert all(p["citation"] and "arXiv" in p["citation"] for p in listed)


@pytest.mark.parametrize("theorem", sorted(THEOREMS))
def test_every_certificate_theorem_has_its_own_page(theorem: str) -> None:
    """docs/certificates/<paper>/<name>.md: it names its kernel checker (the module the registry
    maps the id to) and its paper's page, and the common format page links it."""
    page = ROOT / "docs" / "certificates" / f"{theorem}.md"
    text = page.read_text()
    assert text.startswith(f"# Certificate theorem `{theorem}`")
    checker = CHECKERS[theorem].__name__.replace(".", "/") + ".py"
    assert f"`{checker}`" in text, checker
    paper = next(p for p in PAPERS if theorem in p.theorems)
    assert f"(../../papers/{paper.docs})" in text
    assert f"(certificates/{theorem}.md)" in (ROOT / "docs" / "certificate-format.md").read_text()


def test_no_page_for_a_theorem_the_registry_does_not_know() -> None:
    pages = {str(p.relative_to(ROOT / "docs" / "certificates").with_suffix(""))
             for p in (ROOT / "docs" / "certificates").rglob("*.md")}
    assert pages == set(THEOREMS)
