"""An inclusive range of dates, and how it is cut into years."""

from __future__ import annotations

import datetime as dt
from typing import Literal, Self

from pydantic import model_validator
from pydantic_core import PydanticCustomError

from cperules._model import FrozenModel, validating
from cperules.cycles._dates import ONE_DAY, add_years

__all__ = ["Period", "YearsBy"]


YearsBy = Literal["calendar", "anniversary"]
"""How a period is cut into years: at each 1 January, or at each anniversary of its start."""


class Period(FrozenModel):
    """An inclusive range of dates: ``start <= day <= end``.

    Attributes:
        start: The first day of the period.
        end: The last day of the period (on or after ``start``).

    >>> period = Period(start=dt.date(2023, 3, 1), end=dt.date(2026, 2, 28))
    >>> str(period), dt.date(2026, 2, 28) in period, period.days
    ('2023-03-01..2026-02-28', True, 1096)
    >>> [str(year) for year in period.years()]
    ['2023-03-01..2023-12-31', '2024-01-01..2024-12-31', '2025-01-01..2025-12-31', '2026-01-01..2026-02-28']
    """  # noqa: E501

    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _check_order(self) -> Self:
        if self.start > self.end:
            raise PydanticCustomError(
                "invalid-period",
                "a period's start {start} is after its end {end}",
                {"start": self.start.isoformat(), "end": self.end.isoformat()},
            )
        return self

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def days(self) -> int:
        """The number of days in the period, both ends included (a one-day period has 1)."""
        return (self.end - self.start).days + 1

    def overlaps(self, other: Period) -> bool:
        """Whether the two periods share at least one day.

        >>> a = Period(start=dt.date(2024, 1, 1), end=dt.date(2024, 6, 30))
        >>> a.overlaps(Period(start=dt.date(2024, 6, 30), end=dt.date(2024, 12, 31)))
        True
        """
        return self.start <= other.end and other.start <= self.end

    def intersection(self, other: Period) -> Period | None:
        """The days both periods share, or ``None`` when they do not overlap.

        >>> a = Period(start=dt.date(2024, 1, 1), end=dt.date(2024, 6, 30))
        >>> print(a.intersection(Period(start=dt.date(2024, 6, 1), end=dt.date(2025, 1, 1))))
        2024-06-01..2024-06-30
        """
        if not self.overlaps(other):
            return None
        return Period(start=max(self.start, other.start), end=min(self.end, other.end))

    def calendar_years(self) -> tuple[Period, ...]:
        """The period cut at each 1 January; the first and last pieces may be partial.

        >>> period = Period(start=dt.date(2023, 7, 1), end=dt.date(2024, 6, 30))
        >>> [str(piece) for piece in period.calendar_years()]
        ['2023-07-01..2023-12-31', '2024-01-01..2024-06-30']
        """
        return tuple(
            made_period(max(self.start, dt.date(year, 1, 1)), min(self.end, dt.date(year, 12, 31)))
            for year in range(self.start.year, self.end.year + 1)
        )

    def anniversary_years(self) -> tuple[Period, ...]:
        """The period cut at each anniversary of its start; the last piece may be partial.

        Anniversaries are counted from the original start, so a period starting on
        29 February has pieces starting on 28 February in common years and on 29 February
        again in leap years.

        >>> period = Period(start=dt.date(2024, 2, 29), end=dt.date(2026, 12, 31))
        >>> [str(piece) for piece in period.anniversary_years()]
        ['2024-02-29..2025-02-27', '2025-02-28..2026-02-27', '2026-02-28..2026-12-31']
        """
        pieces: list[Period] = []
        start = self.start
        years = 1
        while start <= self.end:
            following = add_years(self.start, years)
            pieces.append(made_period(start, min(self.end, following - ONE_DAY)))
            start = following
            years += 1
        return tuple(pieces)

    def years(self, by: YearsBy = "calendar") -> tuple[Period, ...]:
        """The period cut into years, by calendar year or by anniversary of its start.

        >>> period = Period(start=dt.date(2023, 7, 1), end=dt.date(2024, 6, 30))
        >>> [str(piece) for piece in period.years("anniversary")]
        ['2023-07-01..2024-06-30']
        """
        if by == "anniversary":
            return self.anniversary_years()
        return self.calendar_years()


_GIVEN = {"start", "end"}
"""The fields set of every period :func:`made_period` builds: one set shared by them all."""

_new = object.__new__
_set = object.__setattr__


def made_period(start: dt.date, end: dt.date) -> Period:
    """``Period(start=start, end=end)`` for days known in order, built without validating.

    For the periods of laid-out cycles, kept for many holders: they share one set of the
    fields given (a frozen model's is never changed in place, and a copy gets its own),
    which halves what each costs in memory. With ``_model.validating`` on, it is the
    validated constructor.

    >>> made_period(dt.date(2024, 1, 1), dt.date(2024, 12, 31)) == Period(
    ...     start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))
    True
    """
    if validating.on:
        return Period(start=start, end=end)
    period = _new(Period)
    _set(period, "__dict__", {"start": start, "end": end})
    _set(period, "__pydantic_fields_set__", _GIVEN)
    _set(period, "__pydantic_extra__", None)
    _set(period, "__pydantic_private__", None)
    return period
