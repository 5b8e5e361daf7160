"""The flow path of the allocation equals the linear program and a brute-force optimum.

Problems are drawn at the allocation's own level (entries, minimum and cap instances, a
carryover) in the shapes the flow path is for: a category tree ``E(W, P, B), G(R, V)``
like PMP's (education over three areas, giving back over practitioner and volunteering),
minimums and caps on any node, some of them per half year, entries filed in one category
or eligible for two areas, grace-window credit, and credit that may carry over (within a
carryover cap or not).

Where :func:`allocate_by_flow` answers (the rules nest), its allocation must be feasible,
report its own shortfalls and tight caps, and reach the linear program's optimum on
every objective, in order: shortfall, grace credit, counted, carried and the tie-break
(which entries count and carry). The tie-break's weights can leave several optima (a
unit carried out weighs the same from any entry), so the allocations are compared by
their scores, not entry by entry.

On problems small enough to enumerate in whole credits, the flow's score also equals the
best of every allocation (the rules nest, so an optimum lies on the whole-credit grid).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

import pytest
from first_options import first_options
from hypothesis import example, given
from hypothesis import strategies as st

from cperules import Activity, Period
from cperules._engine.allocation import (
    Allocation,
    Entry,
    Limit,
    Matcher,
    Requirement,
    _grace_by_chain,
    _solve,
    _without_choice,
    allocate,
    in_scope,
    memberships,
)
from cperules._engine.allocation_flow import allocate_by_flow, nesting
from cperules._engine.flow import Network
from cperules.rules import Cap, Carryover, Minimum
from cperules.selectors import Selector, category, everything

YEAR = Period(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))
HALVES = (
    Period(start=dt.date(2024, 1, 1), end=dt.date(2024, 6, 30)),
    Period(start=dt.date(2024, 7, 1), end=dt.date(2024, 12, 31)),
)
PATHS = {
    "W": ("W", "E"),
    "P": ("P", "E"),
    "B": ("B", "E"),
    "R": ("R", "G"),
    "V": ("V", "G"),
}
NODES = (None, "E", "W", "P", "B", "G", "R", "V")
AREAS = ("W", "P", "B")

Problem = tuple[list[Entry], list[Requirement], list[Limit], Carryover | None]


def _selector(node: str | None) -> Selector:
    return everything() if node is None else category(node)


def drawn_entry(  # noqa: PLR0917 - the drawer's knobs, each a strategy's own
    draw: st.DrawFn,
    name: str,
    shapes: tuple[str, ...],
    largest: int,
    denominators: tuple[int, ...],
    carries: Callable[[st.DrawFn, dt.date], bool],
) -> Entry:
    """An entry named ``name``: filed in one category, eligible for two areas, or grace.

    Its shape is drawn from ``shapes`` (``filed``, ``eligible``, ``grace``), its amount
    up to ``largest`` over one of ``denominators``; whether own credit may carry is
    ``carries`` of its day (grace-window credit never carries).
    """
    shape = draw(st.sampled_from(shapes))
    if shape == "eligible":
        options = tuple(
            sorted(draw(st.lists(st.sampled_from(AREAS), min_size=2, max_size=2, unique=True)))
        )
    else:
        options = (draw(st.sampled_from(tuple(PATHS))),)
    month = draw(st.integers(1, 12))
    completed = dt.date(2024 if shape != "grace" else 2025, month, draw(st.integers(1, 28)))
    activity = Activity(
        id=name, title="t", completed=completed, credits=Decimal(1), category=options[0]
    )
    amount = Fraction(draw(st.integers(1, largest)), draw(st.sampled_from(denominators)))
    return Entry(
        activity,
        amount,
        options,
        tuple(PATHS[o] for o in options),
        None if shape == "grace" else completed,
        "grace" if shape == "grace" else "own",
        0,
        shape != "grace" and carries(draw, completed),
    )


@st.composite
def problems(draw: st.DrawFn, *, most: int = 8, largest: int = 6) -> Problem:
    entries = [
        drawn_entry(
            draw,
            f"a{index}",
            ("filed", "filed", "eligible", "grace"),
            largest,
            (1, 1, 2, 4),
            lambda draw, _: draw(st.booleans()),
        )
        for index in range(draw(st.integers(0, most)))
    ]
    scopes = st.sampled_from([(YEAR, False), (YEAR, False), (HALVES[0], True), (HALVES[1], True)])
    requirements = [
        Requirement(
            Minimum(id=f"m{i}", credits=Decimal(n), selector=_selector(node)),
            period,
            scoped,
            Fraction(n) * prorated,  # a cycle-scope minimum may be prorated, even to nothing
        )
        for i, (node, n, (period, scoped), prorated) in enumerate(
            draw(
                st.lists(
                    st.tuples(
                        st.sampled_from(NODES),
                        st.integers(1, 12),
                        scopes,
                        st.sampled_from(
                            (Fraction(1), Fraction(1), Fraction(1), Fraction(1, 2), Fraction(0))
                        ),
                    ),
                    max_size=4,
                )
            )
        )
    ]
    limits = [
        Limit(Cap(id=f"c{i}", credits=Decimal(n), selector=_selector(node)), period, scoped)
        for i, (node, n, (period, scoped)) in enumerate(
            draw(
                st.lists(st.tuples(st.sampled_from(NODES), st.integers(0, 10), scopes), max_size=3)
            )
        )
    ]
    carryover = draw(
        st.none()
        | st.builds(
            Carryover,
            selector=st.sampled_from(("E", "G", None)).map(_selector),
            cap=st.none() | st.integers(0, 6).map(Decimal),
        )
    )
    return entries, requirements, limits, carryover


def _selected(selector: Selector, entry: Entry, option: int) -> bool:
    return selector.matches(entry.activity, categories=entry.paths[option])


def objectives(problem: Problem, allocation: Allocation) -> tuple[Fraction, ...]:
    """The linear program's objectives, in order, as the allocation scores on them."""
    entries = problem[0]
    order = sorted(range(len(entries)), key=lambda i: entries[i].key)
    size = len(entries) + 1
    tie = Fraction(0)
    for position, index in enumerate(order):
        for option in range(len(entries[index].options)):
            x = allocation.counted[index][option]
            y = allocation.carried[index][option]
            tie += x * (Fraction(size - position) + Fraction(1, size * (option + 2)))
            tie += y * (position + 1)
    grace = sum(
        (allocation.counted_total(i) for i, e in enumerate(entries) if e.source == "grace"),
        Fraction(0),
    )
    return (
        -sum(allocation.shortfall, Fraction(0)),
        -grace,
        sum((allocation.counted_total(i) for i in range(len(entries))), Fraction(0)),
        sum((sum(row, Fraction(0)) for row in allocation.carried), Fraction(0)),
        tie,
    )


