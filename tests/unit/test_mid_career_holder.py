"""Issue 15, item 9: holders who start tracking in the middle of their career.

A holding states where tracking starts (``tracked_from``: the first day of the first cycle
to evaluate; ``renewed_through``: the last day of the last cycle known to be renewed) and,
when known, the credit ``carried_in``. Earlier cycles are ``before_tracking``; activities
and renewal events before tracking are reported, not dropped.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from pydantic import ValidationError

from cperules import (
    Activity,
    AnniversaryCycle,
    BirthMonthCycle,
    CalendarCycle,
    Certification,
    DayOfYearCycle,
    FixedCycle,
    Holder,
    Holding,
    Ledger,
    Period,
    PolicyVersion,
    RenewalEvent,
    RollingCycle,
    ScheduledCycle,
    ScheduleGroup,
    evaluate,
    evaluate_portfolio,
)
from cperules.cases import run_cases
from cperules.cycles import CycleSpec
from cperules.errors import CycleError
from cperules.rules import Carryover, Minimum, Recurrence

EARNED = dt.date(2017, 4, 16)
CURRENT = dt.date(2023, 4, 16)  # CISSP earned 2017-04-16: cycles start 2017, 2020, 2023
AS_OF = dt.date(2024, 6, 1)


def course(activity_id: str, completed: dt.date, credits: int, cat: str | None = "A") -> Activity:
    return Activity(
        id=activity_id,
        title="Course",
        completed=completed,
        credits=Decimal(credits),
        category=cat,
    )


def cissp(**fields: object) -> Holding:
    return Holding.model_validate({"certification": "isc2/cissp", "earned": EARNED, **fields})


LEDGER = Ledger([course("new", dt.date(2024, 1, 10), 30)])


# --- the reproduction --------------------------------------------------------


def test_without_tracking_the_empty_first_cycle_expires_the_certification() -> None:
    result = evaluate(cissp(), LEDGER, as_of=AS_OF)
    assert result.status == "non_compliant"
    assert result.standing.standing != "active"


@pytest.mark.parametrize(
    "fields", [{"tracked_from": CURRENT}, {"renewed_through": CURRENT - dt.timedelta(days=1)}]
)
def test_mid_career_holder_is_evaluated_from_the_stated_cycle(fields: dict[str, object]) -> None:
    result = evaluate(cissp(**fields), LEDGER, as_of=AS_OF)
    assert result.status == "in_progress"
    assert result.standing.standing == "active"
    assert [c.status for c in result.cycles] == [
        "before_tracking",
        "before_tracking",
        "in_progress",
    ]
    governing = result.governing
    assert governing.index == 2
    assert governing.period.start == CURRENT
    assert governing.requirement("total").counted == Decimal(30)
    assert all(not c.requirements and not c.activities for c in result.cycles[:2])


# --- the boundary, on both sides ----------------------------------------------------------


@pytest.mark.parametrize("offset", [-1, 1])
def test_tracked_from_off_a_cycle_start_says_did_you_mean(offset: int) -> None:
    wrong = CURRENT + dt.timedelta(days=offset)
    with pytest.raises(CycleError) as caught:
        evaluate(cissp(tracked_from=wrong), LEDGER, as_of=AS_OF)
    error = caught.value
    assert error.code == "not-a-cycle-boundary"
    message = str(error)
    assert message.startswith(f"holding.tracked_from: got {wrong}")
    assert "did you mean 2023-04-16?" in message
    expected = "2020-04-16 and 2023-04-16" if offset == -1 else "2023-04-16 and 2026-04-16"
    assert expected in message


@pytest.mark.parametrize("offset", [-1, 1])
def test_renewed_through_off_a_cycle_end_says_did_you_mean(offset: int) -> None:
    wrong = dt.date(2023, 4, 15) + dt.timedelta(days=offset)
    with pytest.raises(CycleError, match=r"did you mean 2023-04-15\?") as caught:
        evaluate(cissp(renewed_through=wrong), LEDGER, as_of=AS_OF)
    assert caught.value.code == "not-a-cycle-boundary"
    assert str(caught.value).startswith(f"holding.renewed_through: got {wrong}")


def test_tracked_from_the_first_cycle_start_is_the_full_evaluation() -> None:
    ledger = Ledger([course("old", dt.date(2018, 1, 1), 120)])
    tracked = evaluate(cissp(tracked_from=EARNED), ledger, as_of=AS_OF)
    full = evaluate(cissp(), ledger, as_of=AS_OF)
    assert tracked.cycles == full.cycles


def test_tracking_before_earned_is_refused_with_the_first_start() -> None:
    with pytest.raises(CycleError, match=r"did you mean 2017-04-16\?"):
        evaluate(cissp(tracked_from=dt.date(2017, 1, 1)), LEDGER, as_of=AS_OF)


def test_renewed_through_before_earned_is_refused_by_the_holding() -> None:
    with pytest.raises(ValidationError, match="renewed_through: expected a cycle's last day"):
        cissp(renewed_through=dt.date(2017, 4, 15))


def test_tracked_from_and_renewed_through_together_are_refused() -> None:
    with pytest.raises(ValidationError, match="either tracked_from or renewed_through"):
        cissp(tracked_from=CURRENT, renewed_through=dt.date(2023, 4, 15))


def test_as_of_in_a_cycle_before_tracking_is_a_clear_error() -> None:
    with pytest.raises(CycleError, match="before tracking starts") as caught:
        evaluate(cissp(tracked_from=CURRENT), LEDGER, as_of=dt.date(2023, 4, 15))
    assert caught.value.code == "before-first-cycle"
    # On the first tracked day it evaluates.
    assert evaluate(cissp(tracked_from=CURRENT), LEDGER, as_of=CURRENT).status == "in_progress"


# --- every cycle kind ---------------------------------------------------------------------

TOTAL = Minimum(id="total", credits=Decimal(10))
HOLDER = Holder(birth_date=dt.date(1980, 5, 20), family_name="Adams", group="1")


def _years(start: int, count: int, years: int) -> tuple[Period, ...]:
    return tuple(
        Period(
            start=dt.date(start + k * years, 1, 1), end=dt.date(start + (k + 1) * years - 1, 12, 31)
        )
        for k in range(count)
    )


SPECS: dict[str, CycleSpec] = {
    "anniversary": AnniversaryCycle(years=2),
    "calendar": CalendarCycle(years=2),
    "fixed": FixedCycle(anchor=dt.date(2015, 10, 1), years=2),
    "birth-month": BirthMonthCycle(years=2),
    "day-of-year": DayOfYearCycle(month=6, day=30, years=2),
    "scheduled": ScheduledCycle(
        groups=(ScheduleGroup(name="all", letters="A-Z", periods=_years(2016, 6, 2)),)
    ),
    "rolling": RollingCycle(every_months=12, window_months=36, checkpoint_month=12),
}


def _certification(
    spec: CycleSpec, *rules: object, carryover: Carryover | None = None
) -> Certification:
    return Certification.model_validate(
        {
            "id": "demo/cert",
            "name": "Demo",
            "body": "Demo",
            "unit": "CPE",
            "versions": (
                PolicyVersion.model_validate(
                    {
                        "effective_from": dt.date(2000, 1, 1),
                        "cycle": spec,
                        "rules": rules or (TOTAL,),
                        "categories": (),
                        "carryover": carryover,
                    }
                ),
            ),
        }
    )


@pytest.mark.parametrize("kind", list(SPECS))
def test_every_cycle_kind_tracks_from_its_own_boundaries(kind: str) -> None:
    certification = _certification(SPECS[kind])
    plain = Holding(certification=certification, earned=dt.date(2016, 3, 10), holder=HOLDER)
    as_of = dt.date(2022, 3, 1)
    laid = SPECS[kind].cycles(plain, as_of=as_of)
    assert len(laid) >= 3, [str(c.period) for c in laid]
    second = laid[2]
    ledger = Ledger([course("x", second.period.end - dt.timedelta(days=1), 10, None)])
    by_start = plain.model_copy(update={"tracked_from": second.period.start})
    by_end = plain.model_copy(update={"renewed_through": laid[1].due})
    for holding in (Holding.model_validate(dict(by_start)), Holding.model_validate(dict(by_end))):
        result = evaluate(holding, ledger, as_of=as_of)
        assert [c.status for c in result.cycles[:2]] == ["before_tracking"] * 2
        assert result.cycles[2].period == second.period
        assert result.cycles[2].status != "before_tracking"
    wrong = second.period.start + dt.timedelta(days=1)
    with pytest.raises(CycleError, match=f"did you mean {second.period.start}") as caught:
        evaluate(plain.model_copy(update={"tracked_from": wrong}), ledger, as_of=as_of)
    assert caught.value.code == "not-a-cycle-boundary"


def test_rolling_renewed_through_names_a_checkpoint_and_tracked_from_a_window_start() -> None:
    spec = SPECS["rolling"]
    certification = _certification(spec)
    holding = Holding(certification=certification, earned=dt.date(2016, 3, 10))
    # Checkpoints 2016-12-31, 2017-12-31, ...; windows of 36 months ending on them.
    by_checkpoint = holding.model_copy(update={"renewed_through": dt.date(2018, 12, 31)})
    by_window = holding.model_copy(update={"tracked_from": dt.date(2017, 1, 1)})
    as_of = dt.date(2019, 6, 1)
    one = evaluate(Holding.model_validate(dict(by_checkpoint)), Ledger(), as_of=as_of)
    two = evaluate(Holding.model_validate(dict(by_window)), Ledger(), as_of=as_of)
    assert one.cycles == two.cycles
    assert one.governing.period == Period(start=dt.date(2017, 1, 1), end=dt.date(2019, 12, 31))
    with pytest.raises(CycleError, match=r"did you mean 2018-12-31\?"):
        evaluate(
            Holding.model_validate({**dict(holding), "renewed_through": dt.date(2018, 12, 30)}),
            Ledger(),
            as_of=as_of,
        )


def test_policy_versions_are_still_picked_per_cycle() -> None:
    old = PolicyVersion(
        effective_from=dt.date(2000, 1, 1),
        effective_until=dt.date(2019, 12, 31),
        cycle=AnniversaryCycle(years=2),
        rules=(TOTAL,),
    )
    new = PolicyVersion(
        effective_from=dt.date(2020, 1, 1),
        cycle=AnniversaryCycle(years=2),
        rules=(Minimum(id="total", credits=Decimal(20)),),
    )
    certification = Certification(id="d/v", name="V", body="V", unit="CPE", versions=(old, new))
    holding = Holding(
        certification=certification, earned=dt.date(2016, 1, 1), tracked_from=dt.date(2020, 1, 1)
    )
    result = evaluate(holding, Ledger(), as_of=dt.date(2020, 6, 1))
    assert [c.version_from for c in result.cycles] == [dt.date(2000, 1, 1)] * 2 + [
        dt.date(2020, 1, 1)
    ]
    assert result.governing.requirement("total").required == Decimal(20)


def test_once_per_career_requirement_met_before_tracking_is_not_asked_again() -> None:
    once = Minimum(
        id="orientation", credits=Decimal(2), recurrence=Recurrence(applies_to="once-per-career")
    )
    certification = _certification(AnniversaryCycle(years=2), TOTAL, once)
    holding = Holding(
        certification=certification, earned=dt.date(2016, 1, 1), tracked_from=dt.date(2018, 1, 1)
    )
    result = evaluate(holding, Ledger(), as_of=dt.date(2018, 6, 1))
    assert [req.id for req in result.governing.requirements] == ["total"]


# --- what before tracking becomes ------------------------------------------------------


def test_activities_before_tracking_are_reported_not_dropped() -> None:
    ledger = Ledger([course("old", dt.date(2023, 4, 15), 40), course("new", CURRENT, 5)])
    result = evaluate(cissp(tracked_from=CURRENT), ledger, as_of=AS_OF)
    (outside,) = result.outside
    assert outside.activity_id == "old"
    (part,) = outside.parts
    assert part.reason == "before-tracking"
    assert part.credits == Decimal(40)
    assert "tracking starts on 2023-04-16" in (part.note or "")
    assert "not evaluated" in result.explain("old")
    assert result.governing.outcome("new").counted == Decimal(5)


def test_renewal_events_before_tracking_are_ignored_with_a_finding() -> None:
    early = RenewalEvent(
        kind="higher-certification", date=dt.date(2023, 4, 15), certification="comptia/cysa-plus"
    )
    holding = Holding(
        certification="comptia/security-plus",
        earned=dt.date(2020, 4, 16),
        tracked_from=dt.date(2023, 4, 17),  # Security+ cycles end on the anniversary
        events=(early,),
    )
    result = evaluate(holding, Ledger(), as_of=AS_OF)
    codes = [finding.code for finding in result.findings]
    assert "event-before-tracking" in codes
    finding = next(f for f in result.findings if f.code == "event-before-tracking")
    assert "2023-04-15" in finding.message
    assert "tracked_from=2023-04-17" in finding.message
    assert all(cycle.renewed_by is None for cycle in result.cycles)
    # The same event on the first tracked day (after the cycle's first) is applied.
    later = early.model_copy(update={"date": dt.date(2023, 5, 1)})
    renewed = evaluate(holding.model_copy(update={"events": (later,)}), Ledger(), as_of=AS_OF)
    assert not [f for f in renewed.findings if f.code == "event-before-tracking"]
    assert any(cycle.renewed_by == later for cycle in renewed.cycles)


def test_before_tracking_cycles_have_no_deadlines_and_say_so_in_every_view() -> None:
    result = evaluate(cissp(tracked_from=CURRENT), LEDGER, as_of=AS_OF)
    assert {d.cycle for d in result.next_deadlines()} == {2}
    assert "before tracking (not evaluated)" in str(result)
    assert "Not evaluated: tracking starts after this cycle" in result._repr_html_()
    assert "before tracking" in result._repr_markdown_()
    assert result.to_dict()["cycles"][0]["status"] == "before_tracking"


def test_what_if_keeps_the_tracking() -> None:
    result = evaluate(cissp(tracked_from=CURRENT), LEDGER, as_of=AS_OF)
    plan = result.what_if(
        [{"id": "p", "title": "Plan", "completed": "2025-01-01", "credits": 90, "category": "A"}]
    )
    assert plan.status == "compliant"
    assert plan.cycles[0].status == "before_tracking"


# --- carried-in credit ---------------------------------------------------------------------


def carried(
    credits: int, cat: str | None = "A", completed: dt.date = dt.date(2023, 3, 1)
) -> Activity:
    return course("carry", completed, credits, cat).model_copy(update={"title": "Carried in"})


def test_carried_in_credit_counts_in_the_first_tracked_cycle() -> None:
    holding = cissp(tracked_from=CURRENT, carried_in=(carried(40),))
    result = evaluate(holding, LEDGER, as_of=AS_OF)
    governing = result.governing
    (credit,) = governing.carried_in
    assert (credit.activity_id, credit.category, credit.credits) == ("carry", "A", Decimal(40))
    assert credit.lands_in == result.cycle_years(2)[0]  # CISSP's carryover lands in year 1
    assert governing.requirement("total").counted == Decimal(70)
    assert governing.outcome("carry").reasons == ("carried-in",)


def test_carried_in_at_the_cap_is_taken_and_over_it_is_refused() -> None:
    evaluate(cissp(tracked_from=CURRENT, carried_in=(carried(40),)), LEDGER, as_of=AS_OF)
    with pytest.raises(CycleError, match="at most 40 credits in all") as caught:
        evaluate(cissp(tracked_from=CURRENT, carried_in=(carried(41),)), LEDGER, as_of=AS_OF)
    assert caught.value.code == "invalid-carried-in"


def test_carried_in_of_a_category_the_carryover_does_not_take_is_refused() -> None:
    with pytest.raises(CycleError, match=r"carried_in\[0\] \(id 'carry'\)") as caught:
        evaluate(cissp(tracked_from=CURRENT, carried_in=(carried(10, "B"),)), LEDGER, as_of=AS_OF)
    assert "category('A') does not take this activity" in str(caught.value)


def test_carried_in_with_an_unknown_or_missing_category_is_refused() -> None:
    with pytest.raises(CycleError, match=r"did you mean 'A'\?"):
        evaluate(cissp(tracked_from=CURRENT, carried_in=(carried(10, "a"),)), LEDGER, as_of=AS_OF)
    with pytest.raises(CycleError, match=r"carried_in\[0\] \(id 'carry'\)\.category: got None"):
        evaluate(cissp(tracked_from=CURRENT, carried_in=(carried(10, None),)), LEDGER, as_of=AS_OF)


@pytest.mark.parametrize(
    ("completed", "ok"),
    [
        (dt.date(2022, 10, 15), False),
        (dt.date(2022, 10, 16), True),
        (dt.date(2023, 4, 15), True),
        (dt.date(2023, 4, 16), False),
    ],
)
def test_carried_in_must_be_earned_in_the_previous_cycles_carry_window(
    completed: dt.date, ok: bool
) -> None:
    # CISSP carries Group A earned in the last six months: 2022-10-16..2023-04-15.
    holding = cissp(tracked_from=CURRENT, carried_in=(carried(10, completed=completed),))
    if ok:
        evaluate(holding, LEDGER, as_of=AS_OF)
    else:
        with pytest.raises(CycleError, match=r"\.completed: got .*2022-10-16\.\.2023-04-15"):
            evaluate(holding, LEDGER, as_of=AS_OF)


def test_carried_in_needs_a_policy_that_carries_and_a_cycle_before() -> None:
    certification = _certification(AnniversaryCycle(years=2))
    holding = Holding(
        certification=certification,
        earned=dt.date(2016, 1, 1),
        tracked_from=dt.date(2018, 1, 1),
        carried_in=(carried(5, None, dt.date(2017, 12, 1)),),
    )
    with pytest.raises(CycleError, match="carries no credit into the next cycle"):
        evaluate(holding, Ledger(), as_of=dt.date(2018, 6, 1))
    first = holding.model_copy(update={"tracked_from": dt.date(2016, 1, 1)})
    with pytest.raises(CycleError, match="no earlier cycle to carry credit from"):
        evaluate(Holding.model_validate(dict(first)), Ledger(), as_of=dt.date(2018, 6, 1))


def test_carried_in_is_refused_without_tracking_or_without_credits() -> None:
    with pytest.raises(
        ValidationError, match="carried_in: expected tracked_from or renewed_through"
    ):
        cissp(carried_in=(carried(10),))
    in_minutes = Activity(
        id="m", title="T", completed=dt.date(2023, 3, 1), minutes=60, category="A"
    )
    with pytest.raises(ValidationError, match=r"carried_in\[0\] \(id 'm'\): expected credits > 0"):
        cissp(tracked_from=CURRENT, carried_in=(in_minutes,))
    split = Activity(
        id="s",
        title="T",
        completed=dt.date(2023, 3, 1),
        credits=Decimal(4),
        split={"A": Decimal(2), "B": Decimal(2)},
    )
    with pytest.raises(ValidationError, match="one category"):
        cissp(tracked_from=CURRENT, carried_in=(split,))
    with pytest.raises(ValidationError, match="each activity and category carried in once"):
        cissp(tracked_from=CURRENT, carried_in=(carried(1), carried(2)))


def test_carried_in_with_a_category_limited_carryover_on_a_policy_without_categories() -> None:
    certification = _certification(
        AnniversaryCycle(years=2), carryover=Carryover(cap=Decimal(5), lands="next-cycle")
    )
    holding = Holding(
        certification=certification,
        earned=dt.date(2016, 1, 1),
        renewed_through=dt.date(2017, 12, 31),
        carried_in=(carried(5, None, dt.date(2017, 12, 1)),),
    )
    result = evaluate(holding, Ledger(), as_of=dt.date(2018, 6, 1))
    assert result.governing.requirement("total").counted == Decimal(5)
    with pytest.raises(CycleError, match="no category: this policy files no credit by category"):
        evaluate(
            holding.model_copy(update={"carried_in": (carried(5, "A", dt.date(2017, 12, 1)),)}),
            Ledger(),
            as_of=dt.date(2018, 6, 1),
        )


# --- portfolios and case files ---------------------------------------------------------------


def test_portfolio_evaluates_each_holding_from_its_own_tracking() -> None:
    portfolio = evaluate_portfolio(
        [
            cissp(tracked_from=CURRENT),
            Holding(certification="isc2/ccsp", earned=dt.date(2023, 1, 1)),
        ],
        LEDGER,
        as_of=AS_OF,
    )
    cissp_result, ccsp_result = portfolio.evaluations
    assert cissp_result.status == "in_progress"
    assert cissp_result.cycles[0].status == "before_tracking"
    assert ccsp_result.cycles[0].status == "in_progress"
    assert {use.activity_id for use in portfolio.uses()} == {"new"}


def test_a_case_file_states_the_tracking_of_a_holding_and_of_another() -> None:
    text = """
