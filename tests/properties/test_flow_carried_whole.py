"""Credit the flow carries whole: one carry segment where every optimum carries all of it.

A kind counted in full that may carry keeps one carry segment (not one per entry) where
every minimum it could count in keeps its requirement even were all credit that may
carry carried (:func:`~cperules._engine.allocation_flow._carries_all`). Where that does
not hold, which credit carries is a choice, later credit first: the flow must still make
it as the linear program does, across kinds.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from test_allocation_flow import (
    YEAR,
    Problem,
    _pmp_entry,
    _selector,
    check_feasible,
    objectives,
    problems,
)

from cperules._engine.allocation import Matcher, Requirement, _solve
from cperules._engine.allocation_flow import allocate_by_flow
from cperules.rules import Carryover, Minimum
from cperules.selectors import category


def _minimum(node: str | None, credits: int) -> Requirement:
    return Requirement(
        Minimum(id=f"m-{node}", credits=Decimal(credits), selector=_selector(node)),
        YEAR,
        False,
        Fraction(credits),
    )


def _flow_and_program(problem: Problem) -> tuple[object, object]:
    entries, requirements, limits, carryover = problem
    flow = allocate_by_flow(entries, requirements, limits, carryover, Matcher())
    assert flow is not None
    lp = _solve(entries, requirements, limits, carryover=carryover, needs=(), match=Matcher())
    check_feasible(problem, flow)
    assert objectives(problem, flow) == objectives(problem, lp)
    return flow, lp


def test_credit_every_optimum_carries_is_carried_whole() -> None:
    """6 kept by credit that cannot carry: all that may carry carries, whatever its date."""
    day = dt.date(2024, 3, 1)
    entries = [
        _pmp_entry("c", ("W",), 6, day, carry=False),
        _pmp_entry("a", ("W",), 3, dt.date(2024, 11, 1)),
        _pmp_entry("b", ("P",), 2, dt.date(2024, 12, 1)),
    ]
    problem: Problem = (entries, [_minimum(None, 6)], [], Carryover(selector=category("E")))
    flow, _ = _flow_and_program(problem)
    assert flow.carried == ((Fraction(0),), (Fraction(3),), (Fraction(2),))  # type: ignore[attr-defined]


@pytest.mark.parametrize("later_first", [False, True])
def test_credit_that_carries_in_part_carries_latest_first_across_kinds(later_first: bool) -> None:
    """The total spares 2 of two kinds' 8: the later kind's credit carries, not the earlier."""
    entries = [
        _pmp_entry("a", ("P",), 4, dt.date(2024, 9, 1)),
        _pmp_entry("b", ("W",), 4, dt.date(2024, 11, 1)),
    ]
    if later_first:
        entries.reverse()
    requirements = [_minimum(None, 6), _minimum("W", 1), _minimum("P", 1)]  # two kinds
    problem: Problem = (entries, requirements, [], Carryover(selector=category("E")))
    flow, lp = _flow_and_program(problem)
    carried = {entry.activity.id: row for entry, row in zip(entries, flow.carried, strict=True)}  # type: ignore[attr-defined]
    assert carried == {"a": (Fraction(0),), "b": (Fraction(2),)}
    assert flow.carried == lp.carried  # type: ignore[attr-defined]


@given(problems(most=8).map(lambda p: ([e for e in p[0] if e.source != "grace"], *p[1:])))
def test_the_flow_carries_as_the_program_does(problem: Problem) -> None:
    """Own credit only (more of it may carry): the flow scores what the program scores."""
    entries, requirements, limits, carryover = problem
    if allocate_by_flow(entries, requirements, limits, carryover, Matcher()) is None:
        return
    _flow_and_program(problem)
