"""Cycles anchored on a holder's date in the ways boards anchor them (issue 14).

Birth-month cycles that end on the birthday, before the birth month or some days after;
parity counted from the year earned, admitted or first licensed; a fixed day of the year
counted per holder (AFP's CTP, Florida's CPAs); and fixed periods that merge only a short
part-period (Kentucky's nurses).
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from cperules import linter
from cperules.describe import describe_cycle
from cperules.errors import CycleError
from cperules.holders import Holder, Holding
from cperules.linter import lint
from cperules.periods import BirthMonthCycle, Cycle, CycleSpec, DayOfYearCycle, FixedCycle
from cperules.policy import Certification, PolicyVersion
from cperules.policy_format import dump_certification, load_certification
from cperules.testing import strategies

D = dt.date


def holding(earned: dt.date, **holder: object) -> Holding:
    return Holding(certification="test/cert", earned=earned, holder=Holder.model_validate(holder))


def spans(cycles: tuple[Cycle, ...]) -> list[str]:
    return [str(cycle.period) for cycle in cycles]


def dues(spec: CycleSpec, held: Holding, count: int) -> list[dt.date]:
    cycles = [spec.cycle_on(held, held.earned)]
    while len(cycles) < count:
        cycles.append(spec.cycle_on(held, cycles[-1].due + dt.timedelta(days=1)))
    return [cycle.due for cycle in cycles]


def error_type(error: ValidationError) -> str:
    (only,) = error.errors()
    return only["type"]


# --- birth-month cycles: which day ends them ------------------------------------------------


def test_birthday_end_every_two_years() -> None:
    held = holding(D(2019, 4, 10), birth_date=D(1980, 7, 14))
    spec = BirthMonthCycle(years=2, end="birthday")
    assert spans(spec.cycles(held, as_of=D(2023, 7, 15))) == [
        "2019-04-10..2021-07-14",
        "2021-07-15..2023-07-14",
        "2023-07-15..2025-07-14",
    ]


@pytest.mark.parametrize(
    ("earned", "due"),
    [
        # earned + 2 years - 1 day is the day before the birthday: the birthday counts.
        (D(2019, 7, 14), D(2021, 7, 14)),
        # earned + 2 years - 1 day is the birthday itself: it is not after, so a year on.
        (D(2019, 7, 15), D(2022, 7, 14)),
    ],
)
def test_birthday_end_after_the_full_term_on_each_side(earned: dt.date, due: dt.date) -> None:
    held = holding(earned, birth_date=D(1980, 7, 14))
    assert BirthMonthCycle(years=2, end="birthday").cycle_on(held, earned).due == due


@pytest.mark.parametrize(
    ("earned", "due"),
    [(D(2024, 7, 13), D(2024, 7, 14)), (D(2024, 7, 14), D(2025, 7, 14))],
)
def test_birthday_next_occurrence_is_strictly_after_earned(earned: dt.date, due: dt.date) -> None:
    held = holding(earned, birth_date=D(1980, 7, 14))
    spec = BirthMonthCycle(years=1, end="birthday", first_end="next-occurrence")
    assert spec.cycle_on(held, earned).due == due


def test_a_29_february_birthday_ends_on_28_february_in_common_years() -> None:
    held = holding(D(2022, 3, 1), birth_date=D(1992, 2, 29))
    spec = BirthMonthCycle(years=1, end="birthday", first_end="next-occurrence")
    assert dues(spec, held, 4) == [D(2023, 2, 28), D(2024, 2, 29), D(2025, 2, 28), D(2026, 2, 28)]
    after_leap = spec.cycle_on(held, D(2024, 3, 1))
    assert str(after_leap.period) == "2024-03-01..2025-02-28"


@pytest.mark.parametrize(
    ("born", "first_due", "next_start"),
    [
        (D(1980, 7, 14), D(2021, 6, 30), D(2021, 7, 1)),
        # A January birthday: the month before is December of the same year.
        (D(1980, 1, 20), D(2021, 12, 31), D(2022, 1, 1)),
        # A March birthday: the month before is February, 28 or 29 days.
        (D(1980, 3, 5), D(2022, 2, 28), D(2022, 3, 1)),
    ],
)
def test_day_before_birth_month_starts_the_next_cycle_on_the_first_of_it(
    born: dt.date, first_due: dt.date, next_start: dt.date
) -> None:
    held = holding(D(2020, 4, 10), birth_date=born)
    spec = BirthMonthCycle(years=1, end="day-before-birth-month")
    first, second = spec.cycles(held, as_of=first_due + dt.timedelta(days=1))
    assert first.due == first_due
    assert second.period.start == next_start
    assert second.period.start.month == born.month


def test_day_before_a_march_birth_month_in_leap_years() -> None:
    held = holding(D(2022, 1, 10), birth_date=D(1980, 3, 5))
    spec = BirthMonthCycle(years=1, end="day-before-birth-month")
    assert dues(spec, held, 3) == [D(2023, 2, 28), D(2024, 2, 29), D(2025, 2, 28)]


def test_offset_days_after_the_birthday_and_parity_counts_the_birthday_year() -> None:
    # New York's attorneys: due within 30 days after the birthday, in alternate years.
    held = holding(D(2019, 4, 10), birth_date=D(1980, 12, 15))
    spec = BirthMonthCycle(years=2, end="birthday", offset_days=30, parity="birth-year")
    # The birthday year 2022 is even like 1980; the end falls in January 2023.
    assert dues(spec, held, 2) == [D(2023, 1, 14), D(2025, 1, 14)]
    plain = BirthMonthCycle(years=2, end="birthday", parity="birth-year")
    assert dues(plain, held, 2) == [D(2022, 12, 15), D(2024, 12, 15)]


@pytest.mark.parametrize(
    ("earned", "due"),
    # The first end is the first offset end after earned + 1 year - 1 day.
    [(D(2020, 1, 14), D(2021, 1, 14)), (D(2020, 1, 15), D(2022, 1, 14))],
)
def test_offset_ends_on_each_side_of_the_full_term(earned: dt.date, due: dt.date) -> None:
    held = holding(earned, birth_date=D(1980, 12, 15))
    spec = BirthMonthCycle(years=1, end="birthday", offset_days=30)
    assert spec.cycle_on(held, earned).due == due


def test_a_negative_offset_ends_before_the_day() -> None:
    held = holding(D(2022, 1, 10), birth_date=D(1980, 3, 1))
    spec = BirthMonthCycle(years=1, end="birthday", offset_days=-1)
    assert dues(spec, held, 3) == [D(2023, 2, 28), D(2024, 2, 29), D(2025, 2, 28)]


@pytest.mark.parametrize(
    ("offset", "valid"), [(365, True), (-365, True), (366, False), (-366, False)]
)
def test_offset_days_is_at_most_a_year(offset: int, valid: bool) -> None:
    if valid:
        assert BirthMonthCycle(years=1, offset_days=offset).offset_days == offset
    else:
        with pytest.raises(ValidationError, match="offset_days"):
            BirthMonthCycle(years=1, offset_days=offset)


def test_an_unknown_end_is_rejected() -> None:
    with pytest.raises(ValidationError, match="birthday"):
        BirthMonthCycle.model_validate({"years": 1, "end": "birth-day"})


def test_the_default_end_is_unchanged() -> None:
    held = holding(D(2019, 4, 10), birth_date=D(1980, 7, 14))
    spec = BirthMonthCycle(years=2)
    assert spec.end == "month-end"
    assert spec.offset_days == 0
    assert dues(spec, held, 2) == [D(2021, 7, 31), D(2023, 7, 31)]


# --- parity from another date -------------------------------------------------------------


@pytest.mark.parametrize(
    ("parity", "holder", "first_due"),
    [
        ("earned-year", {"birth_date": D(1980, 7, 1)}, D(2021, 7, 31)),
        ("admitted-year", {"birth_date": D(1980, 7, 1), "admitted": D(2004, 1, 1)}, D(2022, 7, 31)),
        ("admitted-year", {"birth_date": D(1980, 7, 1), "admitted": D(2005, 1, 1)}, D(2021, 7, 31)),
        ("licensed-year", {"birth_date": D(1980, 7, 1), "licensed": D(2010, 6, 1)}, D(2022, 7, 31)),
        ("licensed-year", {"birth_date": D(1980, 7, 1), "licensed": D(2011, 6, 1)}, D(2021, 7, 31)),
    ],
)
def test_birth_month_parity_from_another_date(
    parity: str, holder: dict[str, Any], first_due: dt.date
) -> None:
    held = holding(D(2019, 4, 10), **holder)
    spec = BirthMonthCycle.model_validate({"years": 2, "parity": parity})
    assert dues(spec, held, 2) == [first_due, first_due.replace(year=first_due.year + 2)]


@pytest.mark.parametrize(
    ("earned", "due"), [(D(2019, 4, 10), D(2021, 7, 31)), (D(2020, 4, 10), D(2022, 7, 31))]
)
def test_earned_year_parity_on_each_side_of_new_year(earned: dt.date, due: dt.date) -> None:
    held = holding(earned, birth_date=D(1980, 7, 1))
    assert BirthMonthCycle(years=2, parity="earned-year").cycle_on(held, earned).due == due


@pytest.mark.parametrize(
    ("field", "parity"), [("admitted", "admitted-year"), ("licensed", "licensed-year")]
)
def test_a_parity_date_the_holder_lacks_is_a_located_error(field: str, parity: str) -> None:
    held = holding(D(2019, 4, 10), birth_date=D(1980, 7, 1))
    for spec in (
        BirthMonthCycle.model_validate({"years": 2, "parity": parity}),
        DayOfYearCycle.model_validate({"month": 6, "day": 30, "years": 2, "parity": parity}),
    ):
        with pytest.raises(CycleError) as caught:
            spec.cycle_on(held, held.earned)
        assert caught.value.code == "invalid-cycle-spec"
        assert f"Holder({field}=...)" in str(caught.value)
        assert "'test/cert'" in str(caught.value)


def test_a_restart_counts_earned_year_parity_from_the_restart() -> None:
    held = holding(D(2019, 4, 10), birth_date=D(1980, 7, 1))
    spec = BirthMonthCycle(years=2, parity="earned-year")
    (restarted,) = spec.restarted(held, D(2022, 3, 1), as_of=D(2022, 3, 1), first_index=1)
    assert restarted.due == D(2024, 7, 31)


@pytest.mark.parametrize("kind", ["birth-month", "day-of-year"])
def test_parity_needs_even_years(kind: str) -> None:
    fields = {"kind": kind, "years": 3, "parity": "earned-year", "month": 6, "day": 30}
    if kind == "birth-month":
        del fields["month"], fields["day"]
    spec_type = BirthMonthCycle if kind == "birth-month" else DayOfYearCycle
    with pytest.raises(ValidationError) as caught:
        spec_type.model_validate(fields)
    assert error_type(caught.value) == "invalid-cycle-spec"
    assert "even number of years" in str(caught.value)


# --- a fixed day of the year, per holder --------------------------------------------------


@pytest.mark.parametrize(
    ("earned", "first_due"),
    [
        (D(2023, 6, 29), D(2025, 6, 30)),
        # Earned on 30 June: that day is not after it, so the third is in 2026.
        (D(2023, 6, 30), D(2026, 6, 30)),
        (D(2023, 7, 1), D(2026, 6, 30)),
    ],
)
def test_afp_ctp_the_third_30_june_after_passing(earned: dt.date, first_due: dt.date) -> None:
    spec = DayOfYearCycle(month=6, day=30, years=3)
    held = holding(earned)
    first, second = spec.cycles(held, as_of=first_due + dt.timedelta(days=1))
    assert first.due == first_due
    assert (
        str(second.period) == f"{first_due + dt.timedelta(days=1)}..{D(first_due.year + 3, 6, 30)}"
    )
    assert first.full_term_months == 36


def test_florida_cpa_first_end_on_the_third_then_every_two_years() -> None:
    spec = DayOfYearCycle(month=6, day=30, years=2, first_end_occurrence=3)
    held = holding(D(2021, 9, 15))
    assert dues(spec, held, 3) == [D(2024, 6, 30), D(2026, 6, 30), D(2028, 6, 30)]


@pytest.mark.parametrize(
    ("earned", "due"), [(D(2024, 12, 30), D(2024, 12, 31)), (D(2024, 12, 31), D(2025, 12, 31))]
)
def test_the_next_occurrence_at_the_end_of_a_year(earned: dt.date, due: dt.date) -> None:
    spec = DayOfYearCycle(month=12, day=31, years=1, first_end_occurrence=1)
    assert spec.cycle_on(holding(earned), earned).due == due


def test_29_february_falls_on_28_february_in_common_years() -> None:
    spec = DayOfYearCycle(month=2, day=29, years=1, first_end_occurrence=1)
    held = holding(D(2025, 2, 28))  # 28 February 2025 is that year's occurrence, not after
    assert dues(spec, held, 3) == [D(2026, 2, 28), D(2027, 2, 28), D(2028, 2, 29)]
    assert spec.cycle_on(held, D(2028, 3, 1)).period.start == D(2028, 3, 1)


@pytest.mark.parametrize(
    ("earned", "first_due"),
    [
        # Michigan-style: the second 31 July after issue, moved on to the issue year's parity.
        (D(2021, 3, 1), D(2023, 7, 31)),
        (D(2021, 8, 15), D(2023, 7, 31)),
        (D(2022, 7, 30), D(2024, 7, 31)),
        (D(2022, 8, 1), D(2024, 7, 31)),
    ],
)
def test_day_of_year_with_earned_year_parity(earned: dt.date, first_due: dt.date) -> None:
    spec = DayOfYearCycle(month=7, day=31, years=2, first_end_occurrence=2, parity="earned-year")
    assert dues(spec, holding(earned), 2) == [first_due, first_due.replace(year=first_due.year + 2)]


def test_day_of_year_prorated_first_cycle() -> None:
    spec = DayOfYearCycle(month=6, day=30, years=3, first_cycle="prorated")
    first = spec.cycle_on(holding(D(2023, 1, 1)), D(2023, 1, 1))
    assert str(first.period) == "2023-01-01..2025-06-30"
    assert first.term_months == 30
    assert first.prorated


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"month": 6, "day": 31, "years": 3}, "day 31 does not exist in June"),
        ({"month": 2, "day": 30, "years": 3}, "day 30 does not exist in February"),
        ({"month": 2, "day": 0, "years": 3}, "day 0 does not exist"),
        ({"month": 13, "day": 1, "years": 3}, "month number from 1 to 12"),
        ({"month": 6, "day": 30, "years": 0}, "years must be at least 1"),
        ({"month": 6, "day": 30, "years": 3, "first_end_occurrence": 0}, "at least 1"),
    ],
)
def test_day_of_year_rejects_bad_specs(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        DayOfYearCycle.model_validate(fields)


def test_29_february_is_a_valid_day() -> None:
    assert DayOfYearCycle(month=2, day=29, years=1).day == 29


# --- fixed periods that merge only a short part-period --------------------------------------


def kentucky() -> FixedCycle:
    return FixedCycle(anchor=D(2020, 11, 1), years=1, stub="merged", merge_within_months=6)


@pytest.mark.parametrize(
    ("earned", "due"),
    [
        (D(2024, 4, 30), D(2024, 10, 31)),  # the first six months: ends with this period
        (D(2024, 5, 1), D(2025, 10, 31)),  # the last six months: runs to the next one's end
        (D(2024, 10, 31), D(2025, 10, 31)),
        (D(2024, 11, 1), D(2025, 10, 31)),  # a period's first day: no part-period at all
        (D(2024, 11, 2), D(2025, 10, 31)),
    ],
)
def test_kentucky_merges_only_the_last_six_months(earned: dt.date, due: dt.date) -> None:
    first = kentucky().cycle_on(holding(earned), earned)
    assert first.period.start == earned
    assert first.due == due


def test_merge_within_months_over_several_years() -> None:
    spec = FixedCycle(anchor=D(2021, 3, 1), years=2, stub="merged", merge_within_months=13)
    # The period 2021-03-01..2023-02-28: its last 13 months start on 2022-02-01.
    assert spec.cycle_on(holding(D(2022, 1, 31)), D(2022, 1, 31)).due == D(2023, 2, 28)
    assert spec.cycle_on(holding(D(2022, 2, 1)), D(2022, 2, 1)).due == D(2025, 2, 28)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"stub": "own", "merge_within_months": 6}, "needs stub='merged'"),
        ({"stub": "merged", "merge_within_months": 12}, "not shorter than the 12-month period"),
        ({"stub": "merged", "merge_within_months": 0}, "at least 1"),
    ],
)
def test_merge_within_months_rejects_bad_specs(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        FixedCycle.model_validate({"anchor": "2020-11-01", "years": 1, **fields})


def test_plain_merged_stub_is_unchanged() -> None:
    spec = FixedCycle(anchor=D(2020, 11, 1), years=1, stub="merged")
    assert spec.cycle_on(holding(D(2024, 4, 30)), D(2024, 4, 30)).due == D(2025, 10, 31)


# --- words, linter, format, strategies ------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        (
            BirthMonthCycle(years=2, end="birthday", offset_days=30, parity="admitted-year"),
            "2 years ending on the birthday 30 days later, in years of the admission year's parity",
        ),
        (
            BirthMonthCycle(years=1, end="day-before-birth-month"),
            "1 year ending the day before the birth month",
        ),
        (
            BirthMonthCycle(years=2, parity="earned-year"),
            "2 years ending with the birth month, in years of the parity of the year earned",
        ),
        (
            DayOfYearCycle(month=6, day=30, years=3),
            "3 years ending on 30 June, the first on the 3rd 30 June after the date earned",
        ),
        (
            DayOfYearCycle(
                month=7, day=31, years=2, first_end_occurrence=1, parity="licensed-year"
            ),
            "2 years ending on 31 July, the first on the 1st 31 July after the date earned, "
            "in years of the first licence year's parity",
        ),
        (
            kentucky(),
            "fixed periods of 1 year for every holder, one starting 1 November 2020 (a "
            "part-period begun in the last 6 months of a period joins the next full one)",
        ),
    ],
)
def test_described_in_words(spec: CycleSpec, words: str) -> None:
    assert describe_cycle(spec) == words


def certification(spec: CycleSpec) -> Certification:
    return Certification(
        id="demo/cycle",
        name="Demo",
        body="Demo",
        unit="hour",
        versions=(PolicyVersion(effective_from=D(2020, 1, 1), cycle=spec),),
    )


@pytest.mark.parametrize(
    "spec",
    [
        BirthMonthCycle(years=2, end="birthday", parity="admitted-year"),
        BirthMonthCycle(years=2, parity="licensed-year"),
        DayOfYearCycle(month=6, day=30, years=3),
        kentucky(),
    ],
)
def test_the_linter_lays_out_a_cycle(spec: CycleSpec) -> None:
    assert linter._representative_cycle(certification(spec).versions[0]) is not None
    lint(certification(spec))


def test_round_trips_through_the_policy_format() -> None:
    toml = """
