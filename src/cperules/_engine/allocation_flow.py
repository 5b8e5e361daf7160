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

Where the rules do not nest, a cap takes a share of everything, a cap separates the
category options of one entry, or the options of one entry differ in whether they may
carry, :func:`allocate_by_flow` returns ``None`` and the linear program decides.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

from cperules._engine.allocation import (
    Allocation,
    Entry,
    Limit,
    Matcher,
    Membership,
    Requirement,
    _Fractions,
    memberships,
)
from cperules._engine.flow import Network
from cperules.credits import exact
from cperules.rules.carryover import Carryover

__all__ = ["allocate_by_flow", "nesting"]


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


def _units(value: Fraction, scale: int) -> int:
    """``value`` in units of ``1 / scale`` (``scale`` a multiple of its denominator)."""
    return value.numerator * (scale // value.denominator)


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
    columns: list[tuple[int, int]] = []
    first_column: list[int] = []
    cap_lists: list[list[int]] = [[] for _ in limits]
    requirement_lists: list[list[int]] = [[] for _ in requirements]
    for index, options in enumerate(placed):
        first_column.append(len(columns))
        for option, (reqs, caps_of, _) in enumerate(options):
            column = len(columns)
            columns.append((index, option))
            for r in reqs:
                requirement_lists[r].append(column)
            for c in caps_of:
                cap_lists[c].append(column)
    cap_sets = [frozenset(members) for members in cap_lists]
    requirement_sets = [frozenset(members) for members in requirement_lists]
    caps = nesting(cap_sets, len(columns))
    minimums = nesting(requirement_sets, len(columns))
    if caps is None or minimums is None:
        return None
    cap_parent, cap_leaf = caps
    minimum_parent, minimum_leaf = minimums

    kinds: dict[tuple[bool, int, bool, tuple[int, ...]], list[int]] = {}
    for index, entry in enumerate(entries):
        start = first_column[index]
        spread = range(len(entry.options))
        carry = [may_carry for _, _, may_carry in placed[index]]
        leaves = {cap_leaf[start + o] for o in spread}
        if len(leaves) > 1 or len(set(carry)) > 1:
            return None  # a cap or the carryover tells the options apart: the LP decides
        signature = (
            entry.source == "grace",
            cap_leaf[start],
            carry[0],
            tuple(minimum_leaf[start + o] for o in spread),
        )
        kinds.setdefault(signature, []).append(index)

    cap_bounds = [exact(limit.rule.credits or 0) for limit in limits]
    carry_cap = (
        exact(carryover.cap) if carryover is not None and carryover.cap is not None else None
    )
    scale = math.lcm(
        *{entry.amount.denominator for entry in entries},
        *{requirement.required.denominator for requirement in requirements},
        *{bound.denominator for bound in cap_bounds},
        1 if carry_cap is None else carry_cap.denominator,
    )
    units = [_units(entry.amount, scale) for entry in entries]
    # A cap that all the credit it selects fits under never binds: credit capped by
    # nothing else counts in full whatever else is chosen.
    under = [0] * len(limits)
    for index, options in enumerate(placed):
        for c in {c for _, caps_of, _ in options for c in caps_of}:
            under[c] += units[index]
    slack = [under[c] <= _units(cap_bounds[c], scale) for c in range(len(limits))]
    supply = sum(units)
    infinite = supply + 1
    size = len(entries) + 1
    widest = max((len(entry.options) for entry in entries), default=1)
    base = size * math.lcm(*range(2, widest + 2))
    position = {
        index: p
        for p, index in enumerate(sorted(range(len(entries)), key=lambda i: entries[i].key))
    }

    def option_weight(option: int) -> int:
        return base // (size * (option + 2))

    tie = (size + 2) * base
    carried_weight = 2 * supply * tie + 1
    counted_weight = 2 * supply * (carried_weight + tie) + 1
    grace_weight = 2 * supply * (counted_weight + carried_weight + tie) + 1
    shortfall_weight = 2 * supply * (grace_weight + counted_weight + carried_weight + tie) + 1

    network = Network()
    cap_nodes = [network.node() for _ in limits]
    for c in range(len(limits)):
        tail = network.source if cap_parent[c] < 0 else cap_nodes[cap_parent[c]]
        network.arc(tail, cap_nodes[c], [(_units(cap_bounds[c], scale), 0)])
    minimum_nodes = [network.node() for _ in requirements]
    for r, requirement in enumerate(requirements):
        head = network.sink if minimum_parent[r] < 0 else minimum_nodes[minimum_parent[r]]
        required = _units(requirement.required, scale)
        segments = [(required, -shortfall_weight)] if required else []
        network.arc(minimum_nodes[r], head, [*segments, (infinite, 0)])
    carry_node = network.node()
    carry_bound = infinite if carry_cap is None else _units(carry_cap, scale)
    network.arc(carry_node, network.sink, [(carry_bound, 0)])

    plan: list[tuple[list[int], int, int, list[int], int]] = []
    for (grace, leaf, may_carry, minimum_leaves), members in kinds.items():
        members.sort(key=position.__getitem__)
        node = network.node()
        cost = -counted_weight + (grace_weight if grace else 0)
        tail = network.source if leaf < 0 else cap_nodes[leaf]
        counted_arc = network.arc(tail, node, [(sum(units[i] for i in members), cost)])
        # Credit of a kind that no cap can stop (capped by nothing, or only by caps it
        # and everything else under them fit in), cannot carry and is not grace credit
        # always counts in full: which of its entries are kept is no choice, so it needs
        # no segment per entry (and the flow, fewer steps).
        sure = not may_carry and not grace and _slack_chain(leaf, cap_parent, slack)
        members = [i for i in members if units[i]]  # noqa: PLW2901 - entries with credit
        kept_segments = (
            [(sum(units[i] for i in members), 0)]
            if sure
            else [(units[i], -(size - position[i]) * base) for i in members]
        )
        option_arcs: list[int] = []
        if len(minimum_leaves) == 1:
            head = network.sink if minimum_leaves[0] < 0 else minimum_nodes[minimum_leaves[0]]
            weight = option_weight(0)
            kept_arc = network.arc(node, head, [(u, c - weight) for u, c in kept_segments])
            option_arcs.append(kept_arc)
        else:
            kept_node = network.node()
            kept_arc = network.arc(node, kept_node, kept_segments)
            for option, minimum in enumerate(minimum_leaves):
                head = network.sink if minimum < 0 else minimum_nodes[minimum]
                option_arcs.append(
                    network.arc(kept_node, head, [(infinite, -option_weight(option))])
                )
        carry_arc = -1
        if may_carry:
            carry_cost = -(carried_weight + (size + 1) * base + option_weight(0))
            carry_arc = network.arc(node, carry_node, [(infinite, carry_cost)])
        plan.append((members, counted_arc, kept_arc, option_arcs, carry_arc))
    network.solve()

    counted = [[0] * len(entry.options) for entry in entries]
    carried = [[0] * len(entry.options) for entry in entries]
    for members, _, kept_arc, option_arcs, carry_arc in plan:
        kept = network.segment_flows(kept_arc)  # per member in date order, or all at once
        if len(kept) != len(members):
            kept = [units[i] for i in members]  # a sure kind: every entry kept in full
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
            counted[member][0] += take
            carried[member][0] += take
            to_carry -= take

    fraction = _Fractions(scale)
    shortfall = []
    for r, requirement in enumerate(requirements):
        kept_total = sum(
            counted[index][option] - carried[index][option]
            for index, option in (columns[c] for c in requirement_sets[r])
        )
        shortfall.append(max(Fraction(0), requirement.required - fraction(kept_total)))
    binding = [
        sum(counted[index][option] for index, option in (columns[c] for c in cap_sets[c_]))
        == _units(cap_bounds[c_], scale)
        for c_ in range(len(limits))
    ]
    return Allocation(
        counted=tuple(tuple(fraction(a) for a in row) for row in counted),
        carried=tuple(tuple(fraction(a) for a in row) for row in carried),
        shortfall=tuple(shortfall),
        binding=tuple(binding),
        match=match,
        placed=placed,
    )
