"""Local minima where the loss is not differentiable (some w_i . x_n = 0): exactmin decides them
exactly, with a witness the kernel re-checks.

A ReLU network with three units, two of them at w_i = 0 (every data point a tie): a local minimum
with loss 4, certified piece by piece (one cone-membership proof per unit and sign vector of its
ties). Moving one unit's weights onto a data point's line instead gives a point that is not a
local minimum: the witness is a direction along which the loss is an exact polynomial in t with
a negative first coefficient, and the loss recomputed from the network agrees.
"""

import json
import subprocess
import sys
import tempfile
from fractions import Fraction
from pathlib import Path

from exactmin import Instance, verify_point
from exactmin.certificates import dumps
from exactmin.models import Point
from exactmin.models.network import loss

inst = Instance.from_lists([[1, 1, -3], [-1, 3, -3]], [-2, -2, -1], d1=3, rho=0)
W, z = [["-1/3", 0], [0, 0], [0, 0]], [-1, 2, 2]
rep = verify_point(inst, W, z)
print(repr(rep), "- ties:", rep.ties)
assert rep.differentiable is False and rep.local_minimum is True and rep.loss == 4
assert len(rep.pieces) == 1 + 2 ** 3 + 2 ** 3  # one piece per unit and sign vector of its ties

W2 = [["-1/3", 0], [1, -1], [0, 0]]  # unit 1 now ties with x_2 = (-3, -3) only
rep2 = verify_point(inst, W2, z)
dW, dz = rep2.direction
print(repr(rep2), "- L(theta + t d) - L(theta) =", [str(c) for c in rep2.polynomial])
assert rep2.local_minimum is False and rep2.polynomial[0] < 0
t = Fraction(1, 1000)
p = Point.from_lists(W2, z)
moved = Point.from_lists([[w + t * d for w, d in zip(r, dr)] for r, dr in zip(p.W, dW)],
                         [v + t * d for v, d in zip(p.z, dz)])
assert loss(inst, moved) - loss(inst, p) == sum(c * t ** (k + 1)
                                                for k, c in enumerate(rep2.polynomial)) < 0

folder = Path(tempfile.mkdtemp(prefix="exactmin-kinks-"))
for name, report in {"minimum": rep, "descent": rep2}.items():
    path = folder / f"{name}.cert.json"
    path.write_text(dumps(report.certificate()))  # soudry_carmon/kink_point
    out = subprocess.run([sys.executable, "-m", "exactmin.check", str(path)],
                         capture_output=True, text=True)
    print(out.stdout.strip().splitlines()[-1])
    assert out.returncode == 0 and json.loads(path.read_text())["verdict"] in (
        "local_minimum", "not_local_minimum")
