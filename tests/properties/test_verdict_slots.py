"""The verdict kernel's compiled slots decide a cycle as the general allocation rule does.

The kernel (:mod:`cperules._engine.kernel`) adds a cycle's credit up in slots, one per
kind of credit, and decides the cycle by the slots' sums where no cap binds or one cap
binds over one kind (:func:`~cperules._engine.kernel._direct`); every other case goes to
:func:`~cperules._engine.allocation.admit` (``_admitted``). Here both readings run on the
same sums, under the rule instances of bundled entries the kernel serves (CISSP's capped
Group B, PMP's nested areas, and others), and must agree in every figure; on generated
slot tables, the tally compiled from them (:meth:`~cperules._engine.kernel.SlotTable.tally`)
must decide and write every figure as loops over the rules do. Deadline texts,
kept per amount, must read as :func:`cperules.credits.format_credits` writes them however
the amount is written.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cperules import Activity, Holding, Ledger, catalog
from cperules._engine import grace_cure, kernel
from cperules._engine.compiled import compiled
from cperules._engine.history import _verdict_plan
from cperules.credits import format_credits
from cperules.ledger import chronology
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


def _tally_by_loops(  # noqa: PLR0917 - a tally's inputs, in the order the source names them
    sums: list[Decimal],
    required: list[Decimal],
    cap_slots: list[list[int]],
    req_slots: list[list[int]],
    carrying: list[bool],
    bounds: list[Decimal],
) -> tuple[list[Decimal], list[Decimal], list[Decimal], Decimal] | None:
    """What a compiled tally decides, by loops over the rules (None: admit's choice)."""
    binding = -1
    for c, slots in enumerate(cap_slots):
        if slots and sum((sums[slot] for slot in slots), Decimal(0)) > bounds[c]:
            binding = c if binding == -1 else -2
    allowed = sums
    if binding != -1:
        held = [slot for slot in cap_slots[binding] if sums[slot]] if binding >= 0 else []
        if len(held) != 1 or carrying[held[0]]:
            return None
        allowed = list(sums)
        allowed[held[0]] = bounds[binding]
    got = []
    for slots in req_slots:
        have = Decimal(0)
        for slot in slots:
            have += allowed[slot]
        got.append(have)
    short = [
        need - have if need > have else Decimal(0) for need, have in zip(required, got, strict=True)
    ]
    return allowed, got, short, sum(allowed, Decimal(0))


written = st.sampled_from(["0", "0.00", "1.5", "2.50", "30", "30.0", "45.25", "120", "1E+1"])


@given(data=st.data())
def test_a_compiled_tally_decides_and_writes_as_the_loops_do(data: st.DataObject) -> None:
    """Generated tables: the tally's figures equal the loops', written alike, in any case."""
    size = data.draw(st.integers(0, 5))
    slot_sets = (
        st.lists(st.integers(0, size - 1), unique=True, max_size=size) if size else (st.just([]))
    )
    cap_slots = data.draw(st.lists(slot_sets, max_size=3))
    req_slots = data.draw(st.lists(slot_sets, max_size=3))
    carrying = data.draw(st.lists(st.booleans(), min_size=size, max_size=size))
    bounds = [Decimal(data.draw(written)) for _ in cap_slots]
    sums = [Decimal(data.draw(written)) for _ in range(size)]
    required = [Decimal(data.draw(written)) for _ in req_slots]
    source = kernel._tally_source(size, cap_slots, req_slots, carrying)
    found = kernel._tally_of(source, bounds)(sums, required)
    expected = _tally_by_loops(sums, required, cap_slots, req_slots, carrying, bounds)
    if expected is None:
        assert found is None
        return
    allowed, got, short, counted = expected
    assert found is not None
    assert found.allowed is not None  # the tally decides by slot
    assert (found.allowed is sums) == (allowed is sums)
    assert [str(a) for a in found.allowed] == [str(a) for a in allowed]
    assert [str(a) for a in found.got] == [str(a) for a in got]
    assert [str(a) for a in found.short] == [str(a) for a in short]
    assert str(found.counted) == str(counted)
    assert (found.admitted, found.pooled) == (None, False)


ADDING = [kinds for kinds in KINDS if kinds.table.adder() is not None]


def test_category_only_entries_have_adders() -> None:
    assert ADDING


@pytest.mark.parametrize("index", range(len(ADDING)))
@given(data=st.data())
def test_a_compiled_adder_adds_up_and_writes_as_the_loops_do(
    index: int, data: st.DataObject
) -> None:
    """The adder's sums and carriers equal the loops', written alike, with or without a
    window, and less what a cure of the previous cycle used (an amount not a decimal:
    neither adds up)."""
    kinds = ADDING[index]
    codes = [code for code in kinds.slots if isinstance(code, str)]
    size = data.draw(st.integers(0, 12))
    own = [
        Activity(
            id=f"a{n:02d}",
            title="T",
            completed=EARNED + dt.timedelta(days=n),
            credits=Decimal(data.draw(written)),
            category=data.draw(st.sampled_from(codes)),
        )
        for n in range(size)
    ]
    lo = data.draw(st.integers(0, size))
    hi = data.draw(st.integers(lo, size))
    used = st.sampled_from(["0", "0.5", "1.50", "2"]).map(Decimal) | st.just(Fraction(1, 3))
    cured: dict[str, Fraction | Decimal] = data.draw(
        st.dictionaries(st.sampled_from([a.id for a in own] or ["none"]), used, max_size=3)
    )
    adder = kinds.table.adder()
    assert adder is not None
    order = chronology(Ledger(own))  # the columns the verdict plan passes
    assert list(order.activities) == own
    found = adder(own, lo, hi, cured, order.codes, order.credits)
    # Without columns, _by_category reads them from the activities.
    read = kernel._by_category(own, lo, hi, kinds, cured)
    expected = kernel._by_category_loops(own, lo, hi, kinds, cured)
    if expected is None:  # a third of a credit used: not a decimal
        assert found is None
        assert read is None
        assert any(isinstance(amount, Fraction) for amount in cured.values())
        return
    for got in (found, read):
        assert got is not None
        assert [str(a) for a in got[0]] == [str(a) for a in expected[0]]
        assert [(a, code, str(x), slot) for a, code, x, slot in got[1]] == [
            (a, code, str(x), slot) for a, code, x, slot in expected[1]
        ]


def test_an_adder_leaves_a_category_not_met_to_the_loops() -> None:
    kinds = ADDING[0]
    adder = kinds.table.adder()
    assert adder is not None
    stranger = Activity(
        id="s", title="T", completed=EARNED, credits=Decimal(1), category="not-a-category"
    )
    columns = (["not-a-category"], [Decimal(1)])
    assert adder([stranger], 1, 1, {}, *columns) is None
    assert adder([stranger], 0, 1, {}, *columns) is None


def test_an_adder_source_without_categories_leaves_everything_to_the_loops() -> None:
    add_up = kernel._adder_of(kernel._adder_source([], 0))
    assert add_up([], 0, 0, {}, [], []) == ([], [])
    sample = Activity(id="s", title="T", completed=EARNED, credits=Decimal(1), category="A")
    assert add_up([sample], 1, 1, {}, ["A"], [Decimal(1)]) is None
    assert add_up([sample], 0, 1, {"s": Decimal(1)}, ["A"], [Decimal(1)]) is None
