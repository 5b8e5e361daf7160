"""The flow leaves out what every optimum decides alike, and still reaches the optimum.

:func:`~cperules._engine.allocation_flow.allocate_by_flow` gives the network less to
search: credit of a kind that always counts in full along one path (one category, no cap
that can bind over it, no carryover, no grace window) is left out of the network, the
caps and minimums over it taking it as given; and credit that counts in full and may carry
keeps its credit in one segment, what it carries priced entry by entry, and only its latest
entries may carry at all (what the kind could carry at most being bounded by its credit,
the carryover cap and what the minimums it serves could spare).

These properties draw PMP-shaped problems where both happen often: plenty of credit that
may carry (so the minimums' spare bounds what carries), areas met by credit filed in one
category, caps that bind or not. The flow's allocation must be feasible, report its own
shortfalls and tight caps, and score what the linear program scores on every objective
in order; on problems small enough to enumerate, what brute force finds best too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction

from hypothesis import event, given
from hypothesis import strategies as st
from test_allocation_flow import (
    PATHS,
    YEAR,
    Problem,
    _small,
    brute_force,
    check_feasible,
    drawn_entry,
    objectives,
)
from test_allocation_flow import (
    problems as grace_problems,
)

from cperules import Activity
from cperules._engine import allocation, allocation_flow
from cperules._engine.allocation import (
    Entry,
    Limit,
    Matcher,
    Requirement,
    _grace_by_chain,
    _solve,
    _without_choice,
    allocate,
    memberships,
)
from cperules._engine.allocation_flow import allocate_by_flow
from cperules.rules import Cap, Carryover, Minimum
from cperules.selectors import Selector, category, everything

AREAS = ("W", "P", "B")
_every: Selector = everything()


@st.composite
def plentiful(draw: st.DrawFn, *, most: int = 14, largest: int = 8) -> Problem:
    """A PMP-shaped problem whose later credit may carry, often more than the rules need."""
    entries = [
        drawn_entry(
            draw,
            f"a{index:02d}",
            ("filed", "filed", "filed", "eligible"),
            largest,
            (1, 2, 4),
            # Credit of the last months may carry (PMP's final year, in small).
            lambda draw, day: day.month >= draw(st.integers(1, 12)),
        )
        for index in range(draw(st.integers(1, most)))
    ]
    total, education, area = draw(
        st.tuples(st.integers(1, 40), st.integers(1, 20), st.integers(1, 6))
    )
    requirements = [
        Requirement(
            Minimum(id=f"m-{node}", credits=Decimal(n), selector=selector),
            YEAR,
            False,
            Fraction(n),
        )
        for node, n, selector in (
            (None, total, _every),
            ("E", education, category("E")),
            *((a, area, category(a)) for a in AREAS),
        )
        if draw(st.booleans()) or node is None
    ]
    limits = [
        Limit(Cap(id=f"c-{node}", credits=Decimal(n), selector=category(node)), YEAR, False)
        for node, n in (("G", draw(st.integers(0, 20))), ("R", draw(st.integers(0, 8))))
        if draw(st.booleans())
    ]
    carryover = Carryover(
        selector=draw(st.sampled_from((category("E") | category("V"), _every, category("E")))),
        cap=draw(st.none() | st.integers(0, 12).map(Decimal)),
    )
    return entries, requirements, limits, carryover


def _shapes(problem: Problem) -> None:
    """Record which of the flow's shortcuts the problem takes (hypothesis' statistics)."""
    entries, requirements, limits, carryover = problem
    seen = {"bounded": False, "merged": False}
    carry_segments = allocation_flow._carry_segments

    def watched(
        members: Sequence[int], units: Sequence[int], most: int, price: Callable[[int], int]
    ) -> list[tuple[int, int]]:
        seen["bounded"] |= 0 < most < sum(units[member] for member in members)
        return carry_segments(members, units, most, price)

    kept_groups = allocation_flow._kept_groups

    def grouped(members: Sequence[int], units: Sequence[int], kept: int) -> list[list[int]]:
        groups = kept_groups(members, units, kept)
        seen["merged"] |= bool(groups) and len(groups[0]) > 1
        return groups

    allocation_flow._carry_segments = watched
    allocation_flow._kept_groups = grouped
    try:
        allocate_by_flow(entries, requirements, limits, carryover, Matcher())
    finally:
        allocation_flow._carry_segments = carry_segments
        allocation_flow._kept_groups = kept_groups
    event("only the latest credit may carry" if seen["bounded"] else "no carry bounded")
    event("capped credit surely kept shares a segment" if seen["merged"] else "no segment shared")


@given(plentiful())
def test_the_flow_with_given_credit_reaches_the_linear_programs_optimum(
    problem: Problem,
) -> None:
    entries, requirements, limits, carryover = problem
    flow = allocate_by_flow(entries, requirements, limits, carryover, Matcher())
    assert flow is not None  # the rules nest
    _shapes(problem)
    check_feasible(problem, flow)
    lp = _solve(entries, requirements, limits, carryover=carryover, needs=(), match=Matcher())
    assert objectives(problem, flow) == objectives(problem, lp)


@given(plentiful(most=4, largest=3).filter(_small))
def test_the_flow_with_given_credit_equals_brute_force(problem: Problem) -> None:
    entries, requirements, limits, carryover = problem
    flow = allocate_by_flow(entries, requirements, limits, carryover, Matcher())
    assert flow is not None
    assert objectives(problem, flow)[:4] == brute_force(problem)


def test_only_the_latest_credit_may_carry() -> None:
    """Four entries of ways of working that may carry; the total can spare 3 of their 12.

    At most 3 can carry, so every optimum keeps 9: only the last entry (2) and one of the
    third may carry, each priced by its date; the allocation is the program's all the same
    (the latest 3 carry).
    """
    entries = [
        Entry(
            Activity(
                id=f"w{month:02d}",
                title="t",
                completed=dt.date(2024, month, 1),
                credits=Decimal(4),
                category="W",
            ),
            Fraction(n),
            ("W",),
            (PATHS["W"],),
            dt.date(2024, month, 1),
            "own",
            0,
            True,
        )
        for month, n in ((1, 4), (3, 4), (9, 2), (11, 2))
    ]
    requirements = [
        Requirement(Minimum(id="total", credits=Decimal(9)), YEAR, False, Fraction(9)),
    ]
    carryover = Carryover(selector=category("E"))
    assert allocation_flow._carry_segments([0, 1, 2, 3], [4, 4, 2, 2], 3, lambda m: -m) == [
        (2, -3),
        (1, -2),
    ]
    flow = allocate_by_flow(entries, requirements, [], carryover, Matcher())
    assert flow is not None
    lp = _solve(entries, requirements, [], carryover=carryover, needs=(), match=Matcher())
    problem: Problem = (entries, requirements, [], carryover)
    assert objectives(problem, flow) == objectives(problem, lp)
    assert flow.carried == ((Fraction(0),), (Fraction(0),), (Fraction(1),), (Fraction(2),))
    assert flow.shortfall == (Fraction(0),)


def test_capped_credit_every_optimum_counts_shares_one_segment() -> None:
    """Giving back capped at 6 over volunteering (2, 2, then 3) and 1 of practice between.

    Nothing carries; the cap binds. The practice counts 1 at most, so every optimum counts
    at least 5 of the volunteering: its first two entries (4) share one segment, no choice
    left in them; the allocation is the program's all the same (the earliest 6 count).
    """

    def entry(name: str, code: str, amount: int, month: int) -> Entry:
        day = dt.date(2024, month, 1)
        activity = Activity(id=name, title=name, completed=day, credits=Decimal(1), category=code)
        return Entry(activity, Fraction(amount), (code,), (PATHS[code],), day, "own", 0, False)

    entries = [entry("v1", "V", 2, 1), entry("v2", "V", 2, 3), entry("r", "R", 1, 4)]
    entries.append(entry("v3", "V", 3, 5))
    requirements = [Requirement(Minimum(id="total", credits=Decimal(4)), YEAR, False, Fraction(4))]
    limits = [
        Limit(Cap(id="gb", credits=Decimal(6), selector=category("G")), YEAR, False),
        Limit(Cap(id="r", credits=Decimal(4), selector=category("R")), YEAR, False),
    ]
    # Under the giving-back cap (room 6), the kinds could count 7 + 1: volunteering 5 at least.
    assert allocation_flow._surely_counted(7, 0, [-1, 0], [6, 4], [8, 1]) == 5
    assert allocation_flow._surely_counted(1, 1, [-1, 0], [6, 4], [8, 1]) == 0
    assert allocation_flow._kept_groups([0, 1, 3], [2, 2, 1, 3], 5) == [[0, 1], [3]]
    flow = allocate_by_flow(entries, requirements, limits, None, Matcher())
    assert flow is not None
    lp = _solve(entries, requirements, limits, carryover=None, needs=(), match=Matcher())
    problem: Problem = (entries, requirements, limits, None)
    assert objectives(problem, flow) == objectives(problem, lp)
    assert flow.counted == ((Fraction(2),), (Fraction(2),), (Fraction(1),), (Fraction(1),))
    assert flow.binding == (True, False)


def _one_option(problem: Problem) -> Problem:
    entries, requirements, limits, carryover = problem
    return [e for e in entries if len(e.options) == 1], requirements, limits, carryover


def _out_of_reach(problem: Problem, more: int) -> Problem:
    """The problem with a total beyond all its credit (grace-window credit too) by ``more``.

    Nothing then carries. Giving back is capped at ``more`` credits, to bind over what may
    carry. The total and giving-back cap :func:`plentiful` draws (``m-None``, ``c-G``) are
    replaced; ``more`` of 0 leaves the problem as it is.
    """
    entries, requirements, limits, carryover = problem
    if not more:
        return problem
    beyond = sum((entry.amount for entry in entries), Fraction(0)) + more
    total = Requirement(Minimum(id="total", credits=Decimal(int(beyond))), YEAR, False, beyond)
    giving_back = Limit(Cap(id="c-G", credits=Decimal(more), selector=category("G")), YEAR, False)
    others = [requirement for requirement in requirements if requirement.rule.id != "m-None"]
    capped = [limit for limit in limits if limit.rule.id != "c-G"]
    return entries, [total, *others], [giving_back, *capped], carryover


@given(
    plentiful(most=12)
    .map(_one_option)
    .flatmap(lambda problem: st.integers(0, 2).map(lambda more: _out_of_reach(problem, more)))
)
def test_capped_credit_that_carries_in_no_optimum_takes_the_direct_path(
    problem: Problem,
) -> None:
    """A cap binding over credit that may carry, where a minimum it serves cannot be exceeded.

    The direct path takes that credit as credit that may not carry (no optimum carries
    it); where it answers, its allocation is exactly the linear program's.
    """
    entries, requirements, limits, carryover = problem
    settled = {"yes": False}
    original = allocation._settled

    def watched(*args: object, **kwargs: object) -> object:
        found = original(*args, **kwargs)  # type: ignore[arg-type]
        settled["yes"] |= found is not None
        return found

    allocation._settled = watched  # type: ignore[assignment]
    try:
        direct = _without_choice(entries, requirements, limits, carryover, Matcher())
    finally:
        allocation._settled = original
    event("settled" if settled["yes"] else "not settled")
    if direct is None:
        return
    lp = _solve(entries, requirements, limits, carryover=carryover, needs=(), match=Matcher())
    assert (direct.counted, direct.carried, direct.shortfall, direct.binding) == (
        lp.counted,
        lp.carried,
        lp.shortfall,
        lp.binding,
    )


def test_giving_back_over_its_cap_carries_nothing_when_the_total_is_short() -> None:
    """PMP's giving back over its cap, final-year volunteering among it, the total short.

    Nothing can carry (the total can get at most 14 of its 20), so which giving back
    counts is no choice: the earliest, as the program finds.
    """

    def entry(name: str, code: str, amount: int, month: int) -> Entry:
        day = dt.date(2024, month, 1)
        activity = Activity(id=name, title=name, completed=day, credits=Decimal(1), category=code)
        return Entry(
            activity, Fraction(amount), (code,), (PATHS[code],), day, "own", 0, month >= 10
        )

    entries = [entry("v1", "V", 4, 2), entry("w", "W", 6, 5), entry("v2", "V", 5, 11)]
    requirements = [
        Requirement(Minimum(id="total", credits=Decimal(20)), YEAR, False, Fraction(20))
    ]
    limits = [Limit(Cap(id="gb", credits=Decimal(8), selector=category("G")), YEAR, False)]
    carryover = Carryover(selector=category("E") | category("V"))
    direct = _without_choice(entries, requirements, limits, carryover, Matcher())
    assert direct is not None
    assert direct.counted == ((Fraction(4),), (Fraction(6),), (Fraction(4),))
    assert direct.shortfall == (Fraction(6),)
    lp = _solve(entries, requirements, limits, carryover=carryover, needs=(), match=Matcher())
    assert (direct.counted, direct.carried, direct.shortfall, direct.binding) == (
        lp.counted,
        lp.carried,
        lp.shortfall,
        lp.binding,
    )
    # Were the total within reach, the volunteering that may carry would be a choice.
    met = [Requirement(Minimum(id="total", credits=Decimal(9)), YEAR, False, Fraction(9))]
    assert _without_choice(entries, met, limits, carryover, Matcher()) is None


@given(
    grace_problems(most=8)
    .map(_one_option)
    .flatmap(lambda problem: st.integers(1, 3).map(lambda more: _out_of_reach(problem, more)))
)
def test_grace_cures_take_capped_credit_that_carries_in_no_optimum_as_given(
    problem: Problem,
) -> None:
    """Grace-window credit curing a cycle whose own capped credit may carry, in vain.

    No allocation exceeds the total, even with all the grace-window credit, so no own
    credit carries: the direct paths take the capped credit as credit that may not carry,
    and the allocation scores what the linear program scores, in every objective.
    """
    entries, requirements, limits, carryover = problem
    settled = {"given": False}
    original = allocation._settled

    def watched(*args: object, **kwargs: object) -> object:
        found = original(*args, **kwargs)  # type: ignore[arg-type]
        settled["given"] |= found is not None and kwargs.get("given") is not None
        return found

    allocation._settled = watched  # type: ignore[assignment]
    try:
        chosen = allocate(entries, requirements, limits, carryover)
    finally:
        allocation._settled = original
    event("settled with grace credit" if settled["given"] else "not settled")
    check_feasible(problem, chosen)
    lp = _solve(entries, requirements, limits, carryover=carryover, needs=(), match=Matcher())
    assert objectives(problem, chosen) == objectives(problem, lp)


def test_a_grace_cure_with_capped_volunteering_that_cannot_carry_is_direct() -> None:
    """Practitioner 3, education 2, final-year volunteering 4 under a giving-back cap of 3.

    The total (20) is beyond even the grace-window credit, so the volunteering carries
    nothing: the cap counts the earliest giving back (the practitioner's 3), the grace
    credit all counts, 13 stay short, as the program finds.
    """

    def entry(name: str, code: str, amount: int, month: int, *, grace: bool = False) -> Entry:
        day = dt.date(2025 if grace else 2024, month, 1)
        activity = Activity(id=name, title=name, completed=day, credits=Decimal(1), category=code)
        return Entry(
            activity,
            Fraction(amount),
            (code,),
            (PATHS[code],),
            None if grace else day,
            "grace" if grace else "own",
            0,
            code == "V",
        )

    entries = [
        entry("r", "R", 3, 2),
        entry("w", "W", 2, 3),
        entry("v", "V", 4, 11),
        entry("g", "W", 2, 2, grace=True),
    ]
    requirements = [
        Requirement(Minimum(id="total", credits=Decimal(20)), YEAR, False, Fraction(20))
    ]
    limits = [Limit(Cap(id="gb", credits=Decimal(3), selector=category("G")), YEAR, False)]
    carryover = Carryover(selector=category("G"))
    match = Matcher()
    placed = memberships(entries, requirements, limits, carryover, match)
    direct = _grace_by_chain(entries, requirements, limits, carryover, match, placed=placed)
    assert direct is not None
    assert direct.counted == ((Fraction(3),), (Fraction(2),), (Fraction(0),), (Fraction(2),))
    assert direct.shortfall == (Fraction(13),)
    lp = _solve(entries, requirements, limits, carryover=carryover, needs=(), match=Matcher())
    problem: Problem = (entries, requirements, limits, carryover)
    assert objectives(problem, direct) == objectives(problem, lp)
    assert allocate(entries, requirements, limits, carryover) == direct


@given(grace_problems(most=10))
def test_the_flows_kept_layouts_answer_as_a_fresh_reading(problem: Problem) -> None:
    """The layout kept by the options' identity, by their value, or worked out anew, agree.

    The flow keeps the rules' trees and each distinct options' shape, found first by the
    identity of the memberships (shared by entries that fall alike) and then by their
    value: the allocation is the same with the memberships shared, copied into new lists
    (found by value), or with nothing kept.
    """
    entries, requirements, limits, carryover = problem
    placed = memberships(entries, requirements, limits, carryover, Matcher())
    shared = allocate_by_flow(entries, requirements, limits, carryover, Matcher(), placed=placed)
    copied = [list(options) for options in placed]
    by_value = allocate_by_flow(entries, requirements, limits, carryover, Matcher(), placed=copied)
    allocation_flow._BY_IDS.clear()
    allocation_flow._LAYOUTS.clear()
    fresh = allocate_by_flow(entries, requirements, limits, carryover, Matcher(), placed=copied)
    assert shared == by_value == fresh
