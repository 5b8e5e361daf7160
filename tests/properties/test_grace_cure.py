"""Grace-window credit chosen directly along a chain equals the program's choice.

:func:`cperules._engine.grace_cure.chain_cure` picks the grace-window credit that counts
toward an ended cycle without the flow or the linear program. Every evaluation here runs
twice, with the direct path and with it switched off (the flow or the program decides),
and the explained results must be equal in every field and in their data.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any
from unittest import mock

from budgets import GENERATED
from generated import Case, generated_cases
from hypothesis import given, settings
from hypothesis import strategies as st

from cperules import Activity, Holding, Ledger, evaluate
from cperules._engine import allocation, grace_cure
from cperules.errors import CperulesError


@contextmanager
def _direct_off() -> Iterator[None]:
    with mock.patch.object(allocation, "_grace_by_chain", return_value=None):
        yield


def _both(holding: Holding, ledger: Ledger, as_of: dt.date) -> tuple[object, object]:
    def run() -> object:
        try:
            return evaluate(holding, ledger, as_of=as_of).to_dict()
        except CperulesError as error:
            return error.code

    direct = run()
    with _direct_off():
        solved = run()
    return direct, solved


EARNED = dt.date(2023, 3, 1)
DUE = dt.date(2026, 2, 28)


def _ledger(credits: list[tuple[str, int, bool, int]], *, grace_days: int) -> Ledger:
    """Activities of (category, quarter credits, in the grace window, day): in the cycle on
    its ``day``-th day, or in the ``grace_days`` after its due date."""
    return Ledger(
        [
            Activity(
                id=f"a{n:02d}",
                title="Course",
                completed=(
                    DUE + dt.timedelta(days=1 + day % grace_days)
                    if grace
                    else EARNED + dt.timedelta(days=day)
                ),
                credits=Decimal(amount) / 4,
                category=code,
            )
            for n, (code, amount, grace, day) in enumerate(credits)
        ]
    )


@given(
    credits=st.lists(
        st.tuples(
            st.sampled_from(("A", "A", "B")),
            st.integers(0, 80),
            st.booleans(),
            st.integers(0, (DUE - EARNED).days),
        ),
        max_size=30,
    ),
    as_of=st.dates(DUE + dt.timedelta(days=1), DUE + dt.timedelta(days=400)),
)
def test_cissp_cures_are_the_programs(
    credits: list[tuple[str, int, bool, int]], as_of: dt.date
) -> None:
    ledger = _ledger(credits, grace_days=90)
    direct, solved = _both(Holding(certification="isc2/cissp", earned=EARNED), ledger, as_of)
    assert direct == solved


@settings(max_examples=GENERATED)
@given(generated_cases())
def test_generated_policies_cure_as_the_program_does(case: Case) -> None:
    direct, solved = _both(*case)
    assert direct == solved


PMP_CATEGORIES = (
    "ways-of-working",
    "power-skills",
    "business-acumen",
    "volunteer",
    "create-content",
    "working-as-a-practitioner",
)


@given(
    credits=st.lists(
        st.tuples(
            st.sampled_from(PMP_CATEGORIES),
            st.integers(1, 60),
            st.sampled_from((False, False, True)),
            st.integers(0, (DUE - EARNED).days),
        ),
        max_size=25,
    ),
    as_of=st.dates(DUE + dt.timedelta(days=1), DUE + dt.timedelta(days=400)),
)
def test_pmp_cures_are_the_programs(
    credits: list[tuple[str, int, bool, int]], as_of: dt.date
) -> None:
    """PMP's suspension year cures a short cycle while final-year credit may carry."""
    ledger = _ledger(credits, grace_days=360)
    direct, solved = _both(Holding(certification="pmi/pmp", earned=EARNED), ledger, as_of)
    assert direct == solved


_GROUP_A = ((0, 1), (), False)  # serves the total (0) and group A (1), under no cap
_GROUP_B = ((0,), (0,), False)  # serves the total only, under cap 0
_CARRY_A = ((0, 1), (), True)  # group A credit that may carry


@given(
    graced=st.lists(
        st.tuples(
            st.sampled_from((_GROUP_A, _GROUP_A, _GROUP_B)),
            st.integers(1, 60),
            st.integers(0, 89),
        ),
        min_size=1,
        max_size=8,
    ),
    allowed_b=st.integers(0, 120),
    short=st.tuples(st.integers(0, 100), st.integers(0, 100)),
    carries=st.booleans(),
)
def test_the_cure_day_is_the_first_day_whose_credit_cures(
    graced: list[tuple[grace_cure.Signature, int, int]],
    allowed_b: int,
    short: tuple[int, int],
    carries: bool,
) -> None:
    """``cured_on`` is the first day by which the credit earned, chosen alone, cures."""
    start = dt.date(2026, 3, 1)
    credit = sorted(
        (
            grace_cure.Graced(f"g{n}", Decimal(amount) / 4, start + dt.timedelta(days=day), sig)
            for n, (sig, amount, day) in enumerate(graced)
        ),
        key=lambda g: (g.day, g.key),
    )
    gaps = [Decimal(short[0]) / 4, Decimal(min(short)) / 4]  # group A within the total
    allowed = {_GROUP_B: Decimal(allowed_b) / 4, _GROUP_A: Decimal(40)}

    def cure(part: list[grace_cure.Graced[str, Decimal]]) -> grace_cure.Cure[str, Decimal] | None:
        return grace_cure.chain_cure(
            part,
            allowed,
            gaps,
            bounds=[Decimal(30)],
            carried_kinds={_CARRY_A[0]} if carries else set(),
            zero=Decimal(0),
        )

    whole = cure(credit)
    if whole is None:
        return
    cures = [
        day
        for day in sorted({g.day for g in credit})
        if (part := cure([g for g in credit if g.day <= day])) is not None
        and part.used
        and not any(part.remaining)
    ]
    expected = cures[0] if whole.used and not any(whole.remaining) else None
    assert whole.cured_on == expected


