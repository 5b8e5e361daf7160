"""The reference page has exactly one heading per error code, in the code's order."""

import re
from pathlib import Path

from cperules.errors import ERROR_CODES

PAGE = Path(__file__).parents[2] / "docs" / "reference" / "errors.md"


def test_every_error_code_has_a_heading_and_no_heading_is_stale() -> None:
    headings = re.findall(r"^## (\S+)$", PAGE.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert headings == list(ERROR_CODES)
