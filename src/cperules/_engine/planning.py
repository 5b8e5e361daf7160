"""Planning: the least credit still needed to complete a cycle, of what, and by when.

From one cycle's allocation problem (kept by :mod:`cperules._engine.cycle`), planning adds
hypothetical credit of every category, topic, kind and delivery the policy names (in each
year still to come, where the policy has yearly minimums or caps) and asks the allocation
for the least of it that meets every requirement; each amount is then put on the
measure's grid and trimmed back to the least grid amount that still completes the cycle.

Each need is then read against the rules (:class:`_Plan`): which part of it must be of
its category, which other categories may supply the rest and within which limits, and
its due date, the due date of the requirement it serves (a cap never sets one).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

from cperules._engine import lp
from cperules._engine.allocation import (
    Entry,
    Hypothetical,
    Limit,
    Requirement,
    allocate,
    least_need,
)
from cperules._engine.cycle import Problem, cure_window
from cperules.credits import exact, to_decimal
from cperules.cycles import Period
from cperules.ledger import Activity, ActivityKind, Delivery
from cperules.results import Need, NeedLimit
from cperules.selectors import deliveries_named, kinds_named, topics_named

__all__ = ["needs"]


def needs(
    problem: Problem, *, as_of: dt.date, paths: Mapping[str, tuple[str, ...]]
) -> tuple[Need, ...]:
    """The least hypothetical credit, per category and topic, that completes ``problem``'s cycle.

    Where the policy has yearly minimums or caps, credit may be asked for in each year
    still to come (as late as the rules allow). Each need says which part of it must be
    of its category and which any of several categories may supply (see :class:`_Plan`).
    """
    cycle, version = problem.cycle, problem.version
    ended = as_of > cycle.due
    curable = cure_window(cycle, version.cycle.grace)
    due = curable.end if ended and curable is not None else cycle.due
    day = cycle.due if ended else min(max(as_of, cycle.period.start), cycle.due)
    years: dict[dt.date, Period | None] = {day: None}
    floors = any(r.scoped for r in problem.requirements)
    if (floors or any(limit.scoped for limit in problem.limits)) and not ended:
        ahead = [year for year in cycle.years if year.end >= day]
        # With yearly floors, the latest year first: among equally small plans, credit
        # that only a cycle requirement needs is asked for as late as the floors allow,
        # not in the first year. With yearly caps alone, the current year first.
        years = {max(y.start, day): y for y in (reversed(ahead) if floors else ahead)}
    codes: list[str | None] = [*paths] or [None]
    topics: list[str | None] = [None]
    kinds: list[ActivityKind | None] = [None]
    deliveries: list[Delivery | None] = [None]
    # What requirements ask for, and what caps leave room for, may need a topic, kind
    # or delivery of its own.
    selectors = [r.rule.selector for r in problem.requirements]
    selectors += [limit.rule.selector for limit in problem.limits]
    for selector in selectors:
        topics.extend(sorted(n for n in topics_named(selector) if n not in topics))
        kinds.extend(sorted(k for k in kinds_named(selector) - {"credential"} if k not in kinds))
        deliveries.extend(sorted(d for d in deliveries_named(selector) if d not in deliveries))
    templates = []
    for when, code, topic, kind, delivery in itertools.product(
        years, codes, topics, kinds, deliveries
    ):
        activity = Activity(
            id="(needed)",
            title="credit still needed",
            completed=when,
            credits=Decimal(1),
            category=code,
            topics=(topic,) if topic else (),
            kind=kind or "course",
            delivery=delivery,
            approved=True,
        )
        path = paths[code] if code is not None else ()
        # Credit that cures an ended cycle is earned in its grace window, so it counts
        # toward the cycle but toward none of its years (as a grace-window claim does).
        templates.append(Hypothetical(activity, code, path, None if ended else when))
    allocation = allocate(
        problem.entries, problem.requirements, problem.limits, version.carryover, templates
    )
    grid = _Grid(exact(version.measure.step), exact(version.measure.smallest))
    asked = [grid.up(amount) if amount else Fraction(0) for amount in allocation.needed]
    if asked != list(allocation.needed):
        # Only rounding can ask for more than needed: the exact optimum is least.
        asked = _trim(problem, templates, asked, grid)
    plan = _Plan(problem, templates, asked, grid)
    found = [plan.need(index, years, due) for index, amount in enumerate(asked) if amount]
    return tuple(
        sorted(found, key=lambda n: (n.due, n.within.start if n.within is not None else n.due))
    )


class _Grid:
    """The amounts a measure can ask for: 0, ``smallest``, ``smallest + step``, ..."""

    def __init__(self, step: Fraction, smallest: Fraction) -> None:
        self.step, self.smallest = step, smallest
        # A need's parts are whole numbers of the grain: the largest amount both the step
        # and the smallest amount are multiples of (0.5 for a step of 1 from 0.5).
        self.grain = Fraction(
            math.gcd(step.numerator * smallest.denominator, smallest.numerator * step.denominator),
            step.denominator * smallest.denominator,
        )

    def up(self, amount: Fraction) -> Fraction:
        """The least grid amount of at least ``amount`` (``amount`` > 0)."""
        steps = max(0, -((self.smallest - amount) // self.step))  # ceiling onto the grid
        return max(self.smallest, self.smallest + steps * self.step)

    def down(self, amount: Fraction) -> Fraction:
        """The largest grid amount of at most ``amount``."""
        if amount < self.smallest:
            return Fraction(0)
        return self.smallest + ((amount - self.smallest) // self.step) * self.step

    def steps_down(self, amount: Fraction) -> Fraction:
        """The largest whole number of grains of at most ``amount`` (a part of a need)."""
        return (amount // self.grain) * self.grain

    def steps_up(self, amount: Fraction) -> Fraction:
        """The least whole number of grains of at least ``amount``."""
        return -((-amount) // self.grain) * self.grain

    def point(self, k: int) -> Fraction:
        """Grid point ``k`` (``k = -1`` stands for 0)."""
        return Fraction(0) if k < 0 else self.smallest + k * self.step


def _in_scope(day: dt.date | None, period: Period, scoped: bool) -> bool:
    return not scoped or (day is not None and day in period)


_Budget = tuple[str, int]
"""A minimum (``("minimum", index)``) or a cap (``("cap", index)``) of the problem."""


class _Plan:
    """A plan's needs read against the rules: what is required, what is free, by when.

    The least plan (``asked``, one amount per hypothetical template) is allocated once
    with the cycle's own credit. Each requirement then has a margin (what it counts
    beyond its minimum) and each cap some room (what it could still count). Moving
    credit of a need from its category to another one of the same day, topic, kind and
    delivery loses it for the minimums only the first counts, and spends room in the
    caps only the second falls under; the need may move as much as those margins and
    rooms allow. Needs take their share of the margins and rooms in order, so that any
    choice, need by need, within the limits stated keeps the cycle complete.

    The part of a need that must stay in its category is the least of it in any plan of
    the same total with the other days, topics, kinds and deliveries as asked (solved
    exactly); what the alternatives cannot take within the limits stays required too.
    """

    def __init__(
        self,
        problem: Problem,
        templates: Sequence[Hypothetical],
        asked: Sequence[Fraction],
        grid: _Grid,
    ) -> None:
        self.problem, self.templates, self.asked, self.grid = problem, templates, asked, grid
        self.total = sum(asked, Fraction(0))
        extra = _entries(templates, asked)
        self.entries = [*problem.entries, *extra]
        allocation = allocate(
            self.entries, problem.requirements, problem.limits, problem.version.carryover
        )
        self.complete = not any(allocation.shortfall)
        self.counted = {
            index: allocation.counted_total(len(problem.entries) + position)
            for position, index in enumerate(i for i, amount in enumerate(asked) if amount)
        }
        self.budgets: dict[_Budget, Fraction] = {}
        for r, requirement in enumerate(problem.requirements):
            got = Fraction(0)
            for i, entry in enumerate(self.entries):
                if _in_scope(entry.day, requirement.period, requirement.scoped):
                    for o, path in enumerate(entry.paths):
                        if requirement.rule.selector.matches(entry.activity, categories=path):
                            got += allocation.counted[i][o] - allocation.carried[i][o]
            self.budgets["minimum", r] = max(Fraction(0), got - requirement.required)
        for c, limit in enumerate(problem.limits):
            used = Fraction(0)
            for i, entry in enumerate(self.entries):
                for o, path in enumerate(entry.paths):
                    used += (
                        _weight(limit, entry.day, entry.activity, path) * (allocation.counted[i][o])
                    )
            bound = Fraction(0) if limit.rule.credits is None else exact(limit.rule.credits)
            self.budgets["cap", c] = max(Fraction(0), bound - used)

    def _serves(self, index: int, r: int) -> bool:
        requirement, template = self.problem.requirements[r], self.templates[index]
        return _in_scope(template.day, requirement.period, requirement.scoped) and (
            requirement.rule.selector.matches(template.activity, categories=template.path)
        )

    def _costs(self, base: int, other: int) -> dict[_Budget, Fraction]:
        """What one credit moved from template ``base`` to ``other`` spends, per budget."""
        costs: dict[_Budget, Fraction] = {}
        for r in range(len(self.problem.requirements)):
            if self._serves(base, r) and not self._serves(other, r):
                costs["minimum", r] = Fraction(1)
        for c, limit in enumerate(self.problem.limits):
            there, here = self.templates[other], self.templates[base]
            cost = _weight(limit, there.day, there.activity, there.path) - _weight(
                limit, here.day, here.activity, here.path
            )
            if cost > 0:
                costs["cap", c] = cost
        return costs

    def need(self, index: int, years: Mapping[dt.date, Period | None], due: dt.date) -> Need:
        """The need for template ``index``: its parts, alternatives, limits and dates."""
        template, amount = self.templates[index], self.asked[index]
        activity = template.activity
        year = years[activity.completed]
        free, alternatives, limits = self._choice(index)
        return Need(
            credits=to_decimal(amount),
            category=template.option,
            topic=activity.topics[0] if activity.topics else None,
            kind=None if activity.kind == "course" else activity.kind,
            delivery=activity.delivery,
            due=min(year.end, due) if year is not None and self._floor(index) else due,
            free=to_decimal(free),
            alternatives=alternatives,
            limits=limits,
            within=year if year is not None and self._yearly(index) else None,
        )

    def _floor(self, index: int) -> bool:
        """Whether a yearly minimum would be short without this template's credit."""
        return any(
            requirement.scoped
            and self._serves(index, r)
            and self.budgets["minimum", r] < self.counted.get(index, Fraction(0))
            for r, requirement in enumerate(self.problem.requirements)
        )

    def _yearly(self, index: int) -> bool:
        """Whether a yearly minimum or cap applies to this template's credit."""
        template = self.templates[index]
        return any(
            r.scoped and self._serves(index, n) for n, r in enumerate(self.problem.requirements)
        ) or any(
            limit.scoped and _weight(limit, template.day, template.activity, template.path)
            for limit in self.problem.limits
        )

    def _choice(self, index: int) -> tuple[Fraction, tuple[str, ...], tuple[NeedLimit, ...]]:
        """The free part of need ``index``, its alternative categories and their limits."""
        template, amount = self.templates[index], self.asked[index]
        key = _key(template)
        same = [i for i, other in enumerate(self.templates) if _key(other) == key]
        if template.option is None or len(same) < 2 or not self.complete:
            return Fraction(0), (), ()
        pinned = {i: a for i, a in enumerate(self.asked) if i not in same}
        problem = self.problem
        least = least_need(
            problem.entries,
            problem.requirements,
            problem.limits,
            problem.version.carryover,
            self.templates,
            pinned=pinned,
            total=self.total,
            index=index,
        )
        if least is None:
            return Fraction(0), (), ()
        movable = amount - min(amount, self.grid.steps_up(least))
        if not movable:
            return Fraction(0), (), ()
        bounds: dict[int, Fraction] = {}
        costs: dict[int, dict[_Budget, Fraction]] = {}
        seen: set[str | None] = {template.option}
        for other in same:
            option = self.templates[other].option
            if option in seen:  # the need's own category, or one already listed
                continue
            seen.add(option)
            costs[other] = self._costs(index, other)
            bound = movable
            for budget, cost in costs[other].items():
                bound = min(bound, self.budgets[budget] / cost)
            bound = self.grid.steps_down(bound)
            if bound:
                bounds[other] = bound
        if not bounds:
            return Fraction(0), (), ()
        touched: dict[_Budget, list[int]] = {}
        for other in bounds:
            for budget in costs[other]:
                touched.setdefault(budget, []).append(other)
        limits = _limits(
            {
                budget: (
                    members,
                    self.grid.steps_down(self.budgets[budget] / _spend(costs, budget)),
                    self._scoped(budget).scoped,
                )
                for budget, members in touched.items()
            },
            movable,
        )
        free = min(movable, self.grid.steps_down(_capacity(bounds, limits, movable)))
        if not free:
            return Fraction(0), (), ()
        for budget in touched:
            self.budgets[budget] -= min(self.budgets[budget], free * _spend(costs, budget))
        return (
            free,
            tuple(str(self.templates[other].option) for other in bounds),
            tuple(self._limit(budget, members, at_most) for budget, members, at_most in limits),
        )

    def _scoped(self, budget: _Budget) -> Requirement | Limit:
        """The minimum or cap a budget belongs to."""
        kind, position = budget
        if kind == "minimum":
            return self.problem.requirements[position]
        return self.problem.limits[position]

    def _limit(self, budget: _Budget, members: Sequence[int], at_most: Fraction) -> NeedLimit:
        kind = budget[0]
        scoped = self._scoped(budget)
        return NeedLimit(
            rule=scoped.rule.id,
            kind="minimum" if kind == "minimum" else "cap",
            categories=tuple(str(self.templates[m].option) for m in members),
            at_most=to_decimal(at_most),
            period=scoped.period if scoped.scoped else None,
        )


