"""One concrete renewal cycle of a holding, as a cycle spec produces it."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from pydantic import Field

from cperules._model import FrozenModel
from cperules.cycles.period import Period

__all__ = ["Cycle"]


class Cycle(FrozenModel):
    """One concrete renewal cycle of a holding, as produced by a cycle spec.

    ``term_months`` counts whole months in ``period``: with
    ``r = relativedelta(period.end + 1 day, period.start)`` it is ``r.years * 12 + r.months``,
    leftover days ignored (2024-03-15..2024-07-31 has 4 whole months). A prorated cycle
    shorter than a whole month therefore has a proration of 0.

    Attributes:
        index: The cycle's position, 0 for the first cycle of the holding.
        period: The days the cycle covers.
        due: The renewal (reporting) date; the period's end for every kind of spec.
        exempt: Whether the cycle carries no requirements.
        term_months: Whole months in ``period``.
        full_term_months: The spec's normal term in months (36 for three years).
        grace: The grace window after the cycle, if the spec grants one.
        suspension: The stage after an uncured grace window (the holding suspended, with a
            window to appeal or be reinstated), if the spec's grace has one.
        years: The sub-periods of the cycle, cut as the spec's ``years_by`` says.
        prorated: Whether requirements scale by :attr:`proration`.
        credit_from: The first day of an early-credit window before ``period``, whose
            credit counts toward the cycle (and its first year) although the period has not
            begun (a calendar spec's ``stub="early-credit"``); ``None``: no such window.

    >>> from cperules.cycles import CalendarCycle
    >>> from cperules.holders import Holding
    >>> holding = Holding(certification="isaca/cisa", earned=dt.date(2022, 5, 10))
    >>> first = CalendarCycle(years=3).cycle_on(holding, dt.date(2022, 6, 1))
    >>> str(first.period), first.exempt, first.term_months, first.full_term_months
    ('2022-05-10..2022-12-31', True, 7, 36)

    With an early-credit window the period is the body's (1 January to 31 December), and
    the window before it is shown apart:

    >>> early = CalendarCycle(years=3, stub="early-credit").cycle_on(holding, holding.earned)
    >>> str(early.period), str(early.early), str(early.claims)
    ('2023-01-01..2025-12-31', '2022-05-10..2022-12-31', '2022-05-10..2025-12-31')
    """

    index: int = Field(ge=0)
    period: Period
    due: dt.date
    exempt: bool = False
    term_months: int = Field(ge=0)
    full_term_months: int = Field(ge=1)
    grace: Period | None = None
    suspension: Period | None = None
    years: tuple[Period, ...]
    prorated: bool = False
    credit_from: dt.date | None = None

    @property
    def early(self) -> Period | None:
        """The early-credit window before the period (``None`` when there is none)."""
        if self.credit_from is None or self.credit_from >= self.period.start:
            return None
        return Period(start=self.credit_from, end=self.period.start - dt.timedelta(days=1))

    @property
    def claims(self) -> Period:
        """The days whose credit the cycle claims: its early-credit window and its period."""
        early = self.early
        return self.period if early is None else Period(start=early.start, end=self.period.end)

    @property
    def first(self) -> bool:
        """Whether this is the holding's first cycle (index 0)."""
        return self.index == 0

    @property
    def proration(self) -> Fraction:
        """The share of full requirements that applies: ``term/full`` if prorated, else 1."""
        if not self.prorated:
            return Fraction(1)
        return Fraction(min(self.term_months, self.full_term_months), self.full_term_months)
