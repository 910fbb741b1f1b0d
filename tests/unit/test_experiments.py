"""exactmin experiment choromanska: a tiny run writes its tables, results and figures, and names
only the files it wrote."""

import json

import pytest

from exactmin.cli import main
from exactmin.experiments import choromanska as experiment

pytestmark = pytest.mark.infrastructure  # the second CI stage (pyproject.toml, markers)


def test_tiny_experiment_writes_tables_and_results(tmp_path, monkeypatch, capsys) -> None:
    tiny = experiment.Settings((2, 3), 2, (5,), 1, 2, (2, 8), 2, 40, "quick")
    monkeypatch.setattr(experiment.Settings, "quick", classmethod(lambda cls: tiny))
    assert main(["experiment", "choromanska", "--quick", "--out", str(tmp_path)]) == 0
    md = (tmp_path / "experiments.md").read_text()
    assert "Certified critical points" in md and "Descent" in md and "Networks" in md
    assert "floats" in md  # the float parts are labelled as such
    res = json.loads((tmp_path / "choromanska_results.json").read_text())
    for row in res["certified"]:
        assert row["complete"] == row["tensors"]  # every enumeration proved complete
        # Morse: sum (-1)^index over all tensors = tensors * chi(S^(Lambda-1))
        chi = 1 + (-1) ** (row["Lambda"] - 1)
        assert sum((-1) ** k for _, k in row["points"]) == row["tensors"] * chi
        assert len(row["lowest"]) == row["tensors"]
    assert [len(r["energies"]) for r in res["descent"]] == [2]
    assert all(len(r["test"]) == 2 for r in res["networks"])
    out = capsys.readouterr().out
    for name in ("choromanska_energies", "choromanska_descent", "choromanska_network"):
        for ext in ("png", "svg"):
            assert (tmp_path / f"{name}.{ext}").stat().st_size > 1000
            assert f"{name}.{ext}" in out
    assert "wrote in" in out
