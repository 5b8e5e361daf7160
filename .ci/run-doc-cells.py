"""Run the code cells of the docs' text notebooks, in order, as a reader would.

Usage: python run-doc-cells.py PAGE.md [PAGE.md ...]

Each page's ``{code-cell}`` blocks run in one namespace, in a fresh empty directory, so a
page that reads a file only the source tree has fails here (wheel-test runs this with the
installed wheel, from outside the source tree). Matplotlib draws off screen.
"""

from __future__ import annotations

import os
import pathlib
import re
import sys
import tempfile

CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```", re.DOTALL | re.MULTILINE)
OPTIONS = re.compile(r"\A(?::[\w-]+:[^\n]*\n)+")
"""A cell's MyST options (``:tags: [...]`` lines at its top): not Python."""


def run(page: pathlib.Path) -> int:
    """Run the page's cells in order; return how many ran."""
    cells = [OPTIONS.sub("", cell) for cell in CELL.findall(page.read_text(encoding="utf-8"))]
    namespace: dict[str, object] = {"__name__": "__main__"}
    with tempfile.TemporaryDirectory() as empty:
        here = os.getcwd()
        os.chdir(empty)
        try:
            for number, cell in enumerate(cells, 1):
                source = "\n".join(
                    line for line in cell.splitlines() if not line.lstrip().startswith(("%", "!"))
                )
                exec(compile(source, f"{page.name} cell {number}", "exec"), namespace)
        finally:
            os.chdir(here)
    return len(cells)


def main(pages: list[str]) -> None:
    """Run every page given, in turn."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    for name in pages:
        page = pathlib.Path(name)
        print(f"{page.name}: {run(page)} cells ran")


if __name__ == "__main__":
    main(sys.argv[1:])