def kept(
    problem: Problem,
    allocation: Allocation,
    selector: Selector,
    period: Period,
    scoped: bool,
    *,
    carried: bool,
) -> Fraction:
    entries = problem[0]
    total = Fraction(0)
    for index, entry in enumerate(entries):
        if not in_scope(entry.day, period, scoped):
            continue
        for option in range(len(entry.options)):
            if _selected(selector, entry, option):
                total += allocation.counted[index][option]
                if not carried:
                    total -= allocation.carried[index][option]
    return total


def check_feasible(problem: Problem, allocation: Allocation) -> None:
    """Within every amount, cap and the carryover, reporting its own shortfalls and caps."""
    entries, requirements, limits, carryover = problem
    for index, entry in enumerate(entries):
        assert sum(allocation.counted[index], Fraction(0)) <= entry.amount
        for option in range(len(entry.options)):
            x, y = allocation.counted[index][option], allocation.carried[index][option]
            assert 0 <= y <= x
            if y:
                assert entry.carry
                assert carryover is not None
                assert _selected(carryover.selector, entry, option)
    carried = sum((sum(row, Fraction(0)) for row in allocation.carried), Fraction(0))
    if carryover is not None and carryover.cap is not None:
        assert carried <= Fraction(carryover.cap)
    for limit, binding in zip(limits, allocation.binding, strict=True):
        used = kept(
            problem, allocation, limit.rule.selector, limit.period, limit.scoped, carried=True
        )
        assert used <= Fraction(limit.rule.credits or 0)
        assert binding == (used == Fraction(limit.rule.credits or 0))
    for requirement, shortfall in zip(requirements, allocation.shortfall, strict=True):
        got = kept(
            problem,
            allocation,
            requirement.rule.selector,
            requirement.period,
            requirement.scoped,
            carried=False,
        )
        assert shortfall == max(Fraction(0), requirement.required - got)


