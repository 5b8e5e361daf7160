from __future__ import annotations

import datetime as dt
from itertools import pairwise
from typing import Any

from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from cperules.holders import Holder, Holding
from cperules.periods import (
    AnniversaryCycle,
    BirthMonthCycle,
    CalendarCycle,
    Cycle,
    Grace,
    Period,
    RollingCycle,
    ScheduledCycle,
    ScheduleGroup,
)

NonRolling = AnniversaryCycle | CalendarCycle | BirthMonthCycle | ScheduledCycle
Case = tuple[NonRolling, Holding, dt.date]

FIRST = dt.date(1990, 1, 1)
LAST = dt.date(2060, 12, 31)
ONE_DAY = dt.timedelta(days=1)

dates = st.dates(min_value=FIRST, max_value=LAST)
graces = st.none() | st.builds(
    Grace,
    days=st.integers(min_value=1, max_value=400),
    earning=st.sampled_from(["submission-only", "allowed"]),
)


@st.composite
def periods(draw: st.DrawFn) -> Period:
    start, end = sorted(draw(st.lists(dates, min_size=2, max_size=2)))
    return Period(start=start, end=end)


@st.composite
def common(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "first_cycle": draw(st.sampled_from(["normal", "exempt", "prorated"])),
        "years_by": draw(st.sampled_from(["calendar", "anniversary"])),
        "grace": draw(graces),
    }


@st.composite
def earned_and_as_of(
    draw: st.DrawFn, low: dt.date = FIRST, high: dt.date = LAST
) -> tuple[dt.date, dt.date]:
    earned = draw(st.dates(min_value=low, max_value=high))
    return earned, draw(st.dates(min_value=earned, max_value=high))


@st.composite
def holders(draw: st.DrawFn) -> Holder:
    born = draw(st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2005, 12, 31)))
    return Holder(birth_date=born)


def holding_of(earned: dt.date, holder: Holder) -> Holding:
    return Holding(certification="test/cert", earned=earned, holder=holder)


@st.composite
def anniversary_cases(draw: st.DrawFn) -> Case:
    spec = AnniversaryCycle.model_validate(
        {
            "years": draw(st.integers(min_value=1, max_value=5)),
            "end": draw(st.sampled_from(["day-before", "anniversary", "end-of-month"])),
            **draw(common()),
        }
    )
    earned, as_of = draw(earned_and_as_of())
    return spec, holding_of(earned, draw(holders())), as_of


@st.composite
def calendar_cases(draw: st.DrawFn) -> Case:
    spec = CalendarCycle.model_validate(
        {
            "years": draw(st.integers(min_value=1, max_value=5)),
            "stub": draw(st.sampled_from(["exempt", "merged"])),
            **draw(common()),
        }
    )
    earned, as_of = draw(earned_and_as_of())
    return spec, holding_of(earned, draw(holders())), as_of


@st.composite
def birth_month_cases(draw: st.DrawFn) -> Case:
    parity = draw(st.sampled_from([None, "odd", "even", "birth-year"]))
    years = draw(st.integers(min_value=1, max_value=5))
    spec = BirthMonthCycle.model_validate(
        {
            "years": 2 * years if parity is not None else years,
            "parity": parity,
            "first_end": draw(st.sampled_from(["after-full-term", "next-occurrence"])),
            **draw(common()),
        }
    )
    earned, as_of = draw(earned_and_as_of())
    return spec, holding_of(earned, draw(holders())), as_of


