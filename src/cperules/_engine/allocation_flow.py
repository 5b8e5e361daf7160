r"""The allocation of nested caps and minimums, solved exactly as a minimum-cost flow.

Most policies nest their rules: the credit a cap selects forms a tree (giving back, and
working as a practitioner inside it), and so does the credit the minimums select (the
total, education inside it, each Talent Triangle area inside that). Then the allocation
program of :mod:`cperules._engine.allocation` is a network flow, which
:mod:`cperules._engine.flow` solves exactly in integers, in time that grows with the
number of activities about linearly (the network has a node per *kind* of credit, not per
activity).

The network, from source to sink::

    source -> caps, outermost first -> kind -> kept -> minimums, innermost first -> sink
                                            \-> carried -> (carryover cap) -> sink

A *kind* gathers the entries whose credit is interchangeable: in the same innermost cap,
under the same innermost minimum per category option, with the same right to carry over
and the same source (grace-window credit or not). Each minimum's arc to its parent has a
first segment as large as the minimum that earns a reward per unit (the shortfall
avoided) and a free one beyond it; each cap's arc holds what it caps; a kind's arc carries
what it counts. Costs are the allocation's objectives folded into one integer, each
weighted above everything the objectives after it can add up to, so the flow of least
cost is the lexicographic optimum of the linear program: least shortfall, least
grace-window credit, most counted, most carried, then the same tie-break (each unit kept
in the cycle is worth more the earlier its entry; a unit carried out is worth the same
from any entry, so later credit is carried first, as the direct path does).

Some of it is decided alike by every optimum and left out of the search: credit of a
kind with one category option that no cap can stop, that cannot carry and is not grace
credit counts in full along its one path (counting it gains more than all that the
objectives after the shortfall weigh, and nothing stops it), so the caps and minimums
over it take it as given.

A kind whose credit counts in full in every optimum (no cap can stop it, no grace-window
credit) and may carry keeps its credit in one segment and prices what it carries entry
by entry instead, latest first: with all its credit counted, the tie-break's worth of
its kept units (each the more the earlier its entry) and carried ones (each alike) is a
constant plus a worth per carried unit that rises with its entry's date (the linear
program's own form of the tie-break), so the optimum is the same; but the search then
fills the kind's kept credit in one step instead of one per entry (most credit is kept,
little carries). Only its latest entries may carry at all: the kind carries at most its
credit, the carryover cap and what each minimum it serves could spare (or carrying less
would lessen that minimum's shortfall). A kind with several options whose credit counts
in full and cannot carry keeps what it counts: its options leave its own node.

Of a kind that a cap may stop (not grace-window credit), the earliest entries that every
optimum keeps share one segment, at the earliest one's price: every optimum fills it
(each keeps a kind's earliest credit first), so the price of the rest of it only shifts
every optimum's cost alike. Every optimum counts at least what a cap over the kind has
room for beyond all the other kinds under it (an optimum that leaves some of the kind
uncounted has such a cap full, or counting more would be better), and keeps that less
what the kind could carry at most.

The rules' trees and where each distinct set of an entry's options falls in them depend on
those options alone (memberships are shared by entries that fall alike, and across the
problems of one rule layout): they are worked out once and kept (:func:`_layout`).

A kind counted in full that every optimum carries whole (every minimum it could count in
keeps its requirement were all credit that may carry carried, and no carryover cap
binds) has one carry segment: every optimum fills it (:func:`_carries_all`).

Where the rules do not nest, a cap takes a share of everything, a cap separates the
category options of one entry, or the options of one entry differ in whether they may
carry, :func:`allocate_by_flow` returns ``None`` and the linear program decides.

Credit eligible for several areas that no cap or carryover tells apart (PMP's Talent
Triangle areas) is mostly placed without the flow (:func:`allocate_by_areas`): what
carries keeps every area met, then the kept credit moves into the areas that need it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar

from cperules._engine.allocation import (
    _ZERO,
    NOTHING,
    Allocation,
    Entry,
    Limit,
    Matcher,
    Membership,
    Requirement,
    _direct,
    _Fractions,
    _in_order,
    carry_latest_first,
    memberships,
)
from cperules._engine.flow import Network
from cperules.credits import _keep, exact
from cperules.rules.carryover import Carryover

_Units = TypeVar("_Units", int, Decimal)

__all__ = ["allocate_by_areas", "allocate_by_flow", "carry_within", "moved_one_step", "nesting"]


def nesting(sets: Sequence[frozenset[int]], members: int) -> tuple[list[int], list[int]] | None:
    """The tree of a laminar family of sets of ``0..members-1``, or ``None`` if not laminar.

    Returns:
        Each set's parent (``-1``: none) and each member's innermost set (``-1``: none).
        Equal sets nest in index order.

    >>> nesting([frozenset({0, 1, 2}), frozenset({1}), frozenset({2})], 4)
    ([-1, 0, 0], [0, 1, 2, -1])
    >>> nesting([frozenset({0, 1}), frozenset({1, 2})], 3) is None
    True
    """
    order = sorted(range(len(sets)), key=lambda s: (-len(sets[s]), s))
    chains: list[list[int]] = [[] for _ in range(members)]
    for s in order:
        for member in sets[s]:
            chains[member].append(s)
    parent: list[int | None] = [None] * len(sets)
    leaf = [-1] * members
    for member, chain in enumerate(chains):
        above = -1
        for s in chain:
            known = parent[s]
            if known is None:
                parent[s] = above
            elif known != above:
                return None
            above = s
        leaf[member] = above
    return [-1 if p is None else p for p in parent], leaf


def _slack_chain(leaf: int, parent: Sequence[int], slack: Sequence[bool]) -> bool:
    """Whether no cap from ``leaf`` up to the outermost can bind (``-1``: no cap)."""
    while leaf >= 0:
        if not slack[leaf]:
            return False
        leaf = parent[leaf]
    return True


def _chain(leaf: int, parent: Sequence[int]) -> set[int]:
    """``leaf`` and the sets above it (``-1``: none)."""
    chain = set()
    while leaf >= 0:
        chain.add(leaf)
        leaf = parent[leaf]
    return chain


def _most_carried(
    total: int,
    minimum_leaves: Sequence[int],
    minimum_parent: Sequence[int],
    spare: Sequence[int],
    carry_cap: int | None,
) -> int:
    """How much of a kind's credit (``total``) that counts in full any optimum carries, at most.

    The kind carries at most its credit, the carryover cap, and what each minimum that
    every option of the kind serves could spare (``spare``).
    """
    served = set.intersection(*(_chain(leaf, minimum_parent) for leaf in minimum_leaves))
    most = min((total, *(spare[r] for r in served)))
    return most if carry_cap is None else min(most, carry_cap)


def _surely_counted(
    total: int, leaf: int, cap_parent: Sequence[int], room: Sequence[int], under: Sequence[int]
) -> int:
    """How much of a kind's credit (``total``, not grace-window credit) every optimum counts.

    An optimum that leaves some of it uncounted has a cap over it full (else counting
    more would be better, and nothing the objectives weigh before the counted total
    suffers), so the kind counts at least that cap's ``room`` less what the other kinds
    under it (``under``: all of them, this one too) could count: the least over the caps
    from ``leaf`` up, and never more than ``total``.
    """
    least = total
    while leaf >= 0:
        least = min(least, room[leaf] - (under[leaf] - total))
        leaf = cap_parent[leaf]
    return max(0, least)


def _carries_all(  # noqa: PLR0917 - the kinds, and the trees they fall in
    kinds: dict[tuple[bool, int, bool, tuple[int, ...]], list[int]],
    units: Sequence[int],
    cap_parent: Sequence[int],
    minimum_parent: Sequence[int],
    slack: Sequence[bool],
    given: Sequence[int],
    requirements: Sequence[Requirement],
    scale: int,
) -> tuple[set[tuple[int, ...]], int]:
    """The kinds that every optimum carries in full (by their minimums), and all that may carry.

    A kind counted in full (no cap can stop it, no grace-window credit) that may carry
    is carried in full where every minimum any of its options falls under keeps its
    requirement even were all credit that may carry carried: the credit counted in full
    whose every option falls under it (``given`` it, too) less all that may carry and
    could count in it. Carrying one more unit of it then lessens no minimum's credit
    below its requirement and raises the carried total. (The carryover cap is the
    caller's to check against the second answer.) Returned by their minimums' leaves
    among the kinds that count in full and may carry; a kind is known by those, its cap
    leaf, its source and its right to carry.
    """
    surely = list(given)
    carryable = [0] * len(requirements)
    candidates: list[tuple[tuple[int, ...], set[int]]] = []
    for (grace, leaf, may_carry, minimum_leaves), members in kinds.items():
        amount = sum(units[i] for i in members)
        chains = [_chain(minimum, minimum_parent) for minimum in minimum_leaves]
        reaches = set().union(*chains)
        full = not grace and _slack_chain(leaf, cap_parent, slack)
        if full:
            for r in set.intersection(*chains):
                surely[r] += amount
        if may_carry:
            for r in reaches:
                carryable[r] += amount
            if full:
                candidates.append((minimum_leaves, reaches))
    total = sum(
        sum(units[i] for i in members)
        for (_, _, may_carry, _), members in kinds.items()
        if may_carry
    )
    sure = {
        minimum_leaves
        for minimum_leaves, reaches in candidates
        if all(surely[r] - carryable[r] >= _units(requirements[r].required, scale) for r in reaches)
    }
    return sure, total


def _carry_segments(
    members: Sequence[int], units: Sequence[int], most: int, price: Callable[[int], int]
) -> list[tuple[int, int]]:
    """A kind's carry segments: its latest members' credit, up to ``most`` in all.

    ``members`` come earliest first; each segment is (capacity, ``price(member)``), latest
    member first (the cheapest: the latest credit carries first).

    >>> _carry_segments([4, 7, 9], [0, 0, 0, 0, 2, 0, 0, 3, 0, 1], 3, lambda m: -m)
    [(1, -9), (2, -7)]
    >>> _carry_segments([4, 7, 9], [0, 0, 0, 0, 2, 0, 0, 3, 0, 1], 9, lambda m: -m)
    [(1, -9), (3, -7), (2, -4)]
    """
    segments = []
    for member in reversed(members):
        if most <= 0:
            break
        take = min(units[member], most)
        segments.append((take, price(member)))
        most -= take
    return segments


def _kept_groups(members: Sequence[int], units: Sequence[int], kept: int) -> list[list[int]]:
    """The kind's members (earliest first) in kept-segment groups.

    The earliest members whose credit adds up to at most ``kept`` (kept in every optimum)
    share one segment, at the earliest one's price: every optimum fills it, so the price
    of the rest of it changes no optimum. Every later member has its own segment.

    >>> _kept_groups([4, 7, 9], [0, 0, 0, 0, 2, 0, 0, 3, 0, 1], 5)
    [[4, 7], [9]]
    >>> _kept_groups([4, 7, 9], [0, 0, 0, 0, 2, 0, 0, 3, 0, 1], 4)
    [[4], [7], [9]]
    """
    groups: list[list[int]] = [[]]
    for member in members:
        if kept >= units[member] and len(groups) == 1:
            groups[0].append(member)
            kept -= units[member]
        else:
            groups.append([member])
    return groups if groups[0] else groups[1:]


def _units(value: Fraction, scale: int) -> int:
    """``value`` in units of ``1 / scale`` (``scale`` a multiple of its denominator)."""
    return value.numerator * (scale // value.denominator)


_Shape = tuple[int, bool, tuple[int, ...], tuple[int, ...], tuple[int, ...]]
"""Where a distinct set of an entry's options falls: its innermost cap (``-1``: none),
whether it may carry, the innermost minimum of each option, and every cap and every
minimum over any of its options."""

_Layout = tuple[list[int], list[int], dict[tuple[Membership, ...], _Shape]]

_LAYOUTS: dict[tuple[int, int, frozenset[tuple[Membership, ...]]], _Layout | None] = {}
""":func:`_layout`'s answers, by its arguments (the options by value). Bounded by
:data:`_KEPT`."""

_BY_IDS: dict[
    tuple[int, int, frozenset[int]],
    tuple[list[Sequence[Membership]], _Layout | None, dict[int, _Shape] | None],
] = {}
"""The same answers by the identity of the options (the memberships of entries that fall
alike are shared, across problems too), each kept with the options it was worked out
for, and each distinct options' shape by identity. Bounded by :data:`_KEPT`."""

_KEPT = 1024


def _layout(
    requirements: int, limits: int, distinct: Iterable[Sequence[Membership]]
) -> _Layout | None:
    """The caps' and the minimums' trees, and the shape of each distinct set of options.

    ``requirements`` and ``limits`` count the rule instances; ``distinct`` are the
    distinct sets of options of a problem's entries (:data:`_Shape`). The rules' sets
    nest over entries' options exactly when they nest over the distinct sets of minimums
    (and of caps) an option falls under. None where they do not nest, or where a cap or
    the carryover tells the options of one entry apart (the linear program decides).

    >>> total, area, capped = ((0, 1), (), False), ((0,), (), False), ((0,), (0,), True)
    >>> cap_parent, minimum_parent, shapes = _layout(2, 1, [[total, area], [capped]])
    >>> cap_parent, minimum_parent
    ([-1], [-1, 0])
    >>> shapes[total, area], shapes[capped,]
    ((-1, False, (1, 0), (), (0, 1)), (0, True, (0,), (0,), (0,)))
    >>> _layout(1, 1, [[((0,), (0,), False), ((0,), (), False)]]) is None
    True
    """
    options_of = [tuple(options) for options in distinct]
    key = (requirements, limits, frozenset(options_of))
    if key in _LAYOUTS:
        return _LAYOUTS[key]
    requirement_types: dict[tuple[int, ...], int] = {}
    cap_types: dict[tuple[int, ...], int] = {}
    for options in options_of:
        for reqs, caps_of, _ in options:
            requirement_types.setdefault(reqs, len(requirement_types))
            cap_types.setdefault(caps_of, len(cap_types))
    requirement_sets = [
        frozenset(t for reqs, t in requirement_types.items() if r in reqs)
        for r in range(requirements)
    ]
    cap_sets = [
        frozenset(t for caps_of, t in cap_types.items() if c in caps_of) for c in range(limits)
    ]
    caps = nesting(cap_sets, len(cap_types))
    minimums = nesting(requirement_sets, len(requirement_types))
    found: _Layout | None = None
    if caps is not None and minimums is not None:
        cap_parent, cap_leaf = caps
        minimum_parent, minimum_leaf = minimums
        shapes: dict[tuple[Membership, ...], _Shape] = {}
        for options in options_of:
            leaves = {cap_leaf[cap_types[caps_of]] for _, caps_of, _ in options}
            carry = {may_carry for _, _, may_carry in options}
            if len(leaves) > 1 or len(carry) > 1:
                break  # a cap or the carryover tells the options apart
            shapes[options] = (
                leaves.pop(),
                carry.pop(),
                tuple(minimum_leaf[requirement_types[reqs]] for reqs, _, _ in options),
                tuple(sorted({c for _, caps_of, _ in options for c in caps_of})),
                tuple(sorted({r for reqs, _, _ in options for r in reqs})),
            )
        else:
            found = (cap_parent, minimum_parent, shapes)
    return _keep(_LAYOUTS, key, found, _KEPT)


def allocate_by_flow(  # noqa: PLR0912, PLR0915 - one network, built and read in one place
    entries: Sequence[Entry],
    requirements: Sequence[Requirement],
    limits: Sequence[Limit],
    carryover: Carryover | None,
    match: Matcher,
    *,
    placed: Sequence[Sequence[Membership]] | None = None,
) -> Allocation | None:
    """The holder-optimal allocation as a minimum-cost flow; ``None`` where rules do not nest.

    ``placed`` is :func:`~cperules._engine.allocation.memberships` of the same problem,
    when the caller has it already.
    """
    if any(limit.rule.share is not None for limit in limits):
        return None
    if placed is None:
        placed = memberships(entries, requirements, limits, carryover, match)
    # The rules' nesting and each distinct options' shape, worked out once per set of
    # distinct options (memberships are shared between entries that fall alike, and the
    # same sets recur from problem to problem of a layout).
    distinct = {id(options): options for options in placed}
    key = (len(requirements), len(limits), frozenset(distinct))
    known = _BY_IDS.get(key)
    if known is None:
        layout = _layout(len(requirements), len(limits), distinct.values())
        by_id = (
            None
            if layout is None
            else {key: layout[2][tuple(options)] for key, options in distinct.items()}
        )
        # The options themselves are kept with the answer: no id in the key is reused
        # while it is kept.
        known = _keep(_BY_IDS, key, (list(distinct.values()), layout, by_id), _KEPT)
    _, layout, by_id = known
    if layout is None or by_id is None:
        return None
    cap_parent, minimum_parent, _ = layout
    cap_bounds = [exact(limit.rule.credits or 0) for limit in limits]
    carry_cap = (
        exact(carryover.cap) if carryover is not None and carryover.cap is not None else None
    )
    ratios = [entry.amount.as_integer_ratio() for entry in entries]
    scale = math.lcm(
        *{denominator for _, denominator in ratios},
        *{requirement.required.denominator for requirement in requirements},
        *{bound.denominator for bound in cap_bounds},
        1 if carry_cap is None else carry_cap.denominator,
    )
    # Entries by their distinct options (and source) first, then by kind: one pass
    # over the entries, and the caps' and minimums' credit added up per distinct options.
    units: list[int] = []
    alike: dict[tuple[int, bool], list[int]] = {}
    for index, (entry, (numerator, denominator)) in enumerate(zip(entries, ratios, strict=True)):
        units.append(numerator * (scale // denominator))
        alike.setdefault((id(placed[index]), entry.source == "grace"), []).append(index)
    kinds: dict[tuple[bool, int, bool, tuple[int, ...]], list[int]] = {}
    # A cap that all the credit it selects fits under never binds: credit capped by
    # nothing else counts in full whatever else is chosen.
    under = [0] * len(limits)
    within = [0] * len(requirements)
    for (options, grace), members in alike.items():
        shape = by_id[options]
        kind = kinds.get((grace, *shape[:3]))
        if kind is None:
            kinds[grace, *shape[:3]] = members
        else:
            kind.extend(members)
        amount = sum(units[i] for i in members)
        for c in shape[3]:
            under[c] += amount
        for r in shape[4]:
            within[r] += amount
    slack = [under[c] <= _units(cap_bounds[c], scale) for c in range(len(limits))]
    supply = sum(units)
    infinite = supply + 1
    size = len(entries) + 1
    widest = max(len(entry.options) for entry in entries) if entries else 1
    base = size * math.lcm(*range(2, widest + 2))
    keys = [entry.key for entry in entries]
    position = [0] * len(entries)
    for p, index in enumerate(sorted(range(len(entries)), key=keys.__getitem__)):
        position[index] = p

    def option_weight(option: int) -> int:
        return base // (size * (option + 2))

    tie = (size + 2) * base
    carried_weight = 2 * supply * tie + 1
    counted_weight = 2 * supply * (carried_weight + tie) + 1
    grace_weight = 2 * supply * (counted_weight + carried_weight + tie) + 1
    shortfall_weight = 2 * supply * (grace_weight + counted_weight + carried_weight + tie) + 1

    # Credit of a kind that no cap can stop (capped by nothing, or only by caps it and
    # everything else under them fit in), cannot carry, is not grace credit and has one
    # category option counts in full, along its one path, in every optimum (counting it
    # gains more than anything after the shortfall weighs, and nothing stops it): it is
    # left out of the network, the caps over it and the minimums it serves taking its
    # credit as given (their arcs start where it leaves them), and so is no step of the
    # flow's search. A sure kind with several options keeps one segment for all its
    # entries (which of them are kept is no choice) and lets the flow choose the options.
    given: list[int] = []
    cap_given = [0] * len(limits)
    minimum_given = [0] * len(requirements)
    for (grace, leaf, may_carry, minimum_leaves), members in list(kinds.items()):
        if may_carry or grace or len(minimum_leaves) != 1:
            continue
        if not _slack_chain(leaf, cap_parent, slack):
            continue
        amount = sum(units[i] for i in members)
        given.extend(members)
        c = leaf
        while c >= 0:
            cap_given[c] += amount
            c = cap_parent[c]
        r = minimum_leaves[0]
        while r >= 0:
            minimum_given[r] += amount
            r = minimum_parent[r]
        del kinds[grace, leaf, may_carry, minimum_leaves]

    network = Network()
    cap_nodes = [network.node() for _ in limits]
    cap_arcs = []
    for c in range(len(limits)):
        tail = network.source if cap_parent[c] < 0 else cap_nodes[cap_parent[c]]
        room = _units(cap_bounds[c], scale) - cap_given[c]
        cap_arcs.append(network.arc(tail, cap_nodes[c], [(room, 0)]))
    minimum_nodes = [network.node() for _ in requirements]
    minimum_arcs = []
    for r, requirement in enumerate(requirements):
        head = network.sink if minimum_parent[r] < 0 else minimum_nodes[minimum_parent[r]]
        required = _units(requirement.required, scale) - minimum_given[r]
        segments = [(required, -shortfall_weight)] if required > 0 else []
        minimum_arcs.append(network.arc(minimum_nodes[r], head, [*segments, (infinite, 0)]))
    carry_node = network.node()
    carry_bound = infinite if carry_cap is None else _units(carry_cap, scale)
    network.arc(carry_node, network.sink, [(carry_bound, 0)])

    # What each minimum could keep at most, beyond what it requires: no optimum carries
    # more than that of the credit it selects (carrying less would lessen its shortfall).
    spare = [
        max(0, within[r] - _units(requirement.required, scale))
        for r, requirement in enumerate(requirements)
    ]
    carry_units = None if carry_cap is None else _units(carry_cap, scale)
    # What the kinds left in the network could count under each cap, at most, and what
    # each cap has room for beyond the credit given it.
    kinds_under = [0] * len(limits)
    for (_, leaf, _, _), members in kinds.items():
        amount = sum(units[i] for i in members)
        c = leaf
        while c >= 0:
            kinds_under[c] += amount
            c = cap_parent[c]
    cap_room = [_units(cap_bounds[c], scale) - cap_given[c] for c in range(len(limits))]
    carries_all = _carries_all(
        kinds, units, cap_parent, minimum_parent, slack, minimum_given, requirements, scale
    )
    if carry_units is not None and carry_units < carries_all[1]:
        carries_all = (set(), 0)  # the carryover cap may bind
    plan: list[tuple[list[list[int]], int, int, list[int], int]] = []
    for (grace, leaf, may_carry, minimum_leaves), members in kinds.items():
        members.sort(key=position.__getitem__)
        node = network.node()
        cost = -counted_weight + (grace_weight if grace else 0)
        tail = network.source if leaf < 0 else cap_nodes[leaf]
        counted_arc = network.arc(tail, node, [(sum(units[i] for i in members), cost)])
        counts_in_full = not grace and _slack_chain(leaf, cap_parent, slack)
        members = [i for i in members if units[i]]  # noqa: PLW2901 - entries with credit
        carry_segments: list[tuple[int, int]] = []
        if counts_in_full:
            # All of it counts: one kept segment (which of it is kept is no choice, or
            # the carried credit's prices make it); what carries is priced entry by
            # entry, latest first, its worth rising with the date.
            groups = [members] if members else []
            kept_segments = [(sum(units[i] for i in members), 0)]
            if may_carry and minimum_leaves in carries_all[0]:
                # Every optimum carries all of it: one segment (its price shifts every
                # optimum's cost alike).
                carry_segments = [
                    (kept_segments[0][0], -(carried_weight + size * base) - option_weight(0))
                ]
            elif may_carry:
                carry_segments = _carry_segments(
                    members,
                    units,
                    _most_carried(
                        kept_segments[0][0], minimum_leaves, minimum_parent, spare, carry_units
                    ),
                    lambda member: (
                        -(carried_weight + (position[member] + 1) * base) - option_weight(0)
                    ),
                )
        else:
            # Each entry's kept credit its own segment, worth the more the earlier it is
            # (but the earliest that every optimum keeps share one); what carries is
            # worth alike from every entry.
            least = 0
            if not grace:
                total = sum(units[i] for i in members)
                least = _surely_counted(total, leaf, cap_parent, cap_room, kinds_under)
                if may_carry:
                    least -= _most_carried(
                        total, minimum_leaves, minimum_parent, spare, carry_units
                    )
            groups = _kept_groups(members, units, least)
            kept_segments = [
                (sum(units[i] for i in group), -(size - position[group[0]]) * base)
                for group in groups
            ]
            if may_carry:
                carry_segments = [
                    (infinite, -(carried_weight + (size + 1) * base + option_weight(0)))
                ]
        option_arcs: list[int] = []
        if len(minimum_leaves) == 1:
            head = network.sink if minimum_leaves[0] < 0 else minimum_nodes[minimum_leaves[0]]
            weight = option_weight(0)
            kept_arc = network.arc(node, head, [(u, c - weight) for u, c in kept_segments])
            option_arcs.append(kept_arc)
        else:
            if counts_in_full and not may_carry:
                # All of it counts and none carries: it is kept as counted (no node of
                # its own for what it keeps).
                kept_node, kept_arc = node, counted_arc
            else:
                kept_node = network.node()
                kept_arc = network.arc(node, kept_node, kept_segments)
            for option, minimum in enumerate(minimum_leaves):
                head = network.sink if minimum < 0 else minimum_nodes[minimum]
                option_arcs.append(
                    network.arc(kept_node, head, [(infinite, -option_weight(option))])
                )
        carry_arc = network.arc(node, carry_node, carry_segments) if may_carry else -1
        plan.append((groups, counted_arc, kept_arc, option_arcs, carry_arc))
    network.solve()

    fraction = _Fractions(scale)
    # Rows of the entries the network placed (the given ones count whole, carry nothing).
    counted_rows: list[tuple[Fraction, ...]] = [(entry.amount,) for entry in entries]
    carried_rows: list[tuple[Fraction, ...]] = [NOTHING] * len(entries)
    for groups, _, kept_arc, option_arcs, carry_arc in plan:
        # Each group's kept credit, earlier members first (one member a group, or all
        # of a kind that counts in full in one).
        members = [member for group in groups for member in group]
        width = len(option_arcs)
        counted = {member: [0] * width for member in members}
        kept = []
        for group, flow in zip(groups, network.segment_flows(kept_arc), strict=True):
            left = flow
            for member in group:
                kept.append(min(left, units[member]))
                left -= kept[-1]
        per_option = [network.flow(arc) for arc in option_arcs]
        option = 0
        for member, amount in zip(members, kept, strict=True):
            left = amount
            while left:
                while not per_option[option]:
                    option += 1
                take = min(left, per_option[option])
                counted[member][option] += take
                per_option[option] -= take
                left -= take
        to_carry = network.flow(carry_arc) if carry_arc >= 0 else 0
        for member in reversed(members):  # later credit carries first
            if not to_carry:
                break
            take = min(to_carry, units[member] - sum(counted[member]))
            if take:
                counted[member][0] += take
                carried_rows[member] = (fraction(take), *(_ZERO,) * (width - 1))
                to_carry -= take
        # An entry with one option counted whole keeps its own amount (read whole at
        # once); one with several that carries nothing shares one row per width.
        nothing = (_ZERO,) * width
        for member in members:
            row = counted[member]
            if width != 1 or row[0] != units[member]:
                counted_rows[member] = tuple(fraction(a) for a in row)
            if width != 1 and carried_rows[member] is NOTHING:
                carried_rows[member] = nothing
    # Entries of no credit (left out of the network's kinds) count and carry nothing.
    for index, amount in enumerate(units):
        width = len(entries[index].options)
        if not amount and width != 1:
            counted_rows[index] = carried_rows[index] = (_ZERO,) * width

    # What a minimum keeps is all that flows through its arc (and the credit given it);
    # what a cap counts, all that flows through its own.
    shortfall = [
        fraction(
            max(
                0,
                _units(requirement.required, scale)
                - minimum_given[r]
                - network.flow(minimum_arcs[r]),
            )
        )
        for r, requirement in enumerate(requirements)
    ]
    binding = [
        cap_given[c] + network.flow(cap_arcs[c]) == _units(cap_bounds[c], scale)
        for c in range(len(limits))
    ]
    return Allocation(
        counted=tuple(counted_rows),
        carried=tuple(carried_rows),
        shortfall=tuple(shortfall),
        binding=tuple(binding),
        match=match,
        placed=placed,
    )


_AREAS_MOST = 6
"""The most distinguishing minimums :func:`allocate_by_areas` takes (it reads every set
of them: 63 at this size)."""


_AreaShape = tuple[Sequence[Membership], int, tuple[int, ...], tuple[int, ...] | None]
"""Where distinct options fall among the areas: the options themselves, their areas as
a mask (``-1``: a shape :func:`allocate_by_areas` does not take), each option's area,
and the other minimums of an option under an area (None: none is under one)."""

_AREA_SHAPES: dict[tuple[int, tuple[int, ...]], _AreaShape] = {}
""":func:`_area_shape`'s answers, by the identity of the options (kept in the answer, so
that no id is reused while it is kept) and the areas. Bounded by :data:`_KEPT`."""


def _area_shape(options: Sequence[Membership], areas: tuple[int, ...]) -> _AreaShape:
    """Where ``options`` fall among ``areas`` (:data:`_AreaShape`), worked out once."""
    key = (id(options), areas)
    known = _AREA_SHAPES.get(key)
    if known is not None and known[0] is options:
        return known
    mask = 0
    where: list[int] = []
    common: tuple[int, ...] | None = None
    for reqs, caps, _ in options:
        inside = [bit for bit, r in enumerate(areas) if r in reqs]
        if not inside:
            if len(options) > 1:
                mask = -1
                break
            continue
        others = tuple(r for r in reqs if r not in areas)
        if len(inside) != 1 or caps or (common is not None and others != common):
            mask = -1
            break
        common = others
        mask |= 1 << inside[0]
        where.append(inside[0])
    return _keep(_AREA_SHAPES, key, (options, mask, tuple(where), common), _KEPT)


def _area_masks(
    placed: Sequence[Sequence[Membership]], areas: tuple[int, ...]
) -> tuple[list[int], list[tuple[int, ...]]] | None:
    """Each entry's areas (a bit per distinguishing minimum) and each option's area.

    ``areas`` are the distinguishing minimums. None where the shape is not
    :func:`allocate_by_areas`'s: an option under an area must be under that one alone,
    under no cap, and under the same other minimums as every option under an area; an
    entry with several options must have each of them under an area. Worked out once
    per distinct options (entries that fall alike share them, across problems too).
    """
    distinct = {id(options): options for options in placed}
    shapes = {key: _area_shape(options, areas) for key, options in distinct.items()}
    common: tuple[int, ...] | None = None
    for shape in shapes.values():
        if shape[1] < 0:
            return None
        others = shape[3]
        if others is not None:
            if common is None:
                common = others
            elif others != common:
                return None
    by_entry = [shapes[id(options)] for options in placed]
    return [shape[1] for shape in by_entry], [shape[2] for shape in by_entry]


def _hall_slack(
    masks: Sequence[int], counted: Sequence[_Units], required: Sequence[_Units]
) -> list[_Units] | None:
    """Per set of areas (a mask), what the credit that can serve them has to spare.

    That is the credit of the entries that can serve one of the areas beyond what they
    require together (``required``: each area's); None where a set falls short (Hall's
    condition fails: some area must stay short whatever the options). Amounts are
    integer units (the allocation) or decimals (the verdict kernel, by the mask of the
    areas credit may serve).

    >>> _hall_slack([0b01, 0b11, 0b10], [3, 4, 1], [5, 2])
    [0, 2, 3, 1]
    >>> _hall_slack([0b01, 0b10], [3, 4], [5, 2]) is None
    True
    >>> from decimal import Decimal
    >>> _hall_slack([0b01, 0b11], [Decimal(3), Decimal(4)], [Decimal(5), Decimal(2)])[-1]
    Decimal('0')
    """
    zero = required[0] - required[0]
    kept: dict[int, _Units] = {}
    for mask, amount in zip(masks, counted, strict=True):
        if mask:
            kept[mask] = kept[mask] + amount if mask in kept else amount
    held = list(kept.items())
    slack = [zero] * (1 << len(required))
    need = [zero] * len(slack)  # what each set of areas requires together
    for subset in range(1, len(slack)):
        low = subset & -subset  # its lowest area, added to the set without it
        need[subset] = need[subset ^ low] + required[low.bit_length() - 1]
        have = zero
        for mask, amount in held:
            if mask & subset:
                have += amount
        if have < need[subset]:
            return None
        slack[subset] = have - need[subset]
    return slack


class _AreaCarry:
    """What carries, latest first, with every area still met by the credit kept.

    Where each entry in its first option meets every area, and what carries so is what
    would carry if the areas required nothing (:func:`_carried_directly` tells), that is
    the answer (:attr:`first`): the first options' own (what
    the first options' allocation answers). Otherwise the areas'
    shape is read (:func:`_area_masks`, kept in :attr:`shape`; None where it is not
    :func:`allocate_by_areas`'s) and the credit kept under the areas meets them all,
    some of it moved to an entry's other options, exactly when every set of areas
    requires no more than the credit kept by the entries that can serve one of them
    (Hall's condition). Those limits, with the other minimums' (nested, and each over
    all the credit under an area or none of it) and the carryover cap, bound a
    polymatroid: carrying each credit's most, latest first, is the program's choice (most
    carried, later credit first), as in :func:`carry_latest_first`. The first options'
    polymatroid lies inside it and the relaxed one's around it, so where those two agree
    on what carries (the greatest in date order), it agrees too; and where what the
    relaxed one carries keeps every area met, that is its answer (the greatest of the
    larger polymatroid, in this one): the greedy choice within Hall's limits
    (:func:`carry_within`) is made only where it does not.
    """

    __slots__ = ("areas", "first", "placed", "shape")

    def __init__(self, placed: Sequence[Sequence[Membership]], areas: tuple[int, ...]) -> None:
        """Carry for a problem of these memberships, with these distinguishing minimums."""
        self.placed = placed
        self.areas = areas
        self.first = True
        self.shape: tuple[list[int], list[tuple[int, ...]]] | None = None

    def read_shape(self) -> tuple[list[int], list[tuple[int, ...]]] | None:
        """The entries' areas (:func:`_area_masks`), read once; None: another shape."""
        if self.shape is None and len(self.areas) <= _AREAS_MOST:
            self.shape = _area_masks(self.placed, self.areas)
        return self.shape

    def __call__(
        self,
        carriers: list[int],
        counted: list[int],
        got: list[int],
        required: Sequence[int],
        cap: int | None,
    ) -> list[int] | None:
        """What each carrier carries (:data:`_Carry`); None where an area must stay short."""
        placed, areas = self.placed, self.areas
        offered = [(counted[index], placed[index][0][0]) for index in carriers]
        spare = [max(0, have - need) for have, need in zip(got, required, strict=True)]
        first = all(got[r] >= required[r] for r in areas)
        strict = carry_latest_first(offered, spare, cap) if first else None
        for r in areas:
            spare[r] = got[r]  # the areas relaxed: they require nothing
        relaxed = carry_latest_first(offered, spare, cap)
        if relaxed == strict:
            return relaxed  # the first options' own (as _carried_directly finds it)
        self.first = False
        shape = self.read_shape()
        if shape is None:
            return None
        masks = shape[0]
        needs = [required[r] for r in areas]
        kept = list(counted)
        for index, amount in zip(carriers, relaxed, strict=True):
            kept[index] -= amount
        if _hall_slack(masks, kept, needs) is not None:
            return relaxed  # the relaxed choice keeps every area met: the greatest here too
        slack = _hall_slack(masks, counted, needs)
        if slack is None:
            return None
        beside: dict[int, tuple[int, ...]] = {}  # each first option's other minimums
        limited = []  # each carrier's credit, other minimums and areas
        for index in carriers:
            reqs = placed[index][0][0]
            others = beside.get(id(reqs))
            if others is None:
                others = beside[id(reqs)] = tuple(r for r in reqs if r not in areas)
            limited.append((counted[index], others, masks[index]))
        spare = [max(0, have - need) for have, need in zip(got, required, strict=True)]
        return carry_within(limited, spare, cap, slack)


def carry_within(
    offered: Sequence[tuple[_Units, tuple[int, ...], int]],
    spare: list[_Units],
    cap: _Units | None,
    slack: list[_Units],
) -> list[_Units]:
    """What each carrier carries: its most, in the order given (latest first), within limits.

    ``offered`` holds each carrier's credit, the minimums it serves beside the areas,
    and the areas it may serve (a mask); ``spare`` what each minimum has beyond its
    requirement, ``cap`` the carryover cap (None: none), and ``slack``
    :func:`_hall_slack`'s of the credit counted, per set of areas. Each is spent as
    credit carries, so what is kept still meets every area (Hall's condition) and every
    other minimum. Amounts are integer units (the allocation, :class:`_AreaCarry`) or
    decimals (the verdict kernel, ``_placed_in_areas``): the same greedy.

    >>> slack = _hall_slack([0b01, 0b10], [6, 4], [5, 2])
    >>> carry_within([(4, (), 0b10), (6, (), 0b01)], [0], None, slack)
    [2, 1]
    """
    zero = slack[0]  # the empty set of areas has nothing to spare
    subsets = range(1, len(slack))
    touching: dict[int, list[int]] = {}
    left = list(spare)
    total = cap
    carried: list[_Units] = []
    for credit, others, mask in offered:
        take = credit
        for r in others:
            take = min(take, left[r])
        if total is not None:
            take = min(take, total)
        touched = touching.get(mask)
        if touched is None:
            touched = touching[mask] = [subset for subset in subsets if subset & mask]
        for subset in touched:
            take = min(take, slack[subset])
        if take > zero:
            for r in others:
                left[r] -= take
            for subset in touched:
                slack[subset] -= take
            if total is not None:
                total -= take
        else:
            take = zero
        carried.append(take)
    return carried


def _distinguishing(
    several: Sequence[int], placed: Sequence[Sequence[Membership]]
) -> set[int] | None:
    """The minimums that tell the options of an entry (of ``several``) apart.

    None where a cap or the carryover tells them apart too.
    """
    distinguishing: set[int] = set()
    for options in {id(placed[index]): placed[index] for index in several}.values():
        _, caps, may_carry = options[0]
        if any(other[1] != caps or other[2] != may_carry for other in options[1:]):
            return None
        every = set(options[0][0])
        for reqs, _, _ in options[1:]:
            distinguishing.update(every.symmetric_difference(reqs))
            every.intersection_update(reqs)
    return distinguishing


def allocate_by_areas(
    entries: Sequence[Entry],
    requirements: Sequence[Requirement],
    limits: Sequence[Limit],
    carryover: Carryover | None,
    match: Matcher,
    *,
    placed: Sequence[Sequence[Membership]],
    several: Sequence[int] | None = None,
) -> Allocation | None:
    """The allocation, directly, when eligible credit chooses only among areas.

    ``several`` are the entries with several options, when the caller knows them and
    that no credit comes from a grace window.

    None where no direct answer is found: a cap or the carryover tells an entry's options
    apart, an area must stay short, or the rules leave other choices
    (:func:`~cperules._engine.allocation._direct`). The minimums that tell an entry's
    options apart are its *areas* (PMP's Talent Triangle areas).

    Where each entry in its first option meets every area and carries what it would if
    the areas required nothing, the answer is that of the first options
    (each entry resolved to its first option). Otherwise it is found where
    every area's credit is credit no cap selects, under the same other minimums
    (:func:`_area_masks`): all of it counts, and what carries and where the kept credit
    counts are decided apart:

    * the rest is :func:`~cperules._engine.allocation._direct`'s (the areas relaxed, each
      entry in its first option), except what carries, which keeps every area met
      (:class:`_AreaCarry`), latest first. The relaxed problem's optimum bounds the whole
      problem's on every objective to the carried total, and this reaches that bound
      with no area short; and whatever options the kept credit takes, a unit carried
      from another entry moves the tie-break by a whole step of date order, more than
      every option's weight in it could make up.
    * the kept credit of entries with several options is then placed in its options by
      a small flow over the areas (:func:`_place_in_areas`): every area met, then as much
      credit as can be in each entry's earlier options (the tie-break's option
      weights); within a set of options, earlier entries keep their first option (as
      the flow path reads it).
    """
    if several is None:
        several = (
            []
            if any(entry.source == "grace" for entry in entries)
            else [index for index, entry in enumerate(entries) if len(entry.options) > 1]
        )
    distinguishing = _distinguishing(several, placed) if several else None
    if distinguishing is None:
        return None
    areas = tuple(sorted(distinguishing))
    carry = _AreaCarry(placed, areas)
    direct = _direct(
        entries,
        requirements,
        limits,
        carryover,
        placed,
        relaxed=distinguishing,
        first=True,
        carry=carry,
    )
    if direct is None:
        return None
    counted_rows, carried_rows = direct.rows(entries)
    if carry.first and all(direct.short[r] == 0 for r in areas):
        # Every entry in its first option, as the first options answer.
        for index in several:
            rest = (_ZERO,) * (len(entries[index].options) - 1)
            counted_rows[index] += rest
            carried_rows[index] += rest
        return direct.allocation(counted_rows, carried_rows, match, placed)
    shape = carry.read_shape()
    if shape is None:
        return None
    kept = [
        counted - carried for counted, carried in zip(direct.counted, direct.carried, strict=True)
    ]
    filed = [0] * len(areas)
    groups: dict[tuple[int, ...], list[int]] = {}
    for index, where in enumerate(shape[1]):
        if len(where) > 1:
            groups.setdefault(where, []).append(index)
        elif where:
            filed[where[0]] += kept[index]
    need = [direct.required[r] - filed[bit] for bit, r in enumerate(areas)]
    fraction = _Fractions(direct.scale)
    if not _place_in_areas(
        entries, kept, direct.carried, need, groups, fraction, counted_rows, carried_rows
    ):
        return None  # an area stays short whatever the options
    shortfall = list(direct.short)
    for r in areas:
        shortfall[r] = 0  # every area is met
    return Allocation(
        counted=tuple(counted_rows),
        carried=tuple(carried_rows),
        shortfall=tuple(fraction(short) for short in shortfall),
        binding=tuple(direct.binding),
        match=match,
        placed=placed,
    )


def _place_in_areas(  # noqa: PLR0917 - the direct allocation's pieces, and the rows to fill
    entries: Sequence[Entry],
    kept: Sequence[int],
    carried: Sequence[int],
    need: Sequence[int],
    groups: dict[tuple[int, ...], list[int]],
    fraction: _Fractions,
    counted_rows: list[tuple[Fraction, ...]],
    carried_rows: list[tuple[Fraction, ...]],
) -> bool:
    """Place the kept credit of entries with several options (``groups``: by their areas).

    Each area's ``need`` is what it requires beyond its filed credit (below zero: what
    that credit spares). Every area met, as much credit as can be stays in each entry's
    earlier options (the tie-break's option weights): :func:`moved_one_step` where that
    is enough, else :func:`_moved_by_flow`. Fills the groups' rows, earlier entries of a
    group in its earlier options (as the flow path reads it), carried credit in the
    first option; tells whether every area is met.
    """
    supplies = [sum(kept[index] for index in members) for members in groups.values()]
    placed = moved_one_step(list(groups), supplies, need)
    if placed is None:
        placed = _moved_by_flow(list(groups), supplies, need)
        if placed is None:
            return False
    for members, per_option in zip(groups.values(), placed, strict=True):
        for index in _in_order(entries, members):  # earlier entries in their first option
            row = _taken(kept[index], per_option)
            row[0] += carried[index]
            counted_rows[index] = tuple(fraction(amount) for amount in row)
            carried_rows[index] = (fraction(carried[index]), *(_ZERO,) * (len(row) - 1))
    return True


def _taken(kept: _Units, per_option: list[_Units]) -> list[_Units]:
    """``kept`` taken from ``per_option`` (a group's credit per option, reduced), in order.

    Integer units (the allocation) or decimals (the verdict kernel).

    >>> pool = [1, 3]
    >>> _taken(2, pool), pool
    ([1, 1], [0, 2])
    """
    row = [kept - kept] * len(per_option)
    left = kept
    option = 0
    while left:
        while not per_option[option]:
            option += 1
        take = left if left <= per_option[option] else per_option[option]
        row[option] += take
        per_option[option] -= take
        left -= take
    return row


def moved_one_step(
    groups: Sequence[tuple[int, ...]], supplies: Sequence[_Units], need: Sequence[_Units]
) -> list[list[_Units]] | None:
    """Each group's credit per option, moved from the first straight to a short area.

    ``groups`` are the areas of each group's options (two each, or None), ``supplies``
    its kept credit, ``need`` each area's beyond its filed credit. Every unit an area
    lacks with all credit in its first option must move into it, so moving no more
    than that is the least any placement moves; with two options each, every unit
    moved costs the tie-break alike, so this is optimal where it meets every area
    (None where it does not: the flow decides). Amounts are integer units (the
    allocation) or decimals (the verdict kernel, :mod:`cperules._engine.kernel`).

    >>> moved_one_step([(0, 1), (1, 2)], [5, 4], [3, 6, -2])
    [[3, 2], [4, 0]]
    >>> moved_one_step([(0, 1)], [5], [4, 2, 0]) is None
    True
    """
    if any(len(where) != 2 for where in groups):
        return None
    have = [-n for n in need]  # what each area has beyond its need, first options alone
    for (first, _), supply in zip(groups, supplies, strict=True):
        have[first] += supply
    placed = [[supply, supply - supply] for supply in supplies]
    for (first, second), row in zip(groups, placed, strict=True):
        short, spare = -have[second], have[first]
        if short > 0 and spare > 0:
            move = min(short, spare, row[0])
            row[0] -= move
            row[1] += move
            have[first] -= move
            have[second] += move
    return placed if all(amount >= 0 for amount in have) else None


def _moved_by_flow(
    groups: Sequence[tuple[int, ...]], supplies: Sequence[int], need: Sequence[int]
) -> list[list[int]] | None:
    """Each group's credit per option, as a flow over the areas; None: an area stays short.

    Each group's credit goes to the areas of its options, worth each option's weight;
    each area's ``need`` (beyond its filed credit) is worth more than all of those.
    Business acumen (2) lacks 1 that only credit of power skills (1) can move to, and
    power skills has none to spare unless credit of ways of working (0) moves in:

    >>> _moved_by_flow([(0, 1), (1, 2)], [5, 4], [3, 4, 1])
    [[4, 1], [3, 1]]
    >>> moved_one_step([(0, 1), (1, 2)], [5, 4], [3, 4, 1]) is None
    True
    """
    widest = max(len(where) for where in groups)
    weight = math.lcm(*range(2, widest + 2))
    supply = sum(supplies)
    infinite = supply + 1
    meet = weight * supply + 1
    network = Network()
    area_nodes = [network.node() for _ in need]
    area_arcs = [
        network.arc(node, network.sink, [(max(0, short), -meet), (infinite, 0)])
        for node, short in zip(area_nodes, need, strict=True)
    ]
    option_arcs: list[list[int]] = []
    for where, amount in zip(groups, supplies, strict=True):
        node = network.node()
        network.arc(network.source, node, [(amount, 0)])
        option_arcs.append(
            [
                network.arc(node, area_nodes[bit], [(infinite, -(weight // (option + 2)))])
                for option, bit in enumerate(where)
            ]
        )
    network.solve()
    if any(network.flow(arc) < short for arc, short in zip(area_arcs, need, strict=True)):
        return None
    return [[network.flow(arc) for arc in arcs] for arcs in option_arcs]
