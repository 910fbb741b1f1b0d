"""A census certificate that costs about what the census costs: sign-choice leaves.

For a noise-free leaky-ReLU instance exactmin certifies the whole census (every region's DLM
decision and the bad losses). A region without a DLM is proved empty by a few *leaves*: a
partial sign choice of ``z`` whose system is already empty, with integer Motzkin multipliers on
rows the kernel derives itself from the statement. The certificate is written gzip-compressed
(``--out CERT.json.gz``), re-checked by the kernel in a fresh interpreter, and a mutant (one
multiplier doubled) is rejected.
"""

import gzip
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from exactmin import certify, random_instance
from exactmin.certificates import dumps, write_certificate

inst = random_instance(2, 3, 8, "1/2", seed=0)  # noise-free: one entry per multiset of regions
res = certify(inst, census=True, certificate=True)
cert = res.certificate()
c = res.census
print(f"census: {c.regions} regions, {c.dlm_regions} hold a DLM, {c.bad_dlm_regions} bad")
kinds = [next(iter(e)) for e in cert["witness"]["regions"]]
trees = [e["no_dlm_tree"] for e in cert["witness"]["regions"] if "no_dlm_tree" in e]
print(f"entries: {kinds.count('dlm')} DLM points, {len(trees)} regions proved empty with "
      f"{sum(len(t['leaves']) for t in trees)} leaves")
print("one region's leaves (depth, mu as (unit, point, m), lam as (unit, coordinate, l)):",
      json.dumps(trees[0]))

with tempfile.TemporaryDirectory() as tmp:
    path = Path(tmp) / "census.json.gz"
    write_certificate(path, cert)
    plain = len(dumps(cert).encode())
    print(f"size: {plain:,} bytes of JSON, {path.stat().st_size:,} gzip-compressed")
    check = [sys.executable, "-m", "exactmin.check"]
    out = subprocess.run(check + [str(path)], capture_output=True, text=True)
    print(out.stdout.strip().splitlines()[-1][:160])
    assert out.returncode == 0 and "VERIFIED census" in out.stdout

    j = next(j for j, e in enumerate(cert["witness"]["regions"]) if "no_dlm_tree" in e
             and any(len(leaf[1]) >= 6 for leaf in e["no_dlm_tree"]["leaves"]))
    tree = cert["witness"]["regions"][j]["no_dlm_tree"]
    leaf = next(leaf for leaf in tree["leaves"] if len(leaf[1]) >= 6)
    leaf[1][2] *= 2  # one of two or more multipliers doubled: the combination no longer vanishes
    bad = Path(tmp) / "mutant.json.gz"
    bad.write_bytes(gzip.compress(dumps(cert).encode()))
    out = subprocess.run(check + [str(bad)], capture_output=True, text=True)
    print("mutant:", out.stdout.strip().splitlines()[-1][:160])
    assert out.returncode == 1 and "REJECTED" in out.stdout
