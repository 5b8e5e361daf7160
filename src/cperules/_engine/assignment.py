"""The exact assignment of contested activities to holdings, for holdings with a simple score.

A portfolio's limited or consumed pool asks which holdings each contested activity serves
(:mod:`cperules.portfolio`). The answer is the least summed score over the holdings (out
of good standing, unmet requirements, shortfall, -counted, -carried, compared in that
order) and, among equal scores, the first in product order: contests in date order, each
one's choices in order, so earlier holdings for earlier activities.

This module solves that problem exactly when every holding of it has a *simple score*
(:class:`HoldingModel`): the contested credit it receives lands in one cycle, in groups
each under at most one cap, all under the same (single, or no) minimum, so that its
counted credit is ``sum(min(cap, credit in group))`` and its shortfall and unmet count
follow from that. A holding whose cycle carries its surplus out moves, of that credit,
as much as its carryover's cap and the credit that may carry (within the caps) allow;
the rest counts (:func:`core_score`). Whole activities are assigned (credit is never
split between holdings), so meeting every holding is a bin-covering problem; it is
solved by depth-first branch and bound in product order, which makes the first optimum
it reaches the one the brute force would keep:

- a node's bound is a lower bound on every leaf below it, component by component (unmet
  requirements: a holding that cannot be met even with every remaining activity, and the
  most holdings the remaining credit can still complete; shortfall: what each holding
  lacks beyond its potential and what the remaining credit cannot cover; counted: at most
  each holding's potential, less what a carrying one must move out, and at most what
  remains; carried: at most each carrying holding's potential surplus over its minimum,
  and its carryover's cap). What remains of a kind of activity (those landing in the
  same groups) is packed exactly into the rooms left, whole
  activities, with answers kept across nodes; what reaches holdings short of their
  minimum is a maximum flow from kinds to holdings (divisible credit, its least cut);
  and when little is to spare, the sums each holding can reach with whole activities say
  which minimums must overshoot or stay short;
- once the best leaf scores a node's bound and comes no later, the node's later choices
  are not searched;
- a subtree is cut when its bound is worse than the best leaf found, or equal to it and
  every leaf below comes later in product order;
- interchangeable activities (the same choices, and for each holding the same group and
  credit) take non-decreasing choices: among assignments that only exchange them, the
  first in product order is the only one visited;
- a greedy assignment gives the first bound to beat.

Before that search, a *dive* (:meth:`_Solver.dive`) looks for a leaf that scores the
root's bound itself: depth first in the same order, cutting every node whose bound is
worse than the root's (the quick bound everywhere, the full one from the shallowest
depth where a subtree came up empty). Such a leaf is a best one, and every choice passed
over before it was proven to hold no leaf as good, so the first one reached is the
search's answer. It usually settles the problem in little more than one node per
contest; when no leaf scores the root's bound (or within :data:`DIVE_BUDGET` nodes), the
branch and bound runs as above.

The search is exponential in the worst case (bin covering is NP-hard); :func:`solve`
gives up after ``budget`` nodes and returns ``None`` rather than an assignment it cannot
prove best. That happens when no assignment scores the root's bound (so the dive cannot
settle it) and the bounds cut too little for the search to finish: in practice when
many holdings are short of their minimums by amounts whole activities overshoot, or
when holdings carry their surplus out (the counted and carried bounds are taken apart,
and the best assignment trades one for the other). On the seeded problems of
``benchmarks/sharing_budget.py`` (random caps, minimums and allowances; 25 a row), the
search gave up on 0 of 3 holdings x 12 contests and 4 of 4 x 24 when none carries; 1
and 22 when half of them carry; 3 of 3 x 12 when all carry. The catalog's CompTIA
portfolio of ``benchmarks/allocation.py`` is settled by the dive.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["DIVE_BUDGET", "NODE_BUDGET", "Contest", "HoldingModel", "Score", "core_score", "solve"]

NODE_BUDGET = 20_000
"""The most nodes :func:`solve` visits before it gives up (a few seconds).

