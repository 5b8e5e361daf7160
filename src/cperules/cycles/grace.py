"""The grace window after a cycle's end."""

from __future__ import annotations

import datetime as dt
from typing import Literal, Self

from dateutil.relativedelta import relativedelta
from pydantic import model_validator
from pydantic_core import PydanticCustomError

from cperules._model import FrozenModel
from cperules.cycles._dates import ONE_DAY, GraceDays, GraceMonths
from cperules.cycles.period import Period

__all__ = ["Grace"]


class Grace(FrozenModel):
    """A window of ``days`` days (or ``months`` months) after a cycle's end.

    With ``earning="submission-only"`` the holder may still report credit earned within the
    cycle; with ``"allowed"`` credit may still be earned during the window (how such credit
    cures the old cycle is the engine's business).

    ``standing`` names what the holding is during the window when the cycle's requirements
    are not yet met: still certified in a grace period (``"grace"``), or ``"suspended"``
    (PMI's one-year suspension). Either way the window can cure the cycle; once it has
    passed uncured the certification has expired.

    Attributes:
        days: The length of the window in days (at least 1).
        months: The length of the window in calendar months, instead of ``days``.
        earning: Whether credit may still be earned during the window.
        standing: What the holding is while the window runs uncured.

    >>> cycle = Period(start=dt.date(2023, 1, 1), end=dt.date(2025, 12, 31))
    >>> print(Grace(days=90).window(cycle))
    2026-01-01..2026-03-31
    >>> print(Grace(months=12, earning="allowed", standing="suspended").window(cycle))
    2026-01-01..2026-12-31
    """

    days: GraceDays | None = None
    months: GraceMonths | None = None
    earning: Literal["submission-only", "allowed"] = "submission-only"
    standing: Literal["grace", "suspended"] = "grace"

    @model_validator(mode="after")
    def _one_length(self) -> Self:
        if (self.days is None) == (self.months is None):
            raise PydanticCustomError(
                "invalid-cycle-spec", "a grace window needs exactly one of days or months", {}
            )
        return self

    def window(self, after: Period) -> Period:
        """The grace window following ``after``: the days or months after its end."""
        if self.months is not None:
            return Period(
                start=after.end + ONE_DAY, end=after.end + relativedelta(months=self.months)
            )
        assert self.days is not None  # one of the two, by validation
        return Period(start=after.end + ONE_DAY, end=after.end + dt.timedelta(days=self.days))
