"""An exact minimum-cost flow on small networks with convex, piecewise-linear arc costs.

The allocation's common shapes (caps nested in a category tree, minimums nested in
another, credit that may carry over) are network flows; so is sharing consumed credit
across the holdings of a portfolio. This module solves them exactly in integers.

A network has a source and a sink; an arc goes from one node to another and has one or
more *segments*, each a capacity and a cost per unit, in increasing order of cost (a
convex cost: the first units are the cheapest). :meth:`Network.solve` finds a flow of
least total cost (of any amount) by successive shortest paths: it sends flow along a
cheapest source-to-sink path of the residual network while that path costs less than
zero. Path costs are found by Bellman-Ford with a queue, so costs may be negative, and
no residual cycle of negative cost ever forms (each augmentation follows a shortest
path). Capacities and costs are integers, so the flow found is integral and optimal
among all real flows.

Three units may enter at a profit of 5 each; the next arc earns 1 on its first two units
and costs 2 on more; the third unit still gains 5 - 2, a fourth could not enter:

>>> network = Network()
>>> a, b = network.node(), network.node()
>>> _ = network.arc(network.source, a, [(3, -5)])
>>> middle = network.arc(a, b, [(2, -1), (4, 2)])
>>> _ = network.arc(b, network.sink, [(10, 0)])
>>> network.solve()
-15
>>> network.flow(middle), network.segment_flows(middle)
(3, [2, 1])
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

__all__ = ["Network"]


class Network:
    """A flow network built node by node and arc by arc, then solved once."""

    __slots__ = ("caps", "costs", "flows", "heads", "incident", "positions", "tails")

    source = 0
    sink = 1

    def __init__(self) -> None:
        """A network of two nodes: the source (0) and the sink (1)."""
        self.incident: list[list[int]] = [[], []]
        self.tails: list[int] = []
        self.heads: list[int] = []
        self.caps: list[list[int]] = []
        self.costs: list[list[int]] = []
        self.flows: list[list[int]] = []
        self.positions: list[int] = []  # per arc, the first segment not yet full

    def node(self) -> int:
        """A new node's number."""
        self.incident.append([])
        return len(self.incident) - 1

    def arc(self, tail: int, head: int, segments: Sequence[tuple[int, int]]) -> int:
        """Add an arc ``tail -> head``; ``segments`` are (capacity, cost), costs ascending.

        Segments of no capacity are left out (an arc may have none).

        Returns:
            The arc's number (for :meth:`flow` and :meth:`segment_flows`).
        """
        caps: list[int] = []
        costs: list[int] = []
        for capacity, cost in segments:
            if capacity > 0:
                if costs and cost < costs[-1]:
                    raise ValueError("an arc's segments must come in increasing order of cost")
                caps.append(capacity)
                costs.append(cost)
        number = len(self.tails)
        self.tails.append(tail)
        self.heads.append(head)
        self.caps.append(caps)
        self.costs.append(costs)
        self.flows.append([0] * len(caps))
        self.positions.append(0)
        self.incident[tail].append(2 * number)  # even: the arc forward
        self.incident[head].append(2 * number + 1)  # odd: backward (undo flow)
        return number

    def flow(self, arc: int) -> int:
        """The flow on ``arc``."""
        return sum(self.flows[arc])

    def segment_flows(self, arc: int) -> list[int]:
        """The flow on each segment of ``arc`` that has capacity, in order."""
        return list(self.flows[arc])

    def _move_cost(self, move: int, blocked: int) -> int:
        """What one unit of residual move ``move`` costs now (``blocked``: it has no room)."""
        arc = move >> 1
        position = self.positions[arc]
        if move & 1:  # backward: undo flow on the last segment that has some
            flows = self.flows[arc]
            if position < len(flows) and flows[position]:
                return -self.costs[arc][position]
            return -self.costs[arc][position - 1] if position else blocked
        return self.costs[arc][position] if position < len(self.caps[arc]) else blocked

    def solve(self) -> int:  # noqa: PLR0912, PLR0915 - the search and its updates inline
        """Send flow of least total cost; return that cost.

        Each residual move (an arc forward, or backward to undo its flow) keeps its
        current unit cost in one list, a move without room costing more than any path
        could gain, so the search for a cheapest path reads one number per move.
        """
        total = 0
        nodes = len(self.incident)
        incident, tails, heads = self.incident, self.tails, self.heads
        source, sink = self.source, self.sink
        # Above any path's cost: every arc's cost, in absolute value, times every node.
        unreached = nodes * max((abs(c) for arc in self.costs for c in arc), default=0) + 1
        blocked = 3 * unreached  # no distance plus this lowers another
        ends = [end for tail, head in zip(tails, heads, strict=True) for end in (head, tail)]
        flows, positions, caps, costs = self.flows, self.positions, self.caps, self.costs
        price = [self._move_cost(move, blocked) for move in range(len(ends))]
        while True:
            # Bellman-Ford with a queue over the residual moves (inline: this loop is
            # the solver's whole cost).
            distance = [unreached] * nodes
            via = [-1] * nodes
            distance[source] = 0
            queue = deque([source])
            queued = [False] * nodes
            queued[source] = True
            while queue:
                node = queue.popleft()
                queued[node] = False
                here = distance[node]
                for move in incident[node]:
                    reach = here + price[move]
                    head = ends[move]
                    if reach < distance[head]:
                        distance[head] = reach
                        via[head] = move
                        if not queued[head]:
                            queued[head] = True
                            queue.append(head)
            reached = distance[sink]
            if reached >= 0:  # no path left, or none that lowers the cost
                return total
            path = []
            node = sink
            amount = -1
            while node != source:  # the path back, and the least room on it
                move = via[node]
                path.append(move)
                node = ends[move ^ 1]
                arc = move >> 1
                position = positions[arc]
                segment_flows = flows[arc]
                if move & 1:  # backward: undo flow on the last segment that has some
                    room = (
                        segment_flows[position]
                        if position < len(segment_flows) and segment_flows[position]
                        else segment_flows[position - 1]
                    )
                else:
                    room = caps[arc][position] - segment_flows[position]
                if amount < 0 or room < amount:
                    amount = room
            for move in path:
                arc = move >> 1
                segment_flows, position = flows[arc], positions[arc]
                arc_caps, arc_costs = caps[arc], costs[arc]
                if move & 1:
                    if not (position < len(segment_flows) and segment_flows[position]):
                        position -= 1
                        positions[arc] = position
                    segment_flows[position] -= amount
                else:
                    segment_flows[position] += amount
                    if segment_flows[position] == arc_caps[position]:
                        position += 1
                        positions[arc] = position
                # The arc's two moves' prices now (as _move_cost reads them).
                size = len(arc_caps)
                price[2 * arc] = arc_costs[position] if position < size else blocked
                if position < size and segment_flows[position]:
                    price[2 * arc + 1] = -arc_costs[position]
                else:
                    price[2 * arc + 1] = -arc_costs[position - 1] if position else blocked
            total += amount * reached
