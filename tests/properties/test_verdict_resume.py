"""The history that follows a stopped verdict plan resumes where the kernel stopped.

Where :func:`~cperules._engine.history.quick_verdict` cannot answer a cycle it leaves the
holding to the history, which takes the cycles the kernel answered as they are and
evaluates the rest, starting with the one the kernel could not answer (by allocation).
It must give exactly the verdict of a history that starts over: on generated policies
and on PMP holders of the scale benchmark (many of them cured in a grace window).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from budgets import GENERATED
from generated import Case, generated_cases
from hypothesis import given, settings

from cperules import Holding, Ledger
from cperules._engine import history
from cperules._engine.history import History, quick_verdict, resolve
from cperules.errors import CperulesError

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))

import scale  # the scale benchmark's own holders, from its folder


def _resumed_and_anew(holding: Holding, ledger: Ledger, as_of: dt.date) -> tuple[object, object]:
    """The history after the plan stopped (resumed), and a history started over."""
    certification = resolve(holding)
    history._last_stop.stopped = None
    try:
        if quick_verdict(certification, holding, ledger, as_of) is not None:
            return None, None
        # Stopped at a cycle (not left to the history from the start: another shape).
        stopped = history._last_stop.stopped is not None
        resumed: object = History(certification, holding, ledger, as_of, explain=False)
        assert (resumed._stopped is not None) == stopped  # type: ignore[attr-defined]
        if not stopped:
            return None, None
        resumed = resumed.verdict()  # type: ignore[attr-defined]
    except CperulesError as error:
        resumed = error.code
    try:
        history._last_stop.stopped = None
        fresh = History(certification, holding, ledger, as_of, explain=False)
        assert fresh._stopped is None
        anew: object = fresh.verdict()
    except CperulesError as error:
        anew = error.code
    return resumed, anew


def _check(holding: Holding, ledger: Ledger, as_of: dt.date) -> bool:
    resumed, anew = _resumed_and_anew(holding, ledger, as_of)
    if isinstance(resumed, str) or resumed is None:
        assert resumed == anew
        return False
    assert not isinstance(anew, str)
    assert resumed.to_dict() == anew.to_dict()  # type: ignore[attr-defined]
    assert resumed == anew
    return True


@settings(max_examples=GENERATED)
@given(generated_cases())
def test_a_resumed_history_is_the_history_on_generated_policies(case: Case) -> None:
    _check(*case)


def test_a_resumed_history_is_the_history_for_the_benchmark_holders() -> None:
    # 330 holders: enough that at least 30 histories resume (the kernel decides the
    # giving-back cycles of PMP holders itself since _capped_carrying: 29 of the first 300).
    holdings = scale.holders_partition((0, 330, 16, "holdings"))
    activities = scale.holders_partition((0, 330, 16, "activities"))
    records: dict[str, list[dict[str, object]]] = {}
    for record in activities.to_dict("records"):
        records.setdefault(str(record.pop("holder")), []).append(record)
    resumed = 0
    for row in holdings.to_dict("records"):
        holding = Holding(certification=row["certification"], earned=row["earned"])
        ledger = Ledger.from_records(records.get(row["holder"], []))
        resumed += _check(holding, ledger, scale.AS_OF)
    assert resumed >= 30  # the grace-window cures the kernel leaves to the allocation


def test_a_stop_is_taken_only_by_the_same_inputs() -> None:
    holdings = scale.holders_partition((0, 300, 16, "holdings"))
    activities = scale.holders_partition((0, 300, 16, "activities"))
    records: dict[str, list[dict[str, object]]] = {}
    for record in activities.to_dict("records"):
        records.setdefault(str(record.pop("holder")), []).append(record)
    for row in holdings.to_dict("records"):
        holding = Holding(certification=row["certification"], earned=row["earned"])
        ledger = Ledger.from_records(records.get(row["holder"], []))
        certification = resolve(holding)
        if quick_verdict(certification, holding, ledger, scale.AS_OF) is None:
            break
    else:
        raise AssertionError("no benchmark holder left to the history")
    other = Ledger.from_records(records.get(row["holder"], []))  # equal, not the same
    assert History(certification, holding, other, scale.AS_OF, explain=False)._stopped is None
    quick_verdict(certification, holding, ledger, scale.AS_OF)
    explained = History(certification, holding, ledger, scale.AS_OF)
    assert explained._stopped is None  # the explained path evaluates every cycle
    # ... and leaves the stop to the verdict's history, which takes it once.
    assert History(certification, holding, ledger, scale.AS_OF, explain=False)._stopped is not None
    assert History(certification, holding, ledger, scale.AS_OF, explain=False)._stopped is None
