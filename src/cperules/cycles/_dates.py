"""Date arithmetic and validated numbers shared by the cycle kinds."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from dateutil.relativedelta import relativedelta
from pydantic import AfterValidator, Field, ValidationInfo
from pydantic_core import PydanticCustomError

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


Positive = Annotated[int, AfterValidator(_check_positive), Field(json_schema_extra={"minimum": 1})]
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
