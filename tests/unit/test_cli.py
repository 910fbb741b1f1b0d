"""The CLI contract: exit codes, JSON keys, messages naming the field, no tracebacks."""

import json
import re
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from exactmin import Instance, verify_point
from exactmin.cli import main
from exactmin.errors import InvalidInput

GOLDEN = Path(__file__).parents[1] / "golden" / "data"


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def write(tmp_path: Path, name: str, text: str) -> str:
    p = tmp_path / name
    p.write_text(text)
    return str(p)


def test_certify_json_keys_and_refutation(capsys) -> None:
    code, out, _ = run(capsys, "certify", str(GOLDEN / "g1-leaky-no-noise.json"), "--json")
    data = json.loads(out)
    assert code == 1 and data["verdict"] == "refuted"
    for key in ("d0", "d1", "N", "regions", "full_rank_regions", "dlm_regions", "bad_dlm_regions",
                "bad_losses", "hypotheses", "counterexample"):
        assert key in data
    assert data["hypotheses"]["noise"]["holds"] is False
    ce = data["counterexample"]
    inst = Instance.from_json(GOLDEN / "g1-leaky-no-noise.json")
    rep = verify_point(inst, ce["W"], ce["z"])  # the printed point is exact and a bad DLM
    assert rep.local_minimum is True and rep.loss == Fraction(ce["loss"]) > 0


def test_certify_text_certified(capsys) -> None:
    code, out, _ = run(capsys, "certify", str(GOLDEN / "g2-leaky-noise.json"))
    assert code == 0 and "CERTIFIED" in out


def test_random_instance_is_seeded_and_saved(capsys, tmp_path) -> None:
    path = tmp_path / "inst.json"
    args = ["certify", "--random", "--d0", "2", "--d1", "2", "--N", "4", "--rho", "1/2",
            "--noise", "--seed", "3", "--save", str(path), "--json"]
    code, out, _ = run(capsys, *args)
    saved = json.loads(path.read_text())
    assert code == 0 and json.loads(out)["verdict"] == "certified"
    assert saved["d1"] == 2 and len(saved["noise"]) == 2
    code2, out2, _ = run(capsys, *args)
    assert json.loads(out2) == json.loads(out)


def test_budget_gives_inconclusive(capsys) -> None:
    # (3, 3, 9): 405,224 regions, far more than 0.05 s of census work on any machine
    code, out, _ = run(capsys, "certify", "--random", "--d0", "3", "--d1", "3", "--N", "9",
                       "--noise", "--census", "--budget", "0.05", "--json")
    data = json.loads(out)
    assert code == 3 and data["verdict"] == "inconclusive"
    assert data["regions_examined"] < data["regions"] and "budget" in data["reason"]
    assert data["counts_partial"] is True


def test_verify_point(capsys, tmp_path) -> None:
    point = write(tmp_path, "p.json", '{"W": [["0", "1"], ["0", "31/30"]], "z": ["-10", "10"]}')
    code, out, _ = run(capsys, "verify-point", str(GOLDEN / "g1-leaky-no-noise.json"),
                       "--point", point, "--json")
    data = json.loads(out)
    assert code == 0 and data["local_minimum"] is True and data["loss"] == "1/3"
    assert data["differentiable"] is True and data["critical"] is True and data["reason"]
    kink = write(tmp_path, "k.json", '{"W": [["1", "0"], ["0", "1"]], "z": ["1", "1"]}')
    code, out, _ = run(capsys, "verify-point", str(GOLDEN / "g1-leaky-no-noise.json"), "--point", kink)
    assert code == 1 and "differentiable: no (w_0.x_0" in out and "descent direction" in out


def test_find_counterexample_writes_rechecked_files(capsys, tmp_path) -> None:
    code, out, _ = run(capsys, "find-counterexample", "--d0", "2", "--d1", "2", "--N", "3",
                       "--rho", "1/2", "--seed", "0", "--out", str(tmp_path / "ce"))
    assert code == 0 and "violated hypotheses" in out and "noise" in out
    code, out, _ = run(capsys, "verify-point", str(tmp_path / "ce" / "instance.json"),
                       "--point", str(tmp_path / "ce" / "point.json"), "--json")
    assert code == 0 and Fraction(json.loads(out)["loss"]) > 0
    code, out, _ = run(capsys, "certify", str(tmp_path / "ce" / "instance.json"))
    assert code == 1