@given(problems())
@example(  # a cap over two kinds of giving back: the carryable one counts, to carry
    (
        [
            Entry(
                Activity(
                    id=f"g{i}",
                    title="t",
                    completed=dt.date(2024, 3 + 6 * i, 1),
                    credits=Decimal(4),
                    category=code,
                ),
                Fraction(4),
                (code,),
                (PATHS[code],),
                dt.date(2024, 3 + 6 * i, 1),
                "own",
                0,
                carry,
            )
            for i, (code, carry) in enumerate((("R", False), ("V", True)))
        ],
        [Requirement(Minimum(id="total", credits=Decimal(2)), YEAR, False, Fraction(2))],
        [Limit(Cap(id="gb", credits=Decimal(6), selector=category("G")), YEAR, False)],
        Carryover(selector=category("G")),
    )
)
def test_flow_reaches_the_linear_programs_optimum(problem: Problem) -> None:
    entries, requirements, limits, carryover = problem
    flow = allocate_by_flow(entries, requirements, limits, carryover, Matcher())
    if flow is None:
        return
    lp = _solve(entries, requirements, limits, carryover=carryover, needs=(), match=Matcher())
    check_feasible(problem, flow)
    assert objectives(problem, flow) == objectives(problem, lp)


def _pmp_entry(
    name: str, options: tuple[str, ...], amount: int, day: dt.date, *, carry: bool = True
) -> Entry:
    """An activity of ``amount`` credits on ``day``, eligible for ``options``, as an entry."""
    activity = Activity(
        id=name, title=name, completed=day, credits=Decimal(amount), category=options[0]
    )
    return Entry(
        activity,
        Fraction(amount),
        options,
        tuple(PATHS[o] for o in options),
        day,
        "own",
        0,
        carry,
    )


def _pmp_requirements(*, total: int) -> list[Requirement]:
    """PMP's minimums in small: the total, education 12, each of its three areas 4."""
    return [
        Requirement(
            Minimum(id=f"m-{node}", credits=Decimal(n), selector=_selector(node)),
            YEAR,
            False,
            Fraction(n),
        )
        for node, n in ((None, total), ("E", 12), ("W", 4), ("P", 4), ("B", 4))
    ]


