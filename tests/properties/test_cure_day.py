"""The day grace-window credit cures a cycle is the first day the program says it does.

:func:`~cperules._engine.cure.cure_day` bisects over the days grace-window credit was
earned, and answers "no" without an allocation where some minimum selects less credit by
that day than it requires (caps and carrying aside). Here, on the allocation flow's
generated problems (a PMP-shaped category tree, grace-window credit, caps, credit that
may carry), whenever the allocation cures the cycle, the day it gives must be the first
day by which the linear program, given the cycle's own credit and the grace-window
credit earned by then, leaves no minimum short.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace
from typing import cast

from hypothesis import event, given
from test_allocation_flow import PATHS, YEAR, Problem, problems

from cperules import Activity
from cperules._engine.allocation import Entry, Matcher, Requirement, _solve, allocate, memberships
from cperules._engine.cure import cure_day
from cperules.policy import PolicyVersion
from cperules.rules import Minimum
from cperules.selectors import category


def _curable(problem: Problem) -> Problem:
    """The problem with each minimum that grace-window credit serves asking for more.

    Each asks for the credit it selects of the cycle's own, and the earlier half (at
    least one) of the grace-window credits it selects, in date order: the own credit
    falls short, and the grace window cures it, often exactly on a later day. A minimum
    no grace-window credit serves asks for at most half its own credit.
    """
    entries, requirements, limits, carryover = problem
    placed = memberships(entries, requirements, limits, carryover, Matcher())
    own = [Fraction(0)] * len(requirements)
    graced: list[list[Entry]] = [[] for _ in requirements]
    for entry, options in zip(entries, placed, strict=True):
        for r in {r for reqs, _, _ in options for r in reqs}:
            if entry.source == "grace":
                graced[r].append(entry)
            else:
                own[r] += entry.amount
    curable = []
    for r, requirement in enumerate(requirements):
        served = sorted(graced[r], key=lambda entry: entry.key)
        earlier = served[: (len(served) + 1) // 2]
        required = own[r] + sum((entry.amount for entry in earlier), Fraction(0))
        if not served:
            required = min(requirement.required, own[r] / 2)
        curable.append(replace(requirement, required=required))
    return entries, curable, limits, carryover


def _graced(problem: Problem) -> bool:
    """Whether the problem has grace-window credit and a minimum it may serve (unscoped)."""
    entries, requirements, _, _ = problem
    return any(e.source == "grace" for e in entries) and any(
        not requirement.scoped for requirement in requirements
    )


def _met_by_the_program(problem: Problem, day: dt.date) -> bool:
    entries, requirements, limits, carryover = problem
    chosen = [e for e in entries if e.source != "grace" or e.activity.completed <= day]
    solved = _solve(chosen, requirements, limits, carryover=carryover, needs=(), match=Matcher())
    return not any(solved.shortfall)


@given(problems(most=10).filter(_graced).map(_curable))
def test_the_cure_day_is_the_first_day_the_program_completes_the_cycle(
    problem: Problem,
) -> None:
    entries, requirements, limits, carryover = problem
    allocation = allocate(entries, requirements, limits, carryover)
    grace = [i for i, entry in enumerate(entries) if entry.source == "grace"]
    used = sum((allocation.counted_total(i) for i in grace), Fraction(0))
    if any(allocation.shortfall) or not used:
        event("not cured by grace-window credit")
        return
    version = cast("PolicyVersion", SimpleNamespace(carryover=carryover))
    days = sorted({entries[i].activity.completed for i in grace})
    first = next(d for d in days if _met_by_the_program(problem, d))
    event("cured on the first grace day" if first == days[0] else "cured later")
    assert cure_day(entries, requirements, limits, version, allocation) == first
    # With the memberships known (the direct paths and the flow keep them), the days by
    # which a minimum selects too little are told apart without an allocation.
    placed = memberships(entries, requirements, limits, carryover, Matcher())
    known = replace(allocation, placed=placed)
    assert cure_day(entries, requirements, limits, version, known) == first


def test_the_cure_day_comes_before_the_last_credit_the_least_cure_uses() -> None:
    """Minimums that do not nest: the least cure is later than the first day that cures.

    Two minimums of 2 credits, one over ways of working or practitioner work, one over
    power skills or practitioner work; nothing earned in the cycle. On 1 March the grace
    window brings 2 of ways of working and 2 of power skills (4 credits: a cure); on 1 May
    2 of practitioner work, which serve both minimums. The least cure is the practitioner
    work alone (2 credits, used on 1 May), yet the cycle was cured on 1 March.
    """

    def grace(name: str, code: str, month: int) -> Entry:
        day = dt.date(2025, month, 1)
        activity = Activity(id=name, title=name, completed=day, credits=Decimal(2), category=code)
        return Entry(activity, Fraction(2), (code,), (PATHS[code],), None, "grace")

    entries = [grace("w", "W", 3), grace("p", "P", 3), grace("r", "R", 5)]
    requirements = [
        Requirement(
            Minimum(id=f"m{n}", credits=Decimal(2), selector=selector), YEAR, False, Fraction(2)
        )
        for n, selector in enumerate((category("W") | category("R"), category("P") | category("R")))
    ]
    allocation = allocate(entries, requirements, [], None)
    assert allocation.counted == ((Fraction(0),), (Fraction(0),), (Fraction(2),))
    version = cast("PolicyVersion", SimpleNamespace(carryover=None))
    assert cure_day(entries, requirements, [], version, allocation) == dt.date(2025, 3, 1)
    placed = memberships(entries, requirements, [], None, Matcher())
    known = replace(allocation, placed=placed)
    assert cure_day(entries, requirements, [], version, known) == dt.date(2025, 3, 1)
    assert _met_by_the_program((entries, requirements, [], None), dt.date(2025, 3, 1))
