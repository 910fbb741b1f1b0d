"""--scheduler: a census on a Dask LocalCluster (2 worker processes) equals the local run, and
so does its census certificate; a killed worker changes nothing; an interrupted client resumes
from its checkpoint; the refusal estimate counts the cluster's workers; bad scheduler values
are clear errors, never a hang."""

import copy
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from exactmin import InvalidInput, TooExpensive, certify, random_instance
from exactmin.check import Malformed, Rejected, check_certificate
from exactmin.cli import main
from exactmin.search import cluster, cost

pytestmark = pytest.mark.infrastructure  # the second CI stage (pyproject.toml, markers)


@pytest.fixture(scope="module")
def seconds_long():
    """A census of some seconds on 2 processes (85,184 regions), with its local result."""
    inst = random_instance(3, 3, 7, "1/2", seed=2)
    return inst, certify(inst, census=True, workers=2, force=True)


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


def test_scheduler_without_a_census_needs_the_fast_engine(capsys) -> None:
    assert main(["certify", "--random", "--d0", "2", "--d1", "2", "--N", "3", "--engine",
                 "naive", "--scheduler", "local:2"]) == 2
    assert "--census" in capsys.readouterr().err
    inst = random_instance(2, 2, 3, "1/2", seed=0)
    with pytest.raises(InvalidInput, match="census"):
        certify(inst, engine="naive", scheduler="local:2")


@pytest.mark.parametrize("shape, seed, verdict", [((3, 3, 9), 1, "certified"),
                                                  ((2, 2, 4), 0, "certified"),
                                                  ((2, 3, 7), 3, "refuted"),
                                                  ((2, 3, 8), 3, "refuted")])
def test_the_fast_engine_on_a_local_cluster_equals_the_local_run(shape, seed, verdict) -> None:
    """certify --scheduler without --census: the fast engine's search, cut into ranges of the
    first unit's regions on the workers, gives the local counts, counterexample and
    certificate byte for byte (the refuted instances find their first bad DLM in a middle or a
    late range: the later tasks are cancelled, the earlier ones still counted)."""
    inst = random_instance(*shape, "1/2", noise=True, seed=seed)
    local = certify(inst, certificate=True, workers=1, force=True)
    dask = certify(inst, certificate=True, scheduler="local:2", force=True)
    assert local.verdict == dask.verdict == verdict
    assert dask.census == local.census
    if verdict == "refuted":
        R = local.census.unit_regions
        assert local.census.examined > R ** (shape[1] - 1)  # beyond the first region's range
        assert (dask.counterexample.W, dask.counterexample.z) == (
            local.counterexample.W, local.counterexample.z)
    assert json.dumps(dask.certificate()) == json.dumps(local.certificate())
    assert check_certificate(json.loads(json.dumps(dask.certificate())))["verdict"] == verdict


def test_a_local_cluster_that_does_not_close_in_time_is_killed(monkeypatch) -> None:
    """A worker still running a cancelled task can keep the LocalCluster from closing within
    its 2 s (seen once after a refuted run cancelled its later tasks): the run's result stands,
    the workers are killed and the cluster closed again."""
    import distributed

    calls: list = []
    real = distributed.LocalCluster.close

    def slow_once(self, timeout=None):
        calls.append(timeout)
        if len(calls) == 1:
            raise TimeoutError("timed out after 2 s.")
        return real(self, timeout)

    monkeypatch.setattr(distributed.LocalCluster, "close", slow_once)
    inst = random_instance(2, 2, 4, "1/2", noise=True, seed=0)
    assert certify(inst, scheduler="local:1").verdict == "certified"
    assert len(calls) >= 2


def test_a_budget_stops_the_fast_engine_on_a_cluster() -> None:
    """The budget is a wall-clock instant that every worker compares with its own clock."""
    inst = random_instance(3, 4, 12, "1/2", noise=True, seed=0)
    t0 = time.monotonic()
    out = certify(inst, scheduler="local:2", budget=1.0)
    assert out.verdict == "inconclusive" and "time budget" in out.reason
    assert 0 < out.census.examined < out.census.regions
    assert time.monotonic() - t0 < 60


