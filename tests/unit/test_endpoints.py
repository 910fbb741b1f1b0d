"""The training experiments of Soudry-Hoffer, Soudry-Carmon and Karhadkar et al.: quick forms
write their tables, results and PNGs; exact counts agree with independent exact computations."""

import json
from fractions import Fraction

import pytest

from exactmin import certify
from exactmin.cli import main
from exactmin.experiments import endpoints
from exactmin.experiments.soudry_hoffer import gaussian_instance

pytestmark = pytest.mark.infrastructure  # the second CI stage (pyproject.toml, markers)


@pytest.mark.parametrize("name", sorted(endpoints.EXPERIMENTS))
def test_quick_experiments_write_table_results_and_figure(name, tmp_path, capsys) -> None:
    assert main(["experiment", name, "--quick", "--out", str(tmp_path)]) == 0
    stem = endpoints.EXPERIMENTS[name][0]
    md = (tmp_path / f"{stem}.md").read_text()
    assert md.startswith("## ") and "Reading" in md and f"{stem}.png" in md
    assert (tmp_path / f"{stem}.png").stat().st_size > 0
    rows = json.loads((tmp_path / f"{stem}.json").read_text())["rows"]
    assert rows
    for r in rows:
        if "counts" in r:  # every run has exactly one classification
            assert sum(r["counts"].values()) == r["runs"]
        if "in_census" in r:
            assert r["in_census"] is True


def test_exact_full_rank_count_equals_the_census_count() -> None:
    """The experiment's enumeration of exact ranks against the engine's census counts."""
    for rho, noise in ((Fraction(1, 2), False), (Fraction(0), True)):
        inst = gaussian_instance(2, 3, 5, rho, 4)
        if noise:
            inst = inst.replace(noise=[[Fraction(k % 7 + 1, 3) for k in range(5)]
                                       for _ in range(3)])
        full, total = endpoints._exact_full_rank(inst)
        census = certify(inst, census=True).census
        assert (full, total) == (census.full_rank_regions, census.regions)


def test_kinks_experiment_writes_its_tables(tmp_path, monkeypatch) -> None:
    """A tiny run of `exactmin experiment kinks`: the tables, the worked instance's certificate
    verified by the kernel in a fresh process, and counts that add up."""
    from exactmin.experiments import kinks

    monkeypatch.setattr(kinks.Settings, "quick", classmethod(
        lambda cls: cls(1, 1, 2, "quick")))
    monkeypatch.setattr(kinks, "SETTINGS", (("leaky, noise", "1/2", True, 3),
                                            ("ReLU, no noise", "0", False, 3)))
    assert main(["experiment", "kinks", "--quick", "--out", str(tmp_path)]) == 0
    data = json.loads((tmp_path / "kinks.json").read_text())
    assert data["worked"]["kernel_exit"] == 0 and data["worked"]["local_minimum"] is True
    assert all(data["worked"]["hypotheses"].values()) and not data["worked"]["dlm_bad_losses"]
    for row in data["census"]:
        assert row["bad_dlm"] <= row["bad_minimum"] <= row["instances"]
    for row in data["training"]:
        assert row["runs"] == sum(row["counts"].values()) == 2
    assert "| leaky, noise | 3 | 1 |" in (tmp_path / "kinks.md").read_text()
    hhy = data["he_huang_yuan"]  # the least-squares line with every unit active: a spurious DLM
    assert hhy["local_minimum"] is True and hhy["kink_decider_agrees"] is True
    assert Fraction(hhy["global_minimum"]) < Fraction(hhy["loss"]) and hhy["spurious"] is True


def test_global_min_experiment_counts_add_up_and_agree_with_global_min(tmp_path) -> None:
    """`exactmin experiment global-min --quick`: every run is at L*, spurious or other; the
    spurious gaps are positive; a run at L* means multi-start reached it; L* is what
    `exactmin global-min` prints for the same instance."""
    from exactmin.models import random_instance
    from exactmin.theorems.soudry_carmon import global_minimum

    assert main(["experiment", "global-min", "--quick", "--out", str(tmp_path)]) == 0
    data = json.loads((tmp_path / "global_min.json").read_text())
    assert len(data["instances"]) == 4 and (tmp_path / "global_min.png").is_file()
    for row in data["instances"]:
        assert row["at_global"] + row["spurious"] + row["other"] == row["runs"] == 8
        assert all(g > 0 for g in row["gaps"]) and len(row["gaps"]) == row["spurious"]
        assert row["multistart_finds_global"] == (row["at_global"] > 0)
        inst = random_instance(row["d0"], row["d1"], row["N"], row["rho"], noise=row["noise"],
                               seed=row["seed"], max_int=3)
        assert str(global_minimum(inst).value) == row["global_minimum"]
    assert "| 2, 2, 5 | ReLU | no | 1 |" in (tmp_path / "global_min.md").read_text()
