"""The areas' direct choice (:func:`allocate_by_areas`) equals the general path.

Credit eligible for two Talent Triangle areas, in PMP's shape: minimums on the total,
education and each area, caps on giving back alone, credit that may carry over (within
a carryover cap or not). Where the first options leave an area short, or would carry
what an area needs, the direct path moves eligible credit between its options and
carries what keeps every area met; where it answers, its allocation must be feasible,
report its own shortfalls and tight caps, and score what the linear program and the
flow score on every objective in order (and what brute force finds, on small problems).
Where the first options answer, it answers the same. The verdict kernel's reading of
the same choice (``_placed_in_areas``) is checked against the full evaluation in
``test_explained_kernel.py``; the Hall check it shares with the allocation, in decimals, here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from first_options import first_options
from hypothesis import example, given
from hypothesis import strategies as st
from test_allocation_flow import (
    YEAR,
    Problem,
    _pmp_entry,
    _selector,
    _small,
    brute_force,
    check_feasible,
    drawn_entry,
    objectives,
    problems,
)

from cperules._engine.allocation import (
    Entry,
    Limit,
    Matcher,
    Requirement,
    _solve,
    allocate,
    memberships,
)
from cperules._engine.allocation_flow import (
    _hall_slack,
    _moved_by_flow,
    allocate_by_areas,
    allocate_by_flow,
    moved_one_step,
)
from cperules.rules import Cap, Carryover, Minimum
from cperules.selectors import category


@st.composite
def pmp_shaped(draw: st.DrawFn, *, most: int = 10, largest: int = 6) -> Problem:
    """Filed and eligible entries under PMP's minimums, caps over giving back alone."""
    entries = [
        drawn_entry(
            draw,
            f"a{index}",
            ("filed", "eligible", "eligible"),
            largest,
            (1, 1, 2, 4),
            lambda draw, day: day.month >= 7 and draw(st.booleans()),  # a last half
        )
        for index in range(draw(st.integers(1, most)))
    ]
    requirements = [
        Requirement(
            Minimum(id=f"m-{node}", credits=Decimal(n), selector=_selector(node)),
            YEAR,
            False,
            Fraction(n),
        )
        for node, n in (
            (None, draw(st.integers(0, 30))),
            ("E", draw(st.integers(0, 20))),
            ("W", draw(st.integers(1, 8))),
            ("P", draw(st.integers(1, 8))),
            ("B", draw(st.integers(1, 8))),
        )
        if n
    ]
    limits = [
        Limit(Cap(id=f"c-{node}", credits=Decimal(n), selector=category(node)), YEAR, False)
        for node, n in draw(
            st.lists(st.tuples(st.sampled_from(("G", "R", "V")), st.integers(0, 10)), max_size=2)
        )
    ]
    carryover = draw(
        st.none()
        | st.builds(
            Carryover,
            selector=st.sampled_from((category("E"), category("E") | category("V"))),
            cap=st.none() | st.integers(0, 8).map(Decimal),
        )
    )
    return entries, requirements, limits, carryover


def _check(problem: Problem) -> bool:
    """Where the areas' choice answers, it is the general path's optimum; whether it did."""
    entries, requirements, limits, carryover = problem
    match = Matcher()
    placed = memberships(entries, requirements, limits, carryover, match)
    chosen = allocate_by_areas(entries, requirements, limits, carryover, match, placed=placed)
    if chosen is None:
        return False
    check_feasible(problem, chosen)
    lp = _solve(entries, requirements, limits, carryover=carryover, needs=(), match=Matcher())
    assert objectives(problem, chosen) == objectives(problem, lp)
    flow = allocate_by_flow(entries, requirements, limits, carryover, Matcher())
    if flow is not None:
        assert objectives(problem, chosen) == objectives(problem, flow)
        assert (chosen.shortfall, chosen.binding) == (flow.shortfall, flow.binding)
    first = first_options(entries, requirements, limits, carryover, Matcher(), placed=placed)
    if first is not None:
        assert chosen == first
        assert (chosen.shortfall, chosen.binding) == (first.shortfall, first.binding)
    else:
        assert allocate(entries, requirements, limits, carryover) == chosen
    return True


