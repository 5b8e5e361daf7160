"""Periods of dates and the cycle specs that turn a holding into concrete cycles.

One cycle kind a module (:mod:`~cperules.cycles.anniversary`, :mod:`~cperules.cycles.calendar`,
:mod:`~cperules.cycles.fixed`, :mod:`~cperules.cycles.birth_month`,
:mod:`~cperules.cycles.day_of_year`,
:mod:`~cperules.cycles.scheduled`, :mod:`~cperules.cycles.rolling`), each on the shared
:mod:`~cperules.cycles.base`, :mod:`~cperules.cycles.period`, :mod:`~cperules.cycles.grace`
and :mod:`~cperules.cycles.cycle`. The kinds never import each other; :data:`CycleSpec`
here joins them. :mod:`cperules.periods` is the documented public path to the same names.

A :class:`Period` is an inclusive range of dates. A cycle spec (one of the kinds in
:data:`CycleSpec`) describes how a certification's renewal cycles fall; given a
:class:`~cperules.holders.Holding` and a date it produces the concrete :class:`Cycle` values
from the first cycle up to the one that governs that date.

Month and year arithmetic is that of :class:`dateutil.relativedelta.relativedelta`, which clamps
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

from typing import Annotated, get_args

from pydantic import Field

from cperules.cycles.anniversary import AnniversaryCycle
from cperules.cycles.base import FirstCycle, Held, Parity, Person
from cperules.cycles.birth_month import BirthMonthCycle
from cperules.cycles.calendar import CalendarCycle
from cperules.cycles.cycle import Cycle
from cperules.cycles.day_of_year import DayOfYearCycle
from cperules.cycles.fixed import FixedCycle
from cperules.cycles.grace import Grace, Suspension
from cperules.cycles.period import Period, YearsBy
from cperules.cycles.rolling import RollingCycle
from cperules.cycles.scheduled import ScheduledCycle, ScheduleGroup

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


CycleSpec = Annotated[
    AnniversaryCycle
    | CalendarCycle
    | FixedCycle
    | BirthMonthCycle
    | DayOfYearCycle
    | ScheduledCycle
    | RollingCycle,
    Field(discriminator="kind"),
]
"""Any cycle spec, told apart by its ``kind`` tag."""

CYCLE_KINDS: tuple[str, ...] = tuple(
    kind.model_fields["kind"].default for kind in get_args(get_args(CycleSpec)[0])
)
"""Every cycle kind's tag, in the order of :data:`CycleSpec` (derived from it)."""
