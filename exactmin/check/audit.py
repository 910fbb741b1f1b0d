"""What must be read to trust one theorem's verdicts: each checker's import closure inside
``check/`` and its size in lines, against the budget written once in docs/trust-model.md
(``exactmin check --audit``). Standard library only; no checker imports this module.
"""

import ast
from pathlib import Path

HERE = Path(__file__).parent


def _imports(name: str) -> set[str]:
    """The kernel modules ``name`` imports (relative imports only: nothing else is allowed)."""
    out = set()
    for node in ast.walk(ast.parse((HERE / f"{name}.py").read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            out |= ({node.module.split(".")[0]} if node.module else
                    {a.name for a in node.names if (HERE / f"{a.name}.py").exists()})
    return out


COMMON = ("__init__", "main")  # the envelope and registry, the command line: every verdict's
OPTIONAL = ("speed",)  # speed code that --plain does not load: counted apart, not in a closure


def closure(module: str) -> dict[str, int]:
    """Every kernel module ``module`` needs, with its number of lines, plus ``COMMON`` (whose
    imports are the registry of every checker, so they are counted, not followed)."""
    seen = {name: len((HERE / f"{name}.py").read_text(encoding="utf-8").splitlines())
            for name in COMMON}
    todo = [module]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen[name] = len((HERE / f"{name}.py").read_text(encoding="utf-8").splitlines())
            todo += sorted(_imports(name) - set(OPTIONAL))
    return dict(sorted(seen.items()))


def closures() -> dict[str, dict[str, int]]:
    """Theorem id -> the import closure of its checker."""
    from . import CHECKERS

    return {theorem: closure(module.__name__.rsplit(".", 1)[-1])
            for theorem, module in sorted(CHECKERS.items())}


def report() -> str:
    lines = ["kernel audit: the modules to read to trust each theorem's verdicts"]
    for theorem, mods in closures().items():
        lines.append(f"  {theorem}: {sum(mods.values())} lines: "
                     + ", ".join(f"{m}.py {n}" for m, n in mods.items()))
    for name in OPTIONAL:
        n = len((HERE / f"{name}.py").read_text(encoding="utf-8").splitlines())
        lines.append(f"  optional speed code, skipped by --plain: {name}.py {n} lines")
    return "\n".join(lines)