@given(
    served=st.lists(st.lists(st.integers(0, 4), unique=True).map(tuple), max_size=5),
    needs=st.sets(st.integers(0, 4)),
)
def test_the_chain_check_reads_the_sets_each_kind_serves(
    served: list[tuple[int, ...]], needs: set[int]
) -> None:
    """Bit masks nest exactly where the sets of wanted minimums form a chain."""
    sets = sorted({frozenset(needs.intersection(s)) for s in served} - {frozenset()}, key=len)
    chain = all(small <= large for small, large in itertools.pairwise(sets))
    assert grace_cure._nested(served, needs) == chain


def _written(cure: grace_cure.Cure[str, Decimal] | None) -> object:
    """A cure's fields as values and as written (``2.5`` and ``2.50`` told apart)."""
    if cure is None:
        return None
    return (
        [(key, amount, str(amount)) for key, amount in cure.used.items()],
        (cure.total, str(cure.total)),
        [(gap, str(gap)) for gap in cure.remaining],
        cure.cured_on,
    )


_Numbered = tuple[
    list[tuple[str, Decimal, dt.date, int]],
    list[Decimal | None],
    list[Decimal],
    list[tuple[int, ...]],
    list[tuple[int, ...]],
    list[list[int]],
    list[Decimal],
]
"""Grace-window credit, what the cycle's own credit counts, shortfalls, and the numbering:
the minimums and caps over each kind, the kinds under each cap, the caps' bounds."""


@st.composite
def _numbered_cures(draw: st.DrawFn) -> _Numbered:
    """A numbering of kinds (the minimums and caps over each) and a cure to choose on it."""
    minimums = draw(st.integers(1, 3))
    size = draw(st.integers(1, 4))
    bounds = draw(st.lists(st.integers(0, 40).map(Decimal), max_size=2))
    reqs = [
        tuple(sorted(draw(st.sets(st.integers(0, minimums - 1), min_size=1)))) for _ in range(size)
    ]
    caps = [
        tuple(sorted(draw(st.sets(st.integers(0, len(bounds) - 1)) if bounds else st.just(set()))))
        for _ in range(size)
    ]
    under = [[k for k in range(size) if c in caps[k]] for c in range(len(bounds))]
    amounts = st.integers(0, 80).map(lambda quarters: Decimal(quarters) / 4)
    allowed = draw(st.lists(st.none() | amounts, min_size=size, max_size=size))
    short = draw(st.lists(amounts | st.just(Decimal("0.00")), min_size=minimums, max_size=minimums))
    start = dt.date(2026, 3, 1)
    graced = sorted(
        (
            (f"g{n}", amount, start + dt.timedelta(days=day), k)
            for n, (amount, day, k) in enumerate(
                draw(
                    st.lists(
                        st.tuples(
                            st.integers(1, 60).map(lambda quarters: Decimal(quarters) / 4),
                            st.integers(0, 89),
                            st.integers(0, size - 1),
                        ),
                        min_size=1,
                        max_size=6,
                    )
                )
            )
        ),
        key=lambda g: (g[2], g[0]),
    )
    return graced, allowed, short, reqs, caps, under, bounds


@settings(max_examples=GENERATED)
@given(_numbered_cures())
def test_a_cure_compiled_by_shape_is_cure_by_kinds(numbered: _Numbered) -> None:
    """The cure written out per shape chooses as cure_by_kind does, written alike, and
    again from the kept shape."""
    graced, allowed, short, reqs, caps, under, bounds = numbered
    # The numbering, as both take it (typed loosely: N is bound by the call).
    numbering: dict[str, Any] = {
        "reqs": reqs,
        "caps": caps,
        "under": under,
        "bounds": bounds,
        "zero": Decimal(0),
    }
    expected = grace_cure.cure_by_kind(graced, allowed, short, carried_kinds=(), **numbering)
    kept: dict[grace_cure.Shape, Any] = {}
    found = [grace_cure.cure_by_shape(kept, graced, allowed, short, **numbering) for _ in range(2)]
    assert len(kept) == 1
    assert _written(found[0]) == _written(found[1]) == _written(expected)
