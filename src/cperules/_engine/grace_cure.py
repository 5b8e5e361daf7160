"""Grace-window credit that cures a cycle whose shortfalls nest, chosen directly.

When a cycle ends short and credit earned in its grace window may complete it, the
allocation counts the least grace-window credit that lessens the shortfall most, earlier
credit first (objectives 1-3 and the date tie-break of :mod:`cperules._engine.allocation`).
Where the cycle's own credit leaves no choice and the minimums still short *nest* as the
grace-window credit serves them (each kind of it serves an upper part of one chain of
them: CISSP's Group A serves both minimums, Group B only the total), that choice is made
directly by :func:`chain_cure`, with no program. The verdict kernel
(:mod:`cperules._engine.kernel`) calls it on decimals, the allocation on integer units.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Hashable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Generic, NamedTuple, TypeVar

__all__ = ["Cure", "Graced", "chain_cure"]

N = TypeVar("N", int, Decimal, Fraction)
"""The amounts' type: decimals (the verdict kernel), integer units or fractions (the allocation)."""

K = TypeVar("K", bound=Hashable)
"""What names a grace-window credit (an activity id, an entry's index)."""

Signature = tuple[tuple[int, ...], tuple[int, ...], bool]
"""The minimums (indices) a kind of credit serves, the caps over it, whether it may carry."""


class Graced(NamedTuple, Generic[K, N]):
    """Credit earned in the cycle's grace window: its name, amount, day and signature."""

    key: K
    amount: N
    day: dt.date
    signature: Signature


class Cure(NamedTuple, Generic[K, N]):
    """The grace-window credit counted toward the ended cycle.

    Attributes:
        used: The credit used, by name (only credit used a positive amount).
        total: All of it.
        remaining: Each minimum's shortfall left.
        cured_on: The first day by which the grace-window credit earned cures the cycle
            (None: it does not cure it).
    """

    used: dict[K, N]
    total: N
    remaining: list[N]
    cured_on: dt.date | None


def chain_cure(
    graced: Sequence[Graced[K, N]],
    allowed: Mapping[Signature, N],
    short: Sequence[N],
    *,
    bounds: Sequence[N],
    carried_kinds: set[tuple[int, ...]],
    zero: N,
) -> Cure[K, N] | None:
    """The grace-window credit that counts toward the ended cycle, chosen directly.

    ``graced`` is the grace-window credit in date order (then id); ``allowed`` what the
    cycle's own credit of each kind counts (no choice left in it); ``short`` each
    minimum's shortfall from that credit; ``bounds`` each cap's credits; ``carried_kinds``
    the minimums served by credit that may carry.

    Direct (else None) when the minimums still short nest as the grace-window credit
    serves them, and a cap over it covers no other kind or does not bind. Then, with
    ``E_r`` the credit minimum ``r`` may draw on (nested sets) and ``t_r`` the least of its
    shortfall and all ``E_r`` can give, the allocations with the least shortfall are those
    giving each ``r`` at least ``t_r``; the least grace-window credit among them is the
    largest ``t_r``; and the allocation's tie-break (a weight falling with the date) over
    those is met by taking, in date order, the most of each credit that still lets the
    rest reach every ``t_r`` within that total: nested lower bounds and caps per kind make
    a g-polymatroid, on whose bases the greedy choice is optimal for any weights falling
    with the date. Credit short of a minimum the carry kind serves carries nothing
    (carrying would add to that shortfall or break the cure), so a cycle with credit that
    may carry is direct only when every short minimum is in the carry kind.

    >>> A, B = ((0, 1), (), False), ((0,), (0,), False)  # total 0, group-a 1; B capped
    >>> import datetime as dt
    >>> graced = [Graced("g1", 4, dt.date(2026, 3, 2), B), Graced("g2", 15, dt.date(2026, 3, 9), A)]
    >>> cure = chain_cure(graced, {A: 80, B: 30}, [10, 10], bounds=[30], carried_kinds=set(),
    ...                   zero=0)
    >>> cure.used, cure.total, cure.remaining, cure.cured_on
    ({'g2': 10}, 10, [0, 0], datetime.date(2026, 3, 9))
    """
    gaps = {r: gap for r, gap in enumerate(short) if gap}
    if carried_kinds and not all(r in kind for kind in carried_kinds for r in gaps):
        return None
    earned: dict[Signature, N] = {}  # each kind's grace-window credit, in order first met
    for g in graced:
        earned[g.signature] = earned.get(g.signature, zero) + g.amount
    room = _room(earned, allowed, bounds, zero)
    if room is None:
        return None
    serves = {sig: frozenset(r for r in sig[0] if r in gaps) for sig in earned}
    supply = _capped(earned, room)
    target = {
        r: min(gap, sum((a for sig, a in supply.items() if r in serves[sig]), zero))
        for r, gap in gaps.items()
    }
    needs = {r: t for r, t in target.items() if t}
    chain = sorted(
        {frozenset(r for r in served if r in needs) for served in serves.values()} - {frozenset()},
        key=len,
    )
    if any(not small <= large for small, large in itertools.pairwise(chain)):
        return None  # the shortfalls do not nest
    total = max(needs.values(), default=zero)
    used = _greedy(graced, serves, needs, room, total=total, zero=zero)
    if used is None:
        return None
    remaining = [gap - target.get(r, zero) for r, gap in enumerate(short)]
    cured_on = _cure_day(graced, gaps, serves, room, zero) if used and not any(remaining) else None
    return Cure(used, total, remaining, cured_on)


