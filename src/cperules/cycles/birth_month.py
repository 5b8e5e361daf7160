"""Cycles ending on a day set by the holder's birth month or birthday."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated, Literal, Self

from dateutil.relativedelta import relativedelta
from pydantic import Field, model_validator

from cperules.cycles._dates import ONE_DAY, Years, month_end
from cperules.cycles.base import (
    CycleSpecBase,
    Held,
    Parity,
    Plan,
    check_parity,
    contiguous,
    parity_remainder,
)
from cperules.errors import CycleError

__all__ = ["BirthMonthCycle"]

BirthMonthEnd = Literal["month-end", "birthday", "day-before-birth-month"]
"""Which day of a year ends a birth-month cycle (before ``offset_days``)."""


class BirthMonthCycle(CycleSpecBase):
    """Cycles ending on a day set by the holder's birth month, every ``years`` years.

    In a year ``Y`` a cycle may end on the last day of the birth month (``end="month-end"``,
    the default), on the birthday itself (``"birthday"``) or on the last day of the month
    before the birth month (``"day-before-birth-month"``: the Texas bar's compliance year
    runs from the first of the birth month; for a January birthday that is 31 December of
    ``Y``), then ``offset_days`` later (New York's attorneys register within 30 days after
    the birthday: ``end="birthday", offset_days=30``). A birthday on 29 February falls on
    28 February in common years.

    ``parity`` limits the years ``Y`` a cycle may end in (counted before the offset): odd
    or even years, or years of the same parity as the year of the holder's birth, of the
    date earned, of the holder's admission or of the first licence (a parity needs an even
    ``years``). The first cycle ends in the first allowed year on or after
    ``earned + years`` (``first_end="after-full-term"``) or on the first allowed end after
    the earned date (``"next-occurrence"``); later cycles end ``years`` years after the
    previous end.

    >>> from cperules.holders import Holder, Holding
    >>> holder = Holder(birth_date=dt.date(1980, 7, 2))
    >>> holding = Holding(certification="ny/attorney", earned=dt.date(2019, 4, 10), holder=holder)
    >>> [str(c.period) for c in BirthMonthCycle(years=2).cycles(holding, as_of=dt.date(2022, 1, 1))]
    ['2019-04-10..2021-07-31', '2021-08-01..2023-07-31']
    >>> spec = BirthMonthCycle(years=2, end="birthday", parity="earned-year")
    >>> [str(c.period) for c in spec.cycles(holding, as_of=dt.date(2022, 1, 1))]
    ['2019-04-10..2021-07-02', '2021-07-03..2023-07-02']
    >>> leap = Holding(certification="tx/bar", earned=dt.date(2023, 5, 1),
    ...                holder=Holder(birth_date=dt.date(1992, 2, 29)))
    >>> spec = BirthMonthCycle(years=1, end="birthday", first_end="next-occurrence")
    >>> [str(c.period) for c in spec.cycles(leap, as_of=dt.date(2025, 1, 1))]
    ['2023-05-01..2024-02-29', '2024-03-01..2025-02-28']
    >>> BirthMonthCycle(years=1, end="birthday", offset_days=30).cycle_on(leap, leap.earned).due
    datetime.date(2025, 3, 30)
    >>> print(BirthMonthCycle(years=1, end="day-before-birth-month").cycle_on(leap, leap.earned).period)
    2023-05-01..2025-01-31

    Attributes:
        years: The number of years between cycle ends.
        end: Which day of the birth month's year ends a cycle.
        offset_days: Days after (or, negative, before) that day the cycle ends.
        parity: Which years a cycle may end in (``None``: any year).
        first_end: How the first cycle's end is found.
    """  # noqa: E501

    kind: Literal["birth-month"] = "birth-month"
    years: Years
    end: BirthMonthEnd = "month-end"
    offset_days: Annotated[int, Field(ge=-365, le=365)] = 0
    parity: Parity | None = None
    first_end: Literal["after-full-term", "next-occurrence"] = "after-full-term"

    @model_validator(mode="after")
    def _check_parity(self) -> Self:
        check_parity(self.parity, self.years)
        return self

    def _base_end(self, born: dt.date, year: int) -> dt.date:
        """The end in ``year`` before the offset."""
        if self.end == "birthday":
            return born + relativedelta(year=year)
        if self.end == "day-before-birth-month":
            if born.month == 1:
                return dt.date(year, 12, 31)
            return dt.date(year, born.month, 1) - ONE_DAY
        return month_end(dt.date(year, born.month, 1))

    def _end_in(self, born: dt.date, year: int) -> dt.date:
        return self._base_end(born, year) + dt.timedelta(days=self.offset_days)

    def _plan(self, holding: Held, as_of: dt.date) -> Plan:
        born = holding.holder.birth_date
        if born is None:
            raise CycleError(
                f"BirthMonthCycle needs the holder's birth_date (holding of "
                f"{holding.certification_id!r} earned {holding.earned.isoformat()})",
                code="invalid-cycle-spec",
            )
        earned = holding.earned
        wanted = parity_remainder(self.parity, holding, "BirthMonthCycle")
        if self.first_end == "after-full-term":
            after = earned + relativedelta(years=self.years) - ONE_DAY
        else:
            after = earned
        # An offset of up to a year moves an end into the next or the previous year.
        year = after.year - 2
        while not (self._end_in(born, year) > after and (wanted is None or year % 2 == wanted)):
            year += 1
        first_year = year

        def ends() -> Iterator[dt.date]:
            k = 0
            while True:
                yield self._end_in(born, first_year + k * self.years)
                k += 1

        return Plan(12 * self.years, contiguous(ends(), earned))
