"""``exactmin list``: every paper exactmin covers, from the one registry
(:data:`exactmin.theorems.PAPERS`): its id, title, citation, certificate theorem ids and
commands."""

from __future__ import annotations

import argparse
from typing import Any, Callable

from exactmin.cli.common import EXIT_OK, print_json
from exactmin.theorems import PAPERS


def add_commands(sub: Any) -> dict[str, Callable[[argparse.Namespace], int]]:
    p = sub.add_parser("list", help="the papers, their certificate theorem ids and commands",
                       epilog="exit codes: 0")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    return {"list": cmd_list}


def cmd_list(args: argparse.Namespace) -> int:
    if args.json:
        print_json({"papers": [paper.to_dict() for paper in PAPERS]})
        return EXIT_OK
    for paper in PAPERS:
        print(f"{paper.id}: {paper.title}")
        print(f"  {paper.citation}")
        print(f"  commands: {', '.join(f'exactmin {c}' for c in paper.commands)}")
        print(f"  experiments: {', '.join(f'exactmin experiment {e}' for e in paper.experiments)}")
        theorems = ", ".join(paper.theorems) or "(none of its own; see its docs page)"
        print(f"  certificate theorems: {theorems}")
        print(f"  docs/papers/{paper.docs}, proofs/{paper.proof}, examples/{paper.example}")
    return EXIT_OK
