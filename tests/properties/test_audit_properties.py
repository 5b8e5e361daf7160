"""Audit readiness invariants: proof only ever helps credit survive an audit."""

import datetime as dt
from decimal import Decimal

from budgets import AUDITED
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cperules import evaluate, ready_for_audit
from cperules.audit_readiness import AuditReadiness
from cperules.evidence import EVIDENCE_KINDS, Evidence
from cperules.ledger import Ledger
from cperules.testing.strategies import certifications, holdings, ledgers_for

EVERY_PROOF = tuple(Evidence(kind=kind) for kind in EVIDENCE_KINDS)


def counted_if_audited(view: AuditReadiness) -> dict[object, Decimal]:
    return {cycle.period: cycle.counted_if_audited for cycle in view.cycles}


def with_proof(ledger: Ledger, activity_id: str, proof: tuple[Evidence, ...]) -> Ledger:
    return Ledger(
        activity.model_copy(update={"evidence": proof}) if activity.id == activity_id else activity
        for activity in ledger
    )


@st.composite
def audited_cases(draw: st.DrawFn) -> tuple[object, Ledger, dt.date, str]:
    certification = draw(certifications(max_versions=1))
    assume(certification.versions[0].audit is not None)
    holding = draw(holdings(certification=certification))
    ledger = draw(ledgers_for(certification, holding))
    assume(len(ledger) > 0)
    target = draw(st.sampled_from([activity.id for activity in ledger]))
    as_of = holding.earned + dt.timedelta(days=draw(st.integers(0, 4 * 366)))
    return holding, ledger, as_of, target


@settings(max_examples=AUDITED)
@given(audited_cases())
def test_removing_proof_never_increases_credit_counted_if_audited(
    case: tuple[object, Ledger, dt.date, str],
) -> None:
    holding, ledger, as_of, target = case
    before = ready_for_audit(evaluate(holding, ledger, as_of=as_of))  # type: ignore[arg-type]
    stripped = with_proof(ledger, target, ())
    after = ready_for_audit(evaluate(holding, stripped, as_of=as_of))  # type: ignore[arg-type]
    was, now = counted_if_audited(before), counted_if_audited(after)
    assert all(now[period] <= was[period] for period in was.keys() & now.keys())
    assert sum(now.values(), Decimal(0)) <= sum(was.values(), Decimal(0))


@settings(max_examples=AUDITED)
@given(audited_cases())
def test_adding_proof_never_decreases_credit_counted_if_audited(
    case: tuple[object, Ledger, dt.date, str],
) -> None:
    holding, ledger, as_of, target = case
    before = ready_for_audit(evaluate(holding, ledger, as_of=as_of))  # type: ignore[arg-type]
    proven = with_proof(ledger, target, EVERY_PROOF)
    after = ready_for_audit(evaluate(holding, proven, as_of=as_of))  # type: ignore[arg-type]
    was, now = counted_if_audited(before), counted_if_audited(after)
    assert all(now[period] >= was[period] for period in was.keys() & now.keys())
    assert sum(now.values(), Decimal(0)) >= sum(was.values(), Decimal(0))


@settings(max_examples=AUDITED)
@given(audited_cases())
def test_counted_if_audited_never_exceeds_counted(
    case: tuple[object, Ledger, dt.date, str],
) -> None:
    holding, ledger, as_of, _ = case
    view = ready_for_audit(evaluate(holding, ledger, as_of=as_of))  # type: ignore[arg-type]
    for cycle in view.cycles:
        assert cycle.counted_if_audited <= cycle.counted
        if cycle.status == "ready":
            assert cycle.counted_if_audited == cycle.counted