BAD = [
    ('{"X": [[0.5, 1]], "y": [1, 2], "d1": 1, "rho": "0"}', r"X\[0\]\[0\]=0.5 \(float\); use '1/2'"),
    ('{"X": [[1, 2]], "y": [1], "d1": 1, "rho": "0"}', "y has 1 entries"),
    ('{"X": [[1, 2], [3]], "y": [1, 2], "d1": 1, "rho": "0"}', "rectangular"),
    ('{"X": [[1, 2]], "y": [1, 2], "d1": 1, "rho": "0", "noise": [[0, 1]]}', r"noise\[0\]\[0\]=0 must be > 0"),
    ('{"X": [[1, 2]], "y": [1, 2], "d1": 1, "rho": "0", "noise": [[1, -1]]}', r"noise\[0\]\[1\]=-1"),
    ('{"X": [[]], "y": [], "d1": 1, "rho": "0"}', "N=0"),
    ('{"X": [[1]], "y": [1], "d1": 0, "rho": "0"}', "d1=0 must be >= 1"),
    ('{"X": [[1]], "y": [1], "d1": 1, "rho": "1"}', "rho=1"),
    ('{"X": [[1]], "y": [1], "d1": 1, "rho": 0.5}', r"rho=0.5 \(float\)"),
    ('{"X": [[1]], "y": [1], "d1": 1}', "missing key 'rho'"),
    ('{"X": [[1]], "y": [1], "d1": 1, "rho": 0, "nosie": []}', "unknown key"),
    ('[1, 2]', "JSON object"),
    ('{"X": [[1]], ', "not valid JSON"),
]


@pytest.mark.parametrize("text, match", BAD)
def test_bad_instance_files_exit_2_naming_the_field(capsys, tmp_path, text, match) -> None:
    import re

    code, out, err = run(capsys, "certify", write(tmp_path, "bad.json", text))
    assert code == 2 and out == ""
    assert re.search(match, err), err
    assert "Traceback" not in err


def test_missing_file_and_bad_flags_exit_2(capsys, tmp_path) -> None:
    code, _, err = run(capsys, "certify", str(tmp_path / "nope.json"))
    assert code == 2 and "cannot read instance file" in err
    assert main(["certify", "--census", "--bogus"]) == 2  # main returns the exit code
    code, _, err = run(capsys, "certify", "--random", "--d0", "0")
    assert code == 2 and "d0=0 must be >= 1" in err
    code, _, err = run(capsys, "certify", "--random", "--rho", "0.3.3")
    assert code == 2 and "rho='0.3.3'" in err


def test_bad_point_file_exit_2(capsys, tmp_path) -> None:
    pt = write(tmp_path, "p.json", '{"W": [[1, 2]], "z": [1, 1]}')
    code, _, err = run(capsys, "verify-point", str(GOLDEN / "g1-leaky-no-noise.json"), "--point", pt)
    assert code == 2 and "W has 1 rows but d1=2" in err


def test_estimate_refuses_hours_long_runs(capsys, monkeypatch) -> None:
    import exactmin.search.cost as cost

    monkeypatch.setattr(cost, "LIMIT_SECONDS", 1e-6)
    code, _, err = run(capsys, "certify", "--random", "--d0", "2", "--d1", "3", "--N", "5", "--census")
    assert code == 4 and "estimated at" in err and "--force" in err
    code, _, _ = run(capsys, "certify", "--random", "--d0", "2", "--d1", "3", "--N", "5", "--census", "--force")
    assert code in (0, 1)


