"""Portfolios: several holdings, one ledger, sharing modes, planning across holdings."""

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
    PolicyError,
    PolicyVersion,
    PortfolioEvaluation,
    RenewalEvent,
    Sharing,
    SharingLimit,
    catalog,
    evaluate,
    evaluate_portfolio,
)
from cperules.policy import CategoryNode
from cperules.portfolio import _Search, _sharing
from cperules.rules import Cap, Carryover, Minimum
from cperules.selectors import category

D = dt.date.fromisoformat
EARNED = D("2021-01-01")


def cert(
    cert_id: str,
    total: int,
    *codes: str,
    sharing: Sharing | None = None,
    years: int = 1,
    **version: Any,
) -> Certification:
    policy = PolicyVersion(
        effective_from=D("2000-01-01"),
        cycle=AnniversaryCycle(years=years, **version.pop("cycle", {})),
        categories=tuple(CategoryNode(code=code) for code in codes),
        rules=version.pop("rules", (Minimum(id="total", credits=Decimal(total)),)),
        sharing=sharing,
        **version,
    )
    return Certification(id=cert_id, name=cert_id, body="Test", unit="CE", versions=(policy,))


def act(activity_id: str, completed: str, credits: int, code: str | None = None) -> Activity:
    return Activity(
        id=activity_id,
        title=f"Course {activity_id}",
        completed=D(completed),
        credits=Decimal(credits),
        category=code,
    )


def holding(certification: Certification | str, earned: dt.date = EARNED) -> Holding:
    return Holding(certification=certification, earned=earned)


# --- shared ---------------------------------------------------------------------------------


def test_a_shared_activity_counts_in_both_and_each_rollover_cap_applies() -> None:
    cissp = catalog.get("isc2/cissp")
    # A CCSP-shaped policy: 90 in three years, at least 60 Group A, Group A rollover up to 30.
    ccsp_version = cissp.versions[0].model_copy(
        update={
            "rules": (
                Minimum(id="total", credits=Decimal(90)),
                Minimum(id="group-a", credits=Decimal(60), selector=category("A")),
                Cap(id="group-b", selector=category("B"), credits=Decimal(30)),
            ),
            "carryover": Carryover(
                selector=category("A"), window_months=6, cap=Decimal(30), lands="first-year"
            ),
        }
    )
    ccsp = cissp.model_copy(update={"id": "isc2/ccsp-like", "versions": (ccsp_version,)})
    ledger = Ledger([act("early", "2021-05-01", 100, "A"), act("late", "2023-10-01", 60, "A")])
    result = evaluate_portfolio(
        [holding("isc2/cissp"), holding(ccsp)], ledger, as_of=D("2024-02-01")
    )
    first_cissp = result["isc2/cissp"].cycles[0]
    first_ccsp = result["isc2/ccsp-like"].cycles[0]
    assert first_cissp.status == first_ccsp.status == "compliant"
    assert sum(c.credits for c in first_cissp.carried_out) == 40
    assert sum(c.credits for c in first_ccsp.carried_out) == 30
    uses = {use.activity_id: use.certifications for use in result.uses()}
    assert uses["late"] == ("isc2/cissp", "isc2/ccsp-like")
    assert result.assignments == ()
    # Shared holdings are evaluated exactly as alone.
    assert result["isc2/cissp"] == evaluate(holding("isc2/cissp"), ledger, as_of=D("2024-02-01"))


# --- limited --------------------------------------------------------------------------------

LIMITED = Sharing(pool="p", mode="limited", default=1)


def test_limited_sharing_finds_the_assignment_that_keeps_both_compliant() -> None:
    # "both" fits X and Y but may serve one; "x-only" fits X only. First come, first
    # served gives "both" to X and leaves Y short; the holder-optimal choice gives it to Y.
    x = cert("t/x", 10, "shared", "x-only", sharing=LIMITED)
    y = cert("t/y", 10, "shared", sharing=LIMITED)
    ledger = Ledger(
        [act("both", "2021-02-01", 10, "shared"), act("x-only", "2021-03-01", 10, "x-only")]
    )
    result = evaluate_portfolio([holding(x), holding(y)], ledger, as_of=D("2021-12-31"))
    assert [e.status for e in result.evaluations] == ["compliant", "compliant"]
    (assignment,) = result.assignments
    assert (assignment.activity_id, assignment.eligible, assignment.serves) == (
        "both",
        ("t/x", "t/y"),
        ("t/y",),
    )
    outcome = result["t/x"].cycles[0].outcome("both")
    assert outcome.reasons == ("assigned-elsewhere",)
    assert "assigned to t/y: it may serve at most 1 certification of the p pool" in (
        outcome.parts[0].note or ""
    )
    # What first come, first served would have given: Y non-compliant.
    greedy = evaluate(
        holding(y), Ledger([act("x-only", "2021-03-01", 10, "x-only")]), as_of=D("2021-12-31")
    )
    assert greedy.cycles[0].requirement("total").shortfall == 10
    assert "both serves t/y (at most 1 of t/x, t/y)" in str(result)


