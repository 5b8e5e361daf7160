"""Cycles of calendar years, aligned on 1 January."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Literal, Self

from pydantic import model_validator
from pydantic_core import PydanticCustomError

from cperules.cycles._dates import Years
from cperules.cycles.base import CycleSpecBase, Held, Plan, Raw

__all__ = ["CalendarCycle"]


class CalendarCycle(CycleSpecBase):
    """Cycles of ``years`` calendar years, aligned on 1 January.

    The first full cycle starts on the 1 January after the certification was earned. The
    stub from the earned date to 31 December of that year is its own exempt cycle 0
    (``stub="exempt"``, whatever ``first_cycle`` says), is merged into the first full
    cycle as a year of its own (``"merged"``), or is merged into the first full cycle as
    part of its first year (``"first-year"``), so that what is earned in the stub counts
    toward that year's floors and caps as if earned in it. ``"first-year"`` needs
    calendar years (``years_by="calendar"``).

    With ``"early-credit"`` cycle 0 *is* the first full cycle, from the 1 January after
    the certification was earned, as a body that starts its periods on that day shows it
    (ISACA); the stub is an early-credit window before it (:attr:`Cycle.credit_from
    <cperules.cycles.Cycle.credit_from>` is the earned date). Credit completed in the
    window counts toward cycle 0, and toward its first year's floors and caps, as if
    completed on its first day; results show the period and the window apart.

    >>> from cperules.holders import Holding
    >>> holding = Holding(certification="isaca/cisa", earned=dt.date(2022, 5, 10))
    >>> [str(c.period) for c in CalendarCycle(years=3).cycles(holding, as_of=dt.date(2023, 1, 1))]
    ['2022-05-10..2022-12-31', '2023-01-01..2025-12-31']
    >>> print(CalendarCycle(years=3, stub="merged").cycle_on(holding, holding.earned).period)
    2022-05-10..2025-12-31
    >>> first = CalendarCycle(years=3, stub="first-year").cycle_on(holding, holding.earned)
    >>> [str(year) for year in first.years]
    ['2022-05-10..2023-12-31', '2024-01-01..2024-12-31', '2025-01-01..2025-12-31']
    >>> early = CalendarCycle(years=3, stub="early-credit").cycle_on(holding, holding.earned)
    >>> str(early.period), early.credit_from, [str(year) for year in early.years][0]
    ('2023-01-01..2025-12-31', datetime.date(2022, 5, 10), '2023-01-01..2023-12-31')

    Attributes:
        years: The length of each full cycle in calendar years.
        stub: What happens to the part of the earned year.
    """

    kind: Literal["calendar"] = "calendar"
    years: Years
    stub: Literal["exempt", "merged", "first-year", "early-credit"] = "exempt"

    @model_validator(mode="after")
    def _check_stub(self) -> Self:
        if self.stub == "first-year" and self.years_by != "calendar":
            raise PydanticCustomError(
                "invalid-cycle-spec",
                "stub 'first-year' joins the stub to the first calendar year, so it needs "
                "years_by='calendar', got years_by='{years_by}'",
                {"years_by": self.years_by},
            )
        return self

    def _plan(self, holding: Held, as_of: dt.date) -> Plan:
        earned = holding.earned

        def raws() -> Iterator[Raw]:
            year = earned.year + 1
            if self.stub == "exempt":
                yield Raw(earned, dt.date(earned.year, 12, 31), exempt=True)
            elif self.stub == "early-credit":
                end = dt.date(year + self.years - 1, 12, 31)
                yield Raw(dt.date(year, 1, 1), end, credit_from=earned)
                year += self.years
            else:
                year += self.years
                yield Raw(earned, dt.date(year - 1, 12, 31), joined=self.stub == "first-year")
            while True:
                yield Raw(dt.date(year, 1, 1), dt.date(year + self.years - 1, 12, 31))
                year += self.years

        return Plan(12 * self.years, raws())