The benchmark's five CompTIA holdings with 100 activities are settled by the dive
before it (:data:`DIVE_BUDGET`); their search took a few hundred nodes."""

DIVE_BUDGET = 2_000
"""The most nodes the dive before the search visits (see the module's text).

The benchmark's five CompTIA holdings with 100 activities take 150 to 500."""

Score = tuple[int, int, int, int]
"""Unmet requirements, shortfall, -counted and -carried, in integer units (lower is better).

Counted credit is what counts in the cycle and stays there; carried credit moves out to
the next cycle (:attr:`HoldingModel.carry`)."""


@dataclass(frozen=True, slots=True)
class HoldingModel:
    """A holding's counted credit as a function of the contested credit it receives.

    ``caps`` gives each group's cap (``None``: uncapped), ``base`` the credit already in
    it from activities nobody contests, ``required`` the minimum every group counts
    toward (``None``: no minimum). All amounts are integers in a common unit.

    With ``carry``, the surplus over the minimum moves out to the next cycle, as much as
    the credit that may carry (``carry_base`` per group, from activities nobody contests,
    and the contests' :attr:`Contest.carries`) allows within the caps, up to
    ``carry_cap``; the rest of the credit within the caps counts.

    >>> model = HoldingModel(caps=(4, None), base=(6, 5), required=6, carry=True, carry_cap=2)
    >>> core_score(model, model.base, (1, 5))
    (0, 0, -7, -2)
    """

    caps: tuple[int | None, ...]
    base: tuple[int, ...]
    required: int | None
    carry: bool = False
    carry_base: tuple[int, ...] = ()
    carry_cap: int | None = None


@dataclass(frozen=True, slots=True)
class Contest:
    """An activity the holdings of ``eligible`` contest; ``lands[h]`` is (group, credit).

    ``carries``: the holdings (with :attr:`HoldingModel.carry`) whose carryover may take
    its credit.
    """

    choices: tuple[tuple[int, ...], ...]
    lands: dict[int, tuple[int, int]]
    allowance: int
    carries: frozenset[int] = frozenset()


def counted(model: HoldingModel, sums: Sequence[int]) -> int:
    """The credit counted with ``sums`` in each group."""
    total = 0
    for cap, amount in zip(model.caps, sums, strict=True):
        total += amount if cap is None or amount < cap else cap
    return total


def core_score(model: HoldingModel, sums: Sequence[int], carriable: Sequence[int] = ()) -> Score:
    """The holding's unmet count, shortfall, -counted and -carried.

    ``sums`` is the credit in each group, ``carriable`` the part of it that may carry
    (only read with :attr:`HoldingModel.carry`).
    """
    value = counted(model, sums)
    if model.required is not None and value < model.required:
        return (1, model.required - value, -value, 0)
    carried = 0
    if model.carry:
        carried = value - (model.required or 0)
        if model.carry_cap is not None and model.carry_cap < carried:
            carried = model.carry_cap
        carried = min(carried, counted(model, carriable))
    return (0, 0, carried - value, -carried)


_PACKING_STEPS = 4096
"""The most steps one packing bound takes before it settles for a weaker bound."""


class _Packing:
    """The most of some whole activities that counts in rooms (one room each), memoised.

    An activity in a room counts up to what the room has left; the rest of it is lost.
    Answers are kept across calls (the same items and rooms come back at many nodes); a
    call that would take more than ``steps`` steps gives up and returns ``None``.
    """

    def __init__(self) -> None:
        self.memo: dict[tuple[tuple[int, ...], tuple[int, ...]], int] = {}
        self.left = 0

    def most(self, amounts: tuple[int, ...], rooms: tuple[int, ...], steps: int) -> int | None:
        """``amounts`` and ``rooms`` sorted from the largest; ``None``: it took too long."""
        self.left = steps
        try:
            return self._most(amounts, tuple(r for r in rooms if r))
        except _OutOfSteps:
            return None

    def _most(self, amounts: tuple[int, ...], rooms: tuple[int, ...]) -> int:
        if not amounts or not rooms:
            return 0
        key = (amounts, rooms)
        known = self.memo.get(key)
        if known is not None:
            return known
        self.left -= 1
        if self.left < 0:
            raise _OutOfSteps
        widest = rooms[0]
        first, rest = amounts[0], amounts[1:]
        most = min(sum(amounts), sum(rooms))
        if first > widest:
            most = min(most, sum(a if a < widest else widest for a in amounts))
        best = 0
        if first in rooms:
            # An activity that fills a room exactly goes there in some best packing: any
            # other packing gains no less by exchanging it with what that room holds.
            at = rooms.index(first)
            best = first + self._most(rest, rooms[:at] + rooms[at + 1 :])
        else:
            # Placing an activity in a room never lowers what counts there, so every
            # activity goes to some room (while one has any left).
            for index, room in enumerate(rooms):
                if index and room == rooms[index - 1]:
                    continue
                left = room - first
                others = rooms[:index] + rooms[index + 1 :]
                if left > 0:
                    others = tuple(sorted((*others, left), reverse=True))
                found = min(first, room) + self._most(rest, others)
                if found > best:
                    best = found
                    if best == most:
                        break
        self.memo[key] = best
        return best


class _OutOfSteps(Exception):
    pass


class _Solver:
    def __init__(
        self, models: Sequence[HoldingModel], contests: Sequence[Contest], budget: int
    ) -> None:
        self.models = models
        self.contests = contests
        self.budget = budget
        self.nodes = 0
        self.sums = [list(m.base) for m in models]
        self.carriable = [list(m.carry_base or [0] * len(m.caps)) for m in models]
        self.carrying = [n for n, m in enumerate(models) if m.carry]
        self.rest = [[0] * len(m.caps) for m in models]  # undecided credit per group
        for contest in contests:
            for holding, (group, amount) in contest.lands.items():
                self.rest[holding][group] += amount
        # Credit the undecided activities may still deliver in all (allowance times the
        # most any holding would count of each).
        self.deliverable = [c.allowance * max(a for _, a in c.lands.values()) for c in contests]
        # Contests whose credit lands in the same groups form a kind; what the undecided
        # ones of a kind can still add is at most the room left in those groups.
        kinds: dict[tuple[tuple[int, int], ...], int] = {}
        self.kind = [
            kinds.setdefault(tuple(sorted((h, g) for h, (g, _) in c.lands.items())), len(kinds))
            for c in contests
        ]
        self.kinds = list(kinds)
        self.rest_of_kind = [0] * len(kinds)
        for kind, amount in zip(self.kind, self.deliverable, strict=True):
            self.rest_of_kind[kind] += amount
        # The undecided contests of each kind: (allowance, most credit) -> how many.
        self.largest = [0] * len(kinds)  # the most credit an activity of each kind brings
        for kind, contest in zip(self.kind, contests, strict=True):
            self.largest[kind] = max(self.largest[kind], *(a for _, a in contest.lands.values()))
        self.items: list[dict[tuple[int, int], int]] = [{} for _ in kinds]
        self.item = [(c.allowance, max(a for _, a in c.lands.values())) for c in contests]
        for kind, item in zip(self.kind, self.item, strict=True):
            self.items[kind][item] = self.items[kind].get(item, 0) + 1
        # Interchangeable contests form a class; each takes a choice no earlier than the
        # last one of its class took.
        classes: dict[object, int] = {}
        self.klass = [
            classes.setdefault(
                (c.choices, tuple(sorted(c.lands.items())), tuple(sorted(c.carries))),
                len(classes),
            )
            for c in contests
        ]
        self.last_pick = [0] * len(classes)
        # The classes with a contest at or after each depth (their last picks restrict what
        # follows); a node is known by its depth, its sums and those picks.
        self.open: list[tuple[int, ...]] = []
        later: set[int] = set()
        for position in reversed(range(len(contests))):
            later.add(self.klass[position])
            self.open.append(tuple(sorted(later)))
        self.open.reverse()
        self.done: dict[tuple[object, ...], int] = {}
        self.picked = [0] * len(contests)
        self.best: Score | None = None
        self.best_picks: list[int] = []
        self.packing = _Packing()
        self.reach: dict[tuple[int, int], list[tuple[int, int]]] = {}
        self.amounts: dict[tuple[int, int], tuple[int, ...]] = {}
        self.widest_item = max((a for c in contests for _, a in c.lands.values()), default=0)

    def deliverable_now(
        self,
        lacking: Sequence[int] | None = None,
        kinds: list[tuple[int, list[tuple[int, int]]]] | None = None,
        *,
        depth: int | None = None,
    ) -> int:
        """The most counted credit the undecided contests can still add to the holdings.

        With ``lacking`` (per holding, what its minimum still lacks), only the credit that
        helps a minimum: a holding takes at most what it lacks in any one group. With
        ``kinds``, each kind's most and its room in each holding are appended to it. With
        ``depth`` (the node's), what remains of a kind is packed into the rooms left.
        """
        total = 0
        for kind, (groups, rest) in enumerate(zip(self.kinds, self.rest_of_kind, strict=True)):
            if not rest:
                continue
            room = widest = 0
            rooms: list[int] = []
            arcs: list[tuple[int, int]] = []
            for holding, group in groups:
                cap = self.models[holding].caps[group]
                if lacking is None:
                    if cap is None:
                        room = widest = rest
                        break
                    free = max(0, cap - self.sums[holding][group])
                else:
                    free = lacking[holding]
                    if cap is not None:
                        free = min(free, max(0, cap - self.sums[holding][group]))
                room += free
                widest = max(widest, free)
                rooms.append(free)
                if kinds is not None:
                    arcs.append((holding, free))
            if widest < self.largest[kind] and widest < rest:
                # Each activity adds at most the widest room to each holding it serves.
                itemised = sum(
                    count * allowance * min(amount, widest)
                    for (allowance, amount), count in self.items[kind].items()
                )
                room = min(room, itemised)
            if depth is not None and widest < rest and sum(self.items[kind].values()) > 1:
                packed = self.packed(depth, kind, rooms)
                if packed is not None:
                    room = min(room, packed)
            total += min(rest, room)
            if kinds is not None:
                kinds.append((min(rest, room), arcs))
        return total

    def packed(self, depth: int, kind: int, rooms: Sequence[int]) -> int | None:
        """How much of the activities left of ``kind`` fits in ``rooms`` (None: not worked out).

        Only for activities that serve one holding each, within :data:`_PACKING_STEPS`.
        """
        key = (depth, kind)
        amounts = self.amounts.get(key, ())
        if key not in self.amounts:  # what remains of a kind depends on the depth alone
            items = self.items[kind]
            if all(allowance == 1 for allowance, _ in items):
                amounts = tuple(
                    sorted(
                        (a for (_, a), count in items.items() for _ in range(count)), reverse=True
                    )
                )
            self.amounts[key] = amounts
        if not amounts:
            return None
        return self.packing.most(amounts, tuple(sorted(rooms, reverse=True)), _PACKING_STEPS)

    def bound(self, depth: int, *, quick: bool = False) -> Score:
        """A lower bound on every leaf below the node at ``depth``, component by component.

        ``quick``: without packing whole activities or flows (a weaker bound, cheaper).
        """
        remaining = self.deliverable_now(depth=None if quick else depth)
        lacking: list[int] = []
        unmet = 0
        shortfall = 0
        potential_total = 0
        current_total = 0
        needs: list[int] = []
        wanted = 0
        for holding, (model, sums, rest) in enumerate(
            zip(self.models, self.sums, self.rest, strict=True)
        ):
            now = 0
            most = 0
            for cap, amount, extra in zip(model.caps, sums, rest, strict=True):
                if cap is None:
                    now += amount
                    most += amount + extra
                else:
                    now += amount if amount < cap else cap
                    most += amount + extra if amount + extra < cap else cap
            current_total += now
            potential_total += self.counted_most(holding, most) if model.carry else most
            required = model.required
            lacking.append(0 if required is None else max(0, min(required, most) - now))
            if required is None or now >= required:
                continue
            if most < required:
                unmet += 1
                shortfall += required - most
            else:
                needs.append(required - now)
            wanted += min(required, most) - now
        if wanted:
            # Only credit that reaches a holding still short helps meet its minimum.
            kinds: list[tuple[int, list[tuple[int, int]]]] = []
            helpful = self.deliverable_now(lacking, kinds, depth=None if quick else depth)
            if not quick:
                helpful = min(helpful, _most_flow(kinds, lacking))
        if needs:
            unmet += len(needs) - _most_met(needs, helpful)
        if wanted:
            short = max(0, wanted - helpful)
            if not quick and remaining - wanted < self.widest_item * sum(
                1 for need in lacking if need
            ):
                # Little to spare: whole activities overshoot what some holdings lack.
                unmet_whole, short_whole = self.overshoot(depth, lacking, remaining, wanted)
                unmet = max(unmet, unmet_whole)
                short = max(short, short_whole)
            shortfall += short
        return (
            unmet,
            shortfall,
            -min(potential_total, current_total + remaining),
            -self.carry_most(),
        )

    def counted_most(self, holding: int, most: int) -> int:
        """The most credit that stays counted in ``holding``, which carries its surplus out.

        With ``T`` counted within the caps (at most ``most``), ``R`` its minimum, ``C`` the
        carryover's cap and ``E`` the credit that may carry (no less than now), what stays
        is ``T`` below the minimum, else ``T - min(C, T - R, E)``, which is
        ``max(T - C, R, T - E)``: at most ``max(most - C, R, most - E now)``.
        """
        model = self.models[holding]
        required = model.required or 0
        if most < required:
            return most
        stays = max(required, most - counted(model, self.carriable[holding]))
        if model.carry_cap is not None:
            stays = max(stays, most - model.carry_cap)
        return min(most, stays)

    def carry_most(self) -> int:
        """The most credit the holdings that carry can still carry out, in all.

        Carried credit is counted credit moved out: at most the surplus over the minimum
        with every undecided activity, and at most the carryover's cap.
        """
        total = 0
        for holding in self.carrying:
            model = self.models[holding]
            surplus = self.potential(holding) - (model.required or 0)
            if model.carry_cap is not None:
                surplus = min(surplus, model.carry_cap)
            total += max(0, surplus)
        return total

    def potential(self, holding: int) -> int:
        """The most credit ``holding`` can count within its caps, with every undecided one."""
        most = 0
        for cap, amount, extra in zip(
            self.models[holding].caps, self.sums[holding], self.rest[holding], strict=True
        ):
            most += amount + extra if cap is None or amount + extra < cap else cap
        return most

    def reachable(self, depth: int, holding: int) -> list[tuple[int, int]]:
        """Per group of ``holding``, the sums the contests from ``depth`` on can put in it.

        Each as a bit set (bit n: a sum of n), with the group; memoised by depth.
        """
        key = (depth, holding)
        known = self.reach.get(key)
        if known is None:
            sets: dict[int, int] = {}
            for contest in self.contests[depth:]:
                land = contest.lands.get(holding)
                if land is not None:
                    group, amount = land
                    bits = sets.get(group, 1)
                    sets[group] = bits | bits << amount
            known = self.reach[key] = sorted(sets.items())
        return known

    def overshoot(
        self, depth: int, lacking: Sequence[int], remaining: int, wanted: int
    ) -> tuple[int, int]:
        """Lower bounds on the unmet count and shortfall of the holdings short now.

        A holding short of ``lacking`` that is met receives whole activities whose counted
        credit reaches it: at least the least sum it can reach that is no less, the excess
        lost to the others. The holdings met take what they lack and that excess out of
        ``remaining``; the others stay short, each by what it cannot reach below its need.
        """
        if sum(1 for need in lacking if need) > _FLOW_HOLDINGS:
            return 0, 0
        options: list[tuple[int, int, int]] = []  # what it lacks, least excess, least short
        for holding, need in enumerate(lacking):
            if not need:
                continue
            total = 1
            for group, sums in self.reachable(depth, holding):
                cap = self.models[holding].caps[group]
                bits = sums
                if cap is not None:
                    room = max(0, cap - self.sums[holding][group])
                    if bits >> room:
                        bits = (bits & ((1 << room) - 1)) | 1 << room
                total = _sum_sets(total, bits)
            above = total >> need
            excess = (above & -above).bit_length() - 1 if above else -1
            below = total & ((1 << need) - 1)
            short = need - (below.bit_length() - 1)
            options.append((need, excess, short))
        return _least_unmet_short(options, remaining, wanted)

    def leaf(self) -> Score:
        return _total(
            core_score(model, sums, carriable)
            for model, sums, carriable in zip(self.models, self.sums, self.carriable, strict=True)
        )

    def later(self, depth: int) -> bool:
        """Whether every leaf below the first ``depth`` picks comes after the best one."""
        return self.picked[:depth] > self.best_picks[:depth]

    def search(self, depth: int) -> bool:
        """Depth-first from ``depth``; False when the node budget ran out."""
        self.nodes += 1
        if self.nodes > self.budget:
            return False
        if depth == len(self.contests):
            score = self.leaf()
            if self.best is None or (score, self.picked) < (self.best, self.best_picks):
                self.best, self.best_picks = score, list(self.picked)
            return True
        # A node like one searched in full before (with an earlier prefix), with no more
        # credit counted: nothing below it beats the best found since.
        key, counted_now = self.state(depth)
        if self.done.get(key, -1) >= counted_now:
            return True
        bound = None
        if self.best is not None:
            # A cheaper, weaker bound first: often it is enough to cut.
            for quick in (True, False):
                bound = self.bound(depth, quick=quick)
                if bound > self.best or (bound == self.best and self.later(depth)):
                    self.done[key] = max(self.done.get(key, -1), counted_now)
                    return True
        finished = self.branch(depth, bound)
        if finished:
            self.done[key] = max(self.done.get(key, -1), counted_now)
        return finished

    def _open(self, depth: int, sign: int) -> None:
        """Take contest ``depth`` out of what is left to assign (``sign`` -1), or put it back."""
        kind = self.kind[depth]
        self.rest_of_kind[kind] += sign * self.deliverable[depth]
        self.items[kind][self.item[depth]] += sign
        for holding, (group, amount) in self.contests[depth].lands.items():
            self.rest[holding][group] += sign * amount

    def _place(self, contest: Contest, choice: tuple[int, ...], sign: int) -> None:
        """Give ``contest``'s activity to ``choice``'s holdings (``sign`` 1), or take it back."""
        for holding in choice:
            group, amount = contest.lands[holding]
            self.sums[holding][group] += sign * amount
            if holding in contest.carries:
                self.carriable[holding][group] += sign * amount

    def branch(self, depth: int, bound: Score | None = None) -> bool:
        """Try each choice of contest ``depth`` in order (no earlier than its class's last).

        Once the best leaf scores the node's ``bound`` and comes no later than the choice
        just searched, the later choices can neither beat it nor tie it earlier.
        """
        contest = self.contests[depth]
        klass = self.klass[depth]
        first = previous = self.last_pick[klass]
        self._open(depth, -1)
        finished = True
        for index in range(first, len(contest.choices)):
            choice = contest.choices[index]
            self.picked[depth] = index
            self.last_pick[klass] = index
            self._place(contest, choice, 1)
            finished = self.search(depth + 1)
            self._place(contest, choice, -1)
            if not finished or (
                self.best == bound and self.best_picks[: depth + 1] <= self.picked[: depth + 1]
            ):
                break
        self._open(depth, 1)
        self.picked[depth] = 0
        self.last_pick[klass] = previous
        return finished

    def state(self, depth: int) -> tuple[tuple[object, ...], int]:
        """What decides the leaves below a node, up to the credit counted so far; and that.

        Credit over a cap never counts, and uncapped credit beyond what a holding's minimum
        still lacks only adds to the counted total: two nodes alike in the rest reach the
        same leaves but for that total.
        """
        parts: list[int] = []
        total = 0
        for model, sums in zip(self.models, self.sums, strict=True):
            capped = 0
            free = 0
            for cap, amount in zip(model.caps, sums, strict=True):
                if cap is None:
                    free += amount
                else:
                    clipped = amount if amount < cap else cap
                    capped += clipped
                    parts.append(clipped)
            total += capped + free
            lacking = 0 if model.required is None else max(0, model.required - capped)
            parts.append(free if free < lacking else lacking)
        # A holding that carries: its leaves depend on all its sums.
        for holding in self.carrying:
            parts.extend(self.sums[holding])
            parts.extend(self.carriable[holding])
        picks = tuple(self.last_pick[k] for k in self.open[depth])
        return (depth, tuple(parts), picks), total

    def dive(self, target: Score, budget: int) -> list[int] | None:
        """The first assignment in product order that scores ``target``, if it is found.

        ``target`` is a lower bound on every leaf (the root's bound): a leaf that scores
        it is a best one, and the first such leaf in product order is the answer of
        :meth:`search`. The dive goes depth first in product order, as the search does,
        but cuts only what cannot reach ``target``: the quick bound at every node, and
        the full one from the shallowest depth where a subtree has come up empty. Every
        choice passed over is proven to hold no leaf as good, so the first leaf reached
        is that answer. ``None`` when no leaf scores ``target`` (the least is worse than
        the bound) or ``budget`` nodes did not settle it; the state is as before.
        """
        self.failed = len(self.contests) + 1
        self.left = budget
        found = self._dive(0, target)
        picks = list(self.picked) if found else None
        self.picked = [0] * len(self.contests)
        return picks

    def _dive(self, depth: int, target: Score) -> bool | None:
        """Whether a leaf below scores no worse than ``target``; None: out of budget.

        The leaf's picks are left in ``picked``.
        """
        self.left -= 1
        if self.left < 0:
            return None
        if depth == len(self.contests):
            return self.leaf() <= target
        if depth and (
            self.bound(depth, quick=True) > target
            or (depth >= self.failed and self.bound(depth) > target)
        ):
            return False
        contest = self.contests[depth]
        klass = self.klass[depth]
        previous = self.last_pick[klass]
        self._open(depth, -1)
        found: bool | None = False
        for index in range(previous, len(contest.choices)):
            choice = contest.choices[index]
            self.picked[depth] = index
            self.last_pick[klass] = index
            self._place(contest, choice, 1)
            found = self._dive(depth + 1, target)
            self._place(contest, choice, -1)
            if found is not False:
                break
        if found is False:
            self.failed = min(self.failed, depth)
        self._open(depth, 1)
        self.last_pick[klass] = previous
        return found

    def greedy(self) -> None:
        """A first assignment: each activity to the holdings that lack most, in order."""
        picks = []
        sums = [list(s) for s in self.sums]
        carriable = [list(c) for c in self.carriable]
        for contest in self.contests:

            def lacking(
                choice: tuple[int, ...], sums: list[list[int]] = sums, contest: Contest = contest
            ) -> tuple[int, ...]:
                gain = 0
                for holding in choice:
                    model = self.models[holding]
                    group, amount = contest.lands[holding]
                    before = counted(model, sums[holding])
                    sums[holding][group] += amount
                    after = counted(model, sums[holding])
                    sums[holding][group] -= amount
                    need = 0 if model.required is None else max(0, model.required - before)
                    gain += min(after - before, need) * 2 + (after - before)
                return (-gain,)

            index = min(range(len(contest.choices)), key=lambda i: lacking(contest.choices[i]))
            picks.append(index)
            for holding in contest.choices[index]:
                group, amount = contest.lands[holding]
                sums[holding][group] += amount
                if holding in contest.carries:
                    carriable[holding][group] += amount
        self.best = _total(
            core_score(model, held, carry)
            for model, held, carry in zip(self.models, sums, carriable, strict=True)
        )
        self.best_picks = picks


def _total(scores: Iterable[Score]) -> Score:
    """The component-wise sum of ``scores``."""
    unmet = shortfall = counted_ = carried = 0
    for a, b, c, d in scores:
        unmet += a
        shortfall += b
        counted_ += c
        carried += d
    return (unmet, shortfall, counted_, carried)


def _most_met(needs: list[int], helpful: int) -> int:
    """The most of ``needs`` that ``helpful`` credit can cover, the least ones first.

    >>> _most_met([5, 1, 3], 4)
    2
    """
    needs.sort()
    met = 0
    for need in needs:
        if need > helpful:
            break
        helpful -= need
        met += 1
    return met


def _sum_sets(first: int, second: int) -> int:
    """The sums of one of ``first`` and one of ``second`` (bit sets: bit n, a sum of n).

    >>> bin(_sum_sets(0b101, 0b11))
    '0b1111'
    """
    total = 0
    while second:
        if second & 1:
            total |= first
        second >>= 1
        first <<= 1
    return total


def _least_unmet_short(
    options: Sequence[tuple[int, int, int]], remaining: int, wanted: int
) -> tuple[int, int]:
    """The least unmet count and shortfall over which holdings short now end up met.

    ``options`` gives each such holding's need, least excess when met (-1: it cannot be)
    and least shortfall when not; ``remaining`` bounds the credit all receive.

    >>> _least_unmet_short([(1, 2, 1), (1, 2, 1), (24, 0, 1)], 26, 26)
    (1, 2)
    """
    best_unmet = best_short = -1
    for mask in range(1 << len(options)):  # the holdings met
        used = unmet = short = excess = 0
        possible = True
        for n, (need, least_excess, least_short) in enumerate(options):
            if mask >> n & 1:
                if least_excess < 0:
                    possible = False
                    break
                used += need + least_excess
                excess += least_excess
            else:
                unmet += 1
                short += least_short
        if not possible:
            continue
        short = max(short, wanted - remaining + excess)
        if used <= remaining and (best_unmet < 0 or unmet < best_unmet):
            best_unmet = unmet
        if best_short < 0 or short < best_short:
            best_short = short
    return max(0, best_unmet), max(0, best_short)


_FLOW_HOLDINGS = 12
"""The most holdings short of their minimum whose cuts :func:`_most_flow` enumerates."""


def _most_flow(
    kinds: Sequence[tuple[int, Sequence[tuple[int, int]]]], lacking: Sequence[int]
) -> int:
    """The most credit the kinds can bring to holdings short of their minimums, divisibly.

    Each kind brings at most its most (``kinds[k][0]``), at most its room to each holding
    (``kinds[k][1]``, holding and room), and each holding takes at most what it lacks: a
    maximum flow, found as the least cut. A cut puts some holdings T on the sink's side
    (paying what they lack) and each kind on the side that costs less: its most, or its
    rooms in the holdings not in T. Whole activities bring no more than credit that
    divides, so this is a bound on what they can bring.

    >>> _most_flow([(10, [(0, 10), (1, 10)]), (3, [(1, 3)])], [8, 8])
    13
    """
    short = [h for h, need in enumerate(lacking) if need > 0]
    if len(short) > _FLOW_HOLDINGS:
        return sum(value for value, _ in kinds)
    bit = {h: 1 << n for n, h in enumerate(short)}
    size = 1 << len(short)
    # Per kind, its rooms in each set of holdings short of their minimums.
    rooms_of = []
    for value, arcs in kinds:
        single = [0] * len(short)
        for holding, free in arcs:
            if holding in bit:
                single[bit[holding].bit_length() - 1] += free
        table = [0] * size
        for mask in range(1, size):
            low = mask & -mask
            table[mask] = table[mask ^ low] + single[low.bit_length() - 1]
        rooms_of.append((value, table))
    best = -1
    for mask in range(size):  # the holdings in mask stay on the source's side
        cut = 0
        for n, h in enumerate(short):
            if not mask >> n & 1:
                cut += lacking[h]
        for value, table in rooms_of:
            room = table[mask]
            cut += value if value < room else room
        if best < 0 or cut < best:
            best = cut
    return best


def solve(
    models: Sequence[HoldingModel], contests: Sequence[Contest], *, budget: int = NODE_BUDGET
) -> tuple[list[int], Score] | None:
    """The first least-score assignment in product order: each contest's choice index.

    ``None`` when the search visited ``budget`` nodes without proving its best (the dive
    before it visits at most ``budget`` and :data:`DIVE_BUDGET` nodes).

    >>> half = HoldingModel(caps=(None,), base=(0,), required=10)
    >>> course = Contest(choices=((0,), (1,)), lands={0: (0, 10), 1: (0, 10)}, allowance=1)
    >>> solve([half, half], [course, course])
    ([0, 1], (0, 0, -20, 0))
    """
    solver = _Solver(models, contests, budget)
    if contests:
        floor = solver.bound(0)
        picks = solver.dive(floor, min(budget, DIVE_BUDGET))
        if picks is not None:
            return picks, floor
        solver.greedy()
    if not solver.search(0):
        return None
    assert solver.best is not None
    return solver.best_picks, solver.best