def test_limits_by_kind_and_the_smallest_allowance_in_the_pool() -> None:
    three = Sharing(
        pool="giac",
        mode="limited",
        default=1,
        limits=(SharingLimit(selector=category("sans"), holdings=3),),
    )
    certs = [cert(f"g/c{i}", 10, "sans", "community", sharing=three) for i in range(3)]
    ledger = Ledger(
        [act("course", "2021-02-01", 10, "sans"), act("talk", "2021-03-01", 10, "community")]
    )
    result = evaluate_portfolio([holding(c) for c in certs], ledger, as_of=D("2021-06-01"))
    uses = {use.activity_id: use.certifications for use in result.uses()}
    assert uses["course"] == ("g/c0", "g/c1", "g/c2")  # a SANS course serves all three
    assert len(uses["talk"]) == 1
    assert [a.activity_id for a in result.assignments] == ["talk"]


def test_consumed_credit_serves_one_holding_and_the_shortfall_is_least() -> None:
    consumed = Sharing(pool="cisco", mode="consumed")
    ccna = cert("c/ccna", 30, sharing=consumed, years=3)
    ccnp = cert("c/ccnp", 40, sharing=consumed, years=3)
    ledger = Ledger([act(f"ce{i}", f"2021-0{i + 1}-01", 10) for i in range(5)])
    result = evaluate_portfolio([holding(ccna), holding(ccnp)], ledger, as_of=D("2023-06-01"))
    counted = {
        e.certification: e.cycles[0].requirement("total").counted for e in result.evaluations
    }
    assert sum(counted.values()) == 50  # every credit used once
    for use in result.uses():
        assert len(use.certifications) == 1
    # 50 credits cannot meet 30 + 40; either way 20 are short in all.
    assert sum(e.cycles[0].shortfall for e in result.evaluations) == 20
    assert {a.serves for a in result.assignments} <= {("c/ccna",), ("c/ccnp",)}


CONSUMED = Sharing(pool="cisco", mode="consumed")
YEAR_END = D("2021-12-31")
TWO_MINIMUMS = (
    Minimum(id="total", credits=Decimal(20)),
    Minimum(id="a", credits=Decimal(10), selector=category("A")),
)


def march(count: int, code: str | None = None) -> Ledger:
    """``count`` activities of 5 credits, one a day from 2021-03-01."""
    return Ledger([act(f"ce{i}", f"2021-03-{i + 1:02d}", 5, code) for i in range(count)])


def contest(a: Certification, b: Certification, ledger: Ledger) -> PortfolioEvaluation:
    """Two holdings contesting ``ledger`` at year end, beyond a search limit of 16."""
    return evaluate_portfolio([holding(a), holding(b)], ledger, as_of=YEAR_END, search_limit=16)


def test_a_large_contest_of_simple_holdings_is_solved_exactly() -> None:
    # 256 assignments, beyond the search limit, but each holding's score is simple (one
    # minimum, one cycle): the exact method decides it, with no note.
    a = cert("c/a", 20, sharing=CONSUMED)
    b = cert("c/b", 20, sharing=CONSUMED)
    ledger = march(8)
    result = contest(a, b, ledger)
    assert [e.status for e in result.evaluations] == ["compliant", "compliant"]
    assert result.notes == ()
    # The first best in date order: the earlier holding takes the earlier activities.
    assert [a.serves for a in result.assignments] == [("c/a",)] * 4 + [("c/b",)] * 4