def test_the_flow_path_answers_pmp_shaped_problems() -> None:
    """Nested minimums, nested caps, eligible entries and carryover: no LP needed."""
    day = dt.date(2024, 11, 1)
    entries = [
        _pmp_entry("e1", ("W", "P"), 10, day),
        _pmp_entry("e2", ("B",), 3, day),
        _pmp_entry("r", ("R",), 12, day, carry=False),
        _pmp_entry("v", ("V",), 30, day),
    ]
    requirements = _pmp_requirements(total=40)
    limits = [
        Limit(Cap(id="gb", credits=Decimal(25), selector=category("G")), YEAR, False),
        Limit(Cap(id="practitioner", credits=Decimal(8), selector=category("R")), YEAR, False),
    ]
    carryover = Carryover(selector=category("E") | category("V"))
    flow = allocate_by_flow(entries, requirements, limits, carryover, Matcher())
    assert flow is not None
    assert flow == allocate(entries, requirements, limits, carryover)
    lp = _solve(entries, requirements, limits, carryover=carryover, needs=(), match=Matcher())
    assert (flow.counted, flow.carried, flow.shortfall, flow.binding) == (
        lp.counted,
        lp.carried,
        lp.shortfall,
        lp.binding,
    )
    # 38 of 40 count (nothing can be carried out); ways of working and power skills share
    # e1 (at least 4 each); business acumen is 1 short.
    assert flow.shortfall == (Fraction(2), Fraction(0), Fraction(0), Fraction(0), Fraction(1))
    assert flow.carried == (
        (Fraction(0), Fraction(0)),
        (Fraction(0),),
        (Fraction(0),),
        (Fraction(0),),
    )
    assert flow.counted[2] == (Fraction(8),)  # the practitioner cap
    assert flow.counted[3] == (Fraction(17),)  # giving back: 25 less the practitioner's 8


def _without_grace(problem: Problem) -> Problem:
    entries, requirements, limits, carryover = problem
    return [e for e in entries if e.source != "grace"], requirements, limits, carryover


@given(problems(most=10).map(_without_grace))
def test_eligible_entries_in_their_first_option_reach_the_optimum(problem: Problem) -> None:
    """Where the direct path keeps every eligible entry in its first option, it is optimal.

    Its allocation is feasible, reports its own shortfalls and tight caps, and scores
    what the linear program and the flow score on every objective in order.
    """
    entries, requirements, limits, carryover = problem
    match = Matcher()
    placed = memberships(entries, requirements, limits, carryover, match)
    direct = first_options(entries, requirements, limits, carryover, match, placed=placed)
    if direct is None:
        return
    assert all(not any(row[1:]) for row in (*direct.counted, *direct.carried))  # first options only
    check_feasible(problem, direct)
    lp = _solve(entries, requirements, limits, carryover=carryover, needs=(), match=Matcher())
    assert objectives(problem, direct) == objectives(problem, lp)
    flow = allocate_by_flow(entries, requirements, limits, carryover, Matcher())
    if flow is not None:
        assert objectives(problem, direct) == objectives(problem, flow)
    assert allocate(entries, requirements, limits, carryover) == direct


def test_eligible_entries_stay_in_their_first_option_when_every_area_is_met() -> None:
    """PMP's shape with credit eligible for two areas: direct, and the program's answer."""

    def entry(name: str, options: tuple[str, ...], amount: int, month: int) -> Entry:
        # Credit of the carryover window (from November) may carry.
        return _pmp_entry(name, options, amount, dt.date(2024, month, 1), carry=month >= 11)

    entries = [
        entry("e1", ("P", "W"), 6, 2),
        entry("w", ("W",), 5, 3),
        entry("b", ("B",), 6, 4),
        entry("e2", ("B", "W"), 7, 11),
        entry("v", ("V",), 7, 12),
    ]
    requirements = _pmp_requirements(total=20)
    limits = [Limit(Cap(id="gb", credits=Decimal(8), selector=category("G")), YEAR, False)]
    carryover = Carryover(selector=category("E") | category("V"))
    match = Matcher()
    placed = memberships(entries, requirements, limits, carryover, match)
    direct = first_options(entries, requirements, limits, carryover, match, placed=placed)
    assert direct is not None
    lp = _solve(entries, requirements, limits, carryover=carryover, needs=(), match=Matcher())
    assert (direct.counted, direct.carried, direct.shortfall, direct.binding) == (
        lp.counted,
        lp.carried,
        lp.shortfall,
        lp.binding,
    )
    # All 31 count (giving back within its cap), 11 over the total: the latest (v)
    # carries 7, e2 the other 4, from its first option (business acumen, 9 spare).
    assert direct.carried == (
        (Fraction(0), Fraction(0)),
        (Fraction(0),),
        (Fraction(0),),
        (Fraction(4), Fraction(0)),
        (Fraction(7),),
    )
    # Ways of working met without e2: were it short, e2's first option would not do.
    short = [*requirements]
    short[2] = replace(requirements[2], required=Fraction(6))
    assert first_options(entries, short, limits, carryover, match, placed=placed) is None


