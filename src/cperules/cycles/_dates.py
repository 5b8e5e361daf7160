"""Date arithmetic and validated numbers shared by the cycle kinds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from pydantic import AfterValidator, Field, ValidationInfo
from pydantic_core import PydanticCustomError

from cperules.days import MAX_CYCLE_MONTHS, MAX_CYCLE_YEARS, MAX_GRACE_DAYS, MAX_GRACE_MONTHS

ONE_DAY = dt.timedelta(days=1)

# --- validation helpers -----------------------------------------------------------------


def _check_positive(value: int, info: ValidationInfo) -> int:
    if value < 1:
        raise PydanticCustomError(
            "invalid-cycle-spec",
            "{field} must be at least 1, got {value}",
            {"field": info.field_name, "value": value},
        )
    return value


def _check_month(value: int, info: ValidationInfo) -> int:
    if not 1 <= value <= 12:
        raise PydanticCustomError(
            "invalid-cycle-spec",
            "{field} must be a month number from 1 to 12, got {value}",
            {"field": info.field_name, "value": value},
        )
    return value


def _within(limit: int, unit: str) -> Callable[[int, ValidationInfo], int]:
    """A check that a whole number of ``unit`` is from 1 to ``limit``, with a located error.

    Dates are computed from such numbers (``earned + years``), so an unbounded one would
    run off the calendar (a cycle of 8,000 years) or overflow (a grace of a billion days).
    """

    def check(value: int, info: ValidationInfo) -> int:
        _check_positive(value, info)
        if value > limit:
            raise PydanticCustomError(
                "invalid-cycle-spec",
                "{field} must be at most {limit} {unit}, got {value}",
                {
                    "field": info.field_name,
                    "limit": limit,
                    "unit": unit,
                    "value": value,
                    "expected": f"a whole number of {unit} from 1 to {limit}",
                },
            )
        return value

    return check


def _schema(limit: int) -> Any:
    return Field(json_schema_extra={"minimum": 1, "maximum": limit})


Positive = Annotated[int, AfterValidator(_check_positive), Field(json_schema_extra={"minimum": 1})]
Years = Annotated[int, AfterValidator(_within(MAX_CYCLE_YEARS, "years")), _schema(MAX_CYCLE_YEARS)]
Months = Annotated[
    int, AfterValidator(_within(MAX_CYCLE_MONTHS, "months")), _schema(MAX_CYCLE_MONTHS)
]
GraceDays = Annotated[int, AfterValidator(_within(MAX_GRACE_DAYS, "days")), _schema(MAX_GRACE_DAYS)]
GraceMonths = Annotated[
    int, AfterValidator(_within(MAX_GRACE_MONTHS, "months")), _schema(MAX_GRACE_MONTHS)
]
MonthNumber = Annotated[
    int, AfterValidator(_check_month), Field(json_schema_extra={"minimum": 1, "maximum": 12})
]


# --- date helpers -----------------------------------------------------------------------


_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _last_day(year: int, month: int) -> int:
    """The number of days in ``month`` of ``year``."""
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS_IN_MONTH[month - 1]


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months, clamped to the end of a shorter month.

    The same date as ``day + relativedelta(months=months)``, without building one (the
    cycle kinds call it for every cycle of every holding).

    >>> add_months(dt.date(2024, 1, 31), 1), add_months(dt.date(2024, 2, 29), -12)
    (datetime.date(2024, 2, 29), datetime.date(2023, 2, 28))
    """
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    return dt.date(year, month, min(day.day, _last_day(year, month)))


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` plus ``years`` years: 29 February becomes 28 February in a common year.

    The same date as ``day + relativedelta(years=years)``.

    >>> add_years(dt.date(2024, 2, 29), 1), add_years(dt.date(2024, 2, 29), 4)
    (datetime.date(2025, 2, 28), datetime.date(2028, 2, 29))
    """
    year = day.year + years
    if day.month == 2 and day.day == 29 and _last_day(year, 2) == 28:
        return dt.date(year, 2, 28)
    return dt.date(year, day.month, day.day)


def month_end(day: dt.date) -> dt.date:
    """Return the last day of ``day``'s month (``day + relativedelta(day=31)``).

    >>> month_end(dt.date(2024, 2, 10))
    datetime.date(2024, 2, 29)
    """
    return dt.date(day.year, day.month, _last_day(day.year, day.month))


def whole_months(start: dt.date, end: dt.date) -> int:
    """Whole months in the inclusive range ``start..end``; leftover days are ignored.

    The same number as ``r.years * 12 + r.months`` for
    ``r = relativedelta(end + 1 day, start)``: the most months ``m`` with
    ``start + m months`` on or before the day after ``end``.

    >>> whole_months(dt.date(2024, 3, 15), dt.date(2024, 7, 31))
    4
    >>> whole_months(dt.date(2024, 1, 31), dt.date(2024, 2, 27))
    0
    >>> whole_months(dt.date(2024, 1, 31), dt.date(2024, 2, 28))
    1
    """
    after = end + ONE_DAY
    months = (after.year - start.year) * 12 + after.month - start.month
    # start + m months is monotone in m: step back while it overshoots the day after end.
    while add_months(start, months) > after:
        months -= 1
    return months