def test_a_large_contest_of_holdings_that_carry_over_is_solved_exactly() -> None:
    # 1,024 assignments, beyond the search limit; one holding carries its surplus out (up
    # to 5 credits). Counted credit comes before carried credit, so the credit beyond both
    # minimums goes where it counts (c/b), not where it would carry: the exact method
    # decides it, with no note, as trying every assignment does.
    a = cert("c/a", 20, sharing=CONSUMED, carryover=Carryover(cap=Decimal(5)))
    b = cert("c/b", 20, sharing=CONSUMED)
    ledger = march(10)
    result = contest(a, b, ledger)
    assert result.notes == ()
    assert [x.serves for x in result.assignments] == [("c/a",)] * 4 + [("c/b",)] * 6
    resolved = [(holding(a), a), (holding(b), b)]
    sharing = [_sharing(c, h, YEAR_END) for h, c in resolved]
    tried = _Search(resolved, sharing, ledger, YEAR_END, 4096).run(exact=False)
    assert result.evaluations == tried[0]
    assert result.assignments == tried[1]


def test_the_note_of_a_holding_without_a_simple_score_says_why() -> None:
    a = cert("c/a", 20, "A", sharing=CONSUMED, rules=TWO_MINIMUMS)
    b = cert("c/b", 20, "A", sharing=CONSUMED)
    ledger = march(8, "A")
    result = contest(a, b, ledger)
    (note,) = result.notes
    assert "c/a has no simple score: its cycle has 2 minimums" in note
    assert "may not be the best possible" in note


def test_a_large_contest_beyond_the_exact_method_falls_back_to_local_search_and_says_so() -> None:
    # Two minimums per holding: no simple score, so beyond the search limit the
    # assignment is improved one activity at a time, and the result says so.
    a = cert("c/a", 20, "A", sharing=CONSUMED, rules=TWO_MINIMUMS)
    b = cert("c/b", 20, "A", sharing=CONSUMED, rules=TWO_MINIMUMS)
    ledger = march(8, "A")
    result = contest(a, b, ledger)
    assert [e.status for e in result.evaluations] == ["compliant", "compliant"]
    (note,) = result.notes
    assert "256 ways to assign the 8 contested activities exceed the search limit of 16" in note


def test_claimed_for_keeps_an_activity_away_from_other_holdings() -> None:
    x = cert("t/x", 10, sharing=LIMITED)
    y = cert("t/y", 10, sharing=LIMITED)
    only_y = act("mine", "2021-02-01", 10).model_copy(update={"claimed_for": ("t/y",)})
    result = evaluate_portfolio([holding(x), holding(y)], Ledger([only_y]), as_of=D("2021-06-01"))
    assert result.assignments == ()
    assert result["t/x"].cycles[0].outcome("mine").reasons == ("not-claimed-for",)


# --- combined view ---------------------------------------------------------------------------


def test_remaining_per_holding_and_what_one_activity_could_serve() -> None:
    cissp = catalog.get("isc2/cissp")
    other = cissp.model_copy(update={"id": "isc2/other"})
    ledger = Ledger([act("a", "2021-05-01", 100, "A"), act("b", "2021-06-01", 10, "B")])
    result = evaluate_portfolio(
        [holding("isc2/cissp"), holding(other, D("2021-03-01"))], ledger, as_of=D("2023-06-01")
    )
    plan = result.remaining()
    assert [(n.certification, n.need.credits, n.need.category) for n in plan.needs] == [
        ("isc2/cissp", Decimal(10), "A"),
        ("isc2/other", Decimal(10), "A"),
    ]
    (shared,) = plan.shared
    # Issue 15, item 2: Group A is met (100 of 90), so Group B serves as well as A (it
    # said "10 credits of category A", as if only A would do).
    assert str(shared) == (
        "10 CPE of category A or B by 2023-12-31 would serve both isc2/cissp and isc2/other"
    )
    assert "isc2/cissp: 10 CPE of category A or B by 2023-12-31" in str(plan)


def test_no_shared_suggestion_inside_a_consuming_pool() -> None:
    consumed = Sharing(pool="cisco", mode="consumed")
    a, b = cert("c/a", 20, sharing=consumed), cert("c/b", 20, sharing=consumed)
    result = evaluate_portfolio([holding(a), holding(b)], Ledger(), as_of=D("2021-06-01"))
    plan = result.remaining()
    assert len(plan.needs) == 2
    assert plan.shared == ()
    assert (
        str(
            evaluate_portfolio(
                [holding(a)], Ledger([act("x", "2021-02-01", 20)]), as_of=D("2021-06-01")
            ).remaining()
        )
        == "Nothing more is needed."
    )