def _spend(costs: Mapping[int, Mapping[_Budget, Fraction]], budget: _Budget) -> Fraction:
    """The most one credit moved to any alternative spends of ``budget``."""
    return max(cost[budget] for cost in costs.values() if budget in cost)


def _limits(
    touched: Mapping[_Budget, tuple[list[int], Fraction, bool]], movable: Fraction
) -> list[tuple[_Budget, list[int], Fraction]]:
    """The limits worth stating, none that another implies.

    A cap is stated where it bounds its alternatives to no more than the free part (it
    says which cap bounds them), a minimum only where it bounds them below it; a yearly
    rule always, since it says in which year the credit must be earned.
    """
    kept = [
        (budget, members, at_most, scoped)
        for budget, (members, at_most, scoped) in touched.items()
        if scoped or at_most < movable or (budget[0] == "cap" and at_most == movable)
    ]
    return [
        (budget, members, at_most)
        for budget, members, at_most, scoped in kept
        if scoped
        or not any(
            other != budget
            and set(members) <= set(wider)
            and (bound, other[0]) < (at_most, budget[0])  # "cap" sorts before "minimum"
            for other, wider, bound, _ in kept
        )
    ]


def _key(template: Hypothetical) -> tuple[object, ...]:
    """What a need's alternatives share with it: the day, topic, kind and delivery."""
    activity = template.activity
    return (template.day, activity.completed, activity.topics, activity.kind, activity.delivery)


