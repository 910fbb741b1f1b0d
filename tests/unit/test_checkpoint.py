"""--checkpoint: an interrupted or budget-limited census resumes without redoing or losing work."""

import json
import re

import pytest

import exactmin.search.naive as census_module
from exactmin import InvalidInput, certify, random_instance
from exactmin.cli import main


def _counts(res):
    c = res.census
    return (c.regions, c.examined, c.full_rank_regions, c.dlm_regions, c.bad_dlm_regions,
            c.bad_losses)


@pytest.mark.parametrize("noise", [False, True])
def test_interrupted_census_resumes_to_the_same_counts(tmp_path, monkeypatch, noise) -> None:
    inst = random_instance(2, 2, 4, "1/2", noise=noise, seed=5)
    want = certify(inst, census=True)
    path = str(tmp_path / "ck.json")
    real = census_module.integer_decider  # the census's decision of one region
    calls = {"n": 0}

    def counted(fail_at: int | None):  # type: ignore[no-untyped-def]
        def make(instance, backend):  # type: ignore[no-untyped-def]
            decide = real(instance, backend)

            def call(regions, point=True):  # type: ignore[no-untyped-def]
                calls["n"] += 1
                if calls["n"] == fail_at:
                    raise KeyboardInterrupt
                return decide(regions, point=point)
            return call
        return make

    monkeypatch.setattr(census_module, "integer_decider", counted(17))
    with pytest.raises(KeyboardInterrupt):  # force: no estimate, every call is the scan's own
        certify(inst, census=True, checkpoint=path, force=True)
    saved = json.loads((tmp_path / "ck.json").read_text())
    assert 0 < saved["done"] < 64
    calls["n"] = 0
    monkeypatch.setattr(census_module, "integer_decider", counted(None))
    got = certify(inst, census=True, checkpoint=path, force=True)
    assert _counts(got) == _counts(want) and got.verdict == want.verdict
    iterations = 36 if noise is False else 64  # multisets of 8 unit regions without noise
    assert calls["n"] < iterations  # the resumed run did not start over


def test_budget_limited_census_continues(tmp_path, monkeypatch) -> None:
    inst = random_instance(2, 3, 3, "1/2", noise=True, seed=2)
    path = str(tmp_path / "ck.json")
    want = certify(inst, census=True)

    class Clock:  # a deterministic clock: every reading advances by 10 ms
        now = 0.0

        @classmethod
        def perf_counter(cls) -> float:
            cls.now += 0.01
            return cls.now

        monotonic = perf_counter

    monkeypatch.setattr(census_module, "time", Clock)
    res = certify(inst, census=True, budget=0.5, checkpoint=path)
    rounds = 1
    while res.verdict == "inconclusive":
        res = certify(inst, census=True, budget=0.5, checkpoint=path)
        rounds += 1
    assert rounds > 1 and _counts(res) == _counts(want)


def test_checkpoint_of_another_instance_is_refused(tmp_path) -> None:
    path = str(tmp_path / "ck.json")
    certify(random_instance(2, 2, 3, seed=1), census=True, checkpoint=path)
    with pytest.raises(InvalidInput, match="belongs to another instance") as exc:
        certify(random_instance(2, 2, 3, seed=2), census=True, checkpoint=path)
    there, here = re.findall(r"([0-9a-f]{12})\.\.\.", str(exc.value))
    assert there != here and "nothing was resumed" in str(exc.value)


def test_cli_does_not_claim_to_resume_another_instances_checkpoint(tmp_path, capsys) -> None:
    """One message, saying what differs; no "resuming" line before it."""
    ck = str(tmp_path / "ck.json")
    args = ["certify", "--random", "--d0", "2", "--d1", "2", "--N", "3", "--census",
            "--checkpoint", ck]
    assert main([*args, "--seed", "1"]) in (0, 1)
    assert "resuming" not in capsys.readouterr().err
    assert main([*args, "--seed", "1"]) in (0, 1)
    assert "resuming from checkpoint" in capsys.readouterr().err
    assert main([*args, "--seed", "2"]) == 2
    err = capsys.readouterr().err
    assert "resuming" not in err and "another instance" in err and "sha256" in err, err


def test_checkpoint_misuse_exits_2(tmp_path, capsys) -> None:
    ck = str(tmp_path / "ck.json")
    assert main(["certify", "--random", "--checkpoint", ck, "--out",
                 str(tmp_path / "c.json")]) == 2
    assert "cannot be combined with --out" in capsys.readouterr().err
    assert main(["certify", "--random", "--census", "--checkpoint", ck, "--out",
                 str(tmp_path / "c.json")]) == 2
    assert "cannot be combined with --out" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    assert main(["certify", "--random", "--census", "--checkpoint", str(bad)]) == 2
    assert "not a readable exactmin checkpoint" in capsys.readouterr().err


