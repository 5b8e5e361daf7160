from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from pydantic import TypeAdapter, ValidationError

from cperules.errors import CycleError
from cperules.holders import Holder, Holding
from cperules.periods import (
    AnniversaryCycle,
    BirthMonthCycle,
    CalendarCycle,
    Cycle,
    CycleSpec,
    FixedCycle,
    Grace,
    Period,
    RollingCycle,
    ScheduledCycle,
    ScheduleGroup,
)

D = dt.date


def period(start: dt.date, end: dt.date) -> Period:
    return Period(start=start, end=end)


def holding(earned: dt.date, **holder: object) -> Holding:
    return Holding(certification="test/cert", earned=earned, holder=Holder.model_validate(holder))


def spans(cycles: tuple[Cycle, ...]) -> list[str]:
    return [str(cycle.period) for cycle in cycles]


def error_type(error: ValidationError) -> str:
    (only,) = error.errors()
    return only["type"]


# --- Period -----------------------------------------------------------------------------


def test_period_rejects_start_after_end_naming_both_dates() -> None:
    with pytest.raises(ValidationError) as caught:
        period(D(2024, 1, 2), D(2024, 1, 1))
    assert error_type(caught.value) == "invalid-period"
    assert "2024-01-02" in str(caught.value)
    assert "2024-01-01" in str(caught.value)


def test_single_day_period() -> None:
    day = period(D(2024, 2, 29), D(2024, 2, 29))
    assert day.days == 1
    assert D(2024, 2, 29) in day
    assert D(2024, 2, 28) not in day
    assert D(2024, 3, 1) not in day
    assert day.calendar_years() == (day,)
    assert day.anniversary_years() == (day,)


def test_contains_is_inclusive_on_both_ends() -> None:
    span = period(D(2023, 3, 1), D(2026, 2, 28))
    assert D(2023, 3, 1) in span
    assert D(2026, 2, 28) in span
    assert D(2023, 2, 28) not in span
    assert D(2026, 3, 1) not in span


def test_days_counts_both_ends() -> None:
    assert period(D(2024, 1, 1), D(2024, 12, 31)).days == 366
    assert period(D(2023, 1, 1), D(2023, 12, 31)).days == 365


def test_overlaps_and_intersection() -> None:
    a = period(D(2024, 1, 1), D(2024, 6, 30))
    touching = period(D(2024, 6, 30), D(2024, 12, 31))
    disjoint = period(D(2024, 7, 1), D(2024, 12, 31))
    inner = period(D(2024, 2, 1), D(2024, 2, 29))
    assert a.overlaps(touching)
    assert touching.overlaps(a)
    assert a.intersection(touching) == period(D(2024, 6, 30), D(2024, 6, 30))
    assert not a.overlaps(disjoint)
    assert not disjoint.overlaps(a)
    assert a.intersection(disjoint) is None
    assert a.intersection(inner) == inner
    assert inner.intersection(a) == inner


def test_str_and_repr() -> None:
    span = period(D(2023, 3, 1), D(2026, 2, 28))
    assert str(span) == "2023-03-01..2026-02-28"
    assert repr(span) == ("Period(start=datetime.date(2023, 3, 1), end=datetime.date(2026, 2, 28))")


def test_period_is_frozen_and_hashable() -> None:
    span = period(D(2023, 3, 1), D(2026, 2, 28))
    with pytest.raises(ValidationError):
        span.start = D(2020, 1, 1)  # type: ignore[misc]
    assert {span, period(D(2023, 3, 1), D(2026, 2, 28))} == {span}


def test_calendar_years_cut_at_1_january() -> None:
    span = period(D(2023, 3, 1), D(2026, 2, 28))
    assert [str(piece) for piece in span.calendar_years()] == [
        "2023-03-01..2023-12-31",
        "2024-01-01..2024-12-31",
        "2025-01-01..2025-12-31",
        "2026-01-01..2026-02-28",
    ]
    assert span.years() == span.calendar_years()
    assert span.years("calendar") == span.calendar_years()


def test_calendar_years_at_year_ends() -> None:
    assert [str(p) for p in period(D(2023, 12, 31), D(2024, 1, 1)).calendar_years()] == [
        "2023-12-31..2023-12-31",
        "2024-01-01..2024-01-01",
    ]
    whole = period(D(2024, 1, 1), D(2024, 12, 31))
    assert whole.calendar_years() == (whole,)


def test_anniversary_years_from_29_february() -> None:
    span = period(D(2024, 2, 29), D(2029, 3, 1))
    assert [str(piece) for piece in span.anniversary_years()] == [
        "2024-02-29..2025-02-27",
        "2025-02-28..2026-02-27",
        "2026-02-28..2027-02-27",
        "2027-02-28..2028-02-28",
        "2028-02-29..2029-02-27",
        "2029-02-28..2029-03-01",
    ]
    assert span.years("anniversary") == span.anniversary_years()


def test_anniversary_years_of_exact_years() -> None:
    span = period(D(2023, 3, 1), D(2026, 2, 28))
    assert [str(piece) for piece in span.anniversary_years()] == [
        "2023-03-01..2024-02-29",
        "2024-03-01..2025-02-28",
        "2025-03-01..2026-02-28",
    ]


