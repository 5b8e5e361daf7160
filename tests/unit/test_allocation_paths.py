"""The common shapes of issue 16 take the direct or flow path, never the linear program.

PMP's nested minimums and caps, activities eligible for two Talent Triangle areas,
credit earned in the suspension year (grace) and a history of several cycles are all
allocated without the simplex; the linear program is kept for rules that do not nest.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cperules import Activity, Holding, Ledger, evaluate
from cperules._engine import allocation, allocation_flow

AREAS = ("ways-of-working", "power-skills", "business-acumen")


def _pmp_ledger(start: dt.date, years: int, *, grace: int = 0) -> Ledger:
    activities = []
    for n in range(12 * years):
        day = start + dt.timedelta(days=30 * n + 3)
        where: dict[str, object]
        if n % 4 == 0:
            where = {"eligible": (AREAS[n % 3], AREAS[(n + 1) % 3])}
        elif n % 4 == 1:
            where = {"category": "volunteer" if n % 3 else "working-as-a-practitioner"}
        else:
            where = {"category": AREAS[n % 3]}
        activities.append(
            Activity.model_validate(
                {"id": f"a{n:03d}", "title": f"a{n}", "completed": day, "credits": 3, **where}
            )
        )
    end = start + dt.timedelta(days=365 * years)
    activities += [
        Activity(
            id=f"g{n}",
            title="grace",
            completed=end + dt.timedelta(days=20 + 10 * n),
            credits=Decimal(4),
            category="power-skills",
        )
        for n in range(grace)
    ]
    return Ledger(activities)


@pytest.fixture
def no_simplex(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the linear program was asked")

    monkeypatch.setattr(allocation, "_solve", refuse)


@pytest.mark.usefixtures("no_simplex")
def test_pmp_nested_caps_minimums_and_eligible_activities_skip_the_linear_program() -> None:
    earned = dt.date(2020, 3, 1)
    result = evaluate(
        Holding(certification="pmi/pmp", earned=earned),
        _pmp_ledger(earned, 6),
        as_of=dt.date(2026, 3, 15),
    )
    assert len(result.cycles) >= 2  # a history of several cycles, with carryover
    first = result.cycles[0]
    assert first.status == "compliant"
    assert first.requirement("total").counted >= 60
    giving_back = {"volunteer": Decimal(0), "working-as-a-practitioner": Decimal(0)}
    for outcome in first.activities:
        for part in outcome.parts:
            if part.reason in {"counted", "carried-out"} and part.category in giving_back:
                giving_back[part.category] += part.credits
    # 18 of volunteering and 9 as a practitioner: the giving-back cap of 25 binds, and the
    # volunteering (which may carry over) counts before the practitioner's (which may not).
    assert giving_back == {"volunteer": Decimal(18), "working-as-a-practitioner": Decimal(7)}


def test_the_flow_path_and_the_linear_program_give_the_same_pmp_history(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    earned = dt.date(2020, 3, 1)
    holding = Holding(certification="pmi/pmp", earned=earned)
    ledger = _pmp_ledger(earned, 6, grace=2)
    flow = evaluate(holding, ledger, as_of=dt.date(2026, 5, 1))
    monkeypatch.setattr(allocation_flow, "allocate_by_flow", lambda *args, **kwargs: None)
    simplex = evaluate(holding, ledger, as_of=dt.date(2026, 5, 1))
    assert flow.to_dict() == simplex.to_dict()


@pytest.mark.usefixtures("no_simplex")
def test_grace_window_credit_skips_the_linear_program() -> None:
    earned = dt.date(2022, 3, 1)
    ledger = _pmp_ledger(earned, 2, grace=3)  # two years' credit: short, cured in grace
    result = evaluate(
        Holding(certification="pmi/pmp", earned=earned), ledger, as_of=dt.date(2025, 9, 1)
    )
    cycle = result.cycles[0]
    grace_counted = {
        outcome.activity_id: outcome.total("counted")
        for outcome in cycle.activities
        if outcome.activity_id.startswith("g")
    }
    assert grace_counted  # credit of the suspension year counts toward the ended cycle
