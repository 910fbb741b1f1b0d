"""``docs/cli.md``, generated from the argparse tree: every command's ``--help`` (usage, options,
exit codes), in the order of ``exactmin --help``.

Regenerate with ``python -m exactmin.cli.reference > docs/cli.md``; a test fails when the page
is stale, so the page and the parser cannot drift apart.
"""

from __future__ import annotations

import argparse
import os
from contextlib import contextmanager
from typing import Iterator

from exactmin.cli.app import parser

__all__ = ["markdown"]

WIDTH = 100  # help text wrapped at a fixed width, whatever the terminal


@contextmanager
def _columns(width: int) -> Iterator[None]:
    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(width)  # argparse's formatter reads it for its width
    try:
        yield
    finally:
        if old is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = old


def _commands(p: argparse.ArgumentParser) -> list[tuple[str, argparse.ArgumentParser]]:
    """Every (sub)command under ``p``, depth first, as (its ``prog``, its parser)."""
    out = []
    for action in p._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                out.append((child.prog, child))
                out += _commands(child)
    return out


def markdown() -> str:
    """The page: a contents line per command, then each command's help in a code block."""
    with _columns(WIDTH):
        top, _ = parser()
        commands = [(top.prog, top), *_commands(top)]
        lines = ["# Command line reference", "",
                 "Generated from the parser by `python -m exactmin.cli.reference > docs/cli.md` "
                 "(a test fails when this page is stale). Every command also answers `--help`; "
                 "exit codes are listed under each command. Global flags (`-q`, `-v`, "
                 "`--pretty`, `--progress-json`) go before the command.", ""]
        lines += [f"- [`{prog}`](#{prog.replace(' ', '-')})" for prog, _ in commands[1:]]
        for prog, p in commands:
            lines += ["", f'<a id="{prog.replace(" ", "-")}"></a>', f"## `{prog}`", "", "```",
                      p.format_help().rstrip(), "```"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