def test_anniversary_years_from_31_january_keep_the_original_day() -> None:
    span = period(D(2023, 1, 31), D(2024, 3, 1))
    assert [str(piece) for piece in span.anniversary_years()] == [
        "2023-01-31..2024-01-30",
        "2024-01-31..2024-03-01",
    ]


# --- Grace ------------------------------------------------------------------------------


def test_grace_window_follows_the_period() -> None:
    cycle = period(D(2023, 1, 1), D(2025, 12, 31))
    assert Grace(days=1).window(cycle) == period(D(2026, 1, 1), D(2026, 1, 1))
    assert Grace(days=90).window(cycle) == period(D(2026, 1, 1), D(2026, 3, 31))


def test_grace_defaults_and_repr() -> None:
    assert Grace(days=90).earning == "submission-only"
    assert repr(Grace(days=90)) == "Grace(days=90)"
    assert repr(Grace(days=30, earning="allowed")) == "Grace(days=30, earning='allowed')"


def test_grace_in_months_clamps_to_month_end() -> None:
    cycle = period(D(2023, 2, 1), D(2026, 1, 31))
    assert Grace(months=1).window(cycle) == period(D(2026, 2, 1), D(2026, 2, 28))
    assert Grace(months=12).window(cycle) == period(D(2026, 2, 1), D(2027, 1, 31))


def test_grace_standing_defaults_to_grace() -> None:
    assert Grace(days=90).standing == "grace"
    suspended = Grace(months=12, earning="allowed", standing="suspended")
    assert repr(suspended) == "Grace(months=12, earning='allowed', standing='suspended')"


@pytest.mark.parametrize("lengths", [{}, {"days": 30, "months": 1}])
def test_grace_needs_exactly_one_length(lengths: dict[str, int]) -> None:
    with pytest.raises(ValidationError) as caught:
        Grace.model_validate(lengths)
    assert error_type(caught.value) == "invalid-cycle-spec"
    assert "exactly one of days or months" in str(caught.value)


def test_grace_rejects_zero_days() -> None:
    with pytest.raises(ValidationError) as caught:
        Grace(days=0)
    assert error_type(caught.value) == "invalid-cycle-spec"
    assert "days must be at least 1, got 0" in str(caught.value)


def test_grace_rejects_unknown_earning() -> None:
    with pytest.raises(ValidationError):
        Grace.model_validate({"days": 10, "earning": "sometimes"})


# --- Cycle ------------------------------------------------------------------------------


def make_cycle(*, index: int = 0, term: int = 4, full: int = 24, prorated: bool = False) -> Cycle:
    span = period(D(2024, 3, 15), D(2024, 7, 31))
    return Cycle(
        index=index,
        period=span,
        due=span.end,
        term_months=term,
        full_term_months=full,
        years=span.years(),
        prorated=prorated,
    )


def test_cycle_proration_and_first() -> None:
    assert make_cycle().proration == Fraction(1)
    assert make_cycle(prorated=True).proration == Fraction(4, 24)
    assert make_cycle(prorated=True, term=30).proration == Fraction(1)
    assert make_cycle().first
    assert not make_cycle(index=1).first


def test_cycle_rejects_zero_full_term() -> None:
    with pytest.raises(ValidationError):
        make_cycle(full=0)


# --- AnniversaryCycle -------------------------------------------------------------------


def test_anniversary_day_before() -> None:
    cycles = AnniversaryCycle(years=3).cycles(holding(D(2023, 3, 1)), as_of=D(2026, 3, 1))
    assert spans(cycles) == ["2023-03-01..2026-02-28", "2026-03-01..2029-02-28"]
    assert [cycle.index for cycle in cycles] == [0, 1]
    assert [cycle.due for cycle in cycles] == [D(2026, 2, 28), D(2029, 2, 28)]
    assert all(cycle.term_months == cycle.full_term_months == 36 for cycle in cycles)


def test_anniversary_from_29_february() -> None:
    cycles = AnniversaryCycle(years=3).cycles(holding(D(2024, 2, 29)), as_of=D(2033, 2, 27))
    assert spans(cycles) == [
        "2024-02-29..2027-02-27",
        "2027-02-28..2030-02-27",
        "2030-02-28..2033-02-27",
    ]


def test_anniversary_end_conventions() -> None:
    earned = holding(D(2024, 2, 29))
    same_day = AnniversaryCycle(years=1, end="anniversary")
    assert spans(same_day.cycles(earned, as_of=D(2028, 1, 1))) == [
        "2024-02-29..2025-02-28",
        "2025-03-01..2026-02-28",
        "2026-03-01..2027-02-28",
        "2027-03-01..2028-02-29",
    ]
    month_end = AnniversaryCycle(years=2, end="end-of-month")
    assert spans(month_end.cycles(holding(D(2023, 1, 15)), as_of=D(2025, 2, 1))) == [
        "2023-01-15..2025-01-31",
        "2025-02-01..2027-01-31",
    ]


def test_anniversary_never_prorates_its_full_first_term() -> None:
    spec = AnniversaryCycle(years=3, first_cycle="prorated")
    first = spec.cycle_on(holding(D(2024, 2, 29)), D(2024, 3, 1))
    assert first.term_months == 36
    assert not first.prorated
    assert first.proration == 1


