"""Test files mirror the code (tests/README.md): every ``tests/unit/test_<name>.py`` is named
after a module or package of exactmin, or is one of the few cross-cutting checks listed here
with what they cover; every ``tests/properties/test_<name>.py`` is named after a paper module.
A new test file that fits neither fails here and says where it should go."""

from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
PKG = ROOT / "exactmin"
NAMES = {p.stem for p in PKG.rglob("*.py")} | {p.name for p in PKG.iterdir() if p.is_dir()}
CROSS_CUTTING = {  # checks of the whole repository, not of one module
    "layers": "one-way layers and no import cycle",
    "lint": "ruff on the package, tests, benchmarks and examples",
    "typing": "mypy --strict on the kernel and the layers certificates come from",
    "interrupt": "Ctrl-C on every engine",
    "examples": "every examples/ script runs and asserts what it shows",
    "benchmarks": "benchmarks/ runs in its reduced form",
    "tests_layout": "this file",
}


@pytest.mark.parametrize("path", sorted((ROOT / "tests" / "unit").glob("test_*.py")),
                         ids=lambda p: p.name)
def test_a_unit_test_file_is_named_after_what_it_tests(path: Path) -> None:
    name = path.stem.removeprefix("test_")
    assert name in NAMES or name in CROSS_CUTTING, (
        f"tests/unit/{path.name}: name it test_<module>.py after the exactmin module it tests "
        f"(one of {sorted(NAMES)}), or list it in CROSS_CUTTING with what it covers")


@pytest.mark.parametrize("path", sorted((ROOT / "tests" / "properties").glob("test_*.py")),
                         ids=lambda p: p.name)
def test_a_property_file_is_named_after_a_paper_module(path: Path) -> None:
    name = path.stem.removeprefix("test_")
    papers = {p.stem for p in (PKG / "theorems").glob("*.py")} - {"__init__", "paper"}
    assert name in papers or name.rpartition("_")[0] in papers or name in {"certificates"}, (
        f"tests/properties/{path.name}: one file per paper (test_<paper id>[_<topic>].py), or "
        "test_certificates.py for the certificate format")
