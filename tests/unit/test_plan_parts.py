"""Issue 15, items 1 and 2: what remaining() asks for, by when, and of which categories.

A need is due when the requirement it serves is due (a yearly floor at its year's end, a
cycle requirement at the cycle's due date; a cap never sets a date), and it says which
part must be of its category and which several categories may supply, within the caps.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from decimal import Decimal as D

import pytest
from pydantic import ValidationError

from cperules import Activity, Holding, Ledger, evaluate
from cperules.cycles import CalendarCycle, Period
from cperules.policy import CategoryNode, Certification, PolicyVersion
from cperules.results import Need, NeedLimit
from cperules.rules import Cap, Minimum
from cperules.selectors import category, everything


def course(activity_id: str, completed: dt.date, credits: str, code: str) -> Activity:
    return Activity(
        id=activity_id,
        title="Course",
        completed=completed,
        credits=Decimal(credits),
        category=code,
    )


def policy(*rules: Minimum | Cap, categories: tuple[str, ...] = ("A", "B")) -> Certification:
    version = PolicyVersion(
        effective_from=dt.date(2000, 1, 1),
        cycle=CalendarCycle(years=3, stub="merged"),
        categories=tuple(CategoryNode(code=code) for code in categories),
        rules=rules,
    )
    return Certification(
        id="test/plan", name="Plan test", body="Test", unit="CPE", versions=(version,)
    )


# --- item 1: the date a need is due ---------------------------------------------------------


@pytest.mark.parametrize("as_of", [dt.date(2024, 1, 1), dt.date(2025, 1, 1)])
def test_a_need_is_due_when_the_cycle_is_not_when_a_yearly_cap_year_ends(as_of: dt.date) -> None:
    """Security+ has a yearly cap on work experience only: the 50 CEUs are due with the
    cycle (as next_deadlines() says), not at the end of the current CE year."""
    holding = Holding(certification="comptia/security-plus", earned=dt.date(2023, 9, 1))
    result = evaluate(holding, Ledger(), as_of=as_of)
    (need,) = result.remaining()
    earn_by = next(d.date for d in result.next_deadlines() if d.kind == "earn-by")
    assert need.due == earn_by == result.governing.due
    assert need.credits == 50
    assert need.within is None  # training is under no yearly rule: earn it any time


def test_a_yearly_floor_is_due_at_its_year_end_and_the_rest_with_the_cycle() -> None:
    certification = policy(
        Minimum(id="total", credits=Decimal(60)),
        Minimum(id="yearly", credits=Decimal(10), scope="year"),
    )
    holding = Holding(certification=certification, earned=dt.date(2024, 1, 1))
    result = evaluate(holding, Ledger(), as_of=dt.date(2024, 2, 1))
    # The stub year 2024 is merged into the cycle 2025..2027, due 2027-12-31.
    assert result.governing.due == dt.date(2027, 12, 31)
    assert [(n.credits, n.due, n.within and n.within.start) for n in result.remaining()] == [
        (Decimal(10), dt.date(2024, 12, 31), dt.date(2024, 1, 1)),
        (Decimal(10), dt.date(2025, 12, 31), dt.date(2025, 1, 1)),
        (Decimal(10), dt.date(2026, 12, 31), dt.date(2026, 1, 1)),
        (Decimal(30), dt.date(2027, 12, 31), dt.date(2027, 1, 1)),
    ]


def test_a_yearly_cap_says_which_year_to_earn_in_but_not_when_it_is_due() -> None:
    certification = policy(
        Minimum(id="total", credits=Decimal(30)),
        Cap(id="yearly", credits=Decimal(10), selector=everything(), scope="year"),
    )
    holding = Holding(certification=certification, earned=dt.date(2024, 1, 1))
    needs = evaluate(holding, Ledger(), as_of=dt.date(2024, 2, 1)).remaining()
    assert [n.due for n in needs] == [dt.date(2027, 12, 31)] * 3
    assert [n.within for n in needs] == [
        Period(start=dt.date(year, 1, 1), end=dt.date(year, 12, 31)) for year in (2024, 2025, 2026)
    ]
    assert str(needs[0]) == (
        "10 CPE of category A or B, earned in 2024-01-01..2024-12-31 by 2027-12-31"
    )


# --- item 2: what is required, and what several categories may supply -----------------------


def test_cissp_plan_says_what_must_be_group_a_and_what_group_b_may_supply() -> None:
    holding = Holding(certification="isc2/cissp", earned=dt.date(2023, 3, 1))
    ledger = Ledger([course("a1", dt.date(2023, 5, 1), "27.5", "A")])
    (need,) = evaluate(holding, ledger, as_of=dt.date(2024, 6, 1)).remaining()
    assert (need.credits, need.required, need.free) == (D("92.5"), D("62.5"), D(30))
    assert need.categories == ("A", "B")
    assert need.limits == (
        NeedLimit(rule="group-b", kind="cap", categories=("B",), at_most=Decimal(30)),
    )
    assert str(need) == (
        "92.5 CPE: 62.5 of category A, and 30 more of category A or B"
        " (B: at most 30, cap group-b) by 2026-02-28"
    )


def test_group_b_credit_already_counted_narrows_what_b_may_supply() -> None:
    holding = Holding(certification="isc2/cissp", earned=dt.date(2023, 3, 1))
    ledger = Ledger([course("b1", dt.date(2023, 5, 1), "20", "B")])
    (need,) = evaluate(holding, ledger, as_of=dt.date(2024, 6, 1)).remaining()
    assert (need.credits, need.required, need.free) == (D(100), D(90), D(10))
    assert need.limits[0].at_most == 10


def test_security_plus_plan_lists_every_category_that_counts_and_the_caps_that_bound_them() -> None:
    holding = Holding(certification="comptia/security-plus", earned=dt.date(2023, 9, 1))
    (need,) = evaluate(holding, Ledger(), as_of=dt.date(2024, 1, 1)).remaining()
    assert need.required == 0
    assert need.category == "training"
    assert {"webinar", "college", "work-experience"} <= set(need.alternatives)
    bounded = {limit.rule: limit for limit in need.limits}
    assert bounded["work-experience"].at_most == 3
    assert bounded["work-experience"].period == Period(
        start=dt.date(2023, 9, 1), end=dt.date(2024, 8, 31)
    )
    assert "webinar" in bounded


def test_a_category_tree_asks_each_child_minimum_and_frees_the_rest_of_the_parent() -> None:
    """Education at least 10 with children X and Y at least 3 each, Giving back capped at
    5, 15 in all: 3 of X, 3 of Y, and 9 that any education category (or Giving back, up
    to its cap) may supply."""
    version = PolicyVersion(
        effective_from=dt.date(2000, 1, 1),
        cycle=CalendarCycle(years=3, stub="merged"),
        categories=(
            CategoryNode(code="edu", children=(CategoryNode(code="X"), CategoryNode(code="Y"))),
            CategoryNode(code="give"),
        ),
        rules=(
            Minimum(id="total", credits=Decimal(15)),
            Minimum(id="edu", credits=Decimal(10), selector=category("edu")),
            Minimum(id="x", credits=Decimal(3), selector=category("X")),
            Minimum(id="y", credits=Decimal(3), selector=category("Y")),
            Cap(id="give", credits=Decimal(5), selector=category("give")),
        ),
    )
    certification = Certification(
        id="test/tree", name="Tree", body="Test", unit="PDU", versions=(version,)
    )
    holding = Holding(certification=certification, earned=dt.date(2024, 1, 1))
    needs = evaluate(holding, Ledger(), as_of=dt.date(2024, 2, 1)).remaining()
    parts = [(n.category, n.credits, n.required, n.categories) for n in needs]
    assert parts == [
        ("edu", D(9), D(0), ("edu", "X", "Y", "give")),
        ("X", D(3), D(3), ("X",)),
        ("Y", D(3), D(3), ("Y",)),
    ]
    assert needs[0].limits == (
        NeedLimit(rule="give", kind="cap", categories=("give",), at_most=Decimal(5)),
    )


def test_the_plan_is_written_with_its_parts_in_text_html_and_markdown() -> None:
    holding = Holding(certification="isc2/cissp", earned=dt.date(2023, 3, 1))
    ledger = Ledger([course("a1", dt.date(2023, 5, 1), "27.5", "A")])
    result = evaluate(holding, ledger, as_of=dt.date(2024, 6, 1))
    words = "92.5 CPE: 62.5 of category A, and 30 more of category A or B"
    assert words in result._repr_html_()
    assert words in result._repr_markdown_()
    (need,) = result.remaining()
    assert str(need).startswith("92.5 CPE: 62.5 of category A, and 30 more of category A")


# --- the Need model --------------------------------------------------------------------------


def test_a_need_built_the_old_way_is_all_required() -> None:
    need = Need(credits=Decimal(3), category="BA", due=dt.date(2026, 5, 31))
    assert (need.required, need.free, need.categories, need.limits) == (D(3), D(0), ("BA",), ())
    assert str(need) == "3 credits of category BA by 2026-05-31"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"free": Decimal(2)}, "free part (2) and its alternatives (none) go together"),
        ({"free": Decimal(9), "alternatives": ("B",)}, "free part 9 is more than its credits 3"),
        ({"alternatives": ("A",), "free": Decimal(1)}, "category A is listed again"),
        (
            {
                "alternatives": ("B",),
                "free": Decimal(1),
                "limits": (NeedLimit(rule="c", kind="cap", categories=("C",), at_most=Decimal(1)),),
            },
            "limit c names C, which is not among the alternatives (B)",
        ),
    ],
)
def test_a_need_refuses_parts_that_do_not_add_up(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Need.model_validate(
            {"credits": Decimal(3), "category": "A", "due": dt.date(2026, 5, 31), **fields}
        )
