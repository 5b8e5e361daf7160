"""Cycles ending on the last day of the holder's birth month."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Literal, Self

from dateutil.relativedelta import relativedelta
from pydantic import model_validator
from pydantic_core import PydanticCustomError

from cperules.cycles._dates import ONE_DAY, Years, month_end
from cperules.cycles.base import CycleSpecBase, Held, Plan, contiguous
from cperules.errors import CycleError

__all__ = ["BirthMonthCycle"]


class BirthMonthCycle(CycleSpecBase):
    """Cycles ending on the last day of the holder's birth month, every ``years`` years.

    ``parity`` limits the years a cycle may end in: odd or even years, or years of the same
    parity as the birth year (a parity needs an even ``years``). The first cycle ends in the
    first allowed year on or after ``earned + years`` (``first_end="after-full-term"``) or
    at the first allowed birth-month end after the earned date (``"next-occurrence"``);
    later cycles end ``years`` years after the previous end.

    >>> from cperules.holders import Holder, Holding
    >>> holder = Holder(birth_date=dt.date(1980, 7, 2))
    >>> holding = Holding(certification="ny/attorney", earned=dt.date(2019, 4, 10), holder=holder)
    >>> [str(c.period) for c in BirthMonthCycle(years=2).cycles(holding, as_of=dt.date(2022, 1, 1))]
    ['2019-04-10..2021-07-31', '2021-08-01..2023-07-31']

    Attributes:
        years: The number of years between cycle ends.
        parity: Which years a cycle may end in (``None``: any year).
        first_end: How the first cycle's end is found.
    """

    kind: Literal["birth-month"] = "birth-month"
    years: Years
    parity: Literal["odd", "even", "birth-year"] | None = None
    first_end: Literal["after-full-term", "next-occurrence"] = "after-full-term"

    @model_validator(mode="after")
    def _check_parity(self) -> Self:
        if self.parity is not None and self.years % 2:
            raise PydanticCustomError(
                "invalid-cycle-spec",
                "parity '{parity}' needs an even number of years, got years={years}",
                {"parity": self.parity, "years": self.years},
            )
        return self

    def _plan(self, holding: Held, as_of: dt.date) -> Plan:
        born = holding.holder.birth_date
        if born is None:
            raise CycleError(
                f"BirthMonthCycle needs the holder's birth_date (holding of "
                f"{holding.certification_id!r} earned {holding.earned.isoformat()})",
                code="invalid-cycle-spec",
            )
        earned = holding.earned
        wanted: int | None = None  # the remainder (year % 2) of allowed end years
        if self.parity is not None:
            wanted = {"odd": 1, "even": 0, "birth-year": born.year % 2}[self.parity]
        if self.first_end == "after-full-term":
            after = earned + relativedelta(years=self.years) - ONE_DAY
        else:
            after = earned
        year = after.year
        while True:
            first = month_end(dt.date(year, born.month, 1))
            if first > after and (wanted is None or year % 2 == wanted):
                break
            year += 1

        def ends() -> Iterator[dt.date]:
            k = 0
            while True:
                yield month_end(dt.date(first.year + k * self.years, born.month, 1))
                k += 1

        return Plan(12 * self.years, contiguous(ends(), earned))