@pytest.mark.parametrize("shape, seed", [((3, 3, 9), 1), ((2, 3, 8), 1)])
def test_the_fast_engine_on_a_cluster_resumes_from_its_checkpoint(tmp_path, shape, seed) -> None:
    """certify --scheduler --checkpoint: a run whose checkpoint lost half of its ranges (as if
    interrupted) searches them on the workers and gives the local counts and counterexample,
    whether the search certifies (3, 3, 9) or refutes (2, 3, 8) in its fourth range; the
    ranges are the local resumable run's, so either can resume the other."""
    inst = random_instance(*shape, "1/2", noise=True, seed=seed)
    local = certify(inst, workers=1, force=True)
    path = tmp_path / "ck.json"
    certify(inst, workers=1, force=True, checkpoint=str(path))
    saved = json.loads(path.read_text())
    saved["done"] = {i: part for i, part in saved["done"].items() if int(i) % 2 == 0}
    path.write_text(json.dumps(saved))
    dask = certify(inst, scheduler="local:2", force=True, checkpoint=str(path))
    assert dask.census == local.census and dask.verdict == local.verdict
    if local.verdict == "refuted":
        assert (dask.counterexample.W, dask.counterexample.z) == (
            local.counterexample.W, local.counterexample.z)
    assert json.loads(path.read_text())["ranges"] == saved["ranges"]