@given(pmp_shaped())
@example(  # the first options leave ways of working short: e1 counts in it instead
    (
        [
            _pmp_entry("e1", ("P", "W"), 6, dt.date(2024, 2, 1), carry=False),
            _pmp_entry("p", ("P",), 5, dt.date(2024, 3, 1), carry=False),
            _pmp_entry("b", ("B",), 4, dt.date(2024, 4, 1), carry=False),
            _pmp_entry("w", ("W",), 1, dt.date(2024, 11, 1)),
        ],
        [
            Requirement(
                Minimum(id=f"m-{n}", credits=Decimal(4), selector=category(n)),
                YEAR,
                False,
                Fraction(4),
            )
            for n in ("W", "P", "B")
        ],
        [],
        Carryover(selector=category("E")),
    )
)
def test_the_areas_choice_reaches_the_optimum(problem: Problem) -> None:
    _check(problem)


@given(problems(most=8))
def test_the_areas_choice_reaches_the_optimum_on_any_nested_problem(problem: Problem) -> None:
    """Scoped minimums and caps, grace credit, caps over the areas: answered or left."""
    _check(problem)


@given(pmp_shaped(most=4, largest=3).filter(_small))
def test_the_areas_choice_equals_brute_force_on_small_problems(problem: Problem) -> None:
    if _check(problem):
        entries, requirements, limits, carryover = problem
        match = Matcher()
        placed = memberships(entries, requirements, limits, carryover, match)
        chosen = allocate_by_areas(entries, requirements, limits, carryover, match, placed=placed)
        assert chosen is not None
        assert objectives(problem, chosen)[:4] == brute_force(problem)


def _short_first_option() -> Problem:
    """Ways of working short with each entry in its first option; met by moving e1 and e2."""

    def entry(name: str, options: tuple[str, ...], amount: int, month: int) -> Entry:
        return _pmp_entry(name, options, amount, dt.date(2024, month, 1), carry=month >= 11)

    entries = [
        entry("e1", ("P", "W"), 3, 2),
        entry("e2", ("B", "W"), 2, 3),
        entry("p", ("P",), 6, 4),
        entry("b", ("B",), 5, 5),
        entry("w", ("W",), 1, 6),
        entry("e3", ("B", "P"), 4, 11),
        entry("v", ("V",), 3, 12),
    ]
    requirements = [
        Requirement(
            Minimum(id=f"m-{node}", credits=Decimal(n), selector=_selector(node)),
            YEAR,
            False,
            Fraction(n),
        )
        for node, n in ((None, 20), ("E", 16), ("W", 4), ("P", 4), ("B", 4))
    ]
    limits = [Limit(Cap(id="gb", credits=Decimal(8), selector=category("G")), YEAR, False)]
    return entries, requirements, limits, Carryover(selector=category("E") | category("V"))


def test_an_area_short_in_the_first_options_is_chosen_directly() -> None:
    """PMP's shape, the first options short: answered directly, as the program answers."""
    problem = _short_first_option()
    entries, requirements, limits, carryover = problem
    match = Matcher()
    placed = memberships(entries, requirements, limits, carryover, match)
    assert first_options(entries, requirements, limits, carryover, match, placed=placed) is None
    assert _check(problem)
    chosen = allocate(entries, requirements, limits, carryover)
    # Ways of working gets 3 more: e1's 3 (earliest first, and one option move each
    # unit whichever entry moves); every area met, 24 count, 4 over the total carry:
    # v's 3, then e3's 1 (power skills and business acumen keep their 4).
    assert chosen.counted[0] == (Fraction(0), Fraction(3))
    assert chosen.shortfall == (Fraction(0),) * 5
    assert sum((sum(row, Fraction(0)) for row in chosen.carried), Fraction(0)) == 4
    assert chosen.carried[6] == (Fraction(3),)
    assert chosen.carried[5] == (Fraction(1), Fraction(0))


