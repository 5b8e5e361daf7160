"""Grace-window credit a cycle does not need: its allocation is exactly the LP's."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st
from test_fast_path import problems

from cperules import Activity
from cperules._engine.allocation import (
    Entry,
    Limit,
    Matcher,
    Requirement,
    _grace_unneeded,
    _solve,
    allocate,
)
from cperules.cycles import Period
from cperules.rules import Carryover, Minimum
from cperules.selectors import everything

Problem = tuple[list[Entry], list[Requirement], list[Limit], Carryover | None]

PERIOD = Period(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))
halves = st.integers(1, 8).map(lambda n: Fraction(n, 2))


def _entry(name: str, code: str, completed: dt.date, amount: Fraction, **kwargs: object) -> Entry:
    activity = Activity(id=name, title="t", completed=completed, credits=Decimal(1), category=code)
    return Entry(activity, amount, (code,), ((code,),), **kwargs)  # type: ignore[arg-type]


@st.composite
def problems_with_grace(draw: st.DrawFn) -> Problem:
    """A cycle's problem (test_fast_path's) with, besides, credit earned in its grace window."""
    entries, requirements, limits, carryover = draw(problems())
    grace = [
        _entry(
            f"g{index}",
            draw(st.sampled_from(["X", "Y", "Z"])),
            dt.date(2025, 1, draw(st.integers(1, 28))),
            draw(halves),
            day=None,
            source="grace",
        )
        for index in range(draw(st.integers(1, 3)))
    ]
    mixed = [*entries, *grace]
    order = draw(st.permutations(range(len(mixed))))
    return [mixed[i] for i in order], requirements, limits, carryover


@given(problems_with_grace())
def test_grace_credit_not_needed_is_allocated_as_the_linear_program_does(
    problem: Problem,
) -> None:
    entries, requirements, limits, carryover = problem
    direct = _grace_unneeded(entries, requirements, limits, carryover)
    if direct is None:
        return
    solved = _solve(entries, requirements, limits, carryover=carryover, needs=(), match=Matcher())
    assert direct.counted == solved.counted
    assert direct.carried == solved.carried
    assert direct.shortfall == solved.shortfall
    assert direct.binding == solved.binding
    assert not any(
        sum(direct.counted[i]) for i, entry in enumerate(entries) if entry.source == "grace"
    )


def test_a_cycle_met_by_its_own_credit_leaves_grace_credit_out_without_the_lp() -> None:
    own = Activity(id="o", title="t", completed=dt.date(2024, 3, 1), credits=Decimal(5))
    late = dataclasses.replace(
        Entry(own, Fraction(3), (None,), ((),), None, "grace"),
        activity=Activity(id="g", title="t", completed=dt.date(2025, 1, 5), credits=Decimal(3)),
    )
    entries = [Entry(own, Fraction(5), (None,), ((),), own.completed), late]
    requirements = [
        Requirement(
            Minimum(id="total", credits=Decimal(4), selector=everything()),
            PERIOD,
            False,
            Fraction(4),
        )
    ]
    direct = _grace_unneeded(entries, requirements, [], None)
    assert direct is not None
    assert direct.counted == ((Fraction(5),), (Fraction(0),))
    assert allocate(entries, requirements, []).counted == direct.counted
