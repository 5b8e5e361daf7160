"""Renewals at month-end checkpoints, each looking back over a window."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Literal

from dateutil.relativedelta import relativedelta

from cperules.cycles._dates import MonthNumber, Months, month_end
from cperules.cycles.base import CycleSpecBase, Held, Plan, Raw

__all__ = ["RollingCycle"]


class RollingCycle(CycleSpecBase):
    """Renewals at month-end checkpoints, each looking back over a window of months.

    The first checkpoint is the first last-day-of-``checkpoint_month`` on or after the
    earned date; later ones follow every ``every_months`` months (on month ends). Each
    cycle's period is the window of the ``window_months`` whole months ending on its
    checkpoint, so windows overlap when the window is longer than the step, and the first
    windows may start before the earned date.

    >>> from cperules.holders import Holding
    >>> holding = Holding(certification="cpa/ny", earned=dt.date(2018, 1, 1))
    >>> spec = RollingCycle(every_months=12, window_months=36, checkpoint_month=12)
    >>> cycles = spec.cycles(holding, as_of=dt.date(2024, 12, 1))
    >>> [str(c.period) for c in cycles[:2]], str(cycles[-1].period)
    (['2016-01-01..2018-12-31', '2017-01-01..2019-12-31'], '2022-01-01..2024-12-31')

    Attributes:
        every_months: Months between checkpoints.
        window_months: Months each checkpoint looks back over.
        checkpoint_month: The month (1 to 12) whose last day is the first checkpoint.
    """

    kind: Literal["rolling"] = "rolling"
    every_months: Months
    window_months: Months
    checkpoint_month: MonthNumber

    def _plan(self, holding: Held, as_of: dt.date) -> Plan:
        earned = holding.earned
        first = dt.date(earned.year, self.checkpoint_month, 1)
        if month_end(first) < earned:
            first = first.replace(year=first.year + 1)

        def raws() -> Iterator[Raw]:
            k = 0
            while True:
                month = first + relativedelta(months=k * self.every_months)
                start = month - relativedelta(months=self.window_months - 1)
                yield Raw(start, month_end(month))
                k += 1

        return Plan(self.window_months, raws())