def test_anniversary_exempt_first_cycle_only() -> None:
    spec = AnniversaryCycle(years=1, first_cycle="exempt")
    cycles = spec.cycles(holding(D(2023, 3, 1)), as_of=D(2025, 3, 1))
    assert [cycle.exempt for cycle in cycles] == [True, False, False]
    assert [cycle.first for cycle in cycles] == [True, False, False]


def test_anniversary_grace_and_years() -> None:
    spec = AnniversaryCycle(years=3, grace=Grace(days=90), years_by="anniversary")
    first = spec.cycle_on(holding(D(2023, 3, 1)), D(2023, 3, 1))
    assert first.grace == period(D(2026, 3, 1), D(2026, 5, 29))
    assert [str(year) for year in first.years] == [
        "2023-03-01..2024-02-29",
        "2024-03-01..2025-02-28",
        "2025-03-01..2026-02-28",
    ]
    plain = AnniversaryCycle(years=3).cycle_on(holding(D(2023, 3, 1)), D(2023, 3, 1))
    assert plain.grace is None
    assert len(plain.years) == 4


def test_cycles_stop_at_the_cycle_containing_as_of() -> None:
    spec = AnniversaryCycle(years=1)
    earned = holding(D(2023, 3, 1))
    assert len(spec.cycles(earned, as_of=D(2023, 3, 1))) == 1
    assert len(spec.cycles(earned, as_of=D(2024, 2, 29))) == 1
    assert len(spec.cycles(earned, as_of=D(2024, 3, 1))) == 2
    assert spec.cycle_on(earned, D(2024, 3, 1)) == spec.cycles(earned, as_of=D(2024, 3, 1))[-1]


def test_as_of_before_earned_is_an_error() -> None:
    with pytest.raises(CycleError) as caught:
        AnniversaryCycle(years=3).cycles(holding(D(2023, 3, 1)), as_of=D(2023, 2, 28))
    assert caught.value.code == "before-first-cycle"
    assert "2023-02-28" in str(caught.value)
    assert "2023-03-01" in str(caught.value)


@pytest.mark.parametrize(
    "spec",
    [
        {"kind": "anniversary", "years": 0},
        {"kind": "calendar", "years": -1},
        {"kind": "birth-month", "years": 0},
        {"kind": "rolling", "every_months": 0, "window_months": 36, "checkpoint_month": 12},
        {"kind": "rolling", "every_months": 12, "window_months": 0, "checkpoint_month": 12},
        {"kind": "rolling", "every_months": 12, "window_months": 36, "checkpoint_month": 0},
        {"kind": "rolling", "every_months": 12, "window_months": 36, "checkpoint_month": 13},
    ],
)
def test_out_of_range_numbers_are_invalid_cycle_specs(spec: dict[str, object]) -> None:
    with pytest.raises(ValidationError) as caught:
        TypeAdapter(CycleSpec).validate_python(spec)
    assert error_type(caught.value) == "invalid-cycle-spec"


# --- CalendarCycle ----------------------------------------------------------------------


def test_calendar_exempt_stub() -> None:
    cycles = CalendarCycle(years=3).cycles(holding(D(2022, 5, 10)), as_of=D(2026, 1, 1))
    assert spans(cycles) == [
        "2022-05-10..2022-12-31",
        "2023-01-01..2025-12-31",
        "2026-01-01..2028-12-31",
    ]
    assert [cycle.exempt for cycle in cycles] == [True, False, False]
    assert [cycle.term_months for cycle in cycles] == [7, 36, 36]
    assert all(cycle.full_term_months == 36 for cycle in cycles)


def test_calendar_earned_on_1_january_still_has_a_stub() -> None:
    cycles = CalendarCycle(years=3).cycles(holding(D(2023, 1, 1)), as_of=D(2024, 1, 1))
    assert spans(cycles) == ["2023-01-01..2023-12-31", "2024-01-01..2026-12-31"]
    assert cycles[0].exempt


@pytest.mark.parametrize("first_cycle", ["normal", "exempt", "prorated"])
def test_calendar_stub_ignores_first_cycle(first_cycle: str) -> None:
    spec = CalendarCycle.model_validate({"years": 3, "first_cycle": first_cycle})
    cycles = spec.cycles(holding(D(2022, 5, 10)), as_of=D(2023, 1, 1))
    assert cycles[0].exempt
    assert not cycles[0].prorated
    assert cycles[0].proration == 1
    assert not cycles[1].exempt
    assert not cycles[1].prorated


def test_calendar_merged_stub() -> None:
    spec = CalendarCycle(years=3, stub="merged")
    cycles = spec.cycles(holding(D(2022, 5, 10)), as_of=D(2026, 1, 1))
    assert spans(cycles) == ["2022-05-10..2025-12-31", "2026-01-01..2028-12-31"]
    assert not cycles[0].exempt
    assert cycles[0].term_months == 43
    first = CalendarCycle(years=3, stub="merged", first_cycle="prorated")
    assert not first.cycle_on(holding(D(2022, 5, 10)), D(2022, 5, 10)).prorated
    exempt = CalendarCycle(years=3, stub="merged", first_cycle="exempt")
    assert exempt.cycle_on(holding(D(2022, 5, 10)), D(2022, 5, 10)).exempt


