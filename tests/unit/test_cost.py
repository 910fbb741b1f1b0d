"""One cost module (exactmin/search/cost.py): the ten-minute rule and its message are written
once; every engine refuses through :func:`refuse_if_too_long`."""

import ast
from pathlib import Path

import pytest

from exactmin.errors import TooExpensive
from exactmin.search import cost

PKG = Path(__file__).parents[2] / "exactmin"


def test_the_message_names_the_run_the_estimate_the_limit_and_what_insists() -> None:
    with pytest.raises(TooExpensive) as info:
        cost.refuse_if_too_long(7200.0, "a census of 10^9 regions")
    assert str(info.value) == ("a census of 10^9 regions: estimated at 2 h, above ten "
                               "minutes; pass force=True to run it anyway, or budget=SECONDS to "
                               "stop with partial counts")
    with pytest.raises(TooExpensive, match="anyway$"):
        cost.refuse_if_too_long(7200.0, "x", partial=False)
    cost.refuse_if_too_long(7200.0, "x", force=True)
    cost.refuse_if_too_long(cost.LIMIT_SECONDS, "x")  # at the limit: allowed
    with pytest.raises(TooExpensive, match="above the budget"):
        cost.refuse_if_too_long(11.0, "x", limit=10.0, within="the budget of 10 s")


def test_the_limit_is_read_when_the_check_runs(monkeypatch) -> None:
    monkeypatch.setattr(cost, "LIMIT_SECONDS", 1.0)
    with pytest.raises(TooExpensive):
        cost.refuse_if_too_long(2.0, "x")


def _raises_of_too_expensive(path: Path) -> list[str]:
    """The source of every ``raise TooExpensive(...)`` in ``path``."""
    text = path.read_text()
    tree = ast.parse(text)
    return [ast.get_source_segment(text, node) or "" for node in ast.walk(tree)
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)
            and getattr(node.exc.func, "id", None) == "TooExpensive"]


@pytest.mark.parametrize("path", sorted(p for p in PKG.rglob("*.py") if p.name != "cost.py"),
                         ids=lambda p: str(p.relative_to(PKG)))
def test_no_module_writes_its_own_time_refusal(path: Path) -> None:
    """Refusals by a time estimate go through cost.py; what is left elsewhere are static size
    caps (ties per unit, homotopy paths), which estimate nothing."""
    for source in _raises_of_too_expensive(path):
        assert "estimat" not in source and "LIMIT_SECONDS" not in source, source