def test_console_entry_point_demo_runs_without_traceback() -> None:
    proc = subprocess.run([sys.executable, "-m", "exactmin", "demo"], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("REFUTED") == 2 and proc.stdout.count("CERTIFIED") == 1
    assert "gradient" in proc.stdout and "box" in proc.stdout


def test_huge_arrangement_is_refused_before_enumeration(capsys, tmp_path) -> None:
    import random

    rng = random.Random(0)
    X = [[rng.randint(-50, 50) for _ in range(60)] for _ in range(6)]
    inst = {"X": X, "y": [1] * 60, "d1": 2, "rho": "1/2"}
    code, _, err = run(capsys, "certify", write(tmp_path, "big.json", json.dumps(inst)))
    assert code == 4 and "up to" in err and "--force" in err
    code, _, err = run(capsys, "certify", "--random", "--d0", "6", "--N", "60")
    assert code == 2 and "minors" in err


def test_certify_out_writes_a_kernel_checked_certificate(capsys, tmp_path) -> None:
    out = tmp_path / "c.json"
    code, text, _ = run(capsys, "certify", str(GOLDEN / "g2-leaky-noise.json"), "--out", str(out))
    assert code == 0 and "VERIFIED certified" in text and out.exists()
    assert not list(tmp_path.glob("*.unchecked")) and not list(tmp_path.glob("*.tmp"))
    code, text, _ = run(capsys, "check", str(out))
    assert code == 0 and "VERIFIED certified" in text and "(d0, d1, N) = (2, 2, 3)" in text
    refuted = tmp_path / "r.json"
    code, text, _ = run(capsys, "certify", str(GOLDEN / "g4-relu-needs-z-zero.json"), "--census",
                        "--out", str(refuted), "--json")
    assert code == 1 and json.loads(text)["verdict"] == "refuted"
    code, text, _ = run(capsys, "check", str(refuted))  # a census certificate: the counts
    assert code == 0 and "VERIFIED census: 64 regions" in text and "17 with nonzero loss" in text


def test_out_without_check_and_inconclusive(capsys, tmp_path) -> None:
    out = tmp_path / "c.json"
    code, text, _ = run(capsys, "certify", str(GOLDEN / "g2-leaky-noise.json"), "--out", str(out),
                        "--no-check")
    assert code == 0 and "not re-checked" in text and out.exists()
    code, text, _ = run(capsys, "certify", "--random", "--d0", "3", "--d1", "3", "--N", "9",
                        "--noise", "--census", "--budget", "0.05", "--out", str(tmp_path / "i.json"))
    assert code == 3 and "no certificate written" in text and not (tmp_path / "i.json").exists()


def test_out_to_a_missing_directory_is_bad_input(capsys, tmp_path) -> None:
    code, _, err = run(capsys, "certify", str(GOLDEN / "g2-leaky-noise.json"), "--out",
                       str(tmp_path / "no" / "such" / "dir" / "c.json"))
    assert code == 2 and "cannot write" in err


def test_check_reports_rejection_and_malformed(capsys, tmp_path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "exactmin-certificate", "version": 7}')
    code, text, _ = run(capsys, "check", str(bad))
    assert code == 2 and "MALFORMED" in text


def test_demo_writes_and_rechecks_certificates(capsys, tmp_path) -> None:
    code, text, _ = run(capsys, "demo", "--out", str(tmp_path))
    assert code == 0 and text.count("VERIFIED") == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "demo1.cert.json", "demo2.cert.json", "demo3.cert.json"]


def test_find_counterexample_in_the_exceptional_null_set(capsys) -> None:
    # Coarse noise (k/10) can hit the measure-zero set where the theorem may fail; the exact
    # counterexample is genuine and the output says no checked hypothesis is violated.
    code, out, _ = run(capsys, "find-counterexample", "--d0", "2", "--d1", "2", "--N", "3",
                       "--rho", "1/2", "--noise", "--seed", "0", "--json")
    data = json.loads(out)
    assert code == 0 and data["found"] and data["violated"] == []
    inst = Instance.from_dict(data["instance"])
    rep = verify_point(inst, data["point"]["W"], data["point"]["z"])
    assert rep.local_minimum is True and rep.loss == Fraction(data["loss"]) > 0


def test_output_piped_into_head_ends_quietly() -> None:
    import subprocess
    import sys

    proc = subprocess.run(
        f"{sys.executable} -m exactmin spinglass enumerate --Lambda 3 | head -1",
        shell=True, capture_output=True, text=True, timeout=120)
    assert proc.stdout.startswith("tensor:") and proc.stderr == ""


