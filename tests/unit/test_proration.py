"""A prorated first cycle scales each cycle-scope minimum by whole months, exactly.

The holding is earned on 2022-11-01 under fixed three-year periods from 2021-01-01, so
its first cycle runs 2022-11-01..2023-12-31: 14 of 36 months, a proration of 7/18. The
amounts are chosen so that multiplying, dividing or not prorating at all each give a
different required amount and shortfall.
"""

import datetime as dt
from decimal import Decimal

import pytest

from cperules import (
    Activity,
    CategoryNode,
    Certification,
    Evaluation,
    FixedCycle,
    Holding,
    Ledger,
    PolicyVersion,
    evaluate,
)
from cperules.rules import Minimum
from cperules.selectors import category, topic

EARNED = dt.date(2022, 11, 1)
AS_OF = dt.date(2023, 6, 1)


def certification(first_cycle: str) -> Certification:
    version = PolicyVersion(
        effective_from=dt.date(2000, 1, 1),
        cycle=FixedCycle.model_validate(
            {"anchor": "2021-01-01", "years": 3, "first_cycle": first_cycle}
        ),
        categories=(CategoryNode(code="A"), CategoryNode(code="B")),
        rules=(
            Minimum(id="total", credits=Decimal(36)),
            Minimum(id="ethics", credits=Decimal(9), selector=topic("ethics")),
            Minimum(id="group-a", credits=Decimal(18), selector=category("A")),
            Minimum(id="yearly", credits=Decimal(2), selector=category("B"), scope="year"),
        ),
    )
    return Certification(
        id="test/proration", name="Proration", body="Test", unit="CPE", versions=(version,)
    )


LEDGER = Ledger(
    [
        Activity(
            id="a1",
            title="Ethics",
            completed=dt.date(2023, 2, 1),
            credits=Decimal(2),
            category="A",
            topics=("ethics",),
        ),
        Activity(
            id="a2", title="Course", completed=dt.date(2023, 3, 1), credits=Decimal(8), category="A"
        ),
        Activity(
            id="b1", title="Other", completed=dt.date(2023, 4, 1), credits=Decimal(1), category="B"
        ),
    ]
)


def run(first_cycle: str) -> Evaluation:
    holding = Holding(certification=certification(first_cycle), earned=EARNED)
    return evaluate(holding, LEDGER, as_of=AS_OF)


def test_the_first_cycle_is_14_of_36_months() -> None:
    result = run("prorated")
    (cycle,) = result.cycles
    assert (cycle.period.start, cycle.period.end) == (EARNED, dt.date(2023, 12, 31))


@pytest.mark.parametrize(
    ("rule", "required", "counted", "shortfall"),
    [
        ("total", Decimal(14), Decimal(11), Decimal(3)),  # 36 * 14/36
        ("ethics", Decimal("3.5"), Decimal(2), Decimal("1.5")),  # 9 * 14/36
        ("group-a", Decimal(7), Decimal(10), Decimal(0)),  # 18 * 14/36
    ],
)
def test_prorated_minimums_are_scaled_down_exactly(
    rule: str, required: Decimal, counted: Decimal, shortfall: Decimal
) -> None:
    result = run("prorated")
    requirement = result.cycles[0].requirement(rule)
    assert (requirement.required, requirement.counted, requirement.shortfall) == (
        required,
        counted,
        shortfall,
    )


def test_yearly_floors_are_not_prorated() -> None:
    cycle = run("prorated").cycles[0]
    yearly = [
        (str(r.period), r.required, r.counted, r.shortfall)
        for r in cycle.requirements
        if r.id == "yearly"
    ]
    assert yearly == [
        ("2022-11-01..2022-12-31", Decimal(2), Decimal(0), Decimal(2)),
        ("2023-01-01..2023-12-31", Decimal(2), Decimal(1), Decimal(1)),
    ]
    assert cycle.shortfall == Decimal("7.5")  # 3 + 1.5 + 0 + 2 + 1


def test_a_normal_first_cycle_asks_the_full_amounts() -> None:
    result = run("normal")
    cycle = result.cycles[0]
    assert [(r.id, r.required) for r in cycle.requirements if r.id != "yearly"] == [
        ("total", Decimal(36)),
        ("ethics", Decimal(9)),
        ("group-a", Decimal(18)),
    ]
    assert cycle.requirement("total").shortfall == Decimal(25)
