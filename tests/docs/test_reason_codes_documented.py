"""The reasons page has one heading per reason, finding and audit code, in the code's order."""

import re
from pathlib import Path

from cperules.audit_readiness import AUDIT_CODES
from cperules.results import FINDING_CODES, REASON_CODES

PAGE = Path(__file__).parents[2] / "docs" / "reference" / "reasons.md"


def test_every_reason_and_finding_code_has_a_heading() -> None:
    headings = re.findall(r"^### (\S+)$", PAGE.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert headings == [*REASON_CODES, *FINDING_CODES, *AUDIT_CODES]