id = "demo/holder-days"
name = "Holder days"
body = "Demo"
unit = "hour"

[[versions]]
effective_from = 2020-01-01
effective_until = 2021-12-31

[versions.cycle]
kind = "day-of-year"
month = 6
day = 30
years = 2
first_end_occurrence = 3
parity = "earned-year"

[[versions]]
effective_from = 2022-01-01
effective_until = 2023-12-31

[versions.cycle]
kind = "birth-month"
years = 2
end = "birthday"
offset_days = 30
parity = "admitted-year"

[[versions]]
effective_from = 2024-01-01

[versions.cycle]
kind = "fixed"
anchor = 2020-11-01
years = 1
stub = "merged"
merge_within_months = 6
"""
    loaded = load_certification(toml)
    assert load_certification(dump_certification(loaded)) == loaded
    first, second, third = (version.cycle for version in loaded.versions)
    assert isinstance(first, DayOfYearCycle)
    assert first.first_end_occurrence == 3
    assert isinstance(second, BirthMonthCycle)
    assert second.offset_days == 30
    assert isinstance(third, FixedCycle)
    assert third.merge_within_months == 6


def test_a_bad_day_in_the_policy_format_is_located() -> None:
    toml = """
id = "demo/bad-day"
name = "Bad day"
body = "Demo"
unit = "hour"

[[versions]]
effective_from = 2020-01-01

[versions.cycle]
kind = "day-of-year"
month = 4
day = 31
years = 2
"""
    with pytest.raises(Exception, match=r"versions\[0\]\.cycle") as caught:
        load_certification(toml)
    assert "day 31 does not exist in April" in str(caught.value)


@given(
    strategies.cycle_specs(kinds=("birth-month", "day-of-year", "fixed")),
    strategies.holders(),
    st.dates(min_value=D(2000, 1, 1), max_value=D(2030, 12, 31)),
)
def test_generated_holder_anchored_specs_lay_out_contiguous_cycles(
    spec: CycleSpec, holder: Holder, earned: dt.date
) -> None:
    held = Holding(certification="test/cert", earned=earned, holder=holder)
    cycles = spec.cycles(held, as_of=earned + dt.timedelta(days=3 * 366))
    assert cycles[0].period.start == earned
    for before, after in itertools.pairwise(cycles):
        assert after.period.start == before.period.end + dt.timedelta(days=1)