def _weight(
    limit: Limit, day: dt.date | None, activity: Activity, path: tuple[str, ...]
) -> Fraction:
    """What one credit adds to ``limit``'s row: 1 if selected, less its share of the whole."""
    if not _in_scope(day, limit.period, limit.scoped):
        return Fraction(0)
    share = Fraction(0) if limit.rule.share is None else exact(limit.rule.share)
    matched = Fraction(1) if limit.rule.selector.matches(activity, categories=path) else Fraction(0)
    return matched - share


def _capacity(
    bounds: Mapping[int, Fraction],
    limits: Sequence[tuple[_Budget, list[int], Fraction]],
    movable: Fraction,
) -> Fraction:
    """The most the alternatives can take together, within their bounds and the limits."""
    order = list(bounds)
    constraints = [
        lp.Constraint({order.index(m): Fraction(1) for m in members}, "<=", at_most)
        for _, members, at_most in limits
    ]
    constraints.append(lp.Constraint(dict.fromkeys(range(len(order)), Fraction(1)), "<=", movable))
    problem = lp.Problem(
        variables=len(order),
        constraints=tuple(constraints),
        upper={position: bounds[other] for position, other in enumerate(order)},
    )
    solution = lp.maximise(problem, [dict.fromkeys(range(len(order)), Fraction(1))])
    return sum(solution.values, Fraction(0))


