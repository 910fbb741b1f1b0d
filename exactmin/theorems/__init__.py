"""One module per paper; each has CITATION, hypotheses(instance) and certify(...)."""

from exactmin.theorems import soudry_carmon

__all__ = ["soudry_carmon"]
