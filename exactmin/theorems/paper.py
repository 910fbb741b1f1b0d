"""The paper protocol: what one paper's module declares so that the rest of exactmin, and its
tests, can be derived from one list (``exactmin.theorems.PAPERS``).

A new paper is one :class:`Paper` in its ``theorems/<paper>.py`` and one line in ``PAPERS``; a
test checks that everything it names exists (example, proof page, docs page, kernel corpus
folders, property tests, CLI commands, kernel checkers).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Paper"]


@dataclass(frozen=True)
class Paper:
    """One paper, as exactmin covers it.

    Attributes
    ----------
    id : short name (``soudry_carmon``), also the ``theorem`` field of its results
    title, citation : for ``exactmin list`` and the docs
    theorems : the certificate theorem ids its certificates state (the kernel checks each)
    commands : its command-line commands
    experiments : its ``exactmin experiment`` names (:data:`exactmin.experiments.EXPERIMENTS`)
    example, proof, docs : its example script (examples/), proof page (proofs/), docs page
    corpus : its kernel corpus folders (tests/kernel/corpus/)
    properties : its property-test file (tests/properties/)
    """

    id: str
    title: str
    citation: str
    theorems: tuple[str, ...]
    commands: tuple[str, ...]
    experiments: tuple[str, ...]
    example: str
    proof: str
    docs: str
    corpus: tuple[str, ...]
    properties: str

    def to_dict(self) -> dict[str, object]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self.__dict__.items()}
