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
follow from that. Whole activities are assigned (credit is never split between holdings),
so meeting every holding is a bin-covering problem; it is solved by depth-first branch and
bound in product order, which makes the first optimum it reaches the one the brute force
would keep:

- a node's bound is a lower bound on every leaf below it, component by component (unmet
  requirements: a holding that cannot be met even with every remaining activity, and the
  most holdings the remaining credit can still complete; shortfall: what each holding
  lacks beyond its potential and what the remaining credit cannot cover; counted: at most
  each holding's potential and at most what remains);
- a subtree is cut when its bound is worse than the best leaf found, or equal to it and
  every leaf below comes later in product order;
- interchangeable activities (the same choices, and for each holding the same group and
  credit) take non-decreasing choices: among assignments that only exchange them, the
  first in product order is the only one visited;
- a greedy assignment gives the first bound to beat.

The search is exponential in the worst case (bin covering is NP-hard); :func:`solve`
gives up after ``budget`` nodes and returns ``None`` rather than an assignment it cannot
prove best.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["NODE_BUDGET", "Contest", "HoldingModel", "Score", "core_score", "solve"]

NODE_BUDGET = 20_000
"""The most nodes :func:`solve` visits before it gives up (about a second)."""

Score = tuple[int, int, int]
"""Unmet requirements, shortfall and -counted, in integer units (lower is better)."""


@dataclass(frozen=True, slots=True)
class HoldingModel:
    """A holding's counted credit as a function of the contested credit it receives.

    ``caps`` gives each group's cap (``None``: uncapped), ``base`` the credit already in
    it from activities nobody contests, ``required`` the minimum every group counts
    toward (``None``: no minimum). All amounts are integers in a common unit.
    """

    caps: tuple[int | None, ...]
    base: tuple[int, ...]
    required: int | None


@dataclass(frozen=True, slots=True)
class Contest:
    """An activity the holdings of ``eligible`` contest; ``lands[h]`` is (group, credit)."""

    choices: tuple[tuple[int, ...], ...]
    lands: dict[int, tuple[int, int]]
    allowance: int


def counted(model: HoldingModel, sums: Sequence[int]) -> int:
    """The credit counted with ``sums`` in each group."""
    total = 0
    for cap, amount in zip(model.caps, sums, strict=True):
        total += amount if cap is None or amount < cap else cap
    return total


def core_score(model: HoldingModel, sums: Sequence[int]) -> Score:
    """The holding's unmet count, shortfall and -counted with ``sums`` in its groups."""
    value = counted(model, sums)
    if model.required is None or value >= model.required:
        return (0, 0, -value)
    return (1, model.required - value, -value)


_PACKED_ITEMS = 8
"""The most activities of one kind whose packing into the rooms left is worked out exactly."""


@functools.lru_cache(maxsize=65536)
def _packed(amounts: tuple[int, ...], rooms: tuple[int, ...]) -> int:
    """The most of ``amounts`` (whole activities) that counts in ``rooms`` (one each).

    An activity in a room counts up to what the room has left; the rest of it is lost.
    """
    if not amounts or not any(rooms):
        return 0
    first, rest = amounts[0], amounts[1:]
    best = _packed(rest, rooms)  # the activity counts nowhere
    for index, room in enumerate(rooms):
        if room and (index == 0 or room != rooms[index - 1]):
            left = tuple(
                sorted((*rooms[:index], max(0, room - first), *rooms[index + 1 :]), reverse=True)
            )
            best = max(best, min(first, room) + _packed(rest, left))
    return best


