"""The limits page names every limit constant with its value, in one table row."""

from pathlib import Path

import pytest

from cperules import _extends, credits, days, ledger, policy, policy_format, selectors

PAGE = Path(__file__).parents[2] / "docs" / "reference" / "limits.md"

LIMITS = {
    "cperules.credits.MAX_CREDITS": credits.MAX_CREDITS,
    "cperules.credits.MAX_DECIMAL_PLACES": credits.MAX_DECIMAL_PLACES,
    "cperules.credits.MAX_MINUTES": credits.MAX_MINUTES,
    "cperules.days.MAX_CYCLE_YEARS": days.MAX_CYCLE_YEARS,
    "cperules.days.MAX_CYCLE_MONTHS": days.MAX_CYCLE_MONTHS,
    "cperules.days.MAX_GRACE_DAYS": days.MAX_GRACE_DAYS,
    "cperules.days.MAX_GRACE_MONTHS": days.MAX_GRACE_MONTHS,
    "cperules.days.MAX_CYCLES": days.MAX_CYCLES,
    "cperules.policy_format.MAX_NESTING": policy_format.MAX_NESTING,
    "cperules._extends.MAX_CHAIN": _extends.MAX_CHAIN,
    "cperules.selectors.MAX_SELECTOR_DEPTH": selectors.MAX_SELECTOR_DEPTH,
    "cperules.ledger.MAX_ACTIVITY_CATEGORIES": ledger.MAX_ACTIVITY_CATEGORIES,
    "cperules.ledger.MAX_LEDGER_SIZE": ledger.MAX_LEDGER_SIZE,
    "cperules.ledger.MAX_CYCLE_ACTIVITIES": ledger.MAX_CYCLE_ACTIVITIES,
    "cperules.policy.MAX_RULES": policy.MAX_RULES,
    "cperules.policy.MAX_CATEGORIES": policy.MAX_CATEGORIES,
}


@pytest.mark.parametrize(("name", "value"), LIMITS.items())
def test_each_limit_is_on_the_page_with_its_value(name: str, value: object) -> None:
    rows = [line for line in PAGE.read_text(encoding="utf-8").splitlines() if f"`{name}`" in line]
    assert len(rows) == 1, name
    assert f"{int(str(value)):,}" in rows[0], (name, value, rows[0])


def test_the_date_range_is_on_the_page() -> None:
    text = PAGE.read_text(encoding="utf-8")
    assert f"{days.FIRST_DAY} to {days.LAST_DAY}" in text