@st.composite
def scheduled_cases(draw: st.DrawFn) -> Case:
    span_years = draw(st.integers(min_value=1, max_value=4))
    repeat = draw(st.booleans())
    cuts = sorted(draw(st.sets(st.integers(min_value=1, max_value=25), max_size=3)))
    bounds = [0, *cuts, 26]
    groups: list[ScheduleGroup] = []
    for number, (low, high) in enumerate(pairwise(bounds)):
        first, last = chr(ord("A") + low), chr(ord("A") + high - 1)
        letters = first if first == last else f"{first}-{last}"
        if draw(st.booleans()):
            letters = letters.lower()
        start = draw(st.dates(min_value=FIRST, max_value=dt.date(2000, 12, 31)))
        after = start + relativedelta(years=span_years)
        days = (after - start).days
        month = (start + relativedelta(months=1) - start).days  # the first period's minimum
        offsets = sorted(
            draw(st.sets(st.integers(min_value=month, max_value=days - 1), max_size=3))
        )
        starts = [start + dt.timedelta(days=offset) for offset in [0, *offsets]]
        table = tuple(
            Period(start=begin, end=following - ONE_DAY)
            for begin, following in pairwise([*starts, after])
        )
        groups.append(ScheduleGroup(name=f"group {number}", letters=letters, periods=table))
    spec = ScheduledCycle.model_validate(
        {"groups": groups, "repeat_years": span_years if repeat else None, **draw(common())}
    )
    prefix = draw(st.sampled_from(["", "'", " ", "-"]))
    initial = draw(st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"))
    holder = Holder(family_name=f"{prefix}{initial}son")
    group = spec.group_for(holder)
    latest = LAST if repeat else group.periods[-1].end
    earned, as_of = draw(earned_and_as_of(group.periods[0].start, latest))
    return spec, holding_of(earned, holder), as_of


non_rolling_cases = anniversary_cases() | calendar_cases() | birth_month_cases() | scheduled_cases()


def assert_partitions(pieces: tuple[Period, ...], whole: Period) -> None:
    assert pieces
    assert pieces[0].start == whole.start
    assert pieces[-1].end == whole.end
    for before, after in pairwise(pieces):
        assert after.start == before.end + ONE_DAY
    assert sum(piece.days for piece in pieces) == whole.days


def assert_cycle_values(spec: NonRolling | RollingCycle, cycles: tuple[Cycle, ...]) -> None:
    for index, cycle in enumerate(cycles):
        assert cycle.index == index
        assert cycle.due == cycle.period.end
        assert_partitions(cycle.years, cycle.period)
        assert cycle.years == cycle.period.years(spec.years_by)
        assert cycle.grace == (None if spec.grace is None else spec.grace.window(cycle.period))
        assert 0 <= cycle.proration <= 1
        if index > 0:
            assert not cycle.prorated
            assert cycle.proration == 1
        if cycle.prorated:
            assert cycle.term_months < cycle.full_term_months


# --- Period -----------------------------------------------------------------------------


@given(periods())
def test_calendar_years_partition_a_period(span: Period) -> None:
    pieces = span.calendar_years()
    assert_partitions(pieces, span)
    assert all(piece.start.year == piece.end.year for piece in pieces)
    assert all(piece.start == dt.date(piece.start.year, 1, 1) for piece in pieces[1:])


@given(periods())
def test_anniversary_years_partition_a_period(span: Period) -> None:
    pieces = span.anniversary_years()
    assert_partitions(pieces, span)
    for k, piece in enumerate(pieces):
        assert piece.start == span.start + relativedelta(years=k)


@given(periods(), periods())
def test_intersection_is_the_shared_days(a: Period, b: Period) -> None:
    shared = a.intersection(b)
    assert (shared is not None) == a.overlaps(b) == b.overlaps(a)
    assert shared == b.intersection(a)
    if shared is not None:
        assert shared.start in a
        assert shared.start in b
        assert shared.end in a
        assert shared.end in b


# --- non-rolling cycles -----------------------------------------------------------------


@given(non_rolling_cases, st.data())
def test_cycles_tile_time_from_earned_to_as_of(case: Case, data: st.DataObject) -> None:
    spec, holding, as_of = case
    cycles = spec.cycles(holding, as_of=as_of)
    assert cycles[0].period.start == holding.earned
    for before, after in pairwise(cycles):
        assert after.period.start == before.period.end + ONE_DAY
    assert as_of in cycles[-1].period
    assert all(as_of not in cycle.period for cycle in cycles[:-1])
    for day in data.draw(st.lists(st.dates(min_value=holding.earned, max_value=as_of))):
        assert sum(day in cycle.period for cycle in cycles) == 1
    assert_cycle_values(spec, cycles)


@given(non_rolling_cases, st.data())
def test_later_as_of_extends_the_same_history(case: Case, data: st.DataObject) -> None:
    spec, holding, as_of = case
    cycles = spec.cycles(holding, as_of=as_of)
    end = cycles[-1].period.end
    if isinstance(spec, ScheduledCycle) and spec.repeat_years is None:
        end = spec.group_for(holding.holder).periods[-1].end
    later = data.draw(st.dates(min_value=as_of, max_value=max(as_of, min(end, LAST))))
    longer = spec.cycles(holding, as_of=later)
    assert longer[: len(cycles)] == cycles
    assert spec.cycle_on(holding, as_of) == cycles[-1]


# --- rolling cycles ---------------------------------------------------------------------


@given(
    st.integers(min_value=1, max_value=36),
    st.integers(min_value=1, max_value=60),
    st.integers(min_value=1, max_value=12),
    common(),
    earned_and_as_of(),
)
def test_rolling_checkpoints(
    every: int,
    window: int,
    month: int,
    shared: dict[str, Any],
    dates: tuple[dt.date, dt.date],
) -> None:
    spec = RollingCycle.model_validate(
        {"every_months": every, "window_months": window, "checkpoint_month": month, **shared}
    )
    earned, as_of = dates
    cycles = spec.cycles(holding_of(earned, Holder()), as_of=as_of)
    checkpoints = [cycle.due for cycle in cycles]
    assert all(cycle.period.end == cycle.due for cycle in cycles)
    assert all(day == day + relativedelta(day=31) for day in checkpoints)
    assert checkpoints[0].month == month
    assert checkpoints[0] >= earned
    assert checkpoints[0] - relativedelta(years=1) < earned
    assert all(before < after for before, after in pairwise(checkpoints))
    assert checkpoints[-1] >= as_of
    if len(checkpoints) > 1:
        assert checkpoints[-2] < as_of
    for cycle in cycles:
        assert cycle.period.start.day == 1
        assert cycle.term_months == cycle.full_term_months == window
    assert_cycle_values(spec, cycles)
