"""The benchmark script runs (quick form, tiny samples) and prints its ratio table."""

import importlib.util
from pathlib import Path

import pytest

pytestmark = pytest.mark.infrastructure  # the second CI stage (pyproject.toml, markers)

SCRIPT = Path(__file__).parents[2] / "benchmarks" / "run.py"


def test_quick_benchmark_prints_ratios(capsys) -> None:
    spec = importlib.util.spec_from_file_location("bench_run", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.QUICK = module.INSTANCES[:1] + module.INSTANCES[4:5]  # certified, refuted
    docs = SCRIPT.parents[1] / "docs" / "performance.md"
    before = docs.read_text()
    assert module.main(["--quick", "--sample", "0.2"]) == 0
    assert docs.read_text() == before  # tracked docs are written only with --write-docs
    out = capsys.readouterr().out
    assert "naive/fast" in out and "sympy/fast" in out and "kernel s" in out
    assert "numba pair step: compile" in out
    assert out.count("certified") + out.count("refuted") >= 2


def test_estimate_benchmark_reports_ratios(capsys) -> None:
    spec = importlib.util.spec_from_file_location("bench_estimates",
                                                  SCRIPT.parent / "estimates.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.QUICK = {"census": [(2, 2, 4)], "naive": [(2, 2, 4)], "spin": [3], "fast": [(2, 2, 4)]}
    assert module.main(["--quick"]) == 0
    out = capsys.readouterr().out
    assert out.count("| census") == 1 and out.count("| naive") == 1 and "Lambda = 3" in out


def test_census_benchmark_reports_its_target_column(capsys) -> None:
    spec = importlib.util.spec_from_file_location("bench_census", SCRIPT.parent / "census.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--quick"]) == 0
    out = capsys.readouterr().out
    assert "census s" in out and "reference 1p" in out and "(2,3,6)" in out


def test_cluster_benchmark_runs_its_quick_form(capsys, tmp_path, monkeypatch) -> None:
    """Local pool and LocalClusters on a small census; their counts agree (the script asserts
    the certificates are equal; here the census rows are compared)."""
    spec = importlib.util.spec_from_file_location("bench_cluster", SCRIPT.parent / "cluster.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.chdir(tmp_path)
    assert module.main(["--quick"]) == 0
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if "DLM regions" in line]
    assert len(rows) == 4 and len({r.rsplit("|", 1)[1] for r in rows}) == 1
    assert "overhead per task" in out


def test_global_min_benchmark_prints_its_baseline_ratio(capsys) -> None:
    spec = importlib.util.spec_from_file_location("bench_global", SCRIPT.parent / "global_min.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    docs = SCRIPT.parents[1] / "docs" / "performance.md"
    before = docs.read_text()
    assert module.main(["--quick"]) == 0
    assert docs.read_text() == before  # tracked docs are written only with --write-docs
    out = capsys.readouterr().out
    assert "baseline / global-min" in out and out.count("| (2,2,5) ReLU") == 2


def test_certificate_benchmark_prints_its_side_by_side_table(capsys) -> None:
    """Solver, + certificate, kernel, size and the baselines, for a noisy and a census row."""
    spec = importlib.util.spec_from_file_location("bench_run", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    docs = SCRIPT.parents[1] / "docs" / "performance.md"
    before = docs.read_text()
    assert module.main(["--certificates", "--quick"]) == 0
    assert docs.read_text() == before
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.startswith("| (")]
    assert len(rows) == 2 and "census" in rows[1] and "--plain" in rows[0]
    assert all(cell.strip() for row in rows for cell in row.strip("|").split("|"))
