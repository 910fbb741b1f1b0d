"""Search for counterexamples once a hypothesis is dropped, shrink them, and re-check them.

Run: python examples/04_underparameterized_and_search.py
"""

from exactmin import find_counterexample, verify_point

for label, kwargs in [
    ("no noise", dict(d0=2, d1=2, N=3, rho="1/2")),
    ("N > d0*d1", dict(d0=2, d1=1, N=4, rho="1/2", noise=True)),
    ("degenerate data", dict(d0=2, d1=2, N=4, rho="1/2", noise=True, degenerate=True)),
]:
    out = find_counterexample(**kwargs, seed=0)
    assert out.found is not None
    inst, ce = out.found.instance, out.found.counterexample
    again = verify_point(inst, ce.W, ce.z)
    assert again.local_minimum and again.loss == ce.loss > 0
    print(f"{label}: violates {out.violated}; N={inst.N}, d1={inst.d1}, X={[[str(v) for v in r] for r in inst.X]}, "
          f"bad DLM loss {ce.loss}")
