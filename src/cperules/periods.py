"""Periods of dates and the cycle specs that turn a holding into concrete cycles.

The public façade of :mod:`cperules.cycles`, which keeps one cycle kind a file: every
name here is the same object as there.

A :class:`Period` is an inclusive range of dates. A cycle spec (one of the kinds in
:data:`CycleSpec`) describes how a certification's renewal cycles fall; given a
:class:`~cperules.holders.Holding` and a date it produces the concrete :class:`Cycle` values
from the first cycle up to the one that governs that date.

Month and year arithmetic uses :class:`dateutil.relativedelta.relativedelta`, which clamps
to the end of a shorter month: 31 January plus one month is 28 (or 29) February, and
29 February plus one year is 28 February. Repeated steps are always taken from the
original date (``earned + k years``), never from the previous, already clamped, result.

>>> import datetime as dt
>>> from cperules.holders import Holding
>>> spec = AnniversaryCycle(years=3)
>>> holding = Holding(certification="isc2/cissp", earned=dt.date(2023, 3, 1))
>>> print(spec.cycle_on(holding, dt.date(2027, 1, 1)).period)
2026-03-01..2029-02-28
"""

from cperules.cycles import (
    CYCLE_KINDS,
    AnniversaryCycle,
    BirthMonthCycle,
    CalendarCycle,
    Cycle,
    CycleSpec,
    DayOfYearCycle,
    FirstCycle,
    FixedCycle,
    Grace,
    Held,
    Parity,
    Period,
    Person,
    RollingCycle,
    ScheduledCycle,
    ScheduleGroup,
    Suspension,
    YearsBy,
)

__all__ = [
    "CYCLE_KINDS",
    "AnniversaryCycle",
    "BirthMonthCycle",
    "CalendarCycle",
    "Cycle",
    "CycleSpec",
    "DayOfYearCycle",
    "FirstCycle",
    "FixedCycle",
    "Grace",
    "Held",
    "Parity",
    "Period",
    "Person",
    "RollingCycle",
    "ScheduleGroup",
    "ScheduledCycle",
    "Suspension",
    "YearsBy",
]
