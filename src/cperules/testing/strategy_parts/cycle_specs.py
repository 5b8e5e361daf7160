"""Cycle specs: the strategy :func:`cycle_specs` and the drawers policies reuse.

Internal: users import from :mod:`cperules.testing.strategies`.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Sequence
from typing import Final

from dateutil.relativedelta import relativedelta
from hypothesis import strategies as st

from cperules.cycles import (
    AnniversaryCycle,
    BirthMonthCycle,
    CalendarCycle,
    CycleSpec,
    DayOfYearCycle,
    FixedCycle,
    Grace,
    Period,
    RollingCycle,
    ScheduledCycle,
    ScheduleGroup,
    Suspension,
)
from cperules.testing.strategy_parts.building import (
    _ASSIGNED_GROUPS,
    _ONE_DAY,
    CYCLE_KINDS,
    _choices,
    _date,
    _optional,
    _towards,
)

_SPEC_KINDS: Final[tuple[str, ...]] = tuple(k for k in CYCLE_KINDS if k != "scheduled")
_SCHEDULE_START: Final = dt.date(2000, 1, 1)

# Plain grace windows first (what a drawn grace shrinks towards), then reporting-only
# windows, then grace windows followed by a suspension.
_GRACES: Final = _optional(
    st.one_of(
        st.builds(
            Grace,
            days=_towards(1, 180, 30),
            earning=st.sampled_from(("submission-only", "allowed")),
        ),
        st.builds(Grace, days=_towards(1, 90, 30), standing=st.just("reporting")),
        st.builds(
            Grace,
            days=_towards(1, 180, 90),
            earning=st.just("allowed"),
            after=st.builds(
                Suspension,
                months=_towards(1, 24, 24),
                cures=st.booleans(),
                then=st.sampled_from(("expired", "revoked", "terminated")),
            ),
        ),
    )
)
_EVERY_MONTHS: Final = _towards(1, 24, 12)
_WINDOW_MONTHS: Final = _towards(1, 48, 12)


# --- cycle specs ---------------------------------------------------------------------------


def _draw_common(draw: st.DrawFn) -> dict[str, object]:
    """The fields every cycle spec shares: first-cycle rule, years, grace."""
    return {
        "first_cycle": draw(st.sampled_from(("normal", "exempt", "prorated"))),
        "years_by": draw(st.sampled_from(("calendar", "anniversary"))),
        "grace": draw(_GRACES),
    }


_PARITIES: Final = (None, "odd", "even", "birth-year", "earned-year")
"""The parities generated specs use: every holder :func:`holders` gives can be placed by
them (``admitted-year`` and ``licensed-year`` need dates only some holders have)."""


def _draw_parity(draw: st.DrawFn, years: int) -> str | None:
    return draw(st.sampled_from(_PARITIES if years % 2 == 0 else (None,)))


def _draw_birth_month(draw: st.DrawFn, common: dict[str, object]) -> BirthMonthCycle:
    years = draw(st.integers(1, 4))
    return BirthMonthCycle.model_validate(
        {
            **common,
            "years": years,
            "end": draw(st.sampled_from(("month-end", "birthday", "day-before-birth-month"))),
            "offset_days": draw(st.sampled_from((0, 30, -1))),
            "parity": _draw_parity(draw, years),
            "first_end": draw(st.sampled_from(("after-full-term", "next-occurrence"))),
        }
    )


def _draw_fixed(draw: st.DrawFn, common: dict[str, object]) -> FixedCycle:
    anchor = dt.date(draw(st.integers(2000, 2030)), draw(st.integers(1, 12)), 1)
    years = draw(st.integers(1, 3))
    stub = draw(st.sampled_from(("own", "merged")))
    within = None
    if stub == "merged":
        within = draw(_optional(st.integers(1, 12 * years - 1)))
    return FixedCycle.model_validate(
        {**common, "anchor": anchor, "years": years, "stub": stub, "merge_within_months": within}
    )


def _draw_day_of_year(draw: st.DrawFn, common: dict[str, object]) -> DayOfYearCycle:
    years = draw(st.integers(1, 4))
    month = draw(st.integers(1, 12))
    return DayOfYearCycle.model_validate(
        {
            **common,
            "month": month,
            "day": draw(st.integers(1, calendar.monthrange(2000, month)[1])),
            "years": years,
            "first_end_occurrence": draw(_optional(st.integers(1, 4))),
            "parity": _draw_parity(draw, years),
        }
    )


def _draw_scheduled(
    draw: st.DrawFn, common: dict[str, object], latest_start: dt.date
) -> ScheduledCycle:
    """One or two groups of contiguous periods that repeat, covering every holder.

    The groups name their holders by family-name initial (A-Z, or A-M and N-Z), by
    assigned group (every name :func:`holders` gives, in one group or two) or by birth
    month (1-12, or 1-6 and 7-12).
    """
    lengths = draw(st.lists(st.integers(1, 3), min_size=1, max_size=3))
    by = draw(st.sampled_from(("letters", "groups", "birth_months")))
    coverings: tuple[tuple[object, ...], ...] = {
        "letters": (("A-Z",), ("A-M", "N-Z")),
        "groups": ((_ASSIGNED_GROUPS,), tuple((name,) for name in _ASSIGNED_GROUPS)),
        "birth_months": (("1-12",), ("1-6", "7-12")),
    }[by]
    covering = draw(st.sampled_from(coverings))
    groups = []
    for number, covers in enumerate(covering, start=1):
        start = dt.date(latest_start.year, latest_start.month, 1) - relativedelta(
            months=draw(st.integers(0, 35))
        )
        periods, years = [], 0
        for length in lengths:
            begin = start + relativedelta(years=years)
            years += length
            periods.append(Period(start=begin, end=start + relativedelta(years=years) - _ONE_DAY))
        groups.append(
            ScheduleGroup.model_validate(
                {"name": f"Group {number}", by: covers, "periods": tuple(periods)}
            )
        )
    return ScheduledCycle.model_validate(
        {**common, "groups": tuple(groups), "repeat_years": sum(lengths)}
    )


def _draw_cycle_spec(draw: st.DrawFn, kinds: tuple[str, ...], schedule_start: dt.date) -> CycleSpec:
    kind = draw(st.sampled_from(kinds))
    common = _draw_common(draw)
    if kind == "anniversary":
        end = draw(st.sampled_from(("day-before", "anniversary", "end-of-month")))
        return AnniversaryCycle.model_validate(
            {**common, "years": draw(st.integers(1, 3)), "end": end}
        )
    if kind == "calendar":
        stubs = ("exempt", "merged", "first-year") if common["years_by"] == "calendar" else ()
        stub = draw(st.sampled_from((*(stubs or ("exempt", "merged")), "early-credit")))
        return CalendarCycle.model_validate(
            {**common, "years": draw(st.integers(1, 3)), "stub": stub}
        )
    holder_keyed: dict[str, Callable[[st.DrawFn, dict[str, object]], CycleSpec]] = {
        "fixed": _draw_fixed,
        "birth-month": _draw_birth_month,
        "day-of-year": _draw_day_of_year,
    }
    if kind in holder_keyed:
        return holder_keyed[kind](draw, common)
    if kind == "rolling":
        return RollingCycle.model_validate(
            {
                **common,
                "every_months": draw(_EVERY_MONTHS),
                "window_months": draw(_WINDOW_MONTHS),
                "checkpoint_month": draw(st.integers(1, 12)),
            }
        )
    return _draw_scheduled(draw, common, schedule_start)


def cycle_specs(
    *, kinds: Sequence[str] = _SPEC_KINDS, schedule_start: dt.date = _SCHEDULE_START
) -> st.SearchStrategy[CycleSpec]:
    """Valid cycle specs of the given ``kinds`` (any of :data:`CYCLE_KINDS`).

    Anniversary, calendar and fixed cycles last one to three years (fixed ones anchored
    on the first of a month from 2000 to 2030, a part-period merged always or only within
    some months of its end), birth-month cycles one to four (ending with the birth month,
    on the birthday or before the birth month, sometimes with an offset, and with a
    parity when even), day-of-year cycles one to four (any day of the year, the first end
    the first to fourth occurrence, with a parity when even; parities are odd, even, or
    those of the birth or earned year, by which every holder can be placed), rolling
    cycles check every 1 to 24 months over windows of 1 to 48 months. Any spec may have
    a grace window, an exempt or prorated first cycle and anniversary years.
    ``"scheduled"`` (not in the default ``kinds``) gives a repeating table for one group
    or two (by family-name initial, by assigned group or by birth month, covering every
    holder :func:`holders` gives) whose periods start on the first of a month no later
    than ``schedule_start``, so holdings earned on or after ``schedule_start`` always
    have cycles.

    Examples shrink towards ``AnniversaryCycle(years=1)`` (or the first of ``kinds``).
    """

    def build() -> st.SearchStrategy[CycleSpec]:
        chosen = _choices("kinds", kinds, CYCLE_KINDS)
        start = _date("schedule_start", schedule_start)
        return _cycle_specs(chosen, start)

    return st.deferred(build)


@st.composite
def _cycle_specs(draw: st.DrawFn, kinds: tuple[str, ...], schedule_start: dt.date) -> CycleSpec:
    return _draw_cycle_spec(draw, kinds, schedule_start)
