"""One-way layers (docs/architecture.md): a module imports only from its own layer or lower,
no import cycle anywhere (lazy imports inside functions included), and the trusted kernel is
imported by the command line only."""

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).parents[2] / "exactmin"

# Layer number of each top-level part of the package; higher may import lower, never the reverse.
LAYERS = {
    "errors": 0, "fileio": 0, "processes": 0, "protocol": 0,
    "check": 0,  # check/ stands alone (tests/kernel enforces stdlib only)
    "arith": 1, "linalg": 2, "geometry": 3, "models": 4, "spinglass": 4,
    "decide": 5, "results": 5, "certificates": 6,
    "search": 7, "theorems": 8,
    "report": 9, "strategies": 9, "experiments": 9, "cli": 10, "__init__": 11, "__main__": 11,
}

FILES = sorted(PKG.rglob("*.py"))


def _module(path: Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module(p): p for p in FILES}


def _imports(path: Path) -> list[str]:
    """Every exactmin module the file imports (type-only imports under ``if TYPE_CHECKING:``
    included: a type-only import upward is a design cycle too), relative imports resolved,
    ``from P import m`` resolved to the module ``P.m`` when that is a module."""
    tree = ast.parse(path.read_text())
    here = _module(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            subs = [f"{module}.{a.name}" for a in node.names if f"{module}.{a.name}" in MODULES]
            out += subs
            if len(subs) < len(node.names):  # some names come from the module itself
                out.append(module)
    return [m for m in out if m.split(".")[0] == "exactmin"]


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


@pytest.mark.parametrize("path", [p for p in FILES if "check" not in p.relative_to(PKG).parts],
                         ids=lambda p: str(p.relative_to(PKG)))
def test_imports_go_down_the_stack(path: Path) -> None:
    rel = path.relative_to(PKG)
    own = rel.parts[0].removesuffix(".py")
    assert own in LAYERS, f"{rel}: add its layer to LAYERS"
    for module in _imports(path):
        if module == "exactmin":
            continue
        target = _part(module)
        assert target in LAYERS, f"{rel} imports unknown part {module}"
        assert LAYERS[target] <= LAYERS[own], f"{rel} (layer {own}) imports {module} (higher layer)"


def test_layer_map_covers_the_package() -> None:
    parts = {p.relative_to(PKG).parts[0].removesuffix(".py") for p in FILES}
    assert parts <= set(LAYERS)


def test_no_import_cycles() -> None:
    """Between any two modules (inside a folder too), imports go one way only, type-only
    imports included."""
    graph = {m: {t for t in _imports(p) if t in MODULES and t not in ("exactmin", m)}
             for m, p in MODULES.items()}
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for t in sorted(graph[m]):
            if state.get(t) == 1:
                cycle = stack[stack.index(t):] + [t]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if t not in state:
                visit(t)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)


def test_kernel_is_imported_by_the_command_line_only() -> None:
    """Library code never calls the kernel in-process: certify --out and exactmin check run it
    in a fresh interpreter (exactmin/cli/)."""
    for module, path in MODULES.items():
        if _part(module) in ("check", "cli"):
            continue
        used = [m for m in _imports(path) if _part(m) == "check"]
        assert not used, f"{module} imports {used}"


def test_theorem_registry_matches_the_kernel() -> None:
    """Every theorem exactmin certifies has a kernel checker, and no checker is orphaned."""
    from exactmin.check import CHECKERS
    from exactmin.theorems import THEOREMS

    assert set(THEOREMS) == set(CHECKERS)