def test_calendar_stub_joins_the_first_year() -> None:
    spec = CalendarCycle(years=3, stub="first-year")
    cycles = spec.cycles(holding(D(2022, 5, 10)), as_of=D(2026, 1, 1))
    assert spans(cycles) == ["2022-05-10..2025-12-31", "2026-01-01..2028-12-31"]
    assert [str(year) for year in cycles[0].years] == [
        "2022-05-10..2023-12-31",
        "2024-01-01..2024-12-31",
        "2025-01-01..2025-12-31",
    ]
    assert [str(year) for year in cycles[1].years] == [
        "2026-01-01..2026-12-31",
        "2027-01-01..2027-12-31",
        "2028-01-01..2028-12-31",
    ]
    assert (cycles[0].term_months, cycles[0].full_term_months) == (43, 36)
    assert not cycles[0].exempt
    assert not cycles[0].prorated
    earned_on_new_year = spec.cycle_on(holding(D(2023, 1, 1)), D(2023, 1, 1))
    assert str(earned_on_new_year.years[0]) == "2023-01-01..2024-12-31"
    one_year = CalendarCycle(years=1, stub="first-year").cycle_on(
        holding(D(2022, 5, 10)), D(2022, 6, 1)
    )
    assert [str(year) for year in one_year.years] == ["2022-05-10..2023-12-31"]


def test_calendar_first_year_stub_needs_calendar_years() -> None:
    with pytest.raises(ValidationError) as caught:
        CalendarCycle(years=3, stub="first-year", years_by="anniversary")
    assert error_type(caught.value) == "invalid-cycle-spec"
    assert "needs years_by='calendar'" in str(caught.value)


def test_calendar_one_year_cycles() -> None:
    cycles = CalendarCycle(years=1).cycles(holding(D(2022, 5, 10)), as_of=D(2024, 7, 1))
    assert spans(cycles) == [
        "2022-05-10..2022-12-31",
        "2023-01-01..2023-12-31",
        "2024-01-01..2024-12-31",
    ]


# --- BirthMonthCycle --------------------------------------------------------------------


# --- fixed periods --------------------------------------------------------------------


def test_fixed_periods_are_the_same_for_every_holder_and_cycle_0_is_the_part_period() -> None:
    spec = FixedCycle(anchor=D(2021, 10, 1), years=3)
    cycles = spec.cycles(holding(D(2023, 5, 10)), as_of=D(2027, 10, 1))
    assert spans(cycles) == [
        "2023-05-10..2024-09-30",
        "2024-10-01..2027-09-30",
        "2027-10-01..2030-09-30",
    ]
    assert [c.term_months for c in cycles] == [16, 36, 36]
    assert all(c.full_term_months == 36 for c in cycles)
    # Periods before the anchor are laid out too, and the first day of a period starts one.
    early = spec.cycles(holding(D(2015, 10, 1)), as_of=D(2019, 1, 1))
    assert spans(early) == ["2015-10-01..2018-09-30", "2018-10-01..2021-09-30"]
    # The day before a period starts belongs to the period before.
    assert str(spec.cycle_on(holding(D(2024, 9, 30)), D(2024, 9, 30)).period) == (
        "2024-09-30..2024-09-30"
    )


@pytest.mark.parametrize(
    ("first_cycle", "exempt", "prorated"),
    [("normal", False, False), ("exempt", True, False), ("prorated", False, True)],
)
def test_fixed_first_cycle_rules(first_cycle: str, exempt: bool, prorated: bool) -> None:
    spec = FixedCycle.model_validate(
        {"anchor": "2020-06-01", "years": 2, "first_cycle": first_cycle}
    )
    first, second = spec.cycles(holding(D(2021, 3, 15)), as_of=D(2022, 6, 1))
    assert str(first.period) == "2021-03-15..2022-05-31"
    assert (first.exempt, first.prorated) == (exempt, prorated)
    if prorated:
        assert first.proration == Fraction(14, 24)
    assert not second.exempt
    assert not second.prorated


