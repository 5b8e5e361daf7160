"""The verdict plan gives exactly the history's verdict, where it gives one (issue 16).

:func:`cperules.verdict` first asks the verdict plan
(:func:`cperules._engine.history.quick_verdict`): the kernel answering every cycle from
slices of the ledger, with no history built. Where any cycle leaves the kernel's shape it
answers None and the history evaluates the holding. Here both run on the same case and
must give the same verdict in every field and in their data (``to_dict``: the same
decimal strings), or the same error; and the ledgers of the engine benchmark, CISSP and
PMP, must be answered by the plan.
"""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from budgets import GENERATED
from generated import Case, generated_cases
from hypothesis import given, settings

from cperules import Activity, Holding, Ledger, verdict
from cperules._engine.history import History, quick_verdict, resolve
from cperules.errors import CperulesError

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))

import engine  # the benchmark's own ledgers, from its folder


def _by_history(holding: Holding, ledger: Ledger, as_of: dt.date) -> object:
    try:
        return History(resolve(holding), holding, ledger, as_of, explain=False).verdict()
    except CperulesError as error:
        return error.code


def _by_plan(holding: Holding, ledger: Ledger, as_of: dt.date) -> object:
    try:
        return quick_verdict(resolve(holding), holding, ledger, as_of)
    except CperulesError as error:
        return error.code


def _agree(holding: Holding, ledger: Ledger, as_of: dt.date) -> object:
    """The plan's answer (None where it leaves the case to the history), checked."""
    planned = _by_plan(holding, ledger, as_of)
    history = _by_history(holding, ledger, as_of)
    if planned is None:
        return None
    if isinstance(planned, str):  # an error: the history raises the same one
        assert planned == history
        return planned
    assert not isinstance(history, str)
    assert planned.to_dict() == history.to_dict()  # type: ignore[attr-defined]
    assert planned == history
    return planned


@settings(max_examples=GENERATED)
@given(generated_cases())
def test_the_plan_agrees_with_the_history_on_generated_policies(case: Case) -> None:
    _agree(*case)


HOLDER = engine.HOLDER


@pytest.mark.parametrize(
    ("certification", "ledger_of", "least"),
    [("isc2/cissp", engine.cissp_ledger, 12), ("pmi/pmp", engine.pmp_ledger, 6)],
)
def test_the_plan_answers_the_benchmark_ledgers(
    certification: str, ledger_of: object, least: int
) -> None:
    """Every CISSP ledger of the benchmark; PMP's where the kernel serves every cycle.

    (PMP ledgers cured in the grace window where more than one kind of credit might carry
    are the allocation's: the kernel leaves them, and so does the plan.)
    """
    holding = Holding(certification=certification, earned=engine.EARNED, holder=HOLDER)
    answered = 0
    for seed in range(12):
        ledger = ledger_of(seed)  # type: ignore[operator]
        found = _agree(holding, ledger, engine.AS_OF)
        if found is not None:
            answered += 1
            assert found == verdict(holding, ledger, as_of=engine.AS_OF)
    assert answered >= least


def test_a_ledger_with_a_finding_is_left_to_the_history() -> None:
    """An unknown category anywhere (even after ``as_of``) is the history's to report."""
    holding = Holding(certification="isc2/cissp", earned=engine.EARNED, holder=HOLDER)
    later = Activity(
        id="late",
        title="Course",
        completed=engine.AS_OF + dt.timedelta(days=400),
        credits=Decimal(1),
        category="C",
    )
    ledger = Ledger([*engine.cissp_ledger(0), later])
    assert _agree(holding, ledger, engine.AS_OF) is None
    judged = verdict(holding, ledger, as_of=engine.AS_OF)
    assert [finding.code for finding in judged.findings] == ["unknown-category"]


def test_an_unmet_cycle_ends_the_plan_as_it_ends_the_history() -> None:
    """Short at the end and past its grace window: non-compliant, later cycles dropped."""
    holding = Holding(certification="isc2/cissp", earned=engine.EARNED, holder=HOLDER)
    ledger = Ledger(
        [
            Activity(
                id="a", title="A", completed=dt.date(2024, 1, 5), credits=Decimal(20), category="A"
            ),
            Activity(
                id="b", title="B", completed=dt.date(2027, 1, 5), credits=Decimal(5), category="C"
            ),
        ]
    )
    as_of = dt.date(2026, 9, 1)
    answered = _agree(holding, ledger, as_of)
    assert answered is None  # the unknown category after the end: the history reports it
    ledger = Ledger([a for a in ledger if a.category == "A"])
    answered = _agree(holding, ledger, as_of)
    assert answered is not None
    assert answered.status == "non_compliant"  # type: ignore[attr-defined]
    assert len(answered.cycles) == 1  # type: ignore[attr-defined]
