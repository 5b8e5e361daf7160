"""Calendar days the library accepts, and checks for the arguments that take one.

Every date a caller passes in (when an activity was completed, when a certification was
earned, ``as_of``) is a :class:`datetime.date` between :data:`FIRST_DAY` and
:data:`LAST_DAY`. A ``datetime`` is refused rather than cut to its date (strict means
rejected), and the range keeps cycle arithmetic far from the end of the calendar.

>>> import datetime as dt
>>> check_day(dt.date(2025, 1, 1), "as_of")
datetime.date(2025, 1, 1)
>>> check_day("2025-01-01", "as_of")
Traceback (most recent call last):
...
cperules.errors.ArgumentError: as_of: expected a datetime.date such as datetime.date(2025, 1, 1), got the str '2025-01-01' (use datetime.date.fromisoformat('2025-01-01'))
"""  # noqa: E501

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator
from pydantic_core import PydanticCustomError

from cperules.errors import ArgumentError

# Also importable, for the library's own modules (not in the documented API):
# check_day.
__all__ = [
    "FIRST_DAY",
    "LAST_DAY",
    "MAX_CYCLES",
    "MAX_CYCLE_MONTHS",
    "MAX_CYCLE_YEARS",
    "MAX_GRACE_DAYS",
    "MAX_GRACE_MONTHS",
    "Day",
]

FIRST_DAY = dt.date(1900, 1, 1)
"""The earliest day the library accepts."""

LAST_DAY = dt.date(2999, 12, 31)
"""The latest day the library accepts; cycles of up to 100 years still end far from
the calendar's end (9999-12-31)."""

# Spans a policy counts in; dates are computed from them (``earned + years``), so each is
# bounded to keep every date in the calendar (docs/reference/limits.md lists them all).
MAX_CYCLE_YEARS = 100
"""The longest cycle (and schedule repeat) in years: no body renews less often."""

MAX_CYCLE_MONTHS = 1200
"""The longest span in months: a rolling cycle's step or window, a carryover's or renewal
path's window (100 years)."""

MAX_GRACE_DAYS = 3660
"""The longest grace window in days (about ten years)."""

MAX_GRACE_MONTHS = 120
"""The longest grace window in months (ten years)."""

MAX_CYCLES = 1000
"""The most cycles of one holding up to ``as_of`` (83 years of monthly checkpoints): each
is evaluated in turn."""

_RANGE = f"a date from {FIRST_DAY} to {LAST_DAY}"


def _not_a_datetime(value: object) -> object:
    if isinstance(value, dt.datetime):
        raise PydanticCustomError(
            "day-out-of-range",
            "a date, not a datetime: pass {suggested} (a time of day is never dropped silently)",
            {
                "expected": f"a date, not a datetime (pass {value.date()!r})",
                "suggested": repr(value.date()),
            },
        )
    return value


def _in_range(value: dt.date) -> dt.date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise PydanticCustomError(
            "day-out-of-range",
            "{expected}, got {value}",
            {"expected": _RANGE, "value": str(value)},
        )
    return value


Day = Annotated[dt.date, BeforeValidator(_not_a_datetime), AfterValidator(_in_range)]
"""A :class:`datetime.date` from :data:`FIRST_DAY` to :data:`LAST_DAY`, never a datetime.

In validation's lax mode an ISO string (``"2024-05-01"``) is read as a date.
"""


def check_day(value: object, argument: str) -> dt.date:
    """Return ``value`` if it is a date the library accepts, else raise a located error.

    Raises:
        ArgumentError: ``value`` is not a ``datetime.date`` (a ``datetime``, a string,
            ``None``), or it is outside :data:`FIRST_DAY` to :data:`LAST_DAY`.
    """
    if isinstance(value, dt.datetime):
        raise ArgumentError(
            f"{argument}: expected a datetime.date, got the datetime {value!r}; pass "
            f"{value.date()!r} (a time of day is never dropped silently)"
        )
    if not isinstance(value, dt.date):
        hint = ""
        if isinstance(value, str):
            hint = f" (use datetime.date.fromisoformat({value!r}))"
        raise ArgumentError(
            f"{argument}: expected a datetime.date such as datetime.date(2025, 1, 1), got "
            f"the {type(value).__name__} {value!r}{hint}"
        )
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ArgumentError(f"{argument}: expected {_RANGE}, got {value}", code="day-out-of-range")
    return value
