"""The verdict path and the explained path agree; results survive their data round trip."""

from __future__ import annotations

import datetime as dt
import pickle
from decimal import Decimal

import pytest
from budgets import GENERATED
from generated import Case, generated_cases
from hypothesis import given, settings

from cperules import Evaluation, Holding, Ledger, evaluate, verdict
from cperules.errors import CperulesError, ReplayError
from cperules.results import CycleResult
from cperules.results import Evaluation as _Evaluation
from cperules.verdicts import CycleVerdict, Verdict


def _grace_counted(cycle: CycleResult) -> Decimal:
    return sum(
        (
            part.credits
            for outcome in cycle.activities
            for part in outcome.parts
            if part.reason == "counted" and part.note == "earned in the grace window"
        ),
        Decimal(0),
    )


def _same_cycle(explained: CycleResult, judged: CycleVerdict) -> None:
    assert judged.index == explained.index
    assert judged.period == explained.period
    assert judged.status == explained.status
    assert judged.renewed_by == explained.renewed_by
    assert [(r.id, r.period, r.required, r.shortfall, r.renewed) for r in judged.requirements] == [
        (r.id, r.period, r.required, r.shortfall, r.renewed) for r in explained.requirements
    ]
    assert judged.carried_in == sum((c.credits for c in explained.carried_in), Decimal(0))
    assert judged.carried_out == sum((c.credits for c in explained.carried_out), Decimal(0))
    assert judged.grace_counted == _grace_counted(explained)
    assert judged.counted == explained.counted


def _evaluated(holding: Holding, ledger: Ledger, as_of: dt.date) -> Evaluation | CperulesError:
    """The explained evaluation, or the error it raises."""
    try:
        return evaluate(holding, ledger, as_of=as_of)
    except CperulesError as error:
        return error


@settings(max_examples=GENERATED)
@given(generated_cases())
def test_verdict_agrees_with_the_explained_evaluation(case: Case) -> None:
    holding, ledger, as_of = case
    explained = _evaluated(holding, ledger, as_of)
    if isinstance(explained, CperulesError):
        with pytest.raises(type(explained)) as caught:
            verdict(holding, ledger, as_of=as_of)
        assert caught.value.code == explained.code
        return
    judged = verdict(holding, ledger, as_of=as_of)
    assert isinstance(judged, Verdict)
    assert judged.status == explained.status
    assert judged.standing == explained.standing
    assert judged.next_deadlines() == explained.next_deadlines()
    assert judged.findings == explained.findings
    assert len(judged.cycles) == len(explained.cycles)
    for explained_cycle, judged_cycle in zip(explained.cycles, judged.cycles, strict=True):
        _same_cycle(explained_cycle, judged_cycle)


@settings(max_examples=GENERATED)
@given(generated_cases(years=6))
def test_results_survive_to_dict_and_model_validate(case: Case) -> None:
    holding, ledger, as_of = case
    try:
        result = evaluate(holding, ledger, as_of=as_of)
    except CperulesError:
        return
    rebuilt = _Evaluation.model_validate(result.to_dict())
    assert rebuilt == result
    assert rebuilt.to_dict() == result.to_dict()
    # A rebuilt evaluation has no ledger: remaining() says so precisely.
    with pytest.raises(ReplayError) as caught:
        rebuilt.remaining()
    assert caught.value.code == "not-replayable"
    assert isinstance(caught.value, RuntimeError)  # as it was before it had a code
    assert "remaining()" in str(caught.value)
    # A pickled one keeps its inputs: remaining() works, and gives the same needs.
    unpickled = pickle.loads(pickle.dumps(result))
    assert unpickled == result
    assert unpickled.remaining() == result.remaining()
    assert [unpickled.cycle_years(i) for i in range(len(result.cycles))] == [
        result.cycle_years(i) for i in range(len(result.cycles))
    ]
    assert Verdict.model_validate(verdict(holding, ledger, as_of=as_of).to_dict()) == verdict(
        holding, ledger, as_of=as_of
    )


def test_catalog_evaluation_rebuilt_from_data_keeps_its_deadlines() -> None:
    holding = Holding(certification="isc2/cissp", earned=dt.date(2023, 3, 1))
    result = evaluate(holding, Ledger(), as_of=dt.date(2026, 4, 1))
    rebuilt = Evaluation.model_validate(result.to_dict())
    assert rebuilt.next_deadlines() == result.next_deadlines()
    assert [d.kind for d in rebuilt.next_deadlines()] == ["grace-ends", "earn-by"]