@pytest.mark.parametrize("text", ["[]", "7", '{"format": "exactmin-checkpoint"}', "null"])
def test_damaged_checkpoint_is_bad_input_not_a_traceback(tmp_path, capsys, text: str) -> None:
    bad = tmp_path / "ck.json"
    bad.write_text(text)
    assert main(["certify", "--random", "--census", "--checkpoint", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "--checkpoint=" in err and "Traceback" not in err


def test_checkpoint_with_a_damaged_field_is_bad_input(tmp_path, capsys) -> None:
    path = tmp_path / "ck.json"
    certify(random_instance(2, 2, 3, seed=1), census=True, checkpoint=str(path))
    data = json.loads(path.read_text())
    data["losses"] = [["not", "a", "loss"]]
    path.write_text(json.dumps(data))
    assert main(["certify", "--random", "--seed", "1", "--N", "3", "--census", "--checkpoint",
                 str(path)]) == 2
    assert "damaged" in capsys.readouterr().err


def test_chunk_checkpoints_round_trip_and_refuse_other_files(tmp_path) -> None:
    """A cluster census's checkpoint keeps its split and finished parts (with the first bad DLM)
    exactly; a local checkpoint, a damaged split, or another instance is a clear error."""
    from fractions import Fraction

    from exactmin.search.checkpoint import Checkpoint, ChunkCheckpoint
    from exactmin.search.state import ScanState

    inst = random_instance(2, 2, 4, "1/2", seed=5)
    res = certify(inst, census=True)
    mode = {"census": True, "cluster": True}
    ck = ChunkCheckpoint(str(tmp_path / "c.json"), inst, mode)
    ranges = [(0, 2), (2, 5), (5, 9)]
    assert ck.load_chunks(ranges) == (ranges, {})
    bad = res.counterexample
    from exactmin.decide import RegionDecision
    from exactmin.models import Point

    first = RegionDecision((), 3, (), Fraction(1, 3), True, Point.from_lists(bad.W, bad.z))
    part = ScanState(examined=7, full=2, dlm=3, bad_count=1, losses={Fraction(1, 3)},
                     first_bad=first)
    ck.save_chunks(ranges, {1: part})
    saved, done = ChunkCheckpoint(str(tmp_path / "c.json"), inst, mode).load_chunks([(0, 9)])
    assert saved == ranges and set(done) == {1}
    assert done[1].to_json() == part.to_json()
    assert (done[1].examined, done[1].full, done[1].dlm, done[1].bad_count, done[1].losses) == (
        7, 2, 3, 1, {Fraction(1, 3)})
    assert done[1].first_bad.dlm == first.dlm and done[1].first_bad.loss == first.loss
    with pytest.raises(InvalidInput, match="another instance"):
        ChunkCheckpoint(str(tmp_path / "c.json"), random_instance(2, 2, 4, "1/2", seed=6),
                        mode).load_chunks(ranges)
    with pytest.raises(InvalidInput, match="do not cover"):
        ChunkCheckpoint(str(tmp_path / "c.json"), inst, mode).load_chunks([(0, 12)])
    Checkpoint(str(tmp_path / "local.json"), inst, mode).save(ScanState())
    with pytest.raises(InvalidInput, match="not a readable exactmin checkpoint"):
        ChunkCheckpoint(str(tmp_path / "local.json"), inst, mode).load_chunks(ranges)


# ---------------------------------------------------------------- the fast engine's search
def _fast_counts(res):  # type: ignore[no-untyped-def]
    c = res.census
    bad = getattr(res, "counterexample", None)
    return (c.regions, c.examined, c.full_rank_regions, c.bad_dlm_regions, c.bad_losses,
            c.complete, res.verdict, None if bad is None else (bad.W, bad.z, bad.loss))


def _counting_tasks(monkeypatch, stop_at: int | None = None):  # type: ignore[no-untyped-def]
    """Count the fast engine's range tasks run in this process (raise KeyboardInterrupt at
    call ``stop_at``, as a Ctrl-C there would)."""
    import exactmin.search.fast as fast

    real, calls = fast._range_task, []

    def task(shared, lo, hi, wall):  # type: ignore[no-untyped-def]
        calls.append((lo, hi))
        if len(calls) == stop_at:
            raise KeyboardInterrupt
        return real(shared, lo, hi, wall)
    monkeypatch.setattr(fast, "_range_task", task)
    return calls


def test_an_interrupted_fast_search_resumes_to_the_same_result(tmp_path, monkeypatch) -> None:
    """Ctrl-C in the fifth range: four ranges are saved; the same call resumes with the others
    only and reports what a run without a checkpoint reports."""
    from exactmin.search.fast import CHECKPOINT_RANGES, first_unit_ranges

    inst = random_instance(3, 3, 9, "1/2", noise=True, seed=1)
    want = certify(inst, force=True, workers=1)
    path = tmp_path / "ck.json"
    calls = _counting_tasks(monkeypatch, stop_at=5)
    with pytest.raises(KeyboardInterrupt):
        certify(inst, checkpoint=str(path), force=True, workers=1)
    saved = json.loads(path.read_text())
    R = want.census.unit_regions
    ranges = first_unit_ranges(R, 3, CHECKPOINT_RANGES - 1)
    assert saved["ranges"] == [list(r) for r in ranges]
    assert sorted(saved["done"], key=int) == ["0", "1", "2", "3"]
    calls = _counting_tasks(monkeypatch)
    got = certify(inst, checkpoint=str(path), force=True, workers=1)
    assert _fast_counts(got) == _fast_counts(want) and want.verdict == "certified"
    assert calls == ranges[4:]
    calls.clear()  # a finished checkpoint: nothing is searched again
    assert _fast_counts(certify(inst, checkpoint=str(path), force=True)) == _fast_counts(want)
    assert calls == []


def test_a_fast_search_on_two_processes_runs_only_the_unfinished_ranges(tmp_path) -> None:
    """Ranges recorded in any order (here every other one is dropped from a finished
    checkpoint): two processes search the others, and the counts are the plain run's."""
    inst = random_instance(3, 3, 9, "1/2", noise=True, seed=2)
    want = certify(inst, force=True, workers=2)
    path = tmp_path / "ck.json"
    assert _fast_counts(certify(inst, checkpoint=str(path), force=True, workers=2)) == \
        _fast_counts(want)
    saved = json.loads(path.read_text())
    assert len(saved["done"]) == len(saved["ranges"]) > 8
    saved["done"] = {i: part for i, part in saved["done"].items() if int(i) % 2}
    path.write_text(json.dumps(saved))
    got = certify(inst, checkpoint=str(path), force=True, workers=2)
    assert _fast_counts(got) == _fast_counts(want)
    assert len(json.loads(path.read_text())["done"]) == len(saved["ranges"])


@pytest.mark.parametrize("workers", [1, 2])
def test_a_refuted_fast_search_with_a_checkpoint_reports_the_same_counterexample(
        tmp_path, monkeypatch, workers) -> None:
    """The first bad DLM in the search's order, with the counts before it, whatever ranges
    finished first; a rerun on the saved checkpoint searches nothing after it."""
    inst = random_instance(2, 3, 8, "1/2", noise=True, seed=1)  # N > d0 d1: bad DLMs
    want = certify(inst, force=True, workers=1)  # 16 unit regions, the first bad in range 3
    assert want.verdict == "refuted" and 3 * 16**2 < want.census.examined < 4 * 16**2
    path = tmp_path / "ck.json"
    got = certify(inst, checkpoint=str(path), force=True, workers=workers)
    assert _fast_counts(got) == _fast_counts(want)
    calls = _counting_tasks(monkeypatch)
    again = certify(inst, checkpoint=str(path), force=True, workers=1)
    assert _fast_counts(again) == _fast_counts(want) and calls == []


def test_a_budget_limited_fast_search_continues(tmp_path) -> None:
    """A range cut short by the budget is not saved; rerunning the same budgeted command
    finishes the search with the plain run's counts."""
    inst = random_instance(3, 4, 12, "1/2", noise=True, seed=0)
    want = certify(inst, force=True)
    path = str(tmp_path / "ck.json")
    res, rounds = certify(inst, checkpoint=path, budget=0.2, workers=1), 1
    while res.verdict == "inconclusive" and rounds < 50:
        res, rounds = certify(inst, checkpoint=path, budget=0.2, workers=1), rounds + 1
    assert rounds > 1 and _fast_counts(res) == _fast_counts(want)


def test_the_command_line_says_how_much_of_a_fast_search_it_resumes(tmp_path, capsys) -> None:
    ck = str(tmp_path / "ck.json")
    args = ["certify", "--random", "--d0", "3", "--d1", "3", "--N", "9", "--noise", "--seed", "1",
            "--workers", "1", "--checkpoint", ck]
    assert main(args) == 0
    assert "resuming" not in capsys.readouterr().err
    saved = json.loads((tmp_path / "ck.json").read_text())
    del saved["done"]["3"]
    (tmp_path / "ck.json").write_text(json.dumps(saved))
    assert main(args) == 0
    n = len(saved["ranges"])
    assert f"resuming from checkpoint {ck}: {n - 1} of {n} ranges of the run already decided" in \
        capsys.readouterr().err