def _entries(templates: Sequence[Hypothetical], amounts: Sequence[Fraction]) -> list[Entry]:
    """The planned credit as entries of the cycle (grace-window credit for an ended one)."""
    return [
        Entry(t.activity, amount, (t.option,), (t.path,), t.day, "own" if t.day else "grace")
        for t, amount in zip(templates, amounts, strict=True)
        if amount
    ]


def _trim(
    problem: Problem, templates: Sequence[Hypothetical], asked: list[Fraction], grid: _Grid
) -> list[Fraction]:
    """Lower each rounded need to the least grid amount that still completes the cycle.

    Rounding the exact optimum up onto the measure's grid can ask for more than
    needed (a quarter credit capped in one category, rounded up to a whole one); each
    need is cut back, one at a time, by a search over its grid points.
    """

    def completes(amounts: Sequence[Fraction]) -> bool:
        entries = [*problem.entries, *_entries(templates, amounts)]
        allocation = allocate(
            entries, problem.requirements, problem.limits, problem.version.carryover
        )
        return not any(allocation.shortfall)

    if not any(asked) or not completes(asked):
        return asked  # nothing asked, or no credit can complete it: keep the best effort
    trimmed = list(asked)
    for index, amount in enumerate(asked):
        if not amount:
            continue
        # Grid points below ``amount``: 0, smallest, smallest + step, ...
        low, high = -1, int((amount - grid.smallest) / grid.step)  # k = -1 stands for 0
        while low < high:
            middle = (low + high) // 2
            trimmed[index] = grid.point(middle)
            if completes(trimmed):
                high = middle
            else:
                low = middle + 1
        trimmed[index] = grid.point(high)
    return trimmed
