"""Writer of ``choromanska/critical_points`` certificates (docs/certificates/choromanska/critical_points.md)."""

from __future__ import annotations

from typing import Any, Sequence

from exactmin.arith import fmt
from exactmin.certificates import envelope
from exactmin.spinglass import SpinTensor

__all__ = ["THEOREM", "critical_points"]

THEOREM = "choromanska/critical_points"


def critical_points(tensor: SpinTensor, boxes: Sequence[Any], real_points: Sequence[Any],
                    complete: bool) -> dict[str, Any]:
    """The certificate of certified solutions (``boxes``, Krawczyk rectangles) and the real
    critical points among them (with energy and index).

    Each solution's ball is ``{x : max_i |x_i - c_i|_1 <= radius}`` with ``|z|_1 = |Re z| +
    |Im z|``; it contains the Krawczyk rectangle of half-width ``r`` when ``radius = 2 r``.
    """
    reals = {pt.box: pt for pt in real_points}
    solutions = []
    for box in boxes:
        entry: dict[str, Any] = {"center": [[fmt(re), fmt(im)] for re, im in box.center],
                                 "radius": fmt(2 * box.radius), "real": box.real}
        if box.real:
            pt = reals[box]
            entry["energy"] = [fmt(pt.energy[0]), fmt(pt.energy[1])]
            entry["index"] = pt.index
        solutions.append(entry)
    return envelope({"theorem": THEOREM, **tensor.to_dict()}, "enumerated",
                    {"solutions": solutions, "complete": complete})