def test_deadlines_across_holdings_come_in_date_order() -> None:
    a = cert("t/a", 10, cycle={"grace": Grace(days=30)})
    b = cert("t/b", 10)
    result = evaluate_portfolio(
        [holding(a, D("2021-03-01")), holding(b)], Ledger(), as_of=D("2021-06-01")
    )
    assert [(str(d.date), d.kind, d.certification) for d in result.next_deadlines()] == [
        ("2021-12-31", "earn-by", "t/b"),
        ("2022-02-28", "earn-by", "t/a"),
        ("2022-03-30", "report-by", "t/a"),
    ]
    text = str(result)
    assert text.startswith("Portfolio as of 2021-06-01: in progress")
    assert "Next deadlines:" in text


def test_what_if_on_a_portfolio_changes_nothing() -> None:
    x = cert("t/x", 10, "shared", sharing=LIMITED)
    y = cert("t/y", 10, "shared", sharing=LIMITED)
    ledger = Ledger([act("one", "2021-02-01", 10, "shared")])
    before = evaluate_portfolio([holding(x), holding(y)], ledger, as_of=D("2021-06-01"))
    snapshot = before.to_dict()
    plan = act("plan", "2021-09-01", 10, "shared")
    after = before.what_if([plan])
    assert before.to_dict() == snapshot
    assert not plan.hypothetical
    assert len(ledger) == 1
    assert [e.status for e in before.evaluations].count("in_progress") == 1
    assert [e.status for e in after.evaluations] == ["compliant", "compliant"]
    assert {a.serves for a in after.assignments} == {("t/x",), ("t/y",)}
    assert (
        after["t/x"].cycles[0].outcome("plan").hypothetical
        or after["t/y"].cycles[0].outcome("plan").hypothetical
    )


def test_lookups_and_errors() -> None:
    x = cert("t/x", 10)
    result = evaluate_portfolio([holding(x)], Ledger(), as_of=D("2021-06-01"))
    with pytest.raises(KeyError, match="did you mean 't/x'"):
        result["t/y"]
    with pytest.raises(
        PolicyError, match="holdings\\[1\\] and holdings\\[0\\] are both of 't/x'"
    ) as info:
        evaluate_portfolio([holding(x), holding(x)], Ledger(), as_of=D("2021-06-01"))
    assert info.value.code == "duplicate-holding"
    with pytest.raises(ValueError, match="at least one holding"):
        evaluate_portfolio([], Ledger(), as_of=D("2021-06-01"))
    assert result == evaluate_portfolio([holding(x)], Ledger(), as_of=D("2021-06-01"))
    assert hash(result) == hash(evaluate_portfolio([holding(x)], Ledger(), as_of=D("2021-06-01")))
    assert result != "portfolio"


def test_sharing_rules_are_checked() -> None:
    with pytest.raises(ValidationError, match="takes no limits or default"):
        Sharing(pool="p", mode="consumed", default=2)
    with pytest.raises(ValidationError, match="needs limits, a default, or both"):
        Sharing(pool="p", mode="limited")
    assert Sharing(pool="p", mode="shared").allowance(act("a", "2021-01-01", 1)) is None
    unlimited_rest = Sharing(
        pool="p", mode="limited", limits=(SharingLimit(selector=category("x"), holdings=2),)
    )
    assert unlimited_rest.allowance(act("a", "2021-01-01", 1, "y")) is None
    with pytest.raises(ValidationError, match=r"sharing.limits\[0\] selects category 'z'"):
        cert(
            "t/x",
            1,
            "x",
            sharing=Sharing(
                pool="p", mode="limited", limits=(SharingLimit(selector=category("z"), holdings=1),)
            ),
        )


def test_renewal_events_read_in_words() -> None:
    assert str(
        RenewalEvent(kind="designated-course", date=D("2024-01-02"), tag="certmaster-ce")
    ) == ("completed a designated course (certmaster-ce) on 2024-01-02")


def test_a_portfolio_renders_as_escaped_html_with_every_holding() -> None:
    hostile = cert("t/x", 10, "shared", sharing=LIMITED).model_copy(update={"id": "t/x"})
    y = cert("t/y", 10, "shared", sharing=LIMITED)
    ledger = Ledger([act("<script>alert(1)</script>", "2021-02-01", 10, "shared")])
    html = evaluate_portfolio(
        [holding(hostile), holding(y)], ledger, as_of=D("2021-06-01")
    )._repr_html_()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<td style="text-align:left">t/x</td>' in html
    assert '<td style="text-align:left">t/y</td>' in html
    assert "Where shared credit went" in html
    assert "in progress" in html  # the status in words, not colour alone