def test_certify_out_on_a_cluster_is_checked_by_the_kernel(tmp_path, capsys) -> None:
    out = tmp_path / "cert.json"
    assert main(["certify", "--random", "--d0", "3", "--d1", "3", "--N", "9", "--noise",
                 "--seed", "1", "--scheduler", "local:2", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "CERTIFIED" in text and "VERIFIED" in text
    assert check_certificate(json.loads(out.read_text()))["verdict"] == "certified"


def test_a_killed_worker_changes_nothing(seconds_long) -> None:
    """A worker process of the cluster is killed (SIGKILL, by pid) while the census runs: Dask
    reruns its tasks elsewhere (they only read their inputs) and the counts are the local ones."""
    import threading

    import distributed

    inst, local = seconds_long
    from exactmin.search.cluster import local_cluster

    with local_cluster(2) as lc, distributed.Client(lc) as client:
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


@pytest.mark.parametrize("noise", [False, True])
def test_a_census_certificate_from_the_cluster_is_the_local_one_and_the_kernel_checks_it(
        noise) -> None:
    """Entries made by the workers, chunk range by chunk range, give the local certificate byte
    for byte; the kernel (on 1 or 2 processes) derives the census's counts from it, and rejects
    it with one region's witness dropped or altered."""
    inst = random_instance(2, 2, 5, "1/2", noise=noise, seed=4)
    local = certify(inst, census=True, certificate=True, workers=1)
    dask = certify(inst, census=True, certificate=True, scheduler="local:2")
    assert json.dumps(dask.certificate()) == json.dumps(local.certificate())
    assert certify(inst, census=True, certificate=True, workers=2).certificate() == local.certificate()
    cert = json.loads(json.dumps(dask.certificate()))
    for workers in (1, 2):
        info = check_certificate(cert, workers=workers)
        assert (info["dlm_regions"], info["bad_dlm_regions"]) == (
            local.census.dlm_regions, local.census.bad_dlm_regions)
        assert info["bad_losses"] == [str(q) for q in local.census.bad_losses]
    regions = cert["witness"]["regions"]
    dropped = copy.deepcopy(cert)
    del dropped["witness"]["regions"][len(regions) // 2]
    with pytest.raises(Malformed, match="regions"):
        check_certificate(dropped, workers=2)
    for kind in ("dlm", "no_dlm"):
        j = next((j for j, e in enumerate(regions) if kind in e), None)
        if j is None:
            continue
        altered = copy.deepcopy(cert)
        e = altered["witness"]["regions"][j]
        if kind == "dlm":
            e["dlm"]["z"][0] = str(int(e["dlm"]["z"][0].split("/")[0]) + 1)
        else:
            e["no_dlm"][0][0][0] = "7/3"
        with pytest.raises(Rejected):
            check_certificate(altered, workers=2)


def test_the_refusal_estimate_counts_the_cluster_workers(monkeypatch) -> None:
    inst = random_instance(3, 2, 9, "1/2", seed=0)
    monkeypatch.setattr(cost, "LIMIT_SECONDS", 1e-3)
    with pytest.raises(TooExpensive, match="on 2 cluster workers"):
        certify(inst, census=True, scheduler="local:2")


def test_an_interrupted_client_resumes_from_its_checkpoint(tmp_path, seconds_long) -> None:
    """The client (and its LocalCluster) is killed with SIGKILL while the census runs; the
    checkpoint holds the tasks finished by then, and the same command resumes: it runs only
    the others (said with -v), shows tasks in its progress lines, and gives the local counts."""
    inst, local = seconds_long
    inst.save(tmp_path / "inst.json")
    ck = tmp_path / "ck.json"
    args = ["certify", str(tmp_path / "inst.json"), "--census", "--force", "--json",
            "--scheduler", "local:2", "--checkpoint", str(ck)]
    first = subprocess.Popen([sys.executable, "-m", "exactmin", *args], start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and first.poll() is None:
            if ck.exists() and len(json.loads(ck.read_text())["done"]) >= 2:
                break
            time.sleep(0.05)
        assert first.poll() is None, "the first run finished before it could be interrupted"
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
    saved = json.loads(ck.read_text())
    done, tasks = len(saved["done"]), len(saved["ranges"])
    assert 2 <= done < tasks
    second = subprocess.run([sys.executable, "-m", "exactmin", "-v", "--progress-json", *args],
                            capture_output=True, text=True, timeout=300)
    assert second.returncode in (0, 1), second.stderr
    assert f"{done} of {tasks} tasks are done" in second.stderr
    lines = [json.loads(x) for x in second.stderr.splitlines() if x.startswith("{")]
    assert lines and all("tasks" in x for x in lines)
    assert int(lines[0]["tasks"].split("/")[0]) > done
    out = json.loads(second.stdout)
    assert (out["regions"], out["dlm_regions"], out["bad_dlm_regions"], out["full_rank_regions"]
            ) == (local.census.regions, local.census.dlm_regions, local.census.bad_dlm_regions,
                  local.census.full_rank_regions)
    assert out["bad_losses"] == [str(q) for q in local.census.bad_losses]
    assert out["verdict"] == local.verdict


def test_the_restricted_census_on_a_cluster_equals_the_local_one(tmp_path, capsys) -> None:
    """certify DEEP --fixed-layers LOWER --census --scheduler local:2 --out: the same JSON
    (counts, verdict, counterexample lifted to the full network) and certificate as locally."""
    inst = tmp_path / "deep.json"
    inst.write_text(json.dumps({"X": [[0, 1, 2, 3, 1], [1, 1, 1, 1, 2]], "y": [0, 1, 0, 2, 1],
                                "widths": [2, 3, 2, 1], "rho": "1/2"}))
    lower = tmp_path / "lower.json"
    lower.write_text(json.dumps({"weights": [[[1, 1], [1, -2], [2, 1]]]}))
    outs = []
    for extra, cert in ((["--workers", "1"], "local.json"), (["--scheduler", "local:2"],
                                                             "dask.json")):
        code = main(["certify", str(inst), "--fixed-layers", str(lower), "--census", "--json",
                     "--no-progress", "--out", str(tmp_path / cert), *extra])
        out = json.loads(capsys.readouterr().out)
        out.pop("time_s", None)
        outs.append((code, out))
    assert outs[0] == outs[1]
    assert (tmp_path / "local.json").read_text() == (tmp_path / "dask.json").read_text()


def test_a_task_reads_its_deadline_on_the_wall_clock(monkeypatch) -> None:
    """A worker on another machine shares only the wall clock with the client (a monotonic
    clock counts from each machine's boot), so the budget reaches a task as a wall-clock
    instant: passed, the task stops after its first region; ahead, it decides every region."""
    from exactmin.geometry import enumerate_regions
    from exactmin.search.outcome import ScanOptions
    from exactmin.search.parallel import run_chunk_range

    inst = random_instance(2, 2, 5, "1/2", seed=4)
    units = tuple(enumerate_regions(inst.X))
    now = time.time()
    R = len(units)
    naive = ScanOptions(census=True, engine="naive")
    ahead = run_chunk_range((inst, units), 0, R, True, now + 3600, naive)
    passed = run_chunk_range((inst, units), 0, R, True, now - 1, naive)
    # the multisets {0, k}, counted as ordered tuples; then {0, 0} alone
    assert not ahead.stopped and ahead.examined == 2 * R - 1
    assert passed.stopped and passed.examined == 1
    # and the census hands the cluster a wall-clock instant
    seen = []

    def spy(scheduler, instance, units, symmetric, deadline, *rest):
        seen.append(deadline)
        return real(scheduler, instance, units, symmetric, deadline, *rest)

    real = cluster.cluster_chunks
    monkeypatch.setattr(cluster, "cluster_chunks", spy)
    out = certify(inst, census=True, scheduler="local:1", budget=600)
    assert out.census.complete and len(seen) == 1 and abs(seen[0] - (now + 600)) < 120


def _range_size(shared, lo: int, hi: int) -> int:
    return hi - lo


def test_the_same_data_scattered_again_in_one_session_is_not_lost() -> None:
    """A census and its certificate scatter the same instance in one session. Under its content
    hash the second scatter could meet the first copy being released, and the tasks were
    cancelled ("lost dependencies", dask/distributed#3703); each scatter now gets a fresh key."""
    from exactmin.geometry import enumerate_regions

    inst = random_instance(2, 3, 6, "1/2", seed=0)
    shared = (inst, tuple(enumerate_regions(inst.X)))
    with cluster.session("local:2") as client:
        for _ in range(6):
            ranges = [(k, k + 1) for k in range(20)]
            assert cluster.run_ranges(client, _range_size, shared, ranges, ()) == [1] * 20


def test_a_local_cluster_needs_no_port_8787(capfd) -> None:
    """Port 8787 (Dask's dashboard default, often a Jupyter's or another Dask's) is held by
    someone else: a local cluster runs as usual, with no warning (warnings are errors here) and
    nothing about the port on stderr."""
    import socket

    holder = socket.socket()
    holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        holder.bind(("0.0.0.0", 8787))
        holder.listen()
    except OSError:
        pass  # already taken by someone else: the situation this test is about
    try:
        inst = random_instance(2, 2, 4, "1/2", seed=1)
        assert certify(inst, census=True, scheduler="local:1").census == \
            certify(inst, census=True).census
    finally:
        holder.close()
    assert "8787" not in capfd.readouterr().err


def test_the_global_minimum_on_a_local_cluster_is_the_local_one() -> None:
    """`global-min --scheduler local:2`: the pieces' ranges are Dask tasks; L* and the
    certificate equal the one-process run's."""
    from exactmin.theorems.soudry_carmon import global_minimum

    inst = random_instance(2, 2, 6, "0", noise=True, seed=3)
    local = global_minimum(inst, force=True)
    dask = global_minimum(inst, force=True, scheduler="local:2")
    assert dask.value == local.value and dask.point == local.point
    assert json.dumps(dask.certificate()) == json.dumps(local.certificate())
