"""One-way layers (docs/architecture.md): a module imports only from its own layer or lower."""

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).parents[2] / "exactmin"

# Layer number of each top-level part of the package; higher may import lower, never the reverse.
LAYERS = {
    "errors": 0, "fileio": 0, "check": 0,  # check/ stands alone (tests/kernel enforces stdlib only)
    "arith": 1, "linalg": 2, "geometry": 3, "models": 4, "spinglass": 4,
    "results": 5, "certificates": 5,
    "search": 6, "theorems": 7,
    "strategies": 8, "report": 8, "experiments": 8, "cli": 9, "__init__": 10, "__main__": 10,
}


def _part(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "exactmin" and len(parts) > 1 else None


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append(node.module)
    return out


FILES = sorted(p for p in PKG.rglob("*.py") if "check" not in p.relative_to(PKG).parts)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PKG)))
def test_imports_go_down_the_stack(path: Path) -> None:
    rel = path.relative_to(PKG)
    own = rel.parts[0].removesuffix(".py")
    assert own in LAYERS, f"{rel}: add its layer to LAYERS"
    for module in _imports(path):
        target = _part(module)
        if target is None:
            continue
        assert target in LAYERS, f"{rel} imports unknown part {module}"
        assert LAYERS[target] <= LAYERS[own], f"{rel} (layer {own}) imports {module} (higher layer)"


def test_layer_map_covers_the_package() -> None:
    parts = {p.relative_to(PKG).parts[0].removesuffix(".py") for p in FILES}
    assert parts <= set(LAYERS)
