"""Date arithmetic and validated numbers shared by the cycle kinds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from dateutil.relativedelta import relativedelta
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


def month_end(day: dt.date) -> dt.date:
    """Return the last day of ``day``'s month."""
    return day + relativedelta(day=31)


def whole_months(start: dt.date, end: dt.date) -> int:
    """Whole months in the inclusive range ``start..end``; leftover days are ignored."""
    delta = relativedelta(end + ONE_DAY, start)
    return delta.years * 12 + delta.months