def test_naive_estimate_counts_the_regions_it_timed(capsys, monkeypatch) -> None:
    """The estimate divides the time of regions actually decided (a sample spread over the
    run) by their number, never the setup time by zero regions (which refused a 40 s run as
    "11.8 h")."""
    import exactmin.search.cost as cost

    monkeypatch.setattr(cost, "LIMIT_SECONDS", 0.0)
    code, _, err = run(capsys, "certify", "--random", "--d0", "2", "--d1", "3", "--N", "5",
                       "--noise", "--engine", "naive")
    assert code == 4 and "on 24 regions sampled over the whole run" in err
    total = int(err.split("this run has ")[1].split()[0])
    assert f"({total} to decide)" in err


def test_refused_checkpoint_run_writes_no_checkpoint(capsys, monkeypatch, tmp_path) -> None:
    import exactmin.search.cost as cost

    monkeypatch.setattr(cost, "LIMIT_SECONDS", 0.0)
    path = tmp_path / "ck.json"
    for workers in ("1", "2"):
        code, _, err = run(capsys, "certify", "--random", "--d1", "3", "--N", "5", "--census",
                           "--checkpoint", str(path), "--workers", workers)
        assert code == 4 and not path.exists()


def test_estimates_agree_across_workers_and_checkpoint(capsys, monkeypatch, tmp_path) -> None:
    """One estimator for every mode: the per-region time comes from the same seeded sample, so
    the estimate with a checkpoint (one process) is the one-process estimate."""
    import exactmin.search.cost as cost

    monkeypatch.setattr(cost, "LIMIT_SECONDS", 0.0)
    messages = []
    for extra in (["--workers", "1"], ["--checkpoint", str(tmp_path / "ck.json")]):
        _, _, err = run(capsys, "certify", "--random", "--d0", "2", "--d1", "3", "--N", "6",
                        "--census", *extra)
        messages.append(err)
    assert all("on 24 regions sampled" in m and " on 2 processes" not in m for m in messages)


def test_random_only_options_with_an_instance_file_are_an_error(capsys) -> None:
    """--noise / --rho / --d0 ... with an instance file were silently ignored; now exit 2
    naming them."""
    code, out, err = run(capsys, "certify", str(GOLDEN / "g1-leaky-no-noise.json"), "--noise",
                         "--rho", "0")
    assert code == 2 and not out and "--rho, --noise only apply with --random" in err


def test_negative_rho_is_read_as_a_value(capsys) -> None:
    code, out, _ = run(capsys, "certify", "--random", "--rho", "-1/2", "--json")
    assert code in (0, 1, 3) and json.loads(out)["rho"] == "-1/2"


def test_random_flag_and_random_instance_agree(capsys, tmp_path) -> None:
    """One default for the random data: certify --random --seed 0 is random_instance(seed=0)."""
    from exactmin import random_instance

    path = tmp_path / "r.json"
    run(capsys, "certify", "--random", "--d0", "3", "--N", "5", "--save", str(path))
    assert json.loads(path.read_text()) == random_instance(3, 2, 5, seed=0).to_dict()


def test_json_mode_reports_errors_as_json(capsys) -> None:
    for argv, field in ((["certify", "--json", "--rho"], "--rho"),
                        (["certify", "--random", "--json", "--workers", "0"], "--workers"),
                        (["certify", "--json"], None)):
        code, out, _ = run(capsys, *argv)
        err = json.loads(out)
        assert code == 2 and err["exit_code"] == 2 and err["field"] == field and err["error"]


def test_progress_json_emits_one_json_line_per_update(capsys) -> None:
    code, _, err = run(capsys, "--progress-json", "certify", "--random", "--d1", "3", "--N", "6",
                       "--noise", "--census", "--workers", "1")
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert code in (0, 1) and lines and lines[-1]["total"] == 1728
    assert all(set(d) == {"done", "total", "rate", "eta", "unit"} for d in lines)


