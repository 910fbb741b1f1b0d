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


def test_a_killed_worker_changes_nothing() -> None:
    """A worker process of the cluster is killed (SIGKILL, by pid) while the census runs: Dask
    reruns its tasks elsewhere (they only read their inputs) and the counts are the local ones."""
    import os
    import signal
    import threading

    import distributed

    inst = random_instance(3, 3, 7, "1/2", seed=2)
    local = certify(inst, census=True, workers=1, force=True)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as lc, distributed.Client(lc) as client:
        pids = list(client.run(os.getpid).values())
        out: dict = {}
        run = threading.Thread(target=lambda: out.setdefault(
            "res", certify(inst, census=True, force=True, scheduler=lc.scheduler_address)))
        run.start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any(client.processing().values()):
            time.sleep(0.05)  # until the census's tasks are on the workers
        time.sleep(0.5)
        assert run.is_alive()  # killed mid-run
        os.kill(pids[0], signal.SIGKILL)
        run.join(timeout=300)
        assert not run.is_alive()
    res = out["res"]
    assert res.census == local.census and res.verdict == local.verdict