def test_fixed_merged_stub_joins_the_next_full_period_unless_there_is_no_part() -> None:
    spec = FixedCycle(anchor=D(2020, 6, 1), years=2, stub="merged")
    assert spans(spec.cycles(holding(D(2021, 3, 15)), as_of=D(2024, 6, 1))) == [
        "2021-03-15..2024-05-31",
        "2024-06-01..2026-05-31",
    ]
    assert spans(spec.cycles(holding(D(2022, 6, 1)), as_of=D(2024, 6, 1))) == [
        "2022-06-01..2024-05-31",
        "2024-06-01..2026-05-31",
    ]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"anchor": "2021-01-31", "years": 1}, "falls on day 31"),
        ({"anchor": "2021-01-01", "years": 0}, "years"),
        ({"anchor": "2021-01-01", "years": 101}, "years"),
        ({"anchor": "1800-01-01", "years": 1}, "a date from 1900-01-01"),
    ],
)
def test_fixed_rejects_bad_specs(spec: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        FixedCycle.model_validate(spec)


def test_birth_month_after_full_term() -> None:
    earned = holding(D(2019, 4, 10), birth_date=D(1980, 7, 14))
    cycles = BirthMonthCycle(years=2).cycles(earned, as_of=D(2025, 7, 31))
    assert spans(cycles) == [
        "2019-04-10..2021-07-31",
        "2021-08-01..2023-07-31",
        "2023-08-01..2025-07-31",
    ]
    assert all(cycle.full_term_months == 24 for cycle in cycles)


def test_birth_month_after_full_term_on_or_after_the_threshold() -> None:
    # earned + 2 years is exactly 2021-07-31, a birth-month end: it counts.
    earned = holding(D(2019, 7, 31), birth_date=D(1980, 7, 14))
    assert BirthMonthCycle(years=2).cycle_on(earned, earned.earned).due == D(2021, 7, 31)


def test_birth_month_next_occurrence_prorated() -> None:
    earned = holding(D(2024, 3, 15), birth_date=D(1990, 7, 1))
    spec = BirthMonthCycle(years=2, first_end="next-occurrence", first_cycle="prorated")
    cycles = spec.cycles(earned, as_of=D(2024, 8, 1))
    assert spans(cycles) == ["2024-03-15..2024-07-31", "2024-08-01..2026-07-31"]
    first, second = cycles
    assert first.term_months == 4
    assert first.full_term_months == 24
    assert first.prorated
    assert first.proration == Fraction(4, 24)
    assert not second.prorated
    assert second.proration == 1


def test_prorated_first_cycle_under_a_month_prorates_to_zero() -> None:
    earned = holding(D(2024, 7, 10), birth_date=D(1990, 7, 1))
    spec = BirthMonthCycle(years=2, first_end="next-occurrence", first_cycle="prorated")
    first = spec.cycle_on(earned, earned.earned)
    assert str(first.period) == "2024-07-10..2024-07-31"
    assert first.term_months == 0
    assert first.proration == 0


def test_birth_month_next_occurrence_is_strictly_after_earned() -> None:
    earned = holding(D(2024, 7, 31), birth_date=D(1990, 7, 1))
    spec = BirthMonthCycle(years=1, first_end="next-occurrence")
    assert spec.cycle_on(earned, earned.earned).due == D(2025, 7, 31)


@pytest.mark.parametrize(
    ("parity", "born", "first_due"),
    [
        ("odd", D(1980, 7, 1), D(2021, 7, 31)),
        ("even", D(1980, 7, 1), D(2022, 7, 31)),
        ("birth-year", D(1980, 7, 1), D(2022, 7, 31)),
        ("birth-year", D(1981, 7, 1), D(2021, 7, 31)),
    ],
)
def test_birth_month_parity(parity: str, born: dt.date, first_due: dt.date) -> None:
    earned = holding(D(2019, 4, 10), birth_date=born)
    spec = BirthMonthCycle.model_validate({"years": 2, "parity": parity})
    cycles = spec.cycles(earned, as_of=first_due + dt.timedelta(days=1))
    assert [cycle.due for cycle in cycles] == [
        first_due,
        first_due.replace(year=first_due.year + 2),
    ]


def test_birth_month_february_end_in_leap_years() -> None:
    earned = holding(D(2021, 1, 5), birth_date=D(1992, 2, 29))
    cycles = BirthMonthCycle(years=1).cycles(earned, as_of=D(2024, 1, 1))
    assert [cycle.due for cycle in cycles] == [D(2022, 2, 28), D(2023, 2, 28), D(2024, 2, 29)]


def test_birth_month_parity_needs_even_years() -> None:
    with pytest.raises(ValidationError) as caught:
        BirthMonthCycle(years=3, parity="odd")
    assert error_type(caught.value) == "invalid-cycle-spec"
    assert "even number of years" in str(caught.value)


def test_birth_month_needs_birth_date() -> None:
    with pytest.raises(CycleError) as caught:
        BirthMonthCycle(years=2).cycles(holding(D(2019, 4, 10)), as_of=D(2020, 1, 1))
    assert caught.value.code == "invalid-cycle-spec"
    assert "BirthMonthCycle needs the holder's birth_date" in str(caught.value)


# --- ScheduledCycle ---------------------------------------------------------------------


def three_years(start: int, month: int = 2) -> Period:
    return period(D(start, month, 1), D(start + 3, month, 1) - dt.timedelta(days=1))


def schedule(repeat_years: int | None = None) -> ScheduledCycle:
    return ScheduledCycle(
        groups=(
            ScheduleGroup(name="1", letters="A-G", periods=(three_years(2020), three_years(2023))),
            ScheduleGroup(name="2", letters="H-M", periods=(three_years(2021), three_years(2024))),
            ScheduleGroup(
                name="3",
                letters="n-p, Q , r-Z",
                periods=(
                    period(D(2022, 2, 1), D(2023, 1, 31)),
                    period(D(2023, 2, 1), D(2025, 1, 31)),
                    three_years(2025),
                ),
            ),
        ),
        repeat_years=repeat_years,
    )


def test_schedule_group_letter_set() -> None:
    group = ScheduleGroup(name="g", letters="h-m,Q", periods=(three_years(2020),))
    assert group.letter_set == frozenset("HIJKLMQ")


@pytest.mark.parametrize("letters", ["", "A-", "AB", "G-A", "1", "A-B-C", "A,,B", "Ä"])
def test_schedule_group_rejects_bad_letters(letters: str) -> None:
    with pytest.raises(ValidationError) as caught:
        ScheduleGroup(name="g", letters=letters, periods=(three_years(2020),))
    assert error_type(caught.value) == "invalid-cycle-spec"
    assert repr(letters) in str(caught.value)


def test_schedule_group_needs_periods() -> None:
    with pytest.raises(ValidationError) as caught:
        ScheduleGroup(name="g", letters="A", periods=())
    assert error_type(caught.value) == "invalid-cycle-spec"
    assert "'g' has no periods" in str(caught.value)


def test_schedule_group_needs_contiguous_periods() -> None:
    with pytest.raises(ValidationError) as caught:
        ScheduleGroup(name="g", letters="A", periods=(three_years(2020), three_years(2024)))
    assert error_type(caught.value) == "invalid-cycle-spec"
    assert "2023-02-01" in str(caught.value)
    with pytest.raises(ValidationError):  # overlapping
        ScheduleGroup(name="g", letters="A", periods=(three_years(2020), three_years(2022)))


def test_schedule_group_first_period_spans_a_month() -> None:
    with pytest.raises(ValidationError) as caught:
        ScheduleGroup(
            name="g",
            letters="A",
            periods=(period(D(2024, 1, 1), D(2024, 1, 30)), period(D(2024, 1, 31), D(2025, 1, 31))),
        )
    assert error_type(caught.value) == "invalid-cycle-spec"
    assert "2024-01-01..2024-01-30" in str(caught.value)
    one_month = ScheduleGroup(
        name="g", letters="A", periods=(period(D(2024, 1, 1), D(2024, 1, 31)),)
    )
    assert one_month.periods[0].days == 31


def test_schedule_needs_groups() -> None:
    with pytest.raises(ValidationError) as caught:
        ScheduledCycle(groups=())
    assert error_type(caught.value) == "invalid-cycle-spec"


def test_schedule_groups_must_not_share_letters() -> None:
    with pytest.raises(ValidationError) as caught:
        ScheduledCycle(
            groups=(
                ScheduleGroup(name="first", letters="A-G", periods=(three_years(2020),)),
                ScheduleGroup(name="second", letters="g-M", periods=(three_years(2021),)),
            )
        )
    assert error_type(caught.value) == "invalid-cycle-spec"
    message = str(caught.value)
    assert "'G'" in message
    assert "'first'" in message
    assert "'second'" in message


def test_schedule_repeat_must_continue_the_table() -> None:
    with pytest.raises(ValidationError) as caught:
        schedule(repeat_years=4)
    assert error_type(caught.value) == "invalid-cycle-spec"
    assert "repeat_years=4" in str(caught.value)
    assert "2026-01-31" in str(caught.value)


def test_schedule_cycles_start_at_earned() -> None:
    earned = holding(D(2022, 6, 1), family_name="Baker")
    cycles = schedule().cycles(earned, as_of=D(2024, 1, 1))
    assert spans(cycles) == ["2022-06-01..2023-01-31", "2023-02-01..2026-01-31"]
    assert [cycle.full_term_months for cycle in cycles] == [36, 36]
    assert cycles[0].term_months == 8


def test_schedule_earned_on_a_period_start() -> None:
    earned = holding(D(2021, 2, 1), family_name="Hu")
    assert spans(schedule().cycles(earned, as_of=D(2021, 3, 1))) == ["2021-02-01..2024-01-31"]


def test_schedule_prorated_first_cycle() -> None:
    spec = schedule().model_copy(update={"first_cycle": "prorated"})
    first = spec.cycle_on(holding(D(2022, 6, 1), family_name="baker"), D(2022, 6, 1))
    assert first.prorated
    assert first.proration == Fraction(8, 36)


def test_schedule_group_choice_ignores_case_leading_non_letters_and_accents() -> None:
    spec = schedule()
    assert spec.group_for(Holder(family_name="'t Hooft")).name == "3"
    assert spec.group_for(Holder(family_name="de Vries")).name == "1"
    assert spec.group_for(Holder(family_name="Öztürk")).name == "3"
    assert spec.group_for(Holder(family_name="Élan")).name == "1"


def test_schedule_full_term_is_the_groups_first_period() -> None:
    earned = holding(D(2022, 3, 1), family_name="Quinn")
    cycles = schedule().cycles(earned, as_of=D(2023, 3, 1))
    assert spans(cycles) == ["2022-03-01..2023-01-31", "2023-02-01..2025-01-31"]
    assert [cycle.full_term_months for cycle in cycles] == [12, 12]


def test_schedule_needs_a_family_name() -> None:
    for earned in (holding(D(2022, 6, 1)), holding(D(2022, 6, 1), family_name="123")):
        with pytest.raises(CycleError) as caught:
            schedule().cycles(earned, as_of=D(2023, 1, 1))
        assert caught.value.code == "no-schedule-group"
        assert "family_name" in str(caught.value)


def test_schedule_letter_not_covered() -> None:
    spec = ScheduledCycle(
        groups=(
            ScheduleGroup(name="one", letters="A-G", periods=(three_years(2020),)),
            ScheduleGroup(name="two", letters="H-M", periods=(three_years(2021),)),
        )
    )
    with pytest.raises(CycleError) as caught:
        spec.cycles(holding(D(2022, 6, 1), family_name="Xu"), as_of=D(2023, 1, 1))
    assert caught.value.code == "no-schedule-group"
    message = str(caught.value)
    assert "'Xu'" in message
    assert "'X'" in message
    assert "A-G" in message
    assert "H-M" in message
    assert "did you mean" not in message


def test_schedule_earned_before_the_table() -> None:
    with pytest.raises(CycleError) as caught:
        schedule().cycles(holding(D(2019, 6, 1), family_name="Baker"), as_of=D(2020, 1, 1))
    assert caught.value.code == "before-first-cycle"
    assert "2019-06-01" in str(caught.value)
    assert "2020-02-01" in str(caught.value)


def test_schedule_exhausted_without_repeat() -> None:
    earned = holding(D(2022, 6, 1), family_name="Baker")
    assert schedule().cycle_on(earned, D(2026, 1, 31)).period.end == D(2026, 1, 31)
    with pytest.raises(CycleError) as caught:
        schedule().cycles(earned, as_of=D(2026, 2, 1))
    assert caught.value.code == "schedule-exhausted"
    assert "2026-01-31" in str(caught.value)
    assert "2026-02-01" in str(caught.value)


def test_schedule_earned_after_the_table_without_repeat() -> None:
    with pytest.raises(CycleError) as caught:
        schedule().cycles(holding(D(2030, 1, 1), family_name="Baker"), as_of=D(2030, 1, 1))
    assert caught.value.code == "schedule-exhausted"


def test_schedule_repeats() -> None:
    spec = schedule(repeat_years=6)
    earned = holding(D(2022, 6, 1), family_name="Baker")
    assert spans(spec.cycles(earned, as_of=D(2033, 1, 1))) == [
        "2022-06-01..2023-01-31",
        "2023-02-01..2026-01-31",
        "2026-02-01..2029-01-31",
        "2029-02-01..2032-01-31",
        "2032-02-01..2035-01-31",
    ]
    # Earned in a repeat of the table, long after the table itself.
    late = holding(D(2031, 6, 1), family_name="Baker")
    assert spans(spec.cycles(late, as_of=D(2031, 6, 1))) == ["2031-06-01..2032-01-31"]


def test_schedule_repeat_with_29_february_starts() -> None:
    spec = ScheduledCycle(
        groups=(
            ScheduleGroup(
                name="leap",
                letters="A-Z",
                periods=(
                    period(D(2024, 1, 1), D(2024, 2, 28)),
                    period(D(2024, 2, 29), D(2024, 12, 31)),
                ),
            ),
        ),
        repeat_years=1,
    )
    cycles = spec.cycles(holding(D(2024, 1, 1), family_name="Lee"), as_of=D(2028, 3, 1))
    assert spans(cycles) == [
        "2024-01-01..2024-02-28",
        "2024-02-29..2024-12-31",
        "2025-01-01..2025-02-27",
        "2025-02-28..2025-12-31",
        "2026-01-01..2026-02-27",
        "2026-02-28..2026-12-31",
        "2027-01-01..2027-02-27",
        "2027-02-28..2027-12-31",
        "2028-01-01..2028-02-28",
        "2028-02-29..2028-12-31",
    ]


def test_schedule_repeat_collapsing_starts_are_merged() -> None:
    # 28 Feb and 29 Feb 2024 both become 28 Feb 2025: the empty period disappears.
    spec = ScheduledCycle(
        groups=(
            ScheduleGroup(
                name="odd",
                letters="A-Z",
                periods=(
                    period(D(2023, 3, 1), D(2024, 2, 27)),
                    period(D(2024, 2, 28), D(2024, 2, 28)),
                    period(D(2024, 2, 29), D(2025, 2, 28)),
                ),
            ),
        ),
        repeat_years=2,
    )
    cycles = spec.cycles(holding(D(2023, 3, 1), family_name="Lee"), as_of=D(2027, 3, 1))
    assert spans(cycles) == [
        "2023-03-01..2024-02-27",
        "2024-02-28..2024-02-28",
        "2024-02-29..2025-02-28",
        "2025-03-01..2026-02-27",
        "2026-02-28..2027-02-28",
        "2027-03-01..2028-02-27",
    ]


# --- RollingCycle -----------------------------------------------------------------------


def test_rolling_checkpoints_and_windows() -> None:
    spec = RollingCycle(every_months=12, window_months=36, checkpoint_month=12)
    cycles = spec.cycles(holding(D(2018, 1, 1)), as_of=D(2024, 12, 31))
    assert [cycle.due for cycle in cycles] == [D(year, 12, 31) for year in range(2018, 2025)]
    assert cycles[-1].period == period(D(2022, 1, 1), D(2024, 12, 31))
    assert cycles[0].period.start < D(2018, 1, 1)
    assert cycles[0].period.overlaps(cycles[1].period)
    assert all(cycle.term_months == cycle.full_term_months == 36 for cycle in cycles)


def test_rolling_stops_at_first_checkpoint_on_or_after_as_of() -> None:
    spec = RollingCycle(every_months=12, window_months=36, checkpoint_month=12)
    earned = holding(D(2018, 1, 1))
    assert spec.cycle_on(earned, D(2024, 1, 1)).due == D(2024, 12, 31)
    assert spec.cycle_on(earned, D(2023, 12, 31)).due == D(2023, 12, 31)


def test_rolling_first_checkpoint() -> None:
    spec = RollingCycle(every_months=24, window_months=24, checkpoint_month=6)
    # Earned on the checkpoint itself: it is the first.
    assert spec.cycle_on(holding(D(2020, 6, 30)), D(2020, 6, 30)).due == D(2020, 6, 30)
    # Earned after this year's checkpoint: next year's.
    cycles = spec.cycles(holding(D(2020, 7, 1)), as_of=D(2023, 7, 1))
    assert [cycle.due for cycle in cycles] == [D(2021, 6, 30), D(2023, 6, 30), D(2025, 6, 30)]
    assert cycles[1].period == period(D(2021, 7, 1), D(2023, 6, 30))


def test_rolling_month_ends_and_first_cycle() -> None:
    spec = RollingCycle(every_months=1, window_months=1, checkpoint_month=1, first_cycle="exempt")
    cycles = spec.cycles(holding(D(2024, 1, 15)), as_of=D(2024, 4, 1))
    assert [cycle.due for cycle in cycles] == [
        D(2024, 1, 31),
        D(2024, 2, 29),
        D(2024, 3, 31),
        D(2024, 4, 30),
    ]
    assert cycles[1].period == period(D(2024, 2, 1), D(2024, 2, 29))
    assert [cycle.exempt for cycle in cycles] == [True, False, False, False]


def test_rolling_grace() -> None:
    spec = RollingCycle(
        every_months=12, window_months=36, checkpoint_month=12, grace=Grace(days=31)
    )
    cycle = spec.cycle_on(holding(D(2018, 1, 1)), D(2018, 1, 1))
    assert cycle.grace == period(D(2019, 1, 1), D(2019, 1, 31))


# --- specs as values --------------------------------------------------------------------

ALL_SPECS = [
    AnniversaryCycle(years=3),
    AnniversaryCycle(years=1, end="end-of-month", first_cycle="prorated"),
    CalendarCycle(years=3, stub="merged", years_by="anniversary"),
    BirthMonthCycle(years=2, parity="birth-year", first_end="next-occurrence"),
    schedule(repeat_years=6),
    RollingCycle(
        every_months=12,
        window_months=36,
        checkpoint_month=12,
        grace=Grace(days=60, earning="allowed"),
        first_cycle="exempt",
    ),
]


def test_sparse_reprs() -> None:
    assert repr(AnniversaryCycle(years=3)) == "AnniversaryCycle(years=3)"
    assert repr(CalendarCycle(years=3, stub="merged")) == "CalendarCycle(years=3, stub='merged')"
    assert repr(BirthMonthCycle(years=2)) == "BirthMonthCycle(years=2)"
    assert repr(RollingCycle(every_months=12, window_months=36, checkpoint_month=12)) == (
        "RollingCycle(every_months=12, window_months=36, checkpoint_month=12)"
    )
    assert repr(AnniversaryCycle(years=3, grace=Grace(days=90))) == (
        "AnniversaryCycle(grace=Grace(days=90), years=3)"
    )


@pytest.mark.parametrize("spec", ALL_SPECS, ids=lambda spec: type(spec).__name__)
def test_round_trip(
    spec: AnniversaryCycle | CalendarCycle | BirthMonthCycle | ScheduledCycle | RollingCycle,
) -> None:
    assert type(spec).model_validate(spec.model_dump()) == spec
    assert type(spec).model_validate_json(spec.model_dump_json()) == spec
    adapter: TypeAdapter[CycleSpec] = TypeAdapter(CycleSpec)
    assert adapter.validate_python(spec.model_dump()) == spec
    assert adapter.validate_json(spec.model_dump_json()) == spec


def test_union_parses_by_kind() -> None:
    adapter: TypeAdapter[CycleSpec] = TypeAdapter(CycleSpec)
    spec = adapter.validate_python({"kind": "anniversary", "years": 3, "end": "anniversary"})
    assert spec == AnniversaryCycle(years=3, end="anniversary")
    rolling = adapter.validate_python(
        {"kind": "rolling", "every_months": 12, "window_months": 36, "checkpoint_month": 12}
    )
    assert isinstance(rolling, RollingCycle)
    with pytest.raises(ValidationError):
        adapter.validate_python({"kind": "lunar", "years": 3})
    with pytest.raises(ValidationError):
        adapter.validate_python({"kind": "calendar", "years": 3, "colour": "blue"})
    with pytest.raises(ValidationError):
        adapter.validate_python({"years": 3})


def test_json_schema_keeps_the_bounds() -> None:
    schema = RollingCycle.model_json_schema()
    assert schema["properties"]["checkpoint_month"]["minimum"] == 1
    assert schema["properties"]["checkpoint_month"]["maximum"] == 12
    assert schema["properties"]["every_months"]["minimum"] == 1