@given(problems(most=10))
def test_grace_cures_with_credit_that_may_carry_reach_the_optimum(problem: Problem) -> None:
    """Grace-window credit chosen along a chain, own credit carrying: the program's scores."""
    entries, requirements, limits, carryover = problem
    match = Matcher()
    placed = memberships(entries, requirements, limits, carryover, match)
    direct = _grace_by_chain(entries, requirements, limits, carryover, match, placed=placed)
    if direct is None:
        return
    check_feasible(problem, direct)
    lp = _solve(entries, requirements, limits, carryover=carryover, needs=(), match=Matcher())
    assert objectives(problem, direct) == objectives(problem, lp)


def test_grace_credit_that_cures_lets_more_carry() -> None:
    """Grace-window credit counted for a short area adds to the total: more may carry."""

    def entry(name: str, code: str, amount: int, when: dt.date, *, carry: bool) -> Entry:
        grace = when.year > YEAR.end.year
        activity = Activity(
            id=name, title=name, completed=when, credits=Decimal(amount), category=code
        )
        return Entry(
            activity,
            Fraction(amount),
            (code,),
            (PATHS[code],),
            None if grace else when,
            "grace" if grace else "own",
            0,
            carry,
        )

    entries = [
        entry("w", "W", 2, dt.date(2024, 2, 1), carry=False),
        entry("p", "P", 10, dt.date(2024, 3, 1), carry=False),
        entry("v", "V", 12, dt.date(2024, 11, 1), carry=True),
        entry("g1", "W", 3, dt.date(2025, 1, 15), carry=False),
        entry("g2", "P", 5, dt.date(2025, 1, 10), carry=False),
    ]
    requirements = [
        Requirement(
            Minimum(id=f"m-{node}", credits=Decimal(n), selector=_selector(node)),
            YEAR,
            False,
            Fraction(n),
        )
        for node, n in ((None, 20), ("E", 12), ("W", 4))
    ]
    carryover = Carryover(selector=category("E") | category("V"))
    match = Matcher()
    placed = memberships(entries, requirements, [], carryover, match)
    direct = _grace_by_chain(entries, requirements, [], carryover, match, placed=placed)
    assert direct is not None
    lp = _solve(entries, requirements, [], carryover=carryover, needs=(), match=Matcher())
    assert (direct.counted, direct.carried, direct.shortfall) == (
        lp.counted,
        lp.carried,
        lp.shortfall,
    )
    # Ways of working is 2 short; g1 cures it (g2, earlier, serves another area), and the
    # total is then 26: v carries the 6 over 20, not the 4 its own credit spares.
    assert direct.counted[3:] == ((Fraction(2),), (Fraction(0),))
    assert direct.carried[2] == (Fraction(6),)
    assert direct.shortfall == (Fraction(0), Fraction(0), Fraction(0))


