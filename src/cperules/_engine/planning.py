"""Planning: the least credit still needed to complete a cycle, and by when.

From one cycle's allocation problem (kept by :mod:`cperules._engine.cycle`), planning adds
hypothetical credit of every category, topic, kind and delivery the policy names, due by
the cycle's end (or by each year's end where the policy has yearly floors or caps), and
asks the allocation for the least of it that meets every requirement; each amount is then
put on the measure's grid and trimmed back to the least grid amount that still completes
the cycle.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

from cperules._engine.allocation import Entry, Hypothetical, allocate
from cperules._engine.cycle import Problem, cure_window
from cperules.credits import exact, to_decimal
from cperules.ledger import Activity, ActivityKind, Delivery
from cperules.results import Need
from cperules.selectors import deliveries_named, kinds_named, topics_named

__all__ = ["needs"]


def needs(
    problem: Problem, *, as_of: dt.date, paths: Mapping[str, tuple[str, ...]]
) -> tuple[Need, ...]:
    """The least hypothetical credit, per category and topic, that completes ``problem``'s cycle.

    Where the policy has yearly minimums or caps, credit may be asked for in each year
    still to come, due by that year's end.
    """
    cycle, version = problem.cycle, problem.version
    ended = as_of > cycle.due
    curable = cure_window(cycle, version.cycle.grace)
    due = curable.end if ended and curable is not None else cycle.due
    day = cycle.due if ended else min(max(as_of, cycle.period.start), cycle.due)
    days = {day: due}
    yearly = any(r.scoped for r in problem.requirements) or any(
        limit.scoped for limit in problem.limits
    )
    if yearly and not ended:
        days = {max(year.start, day): year.end for year in cycle.years if year.end >= day}
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
        days, codes, topics, kinds, deliveries
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
    step, smallest = exact(version.measure.step), exact(version.measure.smallest)
    asked: list[Fraction] = []
    for amount in allocation.needed:
        steps = max(0, -((smallest - amount) // step))  # ceiling onto the grid
        asked.append(max(smallest, smallest + steps * step) if amount else Fraction(0))
    if asked != list(allocation.needed):
        # Only rounding can ask for more than needed: the exact optimum is least.
        asked = _trim(problem, templates, asked, step, smallest)
    needs = []
    for template, amount in zip(templates, asked, strict=True):
        if amount:
            on_grid = amount
            needs.append(
                Need(
                    credits=to_decimal(on_grid),
                    category=template.option,
                    topic=template.activity.topics[0] if template.activity.topics else None,
                    kind=None if template.activity.kind == "course" else template.activity.kind,
                    delivery=template.activity.delivery,
                    due=days[template.activity.completed],
                )
            )
    return tuple(needs)


def _trim(
    problem: Problem,
    templates: Sequence[Hypothetical],
    asked: list[Fraction],
    step: Fraction,
    smallest: Fraction,
) -> list[Fraction]:
    """Lower each rounded need to the least grid amount that still completes the cycle.

    Rounding the exact optimum up onto the measure's grid can ask for more than
    needed (a quarter credit capped in one category, rounded up to a whole one); each
    need is cut back, one at a time, by a search over its grid points.
    """

    def completes(amounts: Sequence[Fraction]) -> bool:
        extra = [
            Entry(t.activity, amount, (t.option,), (t.path,), t.day, "own" if t.day else "grace")
            for t, amount in zip(templates, amounts, strict=True)
            if amount
        ]
        entries = [*problem.entries, *extra]
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
        low, high = -1, int((amount - smallest) / step)  # k = -1 stands for 0
        while low < high:
            middle = (low + high) // 2
            trimmed[index] = Fraction(0) if middle < 0 else smallest + middle * step
            if completes(trimmed):
                high = middle
            else:
                low = middle + 1
        trimmed[index] = Fraction(0) if high < 0 else smallest + high * step
    return trimmed
