"""The lint page has exactly one heading per lint code, in the code's order."""

import re
from pathlib import Path

from cperules.linter import LINT_CODES

PAGE = Path(__file__).parents[2] / "docs" / "reference" / "lint.md"


def test_every_lint_code_has_a_heading_and_no_heading_is_stale() -> None:
    headings = re.findall(r"^## (\S+)$", PAGE.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert headings == list(LINT_CODES)