class _Solver:
    def __init__(
        self, models: Sequence[HoldingModel], contests: Sequence[Contest], budget: int
    ) -> None:
        self.models = models
        self.contests = contests
        self.budget = budget
        self.nodes = 0
        self.sums = [list(m.base) for m in models]
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
        self.items: list[dict[tuple[int, int], int]] = [{} for _ in kinds]
        self.item = [(c.allowance, max(a for _, a in c.lands.values())) for c in contests]
        for kind, item in zip(self.kind, self.item, strict=True):
            self.items[kind][item] = self.items[kind].get(item, 0) + 1
        # Interchangeable contests form a class; each takes a choice no earlier than the
        # last one of its class took.
        classes: dict[object, int] = {}
        self.klass = [
            classes.setdefault((c.choices, tuple(sorted(c.lands.items()))), len(classes))
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

    def deliverable_now(self, lacking: Sequence[int] | None = None) -> int:
        """The most counted credit the undecided contests can still add to the holdings.

        With ``lacking`` (per holding, what its minimum still lacks), only the credit that
        helps a minimum: a holding takes at most what it lacks in any one group.
        """
        total = 0
        for kind, (groups, rest) in enumerate(zip(self.kinds, self.rest_of_kind, strict=True)):
            if not rest:
                continue
            room = widest = 0
            rooms: list[int] = []
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
            if widest < rest:
                # Each activity adds at most the widest room to each holding it serves.
                itemised = sum(
                    count * allowance * min(amount, widest)
                    for (allowance, amount), count in self.items[kind].items()
                )
                room = min(room, itemised)
            if widest < rest <= room and 1 < sum(self.items[kind].values()) <= _PACKED_ITEMS:
                # Few activities left of the kind: how much of them fits in the rooms.
                items = self.items[kind]
                if all(allowance == 1 for allowance, _ in items):
                    amounts = tuple(
                        sorted(
                            (a for (_, a), count in items.items() for _ in range(count)),
                            reverse=True,
                        )
                    )
                    room = min(room, _packed(amounts, tuple(sorted(rooms, reverse=True))))
            total += min(rest, room)
        return total

    def bound(self) -> Score:
        remaining = self.deliverable_now()
        lacking: list[int] = []
        unmet = 0
        shortfall = 0
        potential_total = 0
        current_total = 0
        needs: list[int] = []
        wanted = 0
        for model, sums, rest in zip(self.models, self.sums, self.rest, strict=True):
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
            potential_total += most
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
            helpful = self.deliverable_now(lacking)
        if needs:
            needs.sort()
            budget = helpful
            met = 0
            for need in needs:
                if need > budget:
                    break
                budget -= need
                met += 1
            unmet += len(needs) - met
        if wanted:
            shortfall += max(0, wanted - helpful)
        return (unmet, shortfall, -min(potential_total, current_total + remaining))

    def leaf(self) -> Score:
        unmet = shortfall = total = 0
        for model, sums in zip(self.models, self.sums, strict=True):
            a, b, c = core_score(model, sums)
            unmet += a
            shortfall += b
            total += c
        return (unmet, shortfall, total)

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
        if self.best is not None:
            bound = self.bound()
            if bound > self.best or (bound == self.best and self.later(depth)):
                self.done[key] = max(self.done.get(key, -1), counted_now)
                return True
        finished = self.branch(depth)
        if finished:
            self.done[key] = max(self.done.get(key, -1), counted_now)
        return finished

    def branch(self, depth: int) -> bool:
        """Try each choice of contest ``depth`` in order (no earlier than its class's last)."""
        contest = self.contests[depth]
        klass = self.klass[depth]
        first = previous = self.last_pick[klass]
        self.rest_of_kind[self.kind[depth]] -= self.deliverable[depth]
        self.items[self.kind[depth]][self.item[depth]] -= 1
        for holding, (group, amount) in contest.lands.items():
            self.rest[holding][group] -= amount
        finished = True
        for index in range(first, len(contest.choices)):
            choice = contest.choices[index]
            self.picked[depth] = index
            self.last_pick[klass] = index
            for holding in choice:
                group, amount = contest.lands[holding]
                self.sums[holding][group] += amount
            finished = self.search(depth + 1)
            for holding in choice:
                group, amount = contest.lands[holding]
                self.sums[holding][group] -= amount
            if not finished:
                break
        for holding, (group, amount) in contest.lands.items():
            self.rest[holding][group] += amount
        self.rest_of_kind[self.kind[depth]] += self.deliverable[depth]
        self.items[self.kind[depth]][self.item[depth]] += 1
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
        picks = tuple(self.last_pick[k] for k in self.open[depth])
        return (depth, tuple(parts), picks), total

    def greedy(self) -> None:
        """A first assignment: each activity to the holdings that lack most, in order."""
        picks = []
        sums = [list(s) for s in self.sums]
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
        unmet = shortfall = total = 0
        for model, holding_sums in zip(self.models, sums, strict=True):
            a, b, c = core_score(model, holding_sums)
            unmet += a
            shortfall += b
            total += c
        self.best, self.best_picks = (unmet, shortfall, total), picks


def solve(
    models: Sequence[HoldingModel], contests: Sequence[Contest], *, budget: int = NODE_BUDGET
) -> tuple[list[int], Score] | None:
    """The first least-score assignment in product order: each contest's choice index.

    ``None`` when the search visited ``budget`` nodes without proving its best.

    >>> half = HoldingModel(caps=(None,), base=(0,), required=10)
    >>> course = Contest(choices=((0,), (1,)), lands={0: (0, 10), 1: (0, 10)}, allowance=1)
    >>> solve([half, half], [course, course])
    ([0, 1], (0, 0, -20))
    """
    solver = _Solver(models, contests, budget)
    if contests:
        solver.greedy()
    if not solver.search(0):
        return None
    assert solver.best is not None
    return solver.best_picks, solver.best
