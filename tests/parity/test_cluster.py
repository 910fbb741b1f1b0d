"""--scheduler: a census on a Dask LocalCluster (2 worker processes) equals the local run;
bad scheduler values are clear errors, never a hang."""

import time

import pytest

from exactmin import InvalidInput, certify, random_instance
from exactmin.cli import main
from exactmin.search import cluster


@pytest.mark.parametrize("noise", [False, True])
def test_census_on_a_local_cluster_equals_the_local_census(noise) -> None:
    inst = random_instance(2, 3, 6, "1/2", noise=noise, seed=3)
    local = certify(inst, census=True, workers=1, list_bad=True)
    dask = certify(inst, census=True, scheduler="local:2", list_bad=True)
    assert dask.census == local.census and dask.verdict == local.verdict
    assert [(b.regions, b.loss, b.point) for b in dask.bad_regions] == [
        (b.regions, b.loss, b.point) for b in local.bad_regions]
    if local.verdict == "refuted":
        assert (dask.counterexample.W, dask.counterexample.z) == (
            local.counterexample.W, local.counterexample.z)


def test_tasks_cover_every_first_unit_region_once() -> None:
    for R, d1, symmetric, tasks in ((14, 3, True, 16), (9, 2, False, 4), (3, 3, True, 50)):
        ranges = cluster._groups(R, d1, symmetric, tasks)
        assert ranges[0][0] == 0 and ranges[-1][1] == R
        assert all(a[1] == b[0] for a, b in zip(ranges, ranges[1:]))


def test_a_scheduler_that_does_not_answer_is_a_clear_error(monkeypatch, capsys) -> None:
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 2)
    t0 = time.monotonic()
    code = main(["certify", "--random", "--d0", "2", "--d1", "2", "--N", "3", "--census",
                 "--scheduler", "tcp://127.0.0.1:9"])
    assert code == 2 and time.monotonic() - t0 < 30
    assert "no Dask scheduler answered" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["local:0", "local:x", "nowhere"])
def test_bad_scheduler_values_are_refused(value) -> None:
    with pytest.raises(InvalidInput, match="--scheduler"):
        cluster.parse_scheduler(value)


def test_scheduler_needs_a_census(capsys) -> None:
    assert main(["certify", "--random", "--d0", "2", "--d1", "2", "--N", "3",
                 "--scheduler", "local:2"]) == 2
    assert "--census" in capsys.readouterr().err
    inst = random_instance(2, 2, 3, "1/2", seed=0)
    with pytest.raises(InvalidInput, match="census"):
        certify(inst, scheduler="local:2")
