"""Cycles counted from the date the certification was earned."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Literal

from cperules.cycles._dates import ONE_DAY, Years, add_years, month_end
from cperules.cycles.base import CycleSpecBase, Held, Plan, contiguous

__all__ = ["AnniversaryCycle"]


class AnniversaryCycle(CycleSpecBase):
    """Cycles of ``years`` years counted from the date the certification was earned.

    With ``A_k = earned + k * years`` years (always from the original date), cycle ``k-1``
    ends on ``A_k`` minus one day (``end="day-before"``), on ``A_k`` itself
    (``"anniversary"``) or on the last day of ``A_k``'s month (``"end-of-month"``); each
    cycle starts the day after the previous one ends. A 29 February anniversary falls on
    28 February in common years, so with ``"day-before"`` such a cycle ends on 27 February,
    and the next one starts on 28 February:

    >>> from cperules.holders import Holding
    >>> holding = Holding(certification="isc2/cissp", earned=dt.date(2024, 2, 29))
    >>> spec = AnniversaryCycle(years=3)
    >>> [str(c.period) for c in spec.cycles(holding, as_of=dt.date(2030, 3, 1))]
    ['2024-02-29..2027-02-27', '2027-02-28..2030-02-27', '2030-02-28..2033-02-27']
    >>> AnniversaryCycle(years=1, end="end-of-month").cycle_on(holding, holding.earned).due
    datetime.date(2025, 2, 28)

    Attributes:
        years: The length of each cycle in years.
        end: Which day near each anniversary ends a cycle.
    """

    kind: Literal["anniversary"] = "anniversary"
    years: Years
    end: Literal["day-before", "anniversary", "end-of-month"] = "day-before"

    def _plan(self, holding: Held, as_of: dt.date) -> Plan:
        earned = holding.earned

        def ends() -> Iterator[dt.date]:
            k = 1
            while True:
                anniversary = add_years(earned, k * self.years)
                if self.end == "day-before":
                    yield anniversary - ONE_DAY
                elif self.end == "anniversary":
                    yield anniversary
                else:
                    yield month_end(anniversary)
                k += 1

        return Plan(12 * self.years, contiguous(ends(), earned))
