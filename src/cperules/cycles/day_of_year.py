"""Cycles ending on a fixed day of the year, counted per holder from the date earned."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from typing import Annotated, Literal, Self

from dateutil.relativedelta import relativedelta
from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from cperules.cycles._dates import MonthNumber, Positive
from cperules.cycles.base import (
    CycleSpecBase,
    Held,
    Parity,
    Plan,
    check_parity,
    contiguous,
    parity_remainder,
)

__all__ = ["DayOfYearCycle"]


class DayOfYearCycle(CycleSpecBase):
    """Cycles ending on the same ``month`` and ``day`` every ``years`` years.

    Every holder's cycles end on that day (AFP: 30 June), but which years depends on the
    holder: the first cycle ends on the ``first_end_occurrence``-th such day after the
    date earned (by default the ``years``-th: the third 30 June after passing, for a
    three-year cycle); an occurrence on the date earned itself is not after it. Later
    cycles end ``years`` years after the previous end. With a ``parity``, a first end in
    a year of the wrong parity moves on by one year (a parity needs an even ``years``).
    A cycle on 29 February ends on 28 February in common years.

    >>> from cperules.holders import Holding
    >>> spec = DayOfYearCycle(month=6, day=30, years=3)
    >>> passed = Holding(certification="afp/ctp", earned=dt.date(2023, 5, 1))
    >>> [str(c.period) for c in spec.cycles(passed, as_of=dt.date(2026, 1, 1))]
    ['2023-05-01..2025-06-30', '2025-07-01..2028-06-30']
    >>> later = Holding(certification="afp/ctp", earned=dt.date(2023, 7, 1))
    >>> print(spec.cycle_on(later, later.earned).period)
    2023-07-01..2026-06-30
    >>> florida = DayOfYearCycle(month=6, day=30, years=2, first_end_occurrence=3)
    >>> [str(c.period) for c in florida.cycles(later, as_of=dt.date(2027, 1, 1))]
    ['2023-07-01..2026-06-30', '2026-07-01..2028-06-30']

    Attributes:
        month: The month of the day every cycle ends on.
        day: The day of that month (29 February falls on 28 February in common years).
        years: The number of years between cycle ends after the first.
        first_end_occurrence: Which occurrence of the day after the date earned ends the
            first cycle (``None``: the ``years``-th).
        parity: Which years a cycle may end in (``None``: any year).
    """

    kind: Literal["day-of-year"] = "day-of-year"
    month: MonthNumber
    day: Annotated[int, Field(json_schema_extra={"minimum": 1, "maximum": 31})]
    years: Annotated[Positive, Field(le=100, json_schema_extra={"maximum": 100})]
    first_end_occurrence: (
        Annotated[Positive, Field(le=100, json_schema_extra={"maximum": 100})] | None
    ) = None
    parity: Parity | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        longest = calendar.monthrange(2000, self.month)[1]  # a leap year: 29 February exists
        if not 1 <= self.day <= longest:
            raise PydanticCustomError(
                "invalid-cycle-spec",
                "day {day} does not exist in {month_name}, which has at most {longest} days",
                {
                    "day": self.day,
                    "month_name": calendar.month_name[self.month],
                    "longest": longest,
                },
            )
        check_parity(self.parity, self.years)
        return self

    def _on(self, year: int) -> dt.date:
        """The day in ``year`` (28 February for 29 February in a common year)."""
        return dt.date(year, self.month, 1) + relativedelta(day=self.day)

    def _plan(self, holding: Held, as_of: dt.date) -> Plan:
        earned = holding.earned
        wanted = parity_remainder(self.parity, holding, "DayOfYearCycle")
        next_year = earned.year if self._on(earned.year) > earned else earned.year + 1
        nth = self.years if self.first_end_occurrence is None else self.first_end_occurrence
        first_year = next_year + nth - 1
        if wanted is not None and first_year % 2 != wanted:
            first_year += 1

        def ends() -> Iterator[dt.date]:
            k = 0
            while True:
                yield self._on(first_year + k * self.years)
                k += 1

        return Plan(12 * self.years, contiguous(ends(), earned))
