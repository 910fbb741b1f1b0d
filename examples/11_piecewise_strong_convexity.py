"""Milne: on each activation piece, weight decay makes the loss strongly convex where the training
error is small; elsewhere it need not be. exactmin decides the Hessian's definiteness exactly
(LDL^T pivots in rationals) and writes a certificate that the kernel re-checks on its own.

At a point of a depth-2 ReLU network with a large training error (109/2) and weight decay
lam = 1/10, the Hessian on the piece is not positive definite: an exact direction of
non-positive curvature is the witness, and the kernel verifies it.
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from exactmin.certificates import dumps
from exactmin.models.deep import DeepInstance, DeepPoint
from exactmin.theorems.milne import convexity

inst = DeepInstance.from_dict({"X": [[0, 1, 3], [1, 1, 1]], "y": [1, 0, 2],
                               "widths": [2, 2, 2, 1], "rho": 0})
point = DeepPoint.from_dict({"weights": [[[1, 4], [2, 4]], [[1, 1], [1, 2]], [[-1, 1]]]}, inst)
c = convexity(inst, point, "1/10")
print("positive definite:", c.positive_definite, "- training error", c.training_error)
assert c.positive_definite is False and c.direction is not None

cert = c.certificate()  # milne/convexity: the exact direction of non-positive curvature
folder = Path(tempfile.mkdtemp(prefix="exactmin-milne-"))
(folder / "milne.cert.json").write_text(dumps(cert))
kernel = subprocess.run([sys.executable, "-m", "exactmin", "check", str(folder / "milne.cert.json"),
                         "--json"], capture_output=True, text=True, check=False)
verdict = json.loads(kernel.stdout)
print("kernel:", verdict["line"])
assert verdict["exit_code"] == 0 and "not_positive_definite" in verdict["line"]
