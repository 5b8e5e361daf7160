"""Regression tests for mutants of the engine that once survived the suite (issue 18).

Each asserts exact amounts, notes and messages, so that the mutant named in its
docstring changes an answer the test reads.
"""

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from pydantic import ValidationError

from cperules import Activity, Certification, Holding, Ledger, PolicyVersion, evaluate
from cperules.credits import Measure
from cperules.cycles import (
    AnniversaryCycle,
    BirthMonthCycle,
    CalendarCycle,
    Grace,
    Period,
    RollingCycle,
    ScheduledCycle,
    ScheduleGroup,
)
from cperules.errors import CycleError, MeasureError
from cperules.holders import Holder
from cperules.policy import CategoryNode
from cperules.rules import Cap, Carryover, Minimum, Rule
from cperules.selectors import category, everything


def cert(*rules: Rule, categories: tuple[str, ...] = (), **version: Any) -> Certification:
    policy = PolicyVersion(
        effective_from=dt.date(2000, 1, 1),
        cycle=version.pop("cycle", AnniversaryCycle(years=1)),
        categories=tuple(CategoryNode(code=c) for c in categories),
        rules=rules,
        **version,
    )
    return Certification(id="test/unit", name="Unit", body="Test", unit="CPE", versions=(policy,))


def act(activity_id: str, completed: str, **fields: Any) -> Activity:
    fields.setdefault("credits", Decimal(5))
    return Activity.model_validate(
        {"id": activity_id, "title": f"Course {activity_id}", "completed": completed, **fields}
    )


def test_a_part_below_the_minimum_duration_counts_nothing() -> None:
    """``Part(reason="below-minimum-duration", credits=Decimal(0))``: never 1 credit."""
    policy = cert(
        Minimum(id="total", credits=Decimal(10)),
        measure=Measure(minutes_per_credit=50, minimum=Decimal(1), step=Decimal("0.5")),
    )
    ledger = Ledger(
        [act("short", "2024-03-01", credits=None, minutes=40), act("long", "2024-03-02")]
    )
    result = evaluate(
        Holding(certification=policy, earned=dt.date(2024, 1, 1)), ledger, as_of=dt.date(2024, 6, 1)
    )
    (part,) = result.governing.outcome("short").parts
    assert (part.reason, part.credits) == ("below-minimum-duration", Decimal(0))
    assert part.note == "40 minutes is below the minimum of 1 credit"
    assert result.governing.counted == Decimal(5)
    assert result.governing.requirement("total").shortfall == Decimal(5)


GRACE_EARNING = cert(
    Minimum(id="total", credits=Decimal(20)),
    cycle=AnniversaryCycle(years=1, grace=Grace(days=90, earning="allowed")),
)


def test_grace_credit_cures_with_the_cycles_own_credit_on_the_day_it_suffices() -> None:
    """Own credit always counts toward a cure; grace credit only up to the cure day.

    Catches ``e.source != "grace"`` flipped (own credit dropped, no cure), and the
    note on grace-window parts.
    """
    holding = Holding(certification=GRACE_EARNING, earned=dt.date(2023, 1, 1))
    ledger = Ledger(
        [
            act("own", "2023-06-01", credits=Decimal(10)),
            act("g1", "2024-01-10", credits=Decimal(5)),
            act("g2", "2024-02-10", credits=Decimal(5)),
            act("g3", "2024-03-10", credits=Decimal(5)),
        ]
    )
    result = evaluate(holding, ledger, as_of=dt.date(2024, 6, 1))
    first = result.cycles[0]
    assert first.status == "compliant"
    assert first.requirement("total").counted == Decimal(20)
    grace_parts = {
        o.activity_id: [(p.reason, p.credits, p.note) for p in o.parts]
        for o in first.activities
        if o.activity_id.startswith("g")
    }
    assert grace_parts["g1"] == [("counted", Decimal(5), "earned in the grace window")]
    assert grace_parts["g2"] == [("counted", Decimal(5), "earned in the grace window")]
    assert "g3" not in grace_parts  # not needed for the cure: it counts in its own cycle
    assert [(s.standing, s.start) for s in result.lifecycle][:3] == [
        ("active", dt.date(2023, 1, 1)),
        ("grace", dt.date(2024, 1, 1)),
        ("active", dt.date(2024, 2, 11)),
    ]


def test_a_yearly_cap_alone_spreads_the_plan_over_the_years() -> None:
    """Per-year planning when only a cap is yearly (``or``, not ``and``)."""
    policy = cert(
        Minimum(id="total", credits=Decimal(30)),
        Cap(id="yearly", credits=Decimal(10), selector=everything(), scope="year"),
        cycle=CalendarCycle(years=3, stub="merged"),
    )
    holding = Holding(certification=policy, earned=dt.date(2024, 1, 1))
    result = evaluate(holding, Ledger(), as_of=dt.date(2024, 2, 1))
    assert [(n.credits, n.due) for n in result.remaining()] == [
        (Decimal(10), dt.date(2024, 12, 31)),
        (Decimal(10), dt.date(2025, 12, 31)),
        (Decimal(10), dt.date(2026, 12, 31)),
    ]