def _cure_day(
    graced: Sequence[Graced[K, N]],
    gaps: Mapping[int, N],
    serves: Mapping[Signature, frozenset[int]],
    room: Mapping[Signature, N | None],
    zero: N,
) -> dt.date | None:
    """The first day by which the credit earned closes every gap, in one pass by date.

    Each kind's credit earned by a day is added up as the days go, and capped by its
    room (:func:`_capped`) when the day's credit is all in.
    """
    earned: dict[Signature, N] = {}
    ordered = sorted(graced, key=_day)
    for index, g in enumerate(ordered):
        earned[g.signature] = earned.get(g.signature, zero) + g.amount
        if index + 1 < len(ordered) and ordered[index + 1].day == g.day:
            continue  # the day's credit is not all in
        if _reaches(gaps, serves, _capped(earned, room), zero):
            return g.day
    return None


def _day(g: Graced[K, N]) -> dt.date:
    return g.day


def _greedy(
    graced: Sequence[Graced[K, N]],
    serves: Mapping[Signature, frozenset[int]],
    needs: Mapping[int, N],
    room: Mapping[Signature, N | None],
    *,
    total: N,
    zero: N,
) -> dict[K, N] | None:
    """In date order, the most of each credit that still lets the rest reach ``needs``.

    Within ``total`` in all; None if the pass does not reach them (not expected).
    """
    budget = total
    need = dict(needs)
    left = dict(room)
    used: dict[K, N] = {}
    for g in graced:  # in date order (then id)
        served = serves[g.signature]
        if not budget or not any(r in needs for r in served):
            continue
        take = min(g.amount, budget)
        bound = left[g.signature]
        if bound is not None:
            take = min(take, bound)
        for r, gap in need.items():
            if r not in served:
                take = min(take, budget - max(gap, zero))
        if take <= 0:
            continue
        used[g.key] = take
        budget -= take
        if bound is not None:
            left[g.signature] = bound - take
        for r in served:
            if r in need:
                need[r] -= take
    if budget or any(gap > 0 for gap in need.values()):
        return None
    return used


def _room(
    earned: Mapping[Signature, N],
    allowed: Mapping[Signature, N],
    bounds: Sequence[N],
    zero: N,
) -> dict[Signature, N | None] | None:
    """What each kind of grace-window credit may still add under its caps (None: no cap).

    ``earned`` is the grace-window credit of each kind. None when a cap over several
    kinds binds: which kind it admits is a choice.
    """
    room: dict[Signature, N | None] = {}
    for signature in earned:
        bound: N | None = None
        for c in signature[1]:
            under = [other for other in allowed if c in other[1]]
            graced_under = [other for other in earned if c in other[1]]
            if set(under).union(graced_under) - {signature}:
                total = sum((allowed[other] for other in under), zero) + sum(
                    (earned[other] for other in graced_under), zero
                )
                if total > bounds[c]:
                    return None
                continue
            left = bounds[c] - allowed.get(signature, zero)
            bound = left if bound is None else min(bound, left)
        room[signature] = bound
    return room


def _capped(
    earned: Mapping[Signature, N], room: Mapping[Signature, N | None]
) -> dict[Signature, N]:
    """Each kind's grace-window credit ``earned``, up to its room under the caps."""
    supply: dict[Signature, N] = {}
    for signature, amount in earned.items():
        bound = room[signature]
        supply[signature] = amount if bound is None else min(amount, bound)
    return supply


def _reaches(
    gaps: Mapping[int, N],
    serves: Mapping[Signature, frozenset[int]],
    supply: Mapping[Signature, N],
    zero: N,
) -> bool:
    """Whether ``supply`` can close every gap (each minimum draws on the kinds serving it)."""
    return all(
        sum((a for sig, a in supply.items() if r in serves[sig]), zero) >= gap
        for r, gap in gaps.items()
    )
