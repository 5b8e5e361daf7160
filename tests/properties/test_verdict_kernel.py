"""The verdict kernel gives exactly the verdict of the full cycle evaluation.

The kernel (:mod:`cperules._engine.kernel`) answers a cycle's verdict from credit totals
where the policy and the ledger have its shape, and leaves every other cycle to the full
evaluation. Here every verdict is computed twice, with the kernel and with it switched
off, and the two must be equal in every field and in their data (``to_dict``: the same
decimal strings), on generated policies, on the bundled entries it serves, and on
CISSP-shaped ledgers rich in grace-window credit (the cure it chooses directly).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock

import pytest
from budgets import GENERATED
from generated import Case, generated_cases
from hypothesis import given, settings
from hypothesis import strategies as st

from cperules import Activity, Holding, Ledger, catalog, evaluate, verdict
from cperules._engine import cycle as cycle_module
from cperules._engine import kernel
from cperules.credits import exact, to_decimal
from cperules.errors import CperulesError
from cperules.testing.strategies import holdings, ledgers_for
from cperules.verdicts import Verdict


@contextmanager
def _kernel_off() -> Iterator[None]:
    with mock.patch.object(cycle_module, "kernel_ready", return_value=False):
        yield


def _both(holding: Holding, ledger: Ledger, as_of: dt.date) -> tuple[object, object]:
    """The verdict (or the error code) with the kernel, and with it off."""

    def run() -> object:
        try:
            return verdict(holding, ledger, as_of=as_of)
        except CperulesError as error:
            return error.code

    with_kernel = run()
    with _kernel_off():
        without = run()
    return with_kernel, without


def _same(with_kernel: object, without: object) -> None:
    if isinstance(with_kernel, Verdict) and isinstance(without, Verdict):
        assert with_kernel.to_dict() == without.to_dict()
        assert with_kernel == without
    else:
        assert with_kernel == without


@settings(max_examples=GENERATED)
@given(generated_cases())
def test_the_kernel_agrees_with_the_full_evaluation_on_generated_policies(case: Case) -> None:
    _same(*_both(*case))


SERVED = tuple(
    entry
    for entry in catalog.ids()
    if any(kernel.kernel_ready(version) for version in catalog.get(entry).versions)
)
"""Bundled entries with a version the kernel serves."""


PER_ENTRY = 15
"""Examples per bundled entry: over 150 entries, some 2,300 in all whatever the profile
(the generated-policies property above takes ``budgets.GENERATED``)."""


def test_the_kernel_serves_bundled_entries() -> None:
    assert "isc2/cissp" in SERVED
    assert len(SERVED) >= 10


@pytest.mark.parametrize("entry", SERVED)
@settings(max_examples=PER_ENTRY)
@given(data=st.data())
def test_the_kernel_agrees_with_the_full_evaluation_on_bundled_entries(
    entry: str, data: st.DataObject
) -> None:
    certification = catalog.get(entry)
    holding = data.draw(holdings(certification=certification))
    ledger = data.draw(ledgers_for(certification, holding))
    as_of = holding.earned + dt.timedelta(days=data.draw(st.integers(0, 7 * 366)))
    _same(*_both(holding, ledger, as_of))


EARNED = dt.date(2023, 3, 1)
DUE = dt.date(2026, 2, 28)


@st.composite
def _cissp_ledgers(draw: st.DrawFn) -> Ledger:
    """Ledgers around CISSP's first cycle end: some short, some cured in the grace window."""
    size = draw(st.integers(1, 30))
    activities = []
    for n in range(size):
        grace = draw(st.booleans())
        day = (
            DUE + dt.timedelta(days=draw(st.integers(1, 100)))
            if grace
            else EARNED + dt.timedelta(days=draw(st.integers(0, (DUE - EARNED).days)))
        )
        activities.append(
            Activity(
                id=f"a{n:02d}",
                title="Course",
                completed=day,
                credits=Decimal(draw(st.integers(0, 60))) / 4,
                category=draw(st.sampled_from(("A", "A", "B"))),
            )
        )
    return Ledger(activities)


@given(
    ledger=_cissp_ledgers(),
    as_of=st.dates(DUE - dt.timedelta(days=30), DUE + dt.timedelta(days=200)),
    scale=st.sampled_from((1, 3, 5)),
)
def test_the_kernel_cures_cissp_as_the_full_evaluation_does(
    ledger: Ledger, as_of: dt.date, scale: int
) -> None:
    # Scaling credit moves ledgers between short, cured in grace and carrying over.
    scaled = Ledger(
        [a.model_copy(update={"credits": (a.credits or Decimal(0)) * scale}) for a in ledger]
    )
    holding = Holding(certification="isc2/cissp", earned=EARNED)
    with_kernel, without = _both(holding, scaled, as_of)
    _same(with_kernel, without)
    explained = evaluate(holding, scaled, as_of=as_of)
    assert isinstance(with_kernel, Verdict)
    assert with_kernel.status == explained.status
    assert with_kernel.next_deadlines() == explained.next_deadlines()


def test_a_cissp_cure_is_chosen_by_the_kernel() -> None:
    """Both cycles of a ledger cured in the grace window come from the kernel."""
    ledger = Ledger(
        [
            Activity(
                id="a", title="A", completed=dt.date(2024, 1, 5), credits=Decimal(80), category="A"
            ),
            Activity(
                id="b", title="B", completed=dt.date(2024, 2, 5), credits=Decimal(35), category="B"
            ),
            Activity(
                id="g1",
                title="G1",
                completed=dt.date(2026, 3, 10),
                credits=Decimal(4),
                category="B",
            ),
            Activity(
                id="g2",
                title="G2",
                completed=dt.date(2026, 3, 20),
                credits=Decimal(15),
                category="A",
            ),
        ]
    )
    holding = Holding(certification="isc2/cissp", earned=EARNED)
    answered: list[bool] = []
    real = kernel.kernel_cycle

    def counting(*args: object, **kwargs: object) -> object:
        found = real(*args, **kwargs)  # type: ignore[arg-type]
        answered.append(found is not None)
        return found

    with mock.patch.object(cycle_module, "kernel_cycle", counting):
        judged = verdict(holding, ledger, as_of=dt.date(2026, 4, 1))
    assert answered == [True, True]
    first = judged.cycles[0]
    # Group A short 10, total short 10 (B capped at 30): the 15 of Group A cures both
    # with 10; the earlier Group B activity cannot help Group A, so it is not used.
    assert first.status == "compliant"
    assert first.grace_counted == Decimal(10)
    assert judged.cycles[1].counted == Decimal(9)
    _same(*_both(holding, ledger, dt.date(2026, 4, 1)))


@given(st.decimals(min_value=0, max_value=10**9, allow_nan=False, allow_infinity=False, places=6))
def test_plain_decimals_are_written_as_the_full_path_writes_them(value: Decimal) -> None:
    written = kernel._plain(value)
    expected = to_decimal(exact(value))
    assert written == expected
    assert str(written) == str(expected)