[[cases]]
name = "mid-career"
earned = 2017-04-16
renewed_through = 2023-04-15
carried_in = [{ id = "carry", title = "Carried in", completed = 2023-04-01, credits = 20, category = "A" }]
as_of = 2024-06-01
activities = [{ id = "a", title = "Course", completed = 2023-01-01, credits = 6, category = "A" }]
expect = { status = "in_progress", cycles = [{ index = 0, status = "before_tracking" }, { index = 2, carried_in = 20, counted = { total = 20 } }], activities = [{ id = "a", reasons = ["before-tracking"] }] }

[[cases]]
name = "a portfolio whose other holding tracks too"
earned = 2023-01-01
as_of = 2024-06-01
also_held = [{ certification = "isc2/ccsp", earned = 2016-01-01, tracked_from = 2022-01-01, expect = { status = "in_progress", cycles = [{ index = 1, status = "before_tracking" }] } }]
"""
    from cperules import catalog  # noqa: PLC0415 - local to the test that reads it

    results = run_cases(catalog.get("isc2/cissp"), text)
    assert [str(result) for result in results] == [
        "mid-career: passed",
        "a portfolio whose other holding tracks too: passed",
    ]


def test_carried_in_out_of_an_exempt_cycle_is_refused() -> None:
    # A calendar cycle's first stub (earned to 31 December) is exempt: nothing carries out.
    certification = _certification(CalendarCycle(years=2), carryover=Carryover())
    holding = Holding(
        certification=certification,
        earned=dt.date(2016, 3, 10),
        tracked_from=dt.date(2017, 1, 1),
        carried_in=(carried(5, None, dt.date(2016, 12, 1)),),
    )
    with pytest.raises(CycleError, match="is exempt, and nothing carries out") as caught:
        evaluate(holding, Ledger(), as_of=dt.date(2017, 6, 1))
    assert caught.value.code == "invalid-carried-in"


def test_a_schedule_that_ends_offers_the_boundaries_it_has() -> None:
    spec = ScheduledCycle(
        groups=(ScheduleGroup(name="all", letters="A-Z", periods=_years(2016, 3, 2)),)
    )
    holding = Holding(
        certification=_certification(spec),
        earned=dt.date(2016, 3, 10),
        holder=HOLDER,
        tracked_from=dt.date(2021, 6, 1),
    )
    with pytest.raises(
        CycleError, match=r"did you mean 2020-01-01\?\); the cycle starts nearest it: 2020-01-01$"
    ):
        evaluate(holding, Ledger(), as_of=dt.date(2021, 6, 1))