def test_rules_that_do_not_nest_go_to_the_linear_program() -> None:
    assert nesting([frozenset({0, 1}), frozenset({1, 2})], 3) is None
    day = dt.date(2024, 3, 1)
    entries = [
        Entry(
            Activity(id=code, title=code, completed=day, credits=Decimal(2), category=code),
            Fraction(2),
            (code,),
            (PATHS[code],),
            day,
            "own",
            0,
            False,
        )
        for code in ("W", "P", "R")
    ]

    def minimum(name: str, selector: Selector) -> Requirement:
        return Requirement(
            Minimum(id=name, credits=Decimal(3), selector=selector), YEAR, False, Fraction(3)
        )

    education = minimum("e", category("E"))
    crossing = minimum("w-or-r", category("W") | category("R"))  # W is in both, P and R not
    assert allocate_by_flow(entries, [education], [], None, Matcher()) is not None
    assert allocate_by_flow(entries, [education, crossing], [], None, Matcher()) is None
    assert allocate(entries, [education, crossing], []).shortfall == (Fraction(0), Fraction(0))
    share = Limit(Cap(id="s", share=Decimal("0.5"), selector=category("W")), YEAR, False)
    assert allocate_by_flow(entries, [education], [share], None, Matcher()) is None
    assert _without_choice(entries, [education], [share], None, Matcher()) is None


def test_a_network_refuses_segments_out_of_cost_order() -> None:
    network = Network()
    with pytest.raises(ValueError, match="increasing order of cost"):
        network.arc(network.source, network.sink, [(1, 5), (1, 2)])


# --- brute force ---------------------------------------------------------------------


def brute_force(problem: Problem) -> tuple[Fraction, ...]:
    """The best (shortfall, grace, counted, carried) over every whole-credit allocation."""
    entries, requirements, limits, carryover = problem
    choices = []
    for entry in entries:
        per_entry: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
        amount = int(entry.amount)
        for xs in itertools.product(range(amount + 1), repeat=len(entry.options)):
            if sum(xs) > amount:
                continue
            ranges = [
                range(x + 1)
                if entry.carry and carryover is not None and _selected(carryover.selector, entry, o)
                else range(1)
                for o, x in enumerate(xs)
            ]
            per_entry.extend((xs, ys) for ys in itertools.product(*ranges))
        choices.append(per_entry)
    best: tuple[Fraction, ...] | None = None
    for pick in itertools.product(*choices):
        allocation = Allocation(
            counted=tuple(tuple(Fraction(x) for x in xs) for xs, _ in pick),
            carried=tuple(tuple(Fraction(y) for y in ys) for _, ys in pick),
            shortfall=(),
        )
        carried = sum(sum(ys) for _, ys in pick)
        if carryover is not None and carryover.cap is not None and carried > carryover.cap:
            continue
        if any(
            kept(problem, allocation, limit.rule.selector, limit.period, limit.scoped, carried=True)
            > Fraction(limit.rule.credits or 0)
            for limit in limits
        ):
            continue
        shortfall = sum(
            (
                max(
                    Fraction(0),
                    r.required
                    - kept(problem, allocation, r.rule.selector, r.period, r.scoped, carried=False),
                )
                for r in requirements
            ),
            Fraction(0),
        )
        grace = sum(
            sum(xs) for (xs, _), e in zip(pick, entries, strict=True) if e.source == "grace"
        )
        score = (
            -shortfall,
            -Fraction(grace),
            Fraction(sum(sum(xs) for xs, _ in pick)),
            Fraction(carried),
        )
        if best is None or score > best:
            best = score
    assert best is not None
    return best


def _small(problem: Problem) -> bool:
    count = 1
    for entry in problem[0]:
        count *= (int(entry.amount) + 1) ** (2 * len(entry.options))
    whole = all(e.amount.denominator == 1 for e in problem[0]) and all(
        r.required.denominator == 1 for r in problem[1]
    )  # the enumeration's grid: whole credits (caps and carryover caps are whole)
    return whole and count <= 4000


@given(problems(most=4, largest=3).filter(_small))
def test_flow_equals_brute_force_on_small_problems(problem: Problem) -> None:
    entries, requirements, limits, carryover = problem
    flow = allocate_by_flow(entries, requirements, limits, carryover, Matcher())
    if flow is None:
        return
    assert objectives(problem, flow)[:4] == brute_force(problem)
