"""One section of docs/performance.md, written by a benchmark script's ``--write-docs``."""

from __future__ import annotations

from pathlib import Path

from exactmin.fileio import atomic_write

DOCS = Path(__file__).resolve().parents[1] / "docs" / "performance.md"


def write_section(title: str, lines: list[str]) -> None:
    """Replace the section headed ``title`` (up to the next ``## ``) by ``title`` and
    ``lines``, or insert it before the history section; the page is written atomically."""
    section = "\n".join([title, "", *lines]).rstrip("\n") + "\n"
    text = DOCS.read_text()
    if title in text:
        start = text.index(title)
        end = text.find("\n## ", start + 1)
        text = text[:start] + section + ("" if end < 0 else "\n" + text[end + 1:])
    else:
        marker = "\n## History"
        at = text.index(marker) if marker in text else len(text)
        text = text[:at].rstrip("\n") + "\n\n" + section + text[at:]
    atomic_write(DOCS, text)
