"""One module per paper: its hypotheses, its ``certify`` / ``verify`` entry points, and its
:class:`~exactmin.theorems.paper.Paper` declaration (``PAPER_INFO``).

``PAPERS`` lists them; ``THEOREMS`` (each certificate theorem id -> the module that produces such
certificates) is derived from it, and the kernel's ``CHECKERS`` registry has the same ids (a
test compares them, and checks that every paper's example, proof, docs page, corpus folders,
property tests and commands exist).
"""

from exactmin.theorems import choromanska, kawaguchi_kaelbling, milne, soudry_carmon, soudry_hoffer
from exactmin.theorems.paper import Paper

PAPERS: tuple[Paper, ...] = tuple(m.PAPER_INFO for m in (
    soudry_carmon, soudry_hoffer, kawaguchi_kaelbling, milne, choromanska))
_MODULES = {m.PAPER_INFO.id: m for m in (soudry_carmon, soudry_hoffer, kawaguchi_kaelbling, milne,
                                         choromanska)}
THEOREMS = {theorem: _MODULES[paper.id] for paper in PAPERS for theorem in paper.theorems}

__all__ = ["PAPERS", "THEOREMS", "Paper", "choromanska", "kawaguchi_kaelbling", "milne",
           "soudry_carmon", "soudry_hoffer"]
