"""Lifecycle (grace, suspension, expiry, lapse), renewal events, what_if and deadlines."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from cperules import (
    Activity,
    AnniversaryCycle,
    Certification,
    Grace,
    Holding,
    Ledger,
    PolicyVersion,
    RenewalEvent,
    evaluate,
)
from cperules.policy import CategoryNode
from cperules.rules import Cap, Minimum, RenewalPath
from cperules.selectors import activity_kind, category

D = dt.date.fromisoformat


def cert(*paths: RenewalPath, grace: Grace | None = None, **version: Any) -> Certification:
    policy = PolicyVersion(
        effective_from=D("2000-01-01"),
        cycle=AnniversaryCycle(years=3, grace=grace),
        rules=version.pop("rules", (Minimum(id="total", credits=Decimal(60)),)),
        renewal_paths=paths,
        **version,
    )
    return Certification(id="test/life", name="Life", body="Test", unit="PDU", versions=(policy,))


def act(activity_id: str, completed: str, credits: int, category: str | None = None) -> Activity:
    return Activity(
        id=activity_id,
        title=f"Course {activity_id}",
        completed=D(completed),
        credits=Decimal(credits),
        category=category,
    )


def run(
    certification: Certification,
    *activities: Activity,
    as_of: str,
    earned: str = "2020-01-01",
    events: tuple[RenewalEvent, ...] = (),
) -> Any:
    holding = Holding(certification=certification, earned=D(earned), events=events)
    return evaluate(holding, Ledger(activities), as_of=D(as_of))


SUSPENSION = Grace(months=12, earning="allowed", standing="suspended")


def stages(result: Any) -> list[tuple[str, str, str | None]]:
    return [
        (s.standing, str(s.start), str(s.end) if s.end is not None else None)
        for s in result.lifecycle
    ]


# --- suspension, expiry, lapse ----------------------------------------------------------


def test_a_suspension_cured_inside_its_window() -> None:
    result = run(
        cert(grace=SUSPENSION),
        act("in-cycle", "2021-06-01", 50),
        act("cure", "2023-05-01", 10),
        as_of="2023-08-01",
    )
    first = result.cycles[0]
    assert (first.status, first.requirement("total").counted) == ("compliant", Decimal(60))
    assert stages(result) == [
        ("active", "2020-01-01", "2022-12-31"),
        ("suspended", "2023-01-01", "2023-05-01"),
        ("active", "2023-05-02", None),
    ]
    assert result.standing.standing == "active"
    assert result.lifecycle[1].note == "cured on 2023-05-01"
    assert "Standing: active from 2023-05-02" in str(result)


def test_the_cure_day_is_when_the_shortfall_closes_not_the_last_grace_activity() -> None:
    result = run(
        cert(grace=SUSPENSION),
        act("in-cycle", "2021-06-01", 50),
        act("cure", "2023-02-01", 10),
        act("more", "2023-06-01", 5),
        as_of="2023-08-01",
    )
    assert result.lifecycle[1].end == D("2023-02-01")


def test_a_suspension_that_expires() -> None:
    result = run(
        cert(grace=SUSPENSION),
        act("in-cycle", "2021-06-01", 50),
        act("too-late", "2024-01-01", 30),
        as_of="2024-02-01",
    )
    assert [c.status for c in result.cycles] == ["non_compliant"]
    assert stages(result) == [
        ("active", "2020-01-01", "2022-12-31"),
        ("suspended", "2023-01-01", "2023-12-31"),
        ("expired", "2024-01-01", None),
    ]
    assert result.standing.standing == "expired"
    (late,) = result.outside
    assert late.reasons == ("after-expiry",)
    assert "expired on 2024-01-01" in result.explain("too-late")
    assert result.remaining() == ()
    assert result.next_deadlines() == ()
    assert "Standing: expired from 2024-01-01." in result._repr_html_()


def test_credit_used_in_the_window_is_not_reported_again_after_expiry() -> None:
    # The cap lets 5 of the 8 Group B credits earned in the window count; the cycle stays 10
    # short and the rest (3) was kept out by the cap (issue 15 item 5: its fate is the cap,
    # not the expiry). All of "a-window" was used.
    certification = cert(
        grace=Grace(days=90, earning="allowed"),
        categories=(CategoryNode(code="A"), CategoryNode(code="B")),
        rules=(
            Minimum(id="total", credits=Decimal(60)),
            Cap(id="b", selector=category("B"), credits=Decimal(5)),
        ),
    )
    result = run(
        certification,
        act("in-cycle", "2021-06-01", 43, "A"),
        act("a-window", "2023-01-15", 2, "A"),
        act("b-window", "2023-02-01", 8, "B"),
        as_of="2023-06-01",
    )
    first = result.cycles[0]
    assert (first.status, first.requirement("total").shortfall) == ("non_compliant", Decimal(10))
    assert first.outcome("b-window").counted == 5
    assert result.standing.standing == "expired"
    assert result.outside == ()
    capped = first.outcome("b-window").parts[-1]
    assert (capped.reason, capped.credits, capped.rule) == ("capped", Decimal(3), "b")


def test_while_suspended_the_window_end_is_the_deadline_and_remaining_targets_the_old_cycle() -> (
    None
):
    result = run(cert(grace=SUSPENSION), act("in-cycle", "2021-06-01", 50), as_of="2023-03-01")
    assert [c.status for c in result.cycles] == ["in_grace", "in_progress"]
    assert result.standing.standing == "suspended"
    assert result.standing.end == D("2023-12-31")
    assert [(d.kind, str(d.date)) for d in result.next_deadlines()] == [
        ("grace-ends", "2023-12-31"),
        ("earn-by", "2025-12-31"),
    ]
    assert "total short 10 PDU" in str(result.next_deadlines()[0])
    (need,) = result.remaining()
    assert (need.credits, need.due) == (Decimal(10), D("2023-12-31"))


def test_a_policy_with_no_grace_lapses_the_day_after_the_cycle() -> None:
    result = run(cert(), act("a", "2021-06-01", 10), as_of="2023-01-01")
    assert stages(result) == [
        ("active", "2020-01-01", "2022-12-31"),
        ("lapsed", "2023-01-01", None),
    ]
    assert result.lifecycle[-1].note == "cycle 0 ended unmet"


def test_a_reporting_only_grace_gives_a_report_by_deadline() -> None:
    result = run(cert(grace=Grace(days=60)), act("a", "2021-06-01", 60), as_of="2022-06-01")
    assert [(d.kind, str(d.date)) for d in result.next_deadlines()] == [
        ("report-by", "2023-03-01"),
    ]
    short = run(cert(grace=Grace(days=60)), as_of="2022-06-01")
    assert [(d.kind, str(d.date)) for d in short.next_deadlines()] == [
        ("earn-by", "2022-12-31"),
        ("report-by", "2023-03-01"),
    ]
    waiting = run(cert(grace=Grace(days=60)), as_of="2023-01-15")
    assert [(d.kind, str(d.date)) for d in waiting.next_deadlines()] == [
        ("report-by", "2023-03-01"),
        ("earn-by", "2025-12-31"),
        ("report-by", "2026-03-01"),
    ]


# --- renewal events ---------------------------------------------------------------------

HIGHER = RenewalPath(kind="higher-certification", certifications=("x/higher",))


def higher(on: str) -> RenewalEvent:
    return RenewalEvent(kind="higher-certification", date=D(on), certification="x/higher")


def test_a_higher_certification_inside_the_window_renews_and_realigns() -> None:
    result = run(
        cert(HIGHER, rules=(Minimum(id="total", credits=Decimal(50)),)),
        act("before", "2024-01-01", 5),
        act("after", "2024-07-01", 5),
        earned="2023-01-10",
        events=(higher("2024-06-01"),),
        as_of="2025-01-01",
    )
    first, second = result.cycles
    assert (str(first.period), first.status) == ("2023-01-10..2024-05-31", "compliant")
    assert first.renewed_by == higher("2024-06-01")
    assert (str(second.period), second.status) == ("2024-06-01..2027-05-31", "in_progress")
    assert second.outcome("after").counted == 5
    assert first.outcome("before").counted == 5
    assert result.standing.standing == "active"
    assert "renewed: earned a higher certification (x/higher) on 2024-06-01" in str(result)
    assert "Cycle 0 renewed: earned a higher certification (x/higher) on 2024-06-01." in (
        result._repr_html_()
    )


def test_a_higher_certification_one_day_after_expiry_does_not_renew() -> None:
    result = run(
        cert(HIGHER, rules=(Minimum(id="total", credits=Decimal(50)),)),
        earned="2023-01-10",
        events=(higher("2026-01-10"),),
        as_of="2026-02-01",
    )
    (only,) = result.cycles
    assert (str(only.period), only.status, only.renewed_by) == (
        "2023-01-10..2026-01-09",
        "non_compliant",
        None,
    )
    assert (result.standing.standing, result.standing.start) == ("lapsed", D("2026-01-10"))


def test_an_event_on_its_last_day_renews_and_an_unlisted_certification_does_not() -> None:
    certification = cert(HIGHER, rules=(Minimum(id="total", credits=Decimal(50)),))
    on_time = run(
        certification, earned="2023-01-10", events=(higher("2026-01-09"),), as_of="2026-02-01"
    )
    assert on_time.cycles[0].renewed_by is not None
    assert str(on_time.cycles[1].period) == "2026-01-09..2029-01-08"
    other = RenewalEvent(kind="higher-certification", date=D("2025-01-09"), certification="x/y")
    ignored = run(certification, earned="2023-01-10", events=(other,), as_of="2025-02-01")
    assert ignored.cycles[0].renewed_by is None


def test_exam_only_certifications_renew_only_by_the_exam() -> None:
    exam_only = cert(RenewalPath(kind="exam"), rules=(), renews_by_credit=False)
    waiting = run(exam_only, as_of="2022-06-01")
    assert waiting.status == "in_progress"
    assert waiting.remaining() == ()
    assert [d.kind for d in waiting.next_deadlines()] == ["earn-by"]
    lapsed = run(exam_only, as_of="2023-01-01")
    assert lapsed.standing.standing == "lapsed"
    passed = RenewalEvent(kind="exam", date=D("2022-10-01"))
    renewed = run(exam_only, events=(passed,), as_of="2023-01-01")
    assert [(str(c.period), c.status) for c in renewed.cycles] == [
        ("2020-01-01..2022-09-30", "compliant"),
        ("2022-10-01..2025-09-30", "in_progress"),
    ]


def test_a_path_may_need_credit_several_events_and_a_tag_and_need_not_realign() -> None:
    path = RenewalPath(
        kind="exam", tags=("professional",), count=2, credits=Decimal(40), realign=False
    )
    certification = cert(path, rules=(Minimum(id="total", credits=Decimal(80)),))

    def exam(on: str, tag: str = "professional") -> RenewalEvent:
        return RenewalEvent(kind="exam", date=D(on), tag=tag)

    credit = act("credit", "2021-01-01", 40)
    both = run(
        certification, credit, events=(exam("2021-05-01"), exam("2022-05-01")), as_of="2023-01-01"
    )
    assert both.cycles[0].renewed_by == exam("2022-05-01")
    assert str(both.cycles[0].period) == "2020-01-01..2022-12-31"  # not realigned
    one = run(certification, credit, events=(exam("2021-05-01"),), as_of="2023-01-01")
    assert one.cycles[0].renewed_by is None
    wrong_tag = run(
        certification,
        credit,
        events=(exam("2021-05-01"), exam("2022-05-01", "core")),
        as_of="2023-01-01",
    )
    assert wrong_tag.cycles[0].renewed_by is None
    no_credit = run(
        certification, events=(exam("2021-05-01"), exam("2022-05-01")), as_of="2023-01-01"
    )
    assert no_credit.cycles[0].renewed_by is None


def test_a_realigning_path_needs_its_credit_before_the_event() -> None:
    path = RenewalPath(kind="exam", credits=Decimal(40))
    certification = cert(path, rules=(Minimum(id="total", credits=Decimal(80)),))
    late_credit = act("late", "2022-06-01", 40)
    result = run(
        certification,
        late_credit,
        events=(RenewalEvent(kind="exam", date=D("2022-01-01")),),
        as_of="2022-08-01",
    )
    first = result.cycles[0]
    assert (first.renewed_by, str(first.period), first.status) == (
        None,
        "2020-01-01..2022-12-31",
        "in_progress",
    )


def test_an_event_in_a_grace_window_with_earning_allowed_cures_the_cycle() -> None:
    certification = cert(RenewalPath(kind="exam", realign=False), grace=SUSPENSION)
    result = run(
        certification, events=(RenewalEvent(kind="exam", date=D("2023-04-01")),), as_of="2023-06-01"
    )
    assert result.cycles[0].status == "compliant"
    assert stages(result)[1] == ("suspended", "2023-01-01", "2023-04-01")


def test_a_policy_that_nothing_could_renew_is_refused() -> None:
    with pytest.raises(ValidationError, match="nothing could renew"):
        cert(rules=(), renews_by_credit=False)


# --- what_if ------------------------------------------------------------------------------


def test_what_if_adds_hypothetical_activities_and_changes_nothing() -> None:
    ledger_activities = (act("a", "2021-06-01", 40),)
    certification = cert()
    holding = Holding(certification=certification, earned=D("2020-01-01"))
    ledger = Ledger(ledger_activities)
    before = evaluate(holding, ledger, as_of=D("2021-07-01"))
    snapshot = before.model_dump()
    plan = act("plan", "2021-09-01", 20)
    after = before.what_if([plan])
    assert before.model_dump() == snapshot
    assert not plan.hypothetical
    assert list(ledger) == list(ledger_activities)
    assert (before.status, after.status) == ("in_progress", "compliant")
    outcome = after.cycles[0].outcome("plan")
    assert outcome.hypothetical
    assert "hypothetical, claimed 20 PDU" in after.explain("plan")
    assert after.what_if([]) == after


def test_a_renewal_window_admits_events_only_near_the_end() -> None:
    # An annual certification renewed by an assessment passed in its last six months;
    # the next cycle keeps its anniversary.
    path = RenewalPath(kind="exam", tags=("renewal-assessment",), realign=False, window_months=6)
    certification = cert(path, rules=(), renews_by_credit=False)

    def assessment(on: str) -> RenewalEvent:
        return RenewalEvent(kind="exam", date=D(on), tag="renewal-assessment")

    early = run(certification, events=(assessment("2022-06-30"),), as_of="2023-01-01")
    assert early.cycles[0].renewed_by is None
    opening = run(certification, events=(assessment("2022-07-01"),), as_of="2023-01-01")
    assert opening.cycles[0].renewed_by == assessment("2022-07-01")
    assert str(opening.cycles[1].period) == "2023-01-01..2025-12-31"


def test_planning_a_cure_counts_it_as_grace_window_credit() -> None:
    # Grace-window credit counts toward the cycle but none of its years, so it does not
    # lift a yearly share cap: the plan must ask for enough on its own.
    certification = cert(
        grace=Grace(days=30, earning="allowed"),
        rules=(
            Minimum(id="total", credits=Decimal("1.25")),
            Cap(
                id="courses",
                selector=~activity_kind("conference"),
                share=Decimal("0.5"),
                scope="year",
            ),
        ),
    )
    result = run(certification, act("a2", "2022-01-01", 1), as_of="2023-01-01")
    assert [c.status for c in result.cycles] == ["in_grace", "in_progress"]
    plan = [
        Activity(
            id=f"p{i}",
            title=f"Planned {i}",
            completed=need.due,
            credits=need.credits,
            category=need.category,
            kind=need.kind or "course",
            approved=True,
        )
        for i, need in enumerate(result.remaining())
    ]
    assert result.what_if(plan).cycles[0].status == "compliant"


def test_credit_toward_an_exam_only_certification_counts_toward_nothing() -> None:
    exam_only = cert(RenewalPath(kind="exam"), rules=(), renews_by_credit=False)
    result = run(exam_only, act("course", "2021-06-01", 10), as_of="2022-01-01")
    outcome = result.cycles[0].outcome("course")
    assert (outcome.reasons, outcome.counted) == (("event-only",), 0)
    assert "only an event (an exam) renews this certification" in result.explain("course")
    with_credit = cert(
        RenewalPath(kind="exam", credits=Decimal(5)), rules=(), renews_by_credit=False
    )
    counted = run(with_credit, act("course", "2021-06-01", 10), as_of="2022-01-01")
    assert counted.cycles[0].outcome("course").reasons == ("counted",)
