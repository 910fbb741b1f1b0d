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
    assert main(["certify", "--random", "--checkpoint", ck]) == 2
    assert "--checkpoint applies to --census" in capsys.readouterr().err
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
