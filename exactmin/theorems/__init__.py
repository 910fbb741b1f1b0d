"""One module per paper; each has CITATION, hypotheses(instance) and certify(...)."""

from exactmin.theorems import choromanska, soudry_carmon

__all__ = ["choromanska", "soudry_carmon"]
