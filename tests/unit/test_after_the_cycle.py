"""Early-credit windows, reporting-only windows and suspensions after the grace (issue 12),
and the renewal and reason fixes of issue 15 items 3, 4 and 5.

Every boundary is tested on both sides: the day before the earned date and the earned
date, 31 December and 1 January, a window's last day and the day after, a suspension's
last day and the day after.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from cperules import (
    Activity,
    AnniversaryCycle,
    CalendarCycle,
    Certification,
    Grace,
    Holding,
    Ledger,
    PolicyVersion,
    RenewalEvent,
    Suspension,
    evaluate,
)
from cperules.describe import describe_cycle
from cperules.policy import CategoryNode
from cperules.rules import Cap, Minimum, RenewalPath, RepeatExclusion
from cperules.selectors import category

D = dt.date.fromisoformat


def act(activity_id: str, completed: str, credits: int | str, code: str | None = None) -> Activity:
    return Activity(
        id=activity_id,
        title=f"Course {activity_id}",
        completed=D(completed),
        credits=Decimal(credits),
        category=code,
    )


def certification(cycle: Any, *paths: RenewalPath, **version: Any) -> Certification:
    policy = PolicyVersion(
        effective_from=D("2000-01-01"),
        cycle=cycle,
        rules=version.pop("rules", (Minimum(id="total", credits=Decimal(60)),)),
        renewal_paths=paths,
        **version,
    )
    return Certification(id="test/after", name="After", body="Test", unit="CPE", versions=(policy,))


def run(
    cert: Certification | str,
    *activities: Activity,
    as_of: str,
    earned: str,
    events: tuple[RenewalEvent, ...] = (),
) -> Any:
    holding = Holding(certification=cert, earned=D(earned), events=events)
    return evaluate(holding, Ledger(activities), as_of=D(as_of))


def stages(result: Any) -> list[tuple[str, str, str | None]]:
    return [
        (s.standing, str(s.start), str(s.end) if s.end is not None else None)
        for s in result.lifecycle
    ]


# --- early-credit window (ISACA) ---------------------------------------------------------

EARLY = CalendarCycle(years=3, stub="early-credit")
ISACA_LIKE = certification(
    EARLY,
    categories=(CategoryNode(code="edu"), CategoryNode(code="mentoring")),
    rules=(
        Minimum(id="annual", credits=Decimal(20), scope="year"),
        Minimum(id="total", credits=Decimal(120)),
        Cap(id="mentoring", credits=Decimal(10), scope="year", selector=category("mentoring")),
    ),
)


def test_the_early_credit_cycle_is_the_bodys_period_with_the_window_apart() -> None:
    holding = Holding(certification="isaca/cisa", earned=D("2022-05-10"))
    first, second = EARLY.cycles(holding, as_of=D("2026-01-01"))
    assert (str(first.period), first.credit_from, str(first.early)) == (
        "2023-01-01..2025-12-31",
        D("2022-05-10"),
        "2022-05-10..2022-12-31",
    )
    assert [str(year) for year in first.years] == [
        "2023-01-01..2023-12-31",
        "2024-01-01..2024-12-31",
        "2025-01-01..2025-12-31",
    ]
    assert (first.term_months, first.full_term_months, first.exempt) == (36, 36, False)
    assert (str(second.period), second.credit_from, second.early) == (
        "2026-01-01..2028-12-31",
        None,
        None,
    )


def test_certified_on_1_january_the_early_window_is_the_whole_year() -> None:
    holding = Holding(certification="isaca/cisa", earned=D("2023-01-01"))
    first = EARLY.cycle_on(holding, holding.earned)
    assert (str(first.period), str(first.early)) == (
        "2024-01-01..2026-12-31",
        "2023-01-01..2023-12-31",
    )


def test_certified_on_31_december_the_early_window_is_one_day() -> None:
    holding = Holding(certification="isaca/cisa", earned=D("2022-12-31"))
    first = EARLY.cycle_on(holding, holding.earned)
    assert (str(first.period), str(first.early)) == (
        "2023-01-01..2025-12-31",
        "2022-12-31..2022-12-31",
    )


def test_early_credit_counts_from_the_earned_date_but_not_the_day_before() -> None:
    result = run(
        ISACA_LIKE,
        act("day-before", "2022-05-09", 5, "edu"),
        act("earned-day", "2022-05-10", 6, "edu"),
        act("31-december", "2022-12-31", 7, "edu"),
        act("1-january", "2023-01-01", 8, "edu"),
        as_of="2023-06-01",
        earned="2022-05-10",
    )
    (cycle,) = result.cycles
    assert (str(cycle.period), cycle.credit_from) == ("2023-01-01..2025-12-31", D("2022-05-10"))
    (before,) = result.outside
    assert before.reasons == ("before-cycle",)
    assert "2022-05-10" in (before.parts[0].note or "")
    # Toward the total, and toward the first year's floor of 20.
    assert cycle.requirement("total").counted == 21
    first_year = next(r for r in cycle.requirements if r.id == "annual")
    assert (str(first_year.period), first_year.counted, first_year.met) == (
        "2023-01-01..2023-12-31",
        Decimal(21),
        True,
    )
    early = cycle.outcome("31-december").parts[0]
    assert early.reason == "counted"
    assert "early-credit window" in (early.note or "")
    assert cycle.outcome("1-january").parts[0].note is None
    story = result.explain("earned-day")
    assert "early-credit window" in story
    assert "outside" not in story
    assert "no renewal window" not in story


def test_early_credit_is_held_to_the_first_years_caps() -> None:
    result = run(
        ISACA_LIKE,
        act("early-mentoring", "2022-09-01", 8, "mentoring"),
        act("year-1-mentoring", "2023-03-01", 5, "mentoring"),
        act("year-2-mentoring", "2024-03-01", 5, "mentoring"),
        as_of="2024-06-01",
        earned="2022-05-10",
    )
    (cycle,) = result.cycles
    early = cycle.outcome("early-mentoring")
    later = cycle.outcome("year-1-mentoring")
    assert early.counted + later.counted == 10
    assert early.total("capped") + later.total("capped") == 3
    assert cycle.outcome("year-2-mentoring").counted == 5


def test_while_in_the_early_window_the_cycle_is_in_progress() -> None:
    result = run(
        ISACA_LIKE, act("early", "2022-06-01", 10, "edu"), as_of="2022-07-01", earned="2022-05-10"
    )
    assert result.governing.status == "in_progress"
    assert result.governing.credit_from == D("2022-05-10")
    assert result.standing.standing == "active"
    assert result.governing.requirement("total").counted == 10


def test_a_repeat_in_the_early_window_is_a_repeat_of_the_first_year() -> None:
    cert = certification(
        EARLY,
        rules=(Minimum(id="total", credits=Decimal(10)), RepeatExclusion(id="once", scope="year")),
    )
    same = Activity(id="a", title="Ethics", completed=D("2022-06-01"), credits=Decimal(2))
    again = same.model_copy(update={"id": "b", "completed": D("2023-02-01")})
    result = evaluate(
        Holding(certification=cert, earned=D("2022-05-10")),
        Ledger((same, again)),
        as_of=D("2023-06-01"),
    )
    assert result.governing.outcome("b").reasons == ("repeat",)


def test_the_early_credit_stub_in_words() -> None:
    assert "credit from the date earned counts toward the first" in describe_cycle(EARLY)


# --- a reporting-only window (CompTIA) ----------------------------------------------------

REPORTING = AnniversaryCycle(years=3, end="anniversary", grace=Grace(days=30, standing="reporting"))
HIGHER = RenewalPath(kind="higher-certification", realign=True)
COMPTIA_LIKE = certification(REPORTING, HIGHER)
# Earned 2020-03-15: the cycle ends 2023-03-15, the reporting window runs to 2023-04-14.


def test_a_reporting_window_needs_submission_only() -> None:
    with pytest.raises(ValidationError, match="reporting window") as raised:
        Grace(days=30, earning="allowed", standing="reporting")
    assert raised.value.errors()[0]["type"] == "invalid-cycle-spec"


def test_short_at_the_end_the_reporting_window_is_not_grace() -> None:
    result = run(COMPTIA_LIKE, act("in", "2021-05-01", 10), as_of="2023-03-16", earned="2020-03-15")
    assert [c.status for c in result.cycles] == ["non_compliant"]
    assert result.status == "non_compliant"
    assert result.standing.standing == "reporting"
    assert (str(result.standing.start), str(result.standing.end)) == ("2023-03-16", "2023-04-14")
    assert "in grace" not in str(result)
    assert "grace period" not in str(result)
    assert result.remaining() == ()
    (deadline,) = result.next_deadlines()
    assert (deadline.kind, str(deadline.date)) == ("report-by", "2023-04-14")


def test_on_the_reporting_windows_last_day_and_the_day_after() -> None:
    on_last = run(
        COMPTIA_LIKE, act("in", "2021-05-01", 10), as_of="2023-04-14", earned="2020-03-15"
    )
    assert on_last.standing.standing == "reporting"
    after = run(COMPTIA_LIKE, act("in", "2021-05-01", 10), as_of="2023-04-15", earned="2020-03-15")
    # Unreported, the certification expired on its expiration date.
    assert stages(after) == [
        ("active", "2020-03-15", "2023-03-15"),
        ("expired", "2023-03-16", None),
    ]
    assert after.next_deadlines() == ()


def test_credit_earned_on_the_last_day_counts_and_the_day_after_never_cures() -> None:
    on_due = run(
        COMPTIA_LIKE, act("due", "2023-03-15", 60), as_of="2023-03-20", earned="2020-03-15"
    )
    assert [c.status for c in on_due.cycles] == ["compliant", "in_progress"]
    assert on_due.standing.standing == "active"
    after_due = run(
        COMPTIA_LIKE, act("late", "2023-03-16", 60), as_of="2023-03-20", earned="2020-03-15"
    )
    assert [c.status for c in after_due.cycles] == ["non_compliant"]
    (late,) = after_due.outside
    assert late.reasons == ("after-expiry",)
    assert "reporting window" in (late.parts[0].note or "")
    later = run(
        COMPTIA_LIKE, act("late", "2023-03-16", 60), as_of="2023-06-01", earned="2020-03-15"
    )
    assert later.standing.standing == "expired"


def test_an_event_in_the_reporting_window_never_shows_as_a_renewal() -> None:
    events = (RenewalEvent(kind="higher-certification", date=D("2023-03-20")),)
    for as_of in ("2023-03-21", "2023-04-14", "2023-04-15", "2023-06-01"):
        result = run(COMPTIA_LIKE, as_of=as_of, earned="2020-03-15", events=events)
        assert all(c.renewed_by is None for c in result.cycles), as_of
        assert len(result.cycles) == 1, as_of
        assert result.standing.standing in {"reporting", "expired"}, as_of


def test_an_event_on_the_last_day_renews_before_the_window() -> None:
    events = (RenewalEvent(kind="higher-certification", date=D("2023-03-15")),)
    result = run(COMPTIA_LIKE, as_of="2023-03-20", earned="2020-03-15", events=events)
    assert result.cycles[0].renewed_by is not None
    assert result.standing.standing == "active"


def test_reporting_window_in_words() -> None:
    assert "reporting window" in describe_cycle(REPORTING)
    assert "day grace" not in describe_cycle(REPORTING)


# --- a suspension after the grace (ISC2) --------------------------------------------------

AFTER_GRACE = Grace(days=90, earning="allowed", after=Suspension(months=24, then="terminated"))
ISC2_LIKE = certification(AnniversaryCycle(years=3, grace=AFTER_GRACE))
# Earned 2020-01-01: the cycle ends 2022-12-31, the grace 2023-03-31, the suspension
# 2023-04-01..2025-03-31.


def test_a_suspension_needs_one_length_and_cures_needs_earning() -> None:
    with pytest.raises(ValidationError, match="exactly one of days or months"):
        Suspension(days=10, months=2)
    with pytest.raises(ValidationError, match="cures"):
        Grace(days=90, after=Suspension(months=24, cures=True))


def test_active_then_grace_then_suspended_then_terminated() -> None:
    ledger = (act("in", "2021-05-01", 10),)
    last_grace = run(ISC2_LIKE, *ledger, as_of="2023-03-31", earned="2020-01-01")
    assert (last_grace.standing.standing, last_grace.status) == ("grace", "in_grace")
    suspended = run(ISC2_LIKE, *ledger, as_of="2023-04-01", earned="2020-01-01")
    assert suspended.status == "non_compliant"
    assert suspended.standing.standing == "suspended"
    assert (str(suspended.standing.start), str(suspended.standing.end)) == (
        "2023-04-01",
        "2025-03-31",
    )
    assert str(suspended.cycles[0].suspension) == "2023-04-01..2025-03-31"
    assert suspended.remaining() == ()
    last_day = run(ISC2_LIKE, *ledger, as_of="2025-03-31", earned="2020-01-01")
    assert last_day.standing.standing == "suspended"
    ended = run(ISC2_LIKE, *ledger, as_of="2025-04-01", earned="2020-01-01")
    assert stages(ended) == [
        ("active", "2020-01-01", "2022-12-31"),
        ("grace", "2023-01-01", "2023-03-31"),
        ("suspended", "2023-04-01", "2025-03-31"),
        ("terminated", "2025-04-01", None),
    ]
    assert ended.next_deadlines() == ()


def test_credit_earned_in_the_suspension_does_not_cure() -> None:
    result = run(
        ISC2_LIKE,
        act("in", "2021-05-01", 10),
        act("suspended", "2023-04-01", 50),
        as_of="2023-05-01",
        earned="2020-01-01",
    )
    assert result.cycles[0].status == "non_compliant"
    assert result.standing.standing == "suspended"
    (late,) = result.outside
    assert late.reasons == ("after-expiry",)
    assert "suspended until 2025-03-31" in (late.parts[0].note or "")


def test_credit_on_the_graces_last_day_still_cures() -> None:
    result = run(
        ISC2_LIKE,
        act("in", "2021-05-01", 10),
        act("last-day", "2023-03-31", 50),
        as_of="2023-05-01",
        earned="2020-01-01",
    )
    assert result.cycles[0].status == "compliant"
    assert result.standing.standing == "active"


def test_a_suspension_that_cures_is_shown_as_suspended_until_cured() -> None:
    curing = certification(
        AnniversaryCycle(
            years=3,
            grace=Grace(days=90, earning="allowed", after=Suspension(months=24, cures=True)),
        )
    )
    ledger = (act("in", "2021-05-01", 10), act("cure", "2024-01-10", 50))
    before = run(curing, *ledger, as_of="2024-01-09", earned="2020-01-01")
    assert (before.standing.standing, before.cycles[0].status) == ("suspended", "in_grace")
    assert [str(n) for n in before.remaining()] == ["50 CPE by 2025-03-31"]
    after = run(curing, *ledger, as_of="2024-02-01", earned="2020-01-01")
    assert stages(after) == [
        ("active", "2020-01-01", "2022-12-31"),
        ("grace", "2023-01-01", "2023-03-31"),
        ("suspended", "2023-04-01", "2024-01-10"),
        ("active", "2024-01-11", None),
    ]
    too_late = certification(
        AnniversaryCycle(
            years=3,
            grace=Grace(days=90, earning="allowed", after=Suspension(months=24, cures=True)),
        )
    )
    expired = run(
        too_late,
        act("in", "2021-05-01", 10),
        act("late", "2025-04-01", 50),
        as_of="2025-04-02",
        earned="2020-01-01",
    )
    assert expired.standing.standing == "expired"


def test_the_suspension_in_words() -> None:
    words = describe_cycle(AnniversaryCycle(years=3, grace=AFTER_GRACE))
    assert words.endswith("then 24-month suspension (credit does not cure), then terminated")


# --- issue 15, items 3, 4 and 5 -----------------------------------------------------------


def test_a_cycle_renewed_by_an_event_reports_its_requirements_met() -> None:
    events = (RenewalEvent(kind="designated-course", date=D("2026-06-01"), tag="certmaster-ce"),)
    result = run("comptia/security-plus", as_of="2026-07-01", earned="2023-11-30", events=events)
    first = result.cycles[0]
    assert first.status == "compliant"
    assert first.renewed_by is not None
    total = first.requirement("total")
    assert (total.met, total.shortfall, total.renewed) == (True, Decimal(0), True)
    assert first.shortfall == 0


def test_next_deadlines_lists_no_report_by_for_a_renewed_cycle() -> None:
    events = (RenewalEvent(kind="designated-course", date=D("2026-06-01"), tag="certmaster-ce"),)
    result = run("comptia/security-plus", as_of="2026-12-05", earned="2023-11-30", events=events)
    assert result.cycles[0].renewed_by is not None
    assert all(d.cycle != 0 for d in result.next_deadlines())


def test_an_event_that_cannot_cure_never_shows_as_a_renewal() -> None:
    events = (
        RenewalEvent(
            kind="higher-certification", date=D("2025-08-05"), certification="comptia/cysa-plus"
        ),
    )
    for as_of in ("2025-08-06", "2025-09-05"):
        result = run("comptia/security-plus", as_of=as_of, earned="2022-08-01", events=events)
        assert all(c.renewed_by is None for c in result.cycles), as_of
        assert result.status == "non_compliant", as_of


def test_an_event_after_an_uncured_grace_cycle_never_shows_as_a_renewal() -> None:
    # A submission-only grace: the first cycle is in grace, uncured; the event falls in the
    # second cycle, which exists only if the first is cured.
    cert = certification(AnniversaryCycle(years=3, grace=Grace(days=60)), HIGHER)
    events = (RenewalEvent(kind="higher-certification", date=D("2023-01-05")),)
    in_grace = run(cert, as_of="2023-01-10", earned="2020-01-01", events=events)
    assert [c.status for c in in_grace.cycles] == ["in_grace", "in_progress"]
    assert all(c.renewed_by is None for c in in_grace.cycles)
    expired = run(cert, as_of="2023-03-10", earned="2020-01-01", events=events)
    assert [c.status for c in expired.cycles] == ["non_compliant"]


def test_a_capped_activity_in_the_grace_window_is_explained_by_its_cap() -> None:
    result = run(
        "isc2/cissp",
        act("a", "2022-05-01", 50, "A"),
        act("b", "2022-06-01", 30, "B"),
        act("b-in-grace", "2024-10-01", 5, "B"),
        as_of="2024-12-15",
        earned="2021-09-01",
    )
    first = result.cycles[0]
    assert first.status == "non_compliant"
    capped = first.outcome("b-in-grace")
    assert capped.reasons == ("capped",)
    assert (capped.parts[0].credits, capped.parts[0].rule) == (Decimal(5), "group-b")
    assert all(o.activity_id != "b-in-grace" for o in result.outside)
    story = result.explain("b-in-grace")
    assert "group-b" in story
    assert "expired" not in story
