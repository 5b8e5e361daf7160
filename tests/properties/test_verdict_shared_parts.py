"""Parts of a verdict shared between ledgers read as those the ledger's own would be.

The verdict plan (:func:`cperules._engine.history.quick_verdict`) shares what many
ledgers' verdicts have alike: the plan last given (for the next holding earned the same
day), the deadlines of each outcome of a plan but for their shortfalls, and the
requirement verdicts of a cycle short of the same amounts (kept by value in
``kernel._short_rows``). A shared part must be exactly the one the ledger would have
had made for it: the same fields, the same decimal strings (``4.50`` short reads
``4.5``, as the full path writes it), and never one made for another holder.
"""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cperules import Activity, Holder, Holding, Ledger, Verdict, catalog
from cperules._engine import kernel
from cperules._engine.cycle import KernelStep
from cperules._engine.history import History, _verdict_plan, quick_verdict, resolve
from cperules.credits import exact, to_decimal
from cperules.results import deadlines_of

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))

import engine  # the benchmark's own ledgers, from its folder

EARNED = dt.date(2023, 3, 1)
AS_OF = dt.date(2026, 5, 15)
ENTRIES = ("isc2/cissp", "pmi/pmp", "isaca/cisa", "comptia/security-plus")


def _steps() -> list[tuple[kernel.Kinds, KernelStep]]:
    """Each cycle step of the entries' verdict plans, with its kinds of credit."""
    found: list[tuple[kernel.Kinds, KernelStep]] = []
    for entry in ENTRIES:
        if entry not in catalog.ids():
            continue
        certification = catalog.get(entry)
        plan = _verdict_plan(certification, Holding(certification=entry, earned=EARNED), AS_OF)
        for step in plan.steps:
            rules = step.plan
            requirements = rules.requirements(frozenset())
            found.append((kernel.kinds_for(requirements, rules.limits, step.version), step))
    return found


STEPS = _steps()

# A quarter credit, written with 2 to 5 places (trailing zeros as sums can leave them).
written = st.tuples(st.integers(0, 800), st.integers(2, 5)).map(
    lambda drawn: (Decimal(drawn[0]) / 4).quantize(Decimal(10) ** -drawn[1])
)


def test_there_are_steps_to_check() -> None:
    assert len(STEPS) >= 4


@pytest.mark.parametrize("index", range(len(STEPS)))
@given(data=st.data())
def test_a_shared_short_row_reads_as_one_made_for_the_ledger(
    index: int, data: st.DataObject
) -> None:
    kinds, step = STEPS[index]
    cycle, version, statuses = step.cycle, step.version, step.statuses
    for _ in range(2):  # the second writing of the same amounts may find the first's row
        short = [data.draw(written) for _ in kinds.rows]
        shown = [to_decimal(exact(gap)) for gap in short]  # as the full path writes them
        result, met = kernel._result(
            cycle,
            version,
            kinds,
            short=[gap if gap else kernel._ZERO for gap in short],
            counted=Decimal(7),
            carried_in=Decimal(0),
            carried_out=Decimal(0),
            grace_counted=Decimal(0),
            statuses=statuses,
        )
        assert [str(r.shortfall) for r in result.requirements] == [str(s) for s in shown]
        assert [(r.id, r.period, r.required) for r in result.requirements] == [
            (row[0], row[1], row[2]) for row in kinds.rows
        ]
        assert result.status == statuses[1 if any(short) else 0]
        assert met == frozenset(
            row[0] for row, gap in zip(kinds.rows, short, strict=True) if not gap and row[3]
        )


def test_trailing_zeros_of_an_unshared_row_are_kept() -> None:
    """Amounts not ``canonical`` (rounded up from fractions) are shown as they come."""
    kinds, step = STEPS[0]
    short = [Decimal("2.50")] + [Decimal(0)] * (len(kinds.rows) - 1)
    result, _ = kernel._result(
        step.cycle,
        step.version,
        kinds,
        short=short,
        canonical=False,
        counted=Decimal(7),
        carried_in=Decimal(0),
        carried_out=Decimal(0),
        grace_counted=Decimal(0),
        statuses=step.statuses,
    )
    assert str(result.requirements[0].shortfall) == "2.50"


def _history(holding: Holding, ledger: Ledger, as_of: dt.date) -> Verdict:
    return History(resolve(holding), holding, ledger, as_of, explain=False).verdict()


def test_the_plan_last_given_is_not_given_to_another_holder_or_day() -> None:
    """Holders of a birth-month licence earned the same day have cycles of their own."""
    entry = "pharmacist/texas"
    certification = catalog.get(entry)
    ledger = Ledger(
        [
            Activity(
                id=f"c{n}",
                title="Course",
                completed=dt.date(2021, 11, 1) + dt.timedelta(days=45 * n),
                credits=Decimal(3),
            )
            for n in range(30)
        ]
    )
    holdings = [
        Holding(
            certification=entry,
            earned=dt.date(2021, 11, 1),
            holder=Holder(birth_date=dt.date(1980, month, 17), family_name="Moreno"),
        )
        for month in (2, 9)
    ]
    days = (dt.date(2024, 3, 1), dt.date(2025, 2, 1))
    answered = set()
    # Each holding right after another holder's, then right after another day's.
    cases = [(holding, as_of) for as_of in days for holding in (*holdings, *holdings)]
    cases += [(holding, as_of) for holding in holdings for as_of in (*days, *days)]
    for holding, as_of in cases:
        planned = quick_verdict(certification, holding, ledger, as_of)
        if planned is None:
            continue
        history = _history(holding, ledger, as_of)
        assert planned.to_dict() == history.to_dict()
        answered.add(tuple(c.period for c in planned.cycles))
    assert len(answered) > 1  # the holders' cycles differ, and the plan answered both


def test_kept_deadlines_read_as_the_cycles_own_would() -> None:
    """Deadlines kept per outcome and requirement verdicts, over ledgers of many shortfalls."""
    holding = Holding(certification="isc2/cissp", earned=engine.EARNED, holder=engine.HOLDER)
    certification = resolve(holding)
    ledgers = [engine.cissp_ledger(seed) for seed in range(24)]
    worded: set[str | None] = set()
    for ledger in (*ledgers, *reversed(ledgers)):
        planned = quick_verdict(certification, holding, ledger, engine.AS_OF)
        assert planned is not None
        own = deadlines_of(
            certification=planned.certification,
            as_of=planned.as_of,
            standing=planned.standing,
            cycles=planned.cycles,
            reporting_only=False,
            unit=planned.unit,
        )
        assert planned.deadlines == own
        worded.update(deadline.note for deadline in own)
    assert len(worded) > 10
