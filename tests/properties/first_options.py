"""The allocation of PMP-like eligible credit resolved to each entry's first option.

The engine's own answer before :func:`~cperules._engine.allocation_flow.allocate_by_areas`:
kept here as the reference the area-choice properties compare that path with (where
this answers, both must give the same allocation).
"""

from __future__ import annotations

from collections.abc import Sequence

from cperules._engine.allocation import (
    _ZERO,
    Allocation,
    Entry,
    Limit,
    Matcher,
    Membership,
    Requirement,
    _direct,
)
from cperules.rules.carryover import Carryover


def first_options(
    entries: Sequence[Entry],
    requirements: Sequence[Requirement],
    limits: Sequence[Limit],
    carryover: Carryover | None,
    match: Matcher,
    *,
    placed: Sequence[Sequence[Membership]],
) -> Allocation | None:
    """The allocation, computed directly, when eligible entries count in their first option.

    None otherwise. Applies when no credit comes from a grace window and every option of
    an entry falls under the same caps with the same right to carry (PMP's activities
    eligible for two Talent Triangle areas). The minimums that tell an entry's options
    apart (the areas) are the *distinguishing* ones. Each such entry is resolved to its
    first option and the problem solved directly (:func:`_without_choice`); that
    allocation is the program's when it leaves no distinguishing minimum short and
    equals the direct allocation of the relaxed problem, where the distinguishing
    minimums require nothing. In the relaxed problem an entry's options differ in nothing
    the objectives weigh but the tie-break, which prefers the first option; so its
    optimum bounds every allocation of the whole problem on every objective in order,
    and an allocation of the whole problem that reaches it (the distinguishing minimums
    met, so their shortfalls add nothing) is optimal.
    """
    several = [index for index, entry in enumerate(entries) if len(entry.options) > 1]
    if not several or any(entry.source == "grace" for entry in entries):
        return None
    distinguishing: set[int] = set()
    for index in several:
        options = placed[index]
        _, caps, carry = options[0]
        if any(other[1] != caps or other[2] != carry for other in options[1:]):
            return None  # a cap or the carryover tells the options apart
        every = set(options[0][0])
        for reqs, _, _ in options[1:]:
            distinguishing.update(every.symmetric_difference(reqs))
            every.intersection_update(reqs)
    direct = _direct(
        entries, requirements, limits, carryover, placed, relaxed=distinguishing, first=True
    )
    if direct is None:
        return None
    counted, carried = direct.rows(entries)
    for index in several:
        rest = (_ZERO,) * (len(entries[index].options) - 1)
        counted[index] += rest
        carried[index] += rest
    return direct.allocation(counted, carried, match, placed)
