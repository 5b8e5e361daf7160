"""The allocation's direct paths in integer units: the same answers as in fractions.

The direct paths (:func:`cperules._engine.allocation._direct` and the grace paths after
it) work in integer units of one scale per problem, and keep what they derive from the
rules alone per cycle plan's rules (tuples, by identity). Here:

- the rules kept and the rules worked out afresh (lists are never kept) give the same
  allocation, and a second allocation from the kept rules the same again;
- the grace-window cure chosen in integer units is the cure chosen in fractions, scaled
  (:func:`~cperules._engine.grace_cure.chain_cure` only adds, subtracts and compares);
- the order ties break in is a stable sort by :attr:`Entry.key` however the entries come;
- an own entry counted whole keeps its own amount object (the reader's short way).
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from fractions import Fraction

from hypothesis import event, given
from hypothesis import strategies as st
from test_allocation_flow import PATHS, YEAR, Problem, problems

from cperules import Activity
from cperules._engine import allocation
from cperules._engine.allocation import (
    Allocation,
    Entry,
    Limit,
    Matcher,
    Requirement,
    _in_order,
    _rules,
    allocate,
    memberships,
)
from cperules._engine.compiled import LAYOUTS_KEPT
from cperules._engine.grace_cure import Graced, chain_cure
from cperules.rules import Cap, Minimum
from cperules.selectors import category, everything


def _answer(found: Allocation) -> tuple[object, ...]:
    return (found.counted, found.carried, found.shortfall, found.needed, found.binding)


@given(problems(most=10))
def test_kept_rules_allocate_as_rules_worked_out_afresh(problem: Problem) -> None:
    entries, requirements, limits, carryover = problem
    fresh = allocate(entries, list(requirements), list(limits), carryover)
    kept_requirements, kept_limits = tuple(requirements), tuple(limits)
    first = allocate(entries, kept_requirements, kept_limits, carryover)
    again = allocate(entries, kept_requirements, kept_limits, carryover)
    assert _answer(first) == _answer(fresh)
    assert _answer(again) == _answer(fresh)
    assert _rules(kept_requirements, kept_limits, carryover) is _rules(
        kept_requirements, kept_limits, carryover
    )
    assert _rules(list(requirements), limits, carryover) is not _rules(
        list(requirements), limits, carryover
    )


SIGNATURES = (((0, 1), (), False), ((0,), (0,), False), ((1,), (), False), ((0,), (), False))
"""Kinds of credit: the minimums each serves, the caps over it, whether it may carry."""


@given(
    graced=st.lists(
        st.tuples(st.integers(1, 40), st.integers(0, 30), st.sampled_from(SIGNATURES)),
        max_size=6,
    ),
    allowed=st.lists(st.integers(0, 40), min_size=len(SIGNATURES), max_size=len(SIGNATURES)),
    short=st.lists(st.integers(0, 30), min_size=2, max_size=2),
    bound=st.integers(0, 40),
    denominator=st.sampled_from((1, 2, 4, 5, 20)),
)
def test_the_cure_in_integer_units_is_the_cure_in_fractions(
    graced: list[tuple[int, int, tuple[tuple[int, ...], tuple[int, ...], bool]]],
    allowed: list[int],
    short: list[int],
    bound: int,
    denominator: int,
) -> None:
    """Amounts in units of ``1 / denominator``: the same choice, scaled."""
    day = dt.date(2026, 3, 1)
    credit = [
        (f"g{n}", amount, day + dt.timedelta(days=offset), signature)
        for n, (amount, offset, signature) in enumerate(graced)
    ]
    credit.sort(key=lambda g: (g[2], g[0]))  # the cure takes it in date order

    def fraction(units: int) -> Fraction:
        return Fraction(units, denominator)

    in_units = chain_cure(
        [Graced(*g) for g in credit],
        dict(zip(SIGNATURES, allowed, strict=True)),
        short,
        bounds=[bound],
        carried_kinds=set(),
        zero=0,
    )
    in_fractions = chain_cure(
        [Graced(key, fraction(amount), when, kind) for key, amount, when, kind in credit],
        {kind: fraction(amount) for kind, amount in zip(SIGNATURES, allowed, strict=True)},
        [fraction(gap) for gap in short],
        bounds=[fraction(bound)],
        carried_kinds=set(),
        zero=Fraction(0),
    )
    event("no direct cure" if in_units is None else "cured directly")
    if in_units is None or in_fractions is None:
        assert (in_units is None) == (in_fractions is None)
        return
    assert {key: fraction(amount) for key, amount in in_units.used.items()} == in_fractions.used
    assert fraction(in_units.total) == in_fractions.total
    assert [fraction(gap) for gap in in_units.remaining] == in_fractions.remaining
    assert in_units.cured_on == in_fractions.cured_on


@given(
    st.lists(
        st.tuples(
            st.integers(0, 3),  # day: few, so that dates tie
            st.sampled_from(("a", "b", "c")),
            st.sampled_from(("own", "carried-in", "grace")),
            st.integers(0, 1),
        ),
        max_size=12,
    ),
    st.data(),
)
def test_entries_in_tie_break_order_are_a_stable_sort_by_key(
    drawn: list[tuple[int, str, str, int]], data: st.DataObject
) -> None:
    entries = []
    for offset, name, source, share in drawn:
        day = dt.date(2024, 5, 1) + dt.timedelta(days=offset)
        activity = Activity(id=name, title="t", completed=day, credits=Decimal(1), category="X")
        entries.append(
            Entry(activity, Fraction(1), ("X",), (("X",),), day, source, share)  # type: ignore[arg-type]
        )
    indices = sorted(data.draw(st.sets(st.integers(0, max(len(entries) - 1, 0)))))
    indices = [index for index in indices if index < len(entries)]
    if data.draw(st.booleans()):  # entries already in key order (the callers' usual case)
        entries.sort(key=lambda entry: entry.key)
    expected = sorted(indices, key=lambda index: entries[index].key)
    event("sorted on dates" if _in_order(entries, list(indices)) == indices else "sorted by key")
    assert _in_order(entries, list(indices)) == expected


def _entry(name: str, code: str, amount: Fraction, day: dt.date, source: str = "own") -> Entry:
    activity = Activity(id=name, title=name, completed=day, credits=Decimal(1), category=code)
    return Entry(
        activity,
        amount,
        (code,),
        (PATHS[code],),
        None if source == "grace" else day,
        source,  # type: ignore[arg-type]
    )


def test_a_grace_cure_keeps_each_whole_amount_and_counts_in_units() -> None:
    """CISSP's shape in a year: a total, a minimum of one kind, a cap over another.

    Own credit short of both minimums, grace-window credit of quarters curing it along
    the chain: every own entry counts whole (its own amount object), the grace-window
    credit the least that cures, earliest first.
    """
    day = dt.date(2024, 3, 1)
    grace_day = dt.date(2025, 1, 10)
    entries = [
        _entry("a1", "W", Fraction(9, 4), day),
        _entry("b1", "V", Fraction(5, 2), day + dt.timedelta(days=3)),
        _entry("a2", "W", Fraction(3), day + dt.timedelta(days=9)),
        _entry("g1", "W", Fraction(7, 4), grace_day, "grace"),
        _entry("g2", "W", Fraction(5), grace_day + dt.timedelta(days=2), "grace"),
    ]
    requirements = (
        Requirement(Minimum(id="total", credits=Decimal(10)), YEAR, False, Fraction(10)),
        Requirement(
            Minimum(id="w", credits=Decimal(7), selector=category("W")), YEAR, False, Fraction(7)
        ),
    )
    limits = (Limit(Cap(id="v", credits=Decimal(2), selector=category("V")), YEAR, False),)
    found = allocate(entries, requirements, limits, None)
    # Own: 9/4 + 3 of W and 2 of V (capped) = 29/4; W has 21/4: short 11/4 and 7/4. The
    # cure is the larger, 11/4: all of g1 (7/4), then 1 of g2.
    assert found.counted == (
        (Fraction(9, 4),),
        (Fraction(2),),
        (Fraction(3),),
        (Fraction(7, 4),),
        (Fraction(1),),
    )
    assert found.shortfall == (Fraction(0), Fraction(0))
    assert found.binding == (True,)
    for index in (0, 2, 3):
        assert found.counted[index][0] is entries[index].amount
    assert all(row is allocation.NOTHING for row in found.carried)
    placed = memberships(entries, requirements, limits, None, Matcher())
    assert placed[0] == [((0, 1), (), False)]


def test_a_direct_allocation_works_in_the_least_common_scale() -> None:
    """Fifths, quarters and a prorated minimum in thirds: one scale holds them all."""
    day = dt.date(2024, 2, 1)
    entries = [
        _entry("a", "W", Fraction(6, 5), day),
        _entry("b", "W", Fraction(3, 4), day + dt.timedelta(days=1)),
    ]
    required = Fraction(10, 3)
    requirements = (Requirement(Minimum(id="t", credits=Decimal(5)), YEAR, False, required),)
    limits = (Limit(Cap(id="c", credits=Decimal(1), selector=everything()), YEAR, False),)
    direct = allocation._direct(
        entries, requirements, limits, None, [[((0,), (0,), False)], [((0,), (0,), False)]]
    )
    assert direct is not None
    assert direct.scale == math.lcm(5, 4, 3)
    # The cap of 1 takes the earlier credit first: 1 of a, nothing of b.
    assert direct.counted == [60, 0]
    assert direct.short == [200 - 60]
    assert direct.shortfall() == (required - 1,)


def test_kept_rules_are_bounded_like_the_cycle_plans_that_hold_them() -> None:
    # Kept longer than the plans, the table would keep let-go plans' rules alive.
    assert allocation._RULES_KEPT == LAYOUTS_KEPT
