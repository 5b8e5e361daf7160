"""The verdict kernel's compiled slots decide a cycle as the general allocation rule does.

The kernel (:mod:`cperules._engine.kernel`) adds a cycle's credit up in slots, one per
kind of credit, and decides the cycle by the slots' sums where no cap binds or one cap
binds over one kind (:func:`~cperules._engine.kernel._direct`); every other case goes to
:func:`~cperules._engine.allocation.admit` (``_admitted``). Here both readings run on the
same sums, under the rule instances of bundled entries the kernel serves (CISSP's capped
Group B, PMP's nested areas, and others), and must agree in every figure. Deadline texts,
kept per amount, must read as :func:`cperules.credits.format_credits` writes them however
the amount is written.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cperules import Activity, Holding, catalog
from cperules._engine import grace_cure, kernel
from cperules._engine.compiled import compiled
from cperules._engine.history import _verdict_plan
from cperules.credits import format_credits
from cperules.results import _credits_text

EARNED = dt.date(2023, 3, 1)
AS_OF = dt.date(2026, 5, 15)


def _kinds(entry: str) -> list[kernel.Kinds]:
    """The kinds of credit of each cycle of ``entry``'s verdict plan, every category met."""
    certification = catalog.get(entry)
    plan = _verdict_plan(certification, Holding(certification=entry, earned=EARNED), AS_OF)
    found = []
    for step in plan.steps:
        rules = step.plan
        kinds = kernel.kinds_for(rules.requirements(frozenset()), rules.limits, step.version)
        for code in compiled(step.version).paths or (None,):
            sample = Activity(
                id="x", title="T", completed=EARNED, credits=Decimal(1), category=code
            )
            assert kinds.slots_of(sample, code) is not None
        found.append(kinds)
    return found


ENTRIES = ("isc2/cissp", "pmi/pmp", "isaca/cisa", "comptia/security-plus")
KINDS = [kinds for entry in ENTRIES if entry in catalog.ids() for kinds in _kinds(entry)]


def test_the_entries_have_kinds_with_caps() -> None:
    assert KINDS
    assert any(kinds.cap_slots for kinds in KINDS)


amounts = st.integers(0, 800).map(lambda quarters: Decimal(quarters) / 4)


@pytest.mark.parametrize("index", range(len(KINDS)))
@given(data=st.data())
def test_the_slots_decide_as_admit_does(index: int, data: st.DataObject) -> None:
    kinds = KINDS[index]
    required = kinds.required
    assert required is not None
    sums = [data.draw(amounts) for _ in kinds.signatures]
    direct = kernel._direct(sums, required, kinds)
    general = kernel._admitted(sums, required, kinds)
    if direct is None or general is None:
        assert (direct, general) == (None, None)
        return
    assert direct.got == general.got
    assert direct.short == general.short
    assert direct.counted == general.counted
    assert direct.pooled == general.pooled
    assert direct.by_signature(sums, kinds) == general.by_signature(sums, kinds)


@given(
    value=st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False),
    zeros=st.integers(0, 4),
    unit=st.sampled_from(("CPE", "PDU", "")),
)
def test_kept_credit_texts_read_as_format_credits_writes_them(
    value: Decimal, zeros: int, unit: str
) -> None:
    written = Decimal(f"{value:f}{'.' if '.' not in f'{value:f}' and zeros else ''}{'0' * zeros}")
    assert written == value
    assert _credits_text(value, unit) == format_credits(value, unit)
    assert _credits_text(written, unit) == format_credits(written, unit)


@pytest.mark.parametrize("index", range(len(KINDS)))
@given(data=st.data())
def test_the_grace_cure_by_slot_chooses_as_by_signature(index: int, data: st.DataObject) -> None:
    """The kernel's grace cure reads its slots (``reqs_of``, ``caps_of``, ``cap_slots``)
    as :func:`~cperules._engine.grace_cure.chain_cure` reads the signatures."""
    kinds = KINDS[index]
    required = kinds.required
    assert required is not None
    slots = len(kinds.signatures)
    sums = [data.draw(amounts) for _ in range(slots)]
    direct = kernel._direct(sums, required, kinds)
    if direct is None or direct.pooled or not any(direct.short):
        return
    start = dt.date(2026, 3, 1)
    graced = sorted(
        (
            (f"g{n}", Decimal(quarters) / 4, start + dt.timedelta(days=day), slot)
            for n, (slot, quarters, day) in enumerate(
                data.draw(
                    st.lists(
                        st.tuples(
                            st.integers(0, slots - 1), st.integers(1, 200), st.integers(0, 89)
                        ),
                        min_size=1,
                        max_size=6,
                    )
                )
            )
        ),
        key=lambda g: (g[2], g[0]),
    )
    carried_kinds = frozenset(kinds.signatures[slot][0] for slot in kinds.carriers if sums[slot])
    by_slot = grace_cure.cure_by_kind(
        graced,
        direct.by_slot(sums, kinds),
        direct.short,
        reqs=kinds.reqs_of,
        caps=kinds.caps_of,
        under=kinds.cap_slots,
        bounds=kinds.bounds,
        carried_kinds=carried_kinds,
        zero=Decimal(0),
    )
    by_signature = grace_cure.chain_cure(
        [
            grace_cure.Graced(key, amount, day, kinds.signatures[slot])
            for key, amount, day, slot in graced
        ],
        direct.by_signature(sums, kinds),
        direct.short,
        bounds=kinds.bounds,
        carried_kinds=set(carried_kinds),
        zero=Decimal(0),
    )
    assert by_slot == by_signature
