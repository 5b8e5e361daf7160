"""Periods the body fixes for every holder alike."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Literal, Self

from dateutil.relativedelta import relativedelta
from pydantic import field_validator, model_validator
from pydantic_core import PydanticCustomError

from cperules.cycles._dates import ONE_DAY, Positive, Years
from cperules.cycles.base import CycleSpecBase, Held, Plan, Raw
from cperules.days import Day

__all__ = ["FixedCycle"]


class FixedCycle(CycleSpecBase):
    """Periods the body fixes for every holder alike (statewide periods), ``years`` long.

    One of the periods starts on ``anchor``; the others follow and precede it, each
    starting the day after the previous one ends (``anchor + k * years`` years). Cycle 0
    runs from the date earned to the end of the period that date falls in (its treatment
    is ``first_cycle``'s: a full requirement, exempt, or prorated by whole months); with
    ``stub="merged"`` a part-period joins the next full period instead, and with
    ``merge_within_months`` too only a part-period that starts in the last that many
    months of its period does (Kentucky's nurses: a licence issued in the last 6 months
    of the year runs to the end of the next one; one issued earlier ends with the current
    one). The boundary is the day ``merge_within_months`` months before the next period
    starts: earned on it or later, the stub is merged. No holder attribute is needed: the
    periods are the same for everyone.

    >>> from cperules.holders import Holding
    >>> spec = FixedCycle(anchor=dt.date(2021, 10, 1), years=3)
    >>> holding = Holding(certification="cpa/illinois", earned=dt.date(2023, 5, 10))
    >>> [str(c.period) for c in spec.cycles(holding, as_of=dt.date(2025, 1, 1))]
    ['2023-05-10..2024-09-30', '2024-10-01..2027-09-30']
    >>> merged = FixedCycle(anchor=dt.date(2020, 6, 1), years=2, stub="merged")
    >>> print(merged.cycle_on(holding, holding.earned).period)
    2023-05-10..2026-05-31
    >>> kentucky = FixedCycle(anchor=dt.date(2020, 11, 1), years=1, stub="merged",
    ...                       merge_within_months=6)
    >>> for earned in (dt.date(2024, 4, 30), dt.date(2024, 5, 1)):
    ...     print(kentucky.cycle_on(Holding(certification="rn/kentucky", earned=earned), earned).period)
    2024-04-30..2024-10-31
    2024-05-01..2025-10-31

    Attributes:
        anchor: The first day of any one of the body's periods (day 1 to 28 of a month).
        years: The length of every period in years.
        stub: Whether the part-period before the first full period is its own cycle 0
            (``"own"``) or joins the first full period (``"merged"``).
        merge_within_months: With ``stub="merged"``, merge only a part-period earned in
            the last this many months of its period (``None``: always merge).
    """  # noqa: E501

    kind: Literal["fixed"] = "fixed"
    anchor: Day
    years: Years
    stub: Literal["own", "merged"] = "own"
    merge_within_months: Positive | None = None

    @model_validator(mode="after")
    def _check_merge_within(self) -> Self:
        months = self.merge_within_months
        if months is None:
            return self
        if self.stub != "merged":
            raise PydanticCustomError(
                "invalid-cycle-spec",
                "merge_within_months={months} needs stub='merged', got stub='{stub}'",
                {"months": months, "stub": self.stub},
            )
        if months >= 12 * self.years:
            raise PydanticCustomError(
                "invalid-cycle-spec",
                "merge_within_months={months} is not shorter than the {length}-month period, "
                "so every part-period would merge: leave merge_within_months out",
                {"months": months, "length": 12 * self.years},
            )
        return self

    @field_validator("anchor")
    @classmethod
    def _check_anchor(cls, value: dt.date) -> dt.date:
        if value.day > 28:
            raise PydanticCustomError(
                "invalid-cycle-spec",
                "anchor {anchor} falls on day {day}: give the first day of one of the body's "
                "periods, on day 1 to 28 of a month (days 29 to 31 do not exist in every "
                "month, so later periods would be ambiguous)",
                {"anchor": str(value), "day": value.day},
            )
        return value

    def _start(self, k: int) -> dt.date:
        """The first day of the period ``k`` periods after the one starting on ``anchor``."""
        return self.anchor + relativedelta(years=k * self.years)

    def _merges(self, k: int, earned: dt.date) -> bool:
        """Whether a part-period of period ``k`` earned on ``earned`` joins the next one."""
        if self.merge_within_months is None:
            return True
        return earned >= self._start(k + 1) - relativedelta(months=self.merge_within_months)

    def _plan(self, holding: Held, as_of: dt.date) -> Plan:
        earned = holding.earned
        k = (earned.year - self.anchor.year) // self.years
        while self._start(k) > earned:
            k -= 1
        while self._start(k + 1) <= earned:
            k += 1
        first_end = k + 1
        if self.stub == "merged" and self._start(k) < earned and self._merges(k, earned):
            first_end += 1

        def raws() -> Iterator[Raw]:
            yield Raw(earned, self._start(first_end) - ONE_DAY)
            j = first_end
            while True:
                yield Raw(self._start(j), self._start(j + 1) - ONE_DAY)
                j += 1

        return Plan(12 * self.years, raws())