def test_list_bad_in_text_json_and_csv(capsys, tmp_path) -> None:
    g1 = str(GOLDEN / "g1-leaky-no-noise.json")
    code, _, err = run(capsys, "certify", g1, "--list-bad")
    assert code == 2 and "--list-bad needs --census" in err
    csv_path = tmp_path / "bad.csv"
    code, out, _ = run(capsys, "certify", g1, "--census", "--list-bad", "--json", "--csv",
                       str(csv_path))
    data = json.loads(out)
    assert code == 1 and sum(b["orderings"] for b in data["bad_regions"]) == data["bad_dlm_regions"]
    rows = csv_path.read_text().splitlines()
    assert rows[0].startswith("regions,orderings,loss") and len(rows) == len(data["bad_regions"]) + 1
    code, out, _ = run(capsys, "certify", g1, "--census", "--list-bad")
    assert "bad DLM regions: 7 listed, standing for 8 ordered regions" in out


def test_data_from_csv_npy_and_stdin(capsys, tmp_path, monkeypatch) -> None:
    import io

    import numpy as np

    X = tmp_path / "X.csv"
    X.write_text("0,1\n1,1\n2,1\n")  # one data point per row: the g1 data
    y = tmp_path / "y.csv"
    y.write_text("0\n1\n0\n")
    code, out, _ = run(capsys, "certify", "--X", str(X), "--y", str(y), "--d1", "2", "--rho",
                       "1/2", "--json")
    data = json.loads(out)
    assert code == 1 and (data["d0"], data["N"]) == (2, 3)
    code, _, err = run(capsys, "certify", "--X", str(X), "--y", str(y), "--d1", "2")
    assert code == 2 and "--X needs --y FILE, --d1 D1 and --rho RHO" in err
    np.save(tmp_path / "X.npy", np.array([[0.0, 1.0], [1.0, 1.0], [2.0, 1.0]]))
    np.save(tmp_path / "y.npy", np.array([0.0, 1.0, 0.0]))
    args = ["certify", "--X", str(tmp_path / "X.npy"), "--y", str(tmp_path / "y.npy"), "--d1",
            "2", "--rho", "1/2"]
    code, _, err = run(capsys, *args)
    assert code == 2 and "6 bad entries" in err and "--rationalize exact" in err
    code, out, _ = run(capsys, *args, "--rationalize", "exact", "--json")
    assert code == 1 and json.loads(out)["bad_losses"] == data["bad_losses"]
    monkeypatch.setattr("sys.stdin", io.StringIO((GOLDEN / "g1-leaky-no-noise.json").read_text()))
    code, out, _ = run(capsys, "certify", "-", "--json")
    assert code == 1 and json.loads(out)["bad_losses"]


def test_decimal_and_float_arrays_in_the_api() -> None:
    from decimal import Decimal

    import numpy as np

    from exactmin import Instance

    inst = Instance.from_lists([[Decimal("0.1"), 1]], [Decimal("2.5"), 0], 1, "1/2")
    assert inst.X[0][0] == Fraction(1, 10) and inst.y[0] == Fraction(5, 2)
    exact = Instance.from_arrays(np.array([[0.1, 1.0]]), [1, 0], 1, 0, rationalize="exact")
    assert exact.X[0][0] == Fraction(0.1) != Fraction(1, 10)
    near = Instance.from_arrays(np.array([[0.1, 1.0]]), [1, 0], 1, 0,
                                rationalize="limit_denominator=1000")
    assert near.X[0][0] == Fraction(1, 10)
    with pytest.raises(InvalidInput, match="looks transposed"):
        Instance.from_lists([[1, 2], [3, 4], [5, 6]], [1, 2, 3], 1, 0)


def test_quiet_prints_only_the_verdict_and_verbose_prints_the_estimate(capsys) -> None:
    code, out, _ = run(capsys, "-q", "certify", str(GOLDEN / "g1-leaky-no-noise.json"))
    assert code == 1 and out.strip().splitlines() == [
        "verdict: REFUTED: a differentiable local minimum with nonzero loss exists"]
    code, _, err = run(capsys, "-v", "certify", "--random", "--d1", "3", "--N", "6", "--noise",
                       "--census", "--workers", "1")
    assert code in (0, 1) and "regions to decide, estimated at" in err
    code, _, err = run(capsys, "-q", "-v", "certify", "--random")
    assert code == 2 and "contradict" in err