@pytest.mark.parametrize(
    ("counted", "asked"),
    [
        ("9.75", "1"),  # a quarter short: at least the smallest amount, 1
        ("8.75", "1.5"),  # 1.25 short: rounded up onto the half-credit grid above 1
        ("8", "2"),  # already on the grid
    ],
)
def test_needs_are_rounded_up_onto_the_grid(counted: str, asked: str) -> None:
    policy = cert(
        Minimum(id="total", credits=Decimal(10)),
        measure=Measure(minimum=Decimal(1), step=Decimal("0.5")),
    )
    holding = Holding(certification=policy, earned=dt.date(2024, 1, 1))
    ledger = Ledger([act("a", "2024-03-01", credits=Decimal(counted))])
    result = evaluate(holding, ledger, as_of=dt.date(2024, 6, 1))
    assert [(n.credits, n.category) for n in result.remaining()] == [(Decimal(asked), None)]


def test_a_plan_on_a_whole_credit_grid_asks_exactly_what_completes_the_cycle() -> None:
    """2.75 credits of A count as 2 on a whole-credit grid: 2 more of A meet both
    minimums within A's cap of 4, and nothing of B is asked for."""
    policy = cert(
        Minimum(id="total", credits=Decimal(10)),
        Minimum(id="a", credits=Decimal(3), selector=category("A")),
        Cap(id="a-cap", credits=Decimal(4), selector=category("A")),
        categories=("A", "B"),
        measure=Measure(step=Decimal(1)),
    )
    holding = Holding(certification=policy, earned=dt.date(2024, 1, 1))
    ledger = Ledger(
        [
            act("a", "2024-03-01", credits=Decimal("2.75"), category="A"),
            act("b", "2024-03-02", credits=Decimal(6), category="B"),
        ]
    )
    result = evaluate(holding, ledger, as_of=dt.date(2024, 6, 1))
    needs = sorted((n.category, n.credits) for n in result.remaining())
    assert needs == [("A", Decimal(2))]


def test_period_and_cycle_errors_say_what_is_wrong() -> None:
    with pytest.raises(ValidationError) as caught:
        Period(start=dt.date(2024, 2, 1), end=dt.date(2024, 1, 1))
    assert "a period's start 2024-02-01 is after its end 2024-01-01" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        CalendarCycle(years=3, stub="first-year", years_by="anniversary")
    assert (
        "stub 'first-year' joins the stub to the first calendar year, so it needs "
        "years_by='calendar', got years_by='anniversary'"
    ) in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        BirthMonthCycle(years=3, parity="odd")
    assert "parity 'odd' needs an even number of years, got years=3" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        Grace(days=0)
    assert "days must be at least 1, got 0" in str(caught.value)
    holding = Holding(certification="isc2/cissp", earned=dt.date(2024, 3, 1))
    with pytest.raises(CycleError) as raised:
        AnniversaryCycle(years=3).cycles(holding, as_of=dt.date(2024, 2, 1))
    assert str(raised.value) == (
        "as_of 2024-02-01 is before the first cycle of 'isc2/cissp', which starts when it "
        "was earned on 2024-03-01"
    )
    assert raised.value.code == "before-first-cycle"


def test_a_checkpoint_month_out_of_range_is_named() -> None:
    with pytest.raises(ValidationError) as caught:
        RollingCycle(every_months=12, window_months=12, checkpoint_month=13)
    assert "checkpoint_month must be a month number from 1 to 12, got 13" in str(caught.value)
    assert "type=invalid-cycle-spec" in str(caught.value)


def test_an_unknown_unit_lists_none_when_the_measure_converts_nothing() -> None:
    with pytest.raises(MeasureError) as raised:
        Measure(conversions={}).convert_units(Decimal(1), "ceu")
    assert str(raised.value) == "this measure has no conversion for unit 'ceu'; known units: none"


def test_a_schedule_that_does_not_repeat_says_so() -> None:
    table = ScheduleGroup(
        name="all",
        letters="A-Z",
        periods=(Period(start=dt.date(2020, 1, 1), end=dt.date(2021, 12, 31)),),
    )
    holding = Holding(
        certification="isc2/cissp", earned=dt.date(2020, 6, 1), holder=Holder(family_name="Hu")
    )
    with pytest.raises(CycleError) as raised:
        ScheduledCycle(groups=(table,)).cycles(holding, as_of=dt.date(2022, 1, 1))
    assert str(raised.value) == (
        "as_of 2022-01-01 is after the schedule of group 'all', which ends 2021-12-31 and "
        "does not repeat"
    )


