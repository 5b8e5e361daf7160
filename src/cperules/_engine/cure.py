"""The day grace-window credit cured a cycle: the first day by which it met every minimum."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from fractions import Fraction

from cperules._engine.allocation import Allocation, Entry, Limit, Requirement, allocate
from cperules.policy import PolicyVersion

__all__ = ["cure_day"]


def cure_day(
    entries: Sequence[Entry],
    requirements: Sequence[Requirement],
    limits: Sequence[Limit],
    version: PolicyVersion,
    allocation: Allocation,
) -> dt.date:
    """The day grace-window credit first met every requirement.

    Called for a cycle that grace-window credit completed (``allocation`` counts some).
    Whether the credit earned by a day completes the cycle only turns from no to yes as
    the day moves on (more credit never hurts), and the credit ``allocation`` counted,
    all earned by the last day it used, does complete it. The allocation counts the least
    grace-window credit that completes the cycle, so no day by which less was earned can
    be the cure day: the first day is found by bisection between the day by which that
    much was earned and the last day the allocation used (often the same day, and then
    no further allocation is needed). A day by which some minimum selects less credit
    than it requires (caps and carrying aside, which only lessen it) is no cure day:
    where the allocation knows its memberships, that is told without an allocation.
    """
    # Where the allocation knows each entry's minimums (its memberships), a day by which
    # some minimum selects less credit than it requires, caps and carrying aside, cannot
    # be the cure day: no allocation is needed to tell.
    reach = None
    if allocation.placed is not None:
        reach = [{r for reqs, _, _ in options for r in reqs} for options in allocation.placed]

    def met(by: dt.date) -> bool:
        chosen = [
            index
            for index, entry in enumerate(entries)
            if entry.source != "grace" or entry.activity.completed <= by
        ]
        if reach is not None:
            have = [Fraction(0)] * len(requirements)
            for index in chosen:
                for r in reach[index]:
                    have[r] += entries[index].amount
            if any(h < r.required for h, r in zip(have, requirements, strict=True)):
                return False
        return not any(
            allocate(
                [entries[index] for index in chosen], requirements, limits, version.carryover
            ).shortfall
        )

    grace = [
        (entry.activity.completed, entry.amount, allocation.counted_total(index))
        for index, entry in enumerate(entries)
        if entry.source == "grace"
    ]
    last = max(day for day, _, counted in grace if counted)
    needed = sum((counted for _, _, counted in grace), Fraction(0))
    days = sorted({day for day, _, _ in grace if day <= last})
    # No day before the one by which the grace-window credit earned adds up to what the
    # allocation needed (the least that completes the cycle) can be the cure day.
    earned = Fraction(0)
    low = 0
    for low, day in enumerate(days):  # noqa: B007 - low is the first day earning enough
        earned += sum((amount for on, amount, _ in grace if on == day), Fraction(0))
        if earned >= needed:
            break
    high = len(days) - 1  # met(days[high]) holds
    while low < high:
        middle = (low + high) // 2
        if met(days[middle]):
            high = middle
        else:
            low = middle + 1
    return days[high]