def test_library_errors_name_arguments_and_the_cli_names_flags(capsys, monkeypatch) -> None:
    import exactmin.search.cost as cost
    from exactmin import TooExpensive, certify, random_instance

    monkeypatch.setattr(cost, "LIMIT_SECONDS", 0.0)
    with pytest.raises(TooExpensive) as exc:
        certify(random_instance(2, 3, 5), census=True)
    assert "force=True" in str(exc.value) and "--force" not in str(exc.value)
    code, _, err = run(capsys, "certify", "--random", "--d1", "3", "--N", "5", "--census")
    assert code == 4 and "--force" in err and "force=True" not in err


def test_missing_dependency_is_one_clear_line_not_a_traceback() -> None:
    code = ("import sys; sys.modules['ppl'] = None; from exactmin.cli import main; "
            "sys.exit(main(['certify', '--random']))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "dependency 'ppl' is not installed" in proc.stderr and "pip install" in proc.stderr


def test_region_enumeration_is_estimated_and_refused_before_it_starts(capsys) -> None:
    """(3, 50, 150): the unit regions alone (up to 22,352 of them, exact LPs) are estimated at
    hours: refused at once (exit 4) in human units, not silent for minutes; with a budget below
    the enumeration's estimate the run is refused too (the budget would be ignored)."""
    import time

    from exactmin.cli import main

    start = time.monotonic()
    code = main(["certify", "--random", "--d0", "3", "--d1", "50", "--N", "150", "--noise",
                 "--max-int", "100"])
    err = capsys.readouterr().err
    assert code == 4 and time.monotonic() - start < 30, err
    assert "22,352 regions per unit" in err and "exact LPs" in err and "--force" in err
    assert re.search(r"estimated at [0-9.]+ (h|days), above ten minutes", err), err
    code = main(["certify", "--random", "--d0", "3", "--d1", "20", "--N", "60", "--noise",
                 "--max-int", "100", "--budget", "5"])
    err = capsys.readouterr().err
    assert code == 4 and "above the budget of 5 s" in err, err


def test_json_for_pipelines(capsys, tmp_path) -> None:
    """One compact line per object (indented with --pretty); certify --json --out says where the
    certificate is, what the kernel said and how long it took; demo --json gives every path;
    the kernel's own --json; an error naming a flag fills "field"."""
    cert = tmp_path / "c.json"
    code, out, _ = run(capsys, "certify", str(GOLDEN / "g2-leaky-noise.json"), "--json",
                       "--out", str(cert))
    assert code == 0 and len(out.strip().splitlines()) == 1
    data = json.loads(out)["certificate"]
    assert data["path"] == str(cert) and data["kernel"].startswith("VERIFIED certified")
    assert data["kernel_seconds"] > 0
    code, out, _ = run(capsys, "--pretty", "certify", str(GOLDEN / "g2-leaky-noise.json"),
                       "--json")
    assert code == 0 and len(out.splitlines()) > 10 and json.loads(out)["verdict"] == "certified"
    code, out, _ = run(capsys, "demo", "--json", "--out", str(tmp_path / "demo"))
    assert code == 0 and [Path(d["certificate"]["path"]).exists() for d in json.loads(out)] == \
        [True] * 3
    proc = subprocess.run([sys.executable, "-m", "exactmin", "check", str(cert), "--json"],
                          capture_output=True, text=True, timeout=120)
    got = json.loads(proc.stdout)
    assert proc.returncode == 0 and got["outcome"] == "VERIFIED" and got["exit_code"] == 0
    assert "6 regions per unit" in got["line"] and got["statement"].startswith("statement: ")
    code, out, _ = run(capsys, "certify", str(GOLDEN / "g1-leaky-no-noise.json"), "--census",
                       "--checkpoint", str(tmp_path / "ck.json"), "--out", str(cert), "--json")
    assert code == 2 and json.loads(out)["field"] == "--checkpoint"


def test_notebook_displays(monkeypatch) -> None:
    """_repr_html_ tables for the census, results, point reports, instances and enumerations;
    in a Jupyter kernel without ipywidgets the progress bar is tqdm's plain one (no warning)."""
    import types

    from exactmin import certify, random_instance
    from exactmin.search import progress
    from exactmin.spinglass import random_tensor
    from exactmin.theorems.choromanska import enumerate_critical_points

    inst = Instance.from_lists([[0, 1, 2], [1, 1, 1]], [0, 1, 0], 2, "1/2")
    res = certify(inst, census=True)
    point = verify_point(inst, [["0", "1"], ["0", "31/30"]], ["-10", "10"])
    for obj, words in ((inst, "(d0, d1, N)"), (res, "REFUTED"), (res.census, "36 of 36"),
                       (point, "local minimum"), (random_instance(2, 2, 3), "rho"),
                       (enumerate_critical_points(random_tensor(3, 3, seed=0)), "complete")):
        text = obj._repr_html_()
        assert text.startswith("<div><b>") and "<table>" in text and words in text, text
    from exactmin.models.deep import DeepInstance, DeepPoint
    from exactmin.theorems.kawaguchi_kaelbling import eliminate
    from exactmin.theorems.milne import convexity
    from exactmin.theorems.soudry_carmon import verify_deep_point

    deep = DeepInstance.from_dict({"X": [[0, 1, 3], [1, 1, 1]], "y": [1, 0, 2],
                                   "widths": [2, 2, 2, 1], "rho": 0})
    weights = DeepPoint.from_dict({"weights": [[[1, 4], [2, 4]], [[1, 1], [1, 2]], [[-1, 1]]]},
                                  deep)
    for obj, key in ((verify_deep_point(deep, weights), "path_rank"),
                     (eliminate(deep, weights, "1/10"), "verdict"),
                     (convexity(deep, weights, "1/10"), "positive_definite"), (point, "grad_W")):
        assert key in json.loads(obj.to_json()) and "<table>" in obj._repr_html_()
    monkeypatch.setitem(sys.modules, "ipykernel", types.ModuleType("ipykernel"))
    real = __import__("importlib.util").util.find_spec
    monkeypatch.setattr("importlib.util.find_spec",
                        lambda name, *a: None if name == "ipywidgets" else real(name, *a))
    from tqdm.std import tqdm

    assert progress._tqdm() is tqdm


def test_the_command_line_reference_page_is_current() -> None:
    """docs/cli.md is generated from the parser; regenerate it when a flag or help text changes."""
    from pathlib import Path

    from exactmin.cli.reference import markdown

    page = Path(__file__).parents[2] / "docs" / "cli.md"
    assert page.read_text() == markdown(), (
        "docs/cli.md is stale: python -m exactmin.cli.reference > docs/cli.md")


def test_every_command_lists_its_exit_codes() -> None:
    from exactmin.cli.app import parser
    from exactmin.cli.reference import _commands

    top, _ = parser()
    leaves = [(prog, p) for prog, p in _commands(top)
              if not any(a.__class__.__name__ == "_SubParsersAction" for a in p._actions)]
    assert len(leaves) >= 15
    for prog, p in leaves:
        assert p.epilog and p.epilog.startswith("exit codes"), prog


def test_census_certificate_written_gzipped_by_its_name(capsys, tmp_path: Path) -> None:
    """``--out NAME.json.gz`` writes gzip (re-checked by the kernel before it is moved into
    place); the same census as the plain file."""
    import gzip

    gz, plain = tmp_path / "c.json.gz", tmp_path / "c.json"
    for out in (gz, plain):
        code, text, _ = run(capsys, "certify", str(GOLDEN / "g1-leaky-no-noise.json"), "--census",
                            "--out", str(out))
        assert code == 1 and "VERIFIED census" in text
    assert gz.read_bytes()[:2] == b"\x1f\x8b"
    assert gzip.decompress(gz.read_bytes()) == plain.read_bytes()
    code, text, _ = run(capsys, "check", str(gz))
    assert code == 0 and "VERIFIED census" in text