def test_restarted_and_cut_cycles_keep_their_numbers_and_years() -> None:
    spec = AnniversaryCycle(years=3, years_by="anniversary")
    holding = Holding(certification="comptia/a-plus", earned=dt.date(2023, 1, 10))
    restarted = spec.restarted(
        holding, dt.date(2024, 6, 1), as_of=dt.date(2028, 1, 1), first_index=1
    )
    assert [(c.index, str(c.period)) for c in restarted] == [
        (1, "2024-06-01..2027-05-31"),
        (2, "2027-06-01..2030-05-31"),
    ]
    cut = spec.cut(spec.cycle_on(holding, holding.earned), dt.date(2024, 5, 31))
    assert [str(year) for year in cut.years] == ["2023-01-10..2024-01-09", "2024-01-10..2024-05-31"]
    assert (cut.due, cut.term_months) == (dt.date(2024, 5, 31), 16)


def test_lp_errors_name_the_row_and_variable() -> None:
    from cperules._engine.lp import Constraint, Problem, maximise  # noqa: PLC0415

    one = Fraction(1)
    half: Any = 0.5  # a float, which the solver refuses

    with pytest.raises(TypeError) as raised:
        Constraint({0: half}, "<=", one)
    assert str(raised.value) == (
        "a constraint, variable 0 must be exact: pass a Fraction, Decimal or int, not 0.5"
    )
    with pytest.raises(TypeError) as raised:
        Constraint({0: one}, "<=", half)
    assert str(raised.value).startswith("a constraint's bound must be exact")
    problem = Problem(variables=1, constraints=(Constraint({0: one}, "<=", one),))
    with pytest.raises(TypeError) as raised:
        maximise(problem, [{0: half}])
    assert str(raised.value).startswith("objective 0, variable 0 must be exact")


def test_earlier_credit_counts_first_under_a_cap() -> None:
    """Ties break by date: with a cap of 5, the earlier of two equal activities counts."""
    policy = cert(
        Minimum(id="total", credits=Decimal(20)),
        Cap(id="a-cap", credits=Decimal(5), selector=category("A")),
        categories=("A",),
    )
    holding = Holding(certification=policy, earned=dt.date(2024, 1, 1))
    ledger = Ledger(
        [act("late", "2024-05-01", category="A"), act("early", "2024-03-01", category="A")]
    )
    cycle = evaluate(holding, ledger, as_of=dt.date(2024, 6, 1)).governing
    assert [(p.reason, p.credits) for p in cycle.outcome("early").parts] == [
        ("counted", Decimal(5))
    ]
    assert [(p.reason, p.credits) for p in cycle.outcome("late").parts] == [("capped", Decimal(5))]


def test_an_activity_eligible_for_two_categories_goes_to_the_first_when_either_serves() -> None:
    policy = cert(
        Minimum(id="total", credits=Decimal(20)), categories=("A", "B"), measure=Measure()
    )
    holding = Holding(certification=policy, earned=dt.date(2024, 1, 1))
    ledger = Ledger(
        [act("e", "2024-03-01", eligible=("B", "A")), act("cap", "2024-03-02", category="A")]
    )
    cycle = evaluate(holding, ledger, as_of=dt.date(2024, 6, 1)).governing
    assert [(p.reason, p.category, p.credits) for p in cycle.outcome("e").parts] == [
        ("counted", "A", Decimal(5))
    ]


def test_carried_credit_lands_in_the_next_cycle_when_it_is_already_laid_out() -> None:
    policy = cert(
        Minimum(id="total", credits=Decimal(10)),
        cycle=AnniversaryCycle(years=1),
        carryover=Carryover(cap=Decimal(5), lands="next-cycle"),
    )
    holding = Holding(certification=policy, earned=dt.date(2023, 1, 1))
    ledger = Ledger(
        [
            act("big", "2023-06-01", credits=Decimal(15)),
            act("next", "2024-06-01", credits=Decimal(10)),
        ]
    )
    # Three cycles laid out: the credit lands in the one after, not the last one.
    result = evaluate(holding, ledger, as_of=dt.date(2025, 6, 1))
    (carried,) = result.cycles[1].carried_in
    assert (carried.credits, str(carried.lands_in)) == (Decimal(5), "2024-01-01..2024-12-31")


def test_an_exam_without_credit_is_a_no_credit_part_of_zero() -> None:
    policy = cert(Minimum(id="total", credits=Decimal(10)))
    holding = Holding(certification=policy, earned=dt.date(2024, 1, 1))
    ledger = Ledger([act("exam", "2024-03-01", credits=None, kind="exam")])
    cycle = evaluate(holding, ledger, as_of=dt.date(2024, 6, 1)).governing
    assert [(p.reason, p.credits) for p in cycle.outcome("exam").parts] == [
        ("no-credit", Decimal(0))
    ]


def test_the_expiry_stage_says_the_grace_window_passed() -> None:
    policy = cert(
        Minimum(id="total", credits=Decimal(10)),
        cycle=AnniversaryCycle(years=1, grace=Grace(days=30)),
    )
    holding = Holding(certification=policy, earned=dt.date(2023, 1, 1))
    result = evaluate(holding, Ledger(), as_of=dt.date(2024, 6, 1))
    assert result.lifecycle[-1].note == "cycle 0 ended unmet and its grace window passed"
    assert result.lifecycle[-1].start == dt.date(2024, 1, 31)
