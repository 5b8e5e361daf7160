"""The windows after a cycle's end: a grace (or reporting) window, and a suspension after it."""

from __future__ import annotations

import datetime as dt
from typing import Literal, Self

from pydantic import model_validator
from pydantic_core import PydanticCustomError

from cperules._model import FrozenModel
from cperules.citations import SourceRef
from cperules.cycles._dates import ONE_DAY, GraceDays, GraceMonths, add_months
from cperules.cycles.period import Period, made_period

__all__ = ["Grace", "Suspension"]


def _after(end: dt.date, days: int | None, months: int | None) -> Period:
    """The ``days`` days or ``months`` months after ``end``."""
    # Built without validating: a length of at least one day or month ends after it starts.
    if months is not None:
        return made_period(end + ONE_DAY, add_months(end, months))
    assert days is not None  # one of the two, by validation
    return made_period(end + ONE_DAY, end + dt.timedelta(days=days))


def _one_length(days: int | None, months: int | None, what: str) -> None:
    if (days is None) == (months is None):
        raise PydanticCustomError(
            "invalid-cycle-spec", "{what} needs exactly one of days or months", {"what": what}
        )


class Suspension(FrozenModel):
    """The stage after a grace window that passed uncured, before the certification ends.

    Some bodies do not end a certification when its grace passes: ISC2 suspends it, and an
    appeal or a request for reinstatement may be filed until the end of a two-year
    suspension. The suspension lasts ``days`` days (or ``months`` months) from the day
    after the grace window; the holding's standing is then ``standing`` (the body's word),
    and once the suspension has passed it is ``then`` (``"expired"``, ``"revoked"`` or
    ``"terminated"``, as the body says).

    Credit earned during the suspension does not complete the ended cycle unless
    ``cures`` is true (and then only where the grace allows earning): a suspension that
    cures extends the window in which the cycle can be completed, shown as suspended.

    Attributes:
        days: The length of the suspension in days (at least 1).
        months: The length of the suspension in calendar months, instead of ``days``.
        standing: What the holding is during the suspension.
        cures: Whether credit earned during the suspension completes the ended cycle.
        then: What the holding is once the suspension has passed.
        source: The citation and clause the suspension rests on.

    >>> grace = Grace(days=90, earning="allowed", after=Suspension(months=24))
    >>> print(grace.suspension_after(Period(start=dt.date(2023, 9, 1), end=dt.date(2026, 8, 31))))
    2026-11-30..2028-11-29
    """

    days: GraceDays | None = None
    months: GraceMonths | None = None
    standing: Literal["suspended", "inactive"] = "suspended"
    cures: bool = False
    then: Literal["expired", "revoked", "terminated"] = "expired"
    source: SourceRef | None = None

    @model_validator(mode="after")
    def _one_length(self) -> Self:
        _one_length(self.days, self.months, "a suspension")
        return self

    def window(self, grace: Period) -> Period:
        """The suspension following the grace window ``grace``."""
        return _after(grace.end, self.days, self.months)


class Grace(FrozenModel):
    """A window of ``days`` days (or ``months`` months) after a cycle's end.

    With ``earning="submission-only"`` the holder may still report credit earned within the
    cycle; with ``"allowed"`` credit may still be earned during the window (how such credit
    cures the old cycle is the engine's business).

    ``standing`` names what the holding is during the window when the cycle's requirements
    are not yet met: still certified in a grace period (``"grace"``), ``"suspended"``
    (PMI's one-year suspension), or ``"reporting"``: a window only for reporting credit
    earned by the cycle's end (and paying the fee), which is not a grace period. In a
    reporting window the certification has expired unless the credit earned by the end
    date met the cycle: the cycle is not in grace, nothing earned or done in the window
    (credit or a renewal event) can complete it, and once the window has passed the
    certification has expired. ``"reporting"`` needs ``earning="submission-only"``.

    ``after`` is a :class:`Suspension` that follows the window when it passes uncured
    (ISC2), instead of the certification ending at once.

    Attributes:
        days: The length of the window in days (at least 1).
        months: The length of the window in calendar months, instead of ``days``.
        earning: Whether credit may still be earned during the window.
        standing: What the holding is while the window runs uncured.
        after: The suspension that follows an uncured window, if the body has one.

    >>> cycle = Period(start=dt.date(2023, 1, 1), end=dt.date(2025, 12, 31))
    >>> print(Grace(days=90).window(cycle))
    2026-01-01..2026-03-31
    >>> print(Grace(months=12, earning="allowed", standing="suspended").window(cycle))
    2026-01-01..2026-12-31
    >>> print(Grace(days=30, standing="reporting").window(cycle))
    2026-01-01..2026-01-30
    """

    days: GraceDays | None = None
    months: GraceMonths | None = None
    earning: Literal["submission-only", "allowed"] = "submission-only"
    standing: Literal["grace", "suspended", "reporting"] = "grace"
    after: Suspension | None = None

    @model_validator(mode="after")
    def _one_length(self) -> Self:
        _one_length(self.days, self.months, "a grace window")
        return self

    @model_validator(mode="after")
    def _check_standing(self) -> Self:
        if self.standing == "reporting" and self.earning != "submission-only":
            raise PydanticCustomError(
                "invalid-cycle-spec",
                "a reporting window (standing 'reporting') is for reporting credit earned by "
                "the cycle's end, so it needs earning='submission-only', got earning='{earning}'",
                {"earning": self.earning},
            )
        if self.after is not None and self.after.cures and self.earning != "allowed":
            raise PydanticCustomError(
                "invalid-cycle-spec",
                "a suspension whose credit cures the cycle (after.cures = true) extends a "
                "window in which credit may be earned, so it needs earning='allowed', got "
                "earning='{earning}'",
                {"earning": self.earning},
            )
        return self

    def window(self, after: Period) -> Period:
        """The grace window following ``after``: the days or months after its end."""
        return _after(after.end, self.days, self.months)

    def suspension_after(self, cycle: Period) -> Period | None:
        """The suspension following the grace window after ``cycle`` (``None``: none)."""
        if self.after is None:
            return None
        return self.after.window(self.window(cycle))