def test_what_carries_keeps_every_area_met() -> None:
    """Credit eligible for two areas carries only what the areas, between them, can spare."""

    def entry(name: str, options: tuple[str, ...], amount: int, month: int) -> Entry:
        return _pmp_entry(name, options, amount, dt.date(2024, month, 1), carry=month >= 11)

    entries = [
        entry("e1", ("P", "W"), 4, 2),
        entry("p", ("P",), 3, 3),
        entry("b", ("B",), 4, 4),
        entry("e2", ("P", "W"), 3, 11),
    ]
    requirements = [
        Requirement(
            Minimum(id=f"m-{node}", credits=Decimal(n), selector=_selector(node)),
            YEAR,
            False,
            Fraction(n),
        )
        for node, n in ((None, 10), ("W", 4), ("P", 4), ("B", 4))
    ]
    problem: Problem = (entries, requirements, [], Carryover(selector=category("E")))
    assert _check(problem)
    chosen = allocate(*problem)
    # Ways of working and power skills need 8 of e1, p and e2's 10: e2 carries 2 (the
    # total could spare 4). Of the 5 that e1 and e2 keep, power skills takes 1 (p has
    # 3) and ways of working 4; the earlier entry keeps its first option.
    assert chosen.counted == (
        (Fraction(1), Fraction(3)),
        (Fraction(3),),
        (Fraction(4),),
        (Fraction(2), Fraction(1)),
    )
    assert chosen.carried[3] == (Fraction(2), Fraction(0))
    assert chosen.shortfall == (Fraction(0),) * 4


@given(
    st.lists(
        st.tuples(
            st.lists(st.integers(0, 2), min_size=2, max_size=3, unique=True),
            st.integers(0, 8),
        ),
        min_size=1,
        max_size=5,
    ),
    st.lists(st.integers(-4, 8), min_size=3, max_size=3),
)
def test_moving_one_step_is_the_flows_placement(
    drawn: list[tuple[list[int], int]], need: list[int]
) -> None:
    """Where credit moved straight to the short areas meets them, the flow moves as much.

    Both meet every area and keep each group's credit; the one-step answer moves no
    more (each unit moved costs the tie-break alike between two options), and it
    answers nowhere the flow finds an area short.
    """
    groups = [tuple(where) for where, _ in drawn]
    supplies = [supply for _, supply in drawn]
    by_flow = _moved_by_flow(groups, supplies, need)
    one_step = moved_one_step(groups, supplies, need)
    for placed in (by_flow, one_step):
        if placed is None:
            continue
        assert [sum(row) for row in placed] == supplies
        assert all(amount >= 0 for row in placed for amount in row)
        got = [0, 0, 0]
        for where, row in zip(groups, placed, strict=True):
            for area, amount in zip(where, row, strict=True):
                got[area] += amount
        assert all(g >= n for g, n in zip(got, need, strict=True))
    if one_step is not None:
        assert by_flow is not None
        assert sum(row[1] for row in one_step) == sum(row[1] for row in by_flow)
    if all(len(where) == 2 for where in groups) and by_flow is not None:
        # Where the short areas lack no more than one move from a spare area gives,
        # one step is enough.
        have = [-n for n in need]
        for where, supply in zip(groups, supplies, strict=True):
            have[where[0]] += supply
        if sum(max(0, -h) for h in have) == 0:
            assert one_step == [[supply, 0] for supply in supplies]


@given(
    kept=st.dictionaries(st.integers(1, 7), st.integers(0, 12), max_size=7),
    needs=st.lists(st.integers(0, 12), min_size=3, max_size=3),
)
def test_halls_check_reads_decimals_as_units(kept: dict[int, int], needs: list[int]) -> None:
    """Hall's condition (``_hall_slack``) answers alike in integer units (the allocation,
    entry by entry) and in decimals (the verdict kernel, by the mask of areas credit may
    serve): the same slack, or None for both."""
    masks = list(kept)
    in_units = _hall_slack(masks, [kept[mask] for mask in masks], needs)
    in_decimals = _hall_slack(
        masks, [Decimal(kept[mask]) for mask in masks], [Decimal(need) for need in needs]
    )
    assert in_decimals == in_units
