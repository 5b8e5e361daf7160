"""Tracking from the middle of a career agrees with the full history (issue 15, item 9).

A holder whose cycles before ``k`` were renewed, tracked from cycle ``k`` with the credit
the full evaluation carried into it, gets the same verdicts for cycles ``k`` and later as
the evaluation of the whole history.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from budgets import MID_CAREER
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from cperules import Activity, Certification, Holding, evaluate
from cperules.errors import CperulesError
from cperules.results import CycleResult, Evaluation
from cperules.rules import Carryover
from cperules.testing.strategies import certifications, holdings, ledgers_for

_AMOUNT_FIELDS = {"credits", "minutes", "units", "unit", "category", "split", "eligible"}

# Generated policies carry credit only now and then; half the examples give every version
# without a carryover one of these (of any credit), so that carried-in credit is exercised.
_CARRYOVERS = st.builds(
    Carryover,
    window_months=st.none() | st.integers(min_value=1, max_value=12),
    cap=st.none() | st.integers(min_value=1, max_value=40).map(Decimal),
    lands=st.sampled_from(("first-year", "next-cycle")),
)


def _with_carryover(certification: Certification, carryover: Carryover) -> Certification:
    versions = tuple(
        version.model_copy(update={"carryover": version.carryover or carryover})
        for version in certification.versions
    )
    return certification.model_copy(update={"versions": versions})


def _verdict(cycle: CycleResult) -> tuple[object, ...]:
    return (
        cycle.index,
        cycle.period,
        cycle.status,
        cycle.requirements,
        cycle.counted,
        cycle.shortfall,
        tuple((c.category, c.credits, c.lands_in) for c in cycle.carried_out),
        tuple(f.code for f in cycle.findings),
    )


def _trackable(full: Evaluation, k: int) -> bool:
    """Whether cycles before ``k`` were renewed by credit alone, uncured by grace credit."""
    renewed = all(
        c.status in {"compliant", "exempt"} and c.renewed_by is None for c in full.cycles[:k]
    )
    cured = any(
        part.reason == "cured-previous-cycle"
        for outcome in full.cycles[k].activities
        for part in outcome.parts
    )
    return renewed and not cured


def _carried_in(
    full: Evaluation, k: int, ledger_by_id: dict[str, Activity]
) -> tuple[Activity, ...]:
    """The credit the full evaluation carried into cycle ``k``, as a holder would state it."""
    stated = []
    for credit in full.cycles[k].carried_in:
        original = ledger_by_id[credit.activity_id]
        record = original.model_dump(exclude=_AMOUNT_FIELDS | {"hypothetical"})
        record.update(credits=credit.credits, category=credit.category)
        stated.append(Activity.model_validate(record))
    return tuple(stated)


@settings(
    max_examples=MID_CAREER,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
@given(st.data())
def test_tracking_from_cycle_k_with_its_carried_credit_gives_the_full_verdicts(
    data: st.DataObject,
) -> None:
    certification = data.draw(certifications(), label="certification")
    if data.draw(st.booleans(), label="carries"):
        certification = _with_carryover(certification, data.draw(_CARRYOVERS, label="carryover"))
    holding = data.draw(holdings(certification=certification), label="holding")
    try:
        spec = certification.version_on(holding.earned).cycle
        first = spec.cycles(holding, as_of=holding.earned)[0]
        second = spec.cycle_on(holding, first.due + dt.timedelta(days=1))
    except CperulesError:
        assume(False)
    as_of = data.draw(
        st.dates(min_value=second.period.start, max_value=second.due + dt.timedelta(days=120)),
        label="as_of",
    )
    assume(as_of >= holding.earned)
    ledger = data.draw(ledgers_for(certification, holding, as_of=as_of), label="ledger")
    try:
        full = evaluate(holding, ledger, as_of=as_of)
    except CperulesError:
        assume(False)
    candidates = [k for k in range(1, len(full.cycles)) if _trackable(full, k)]
    assume(candidates)
    k = data.draw(st.sampled_from(candidates), label="k")
    carried = _carried_in(full, k, {activity.id: activity for activity in ledger})
    event("credit carried in" if carried else "nothing carried in")
    event(f"cycle kind {spec.kind}")
    boundary = data.draw(
        st.sampled_from(
            [
                {"tracked_from": full.cycles[k].period.start},
                {"renewed_through": full.cycles[k - 1].due},
            ]
        ),
        label="boundary",
    )
    tracked_holding = Holding.model_validate({**dict(holding), **boundary, "carried_in": carried})

    tracked = evaluate(tracked_holding, ledger, as_of=as_of)

    assert [c.status for c in tracked.cycles[:k]] == ["before_tracking"] * k
    assert [_verdict(c) for c in tracked.cycles[k:]] == [_verdict(c) for c in full.cycles[k:]]
    assert tracked.status == full.status
    assert tracked.standing.standing == full.standing.standing
    assert tracked.remaining() == full.remaining()
