"""Measure how often the exact assignment of shared credit runs out of nodes.

Run it from the repository root with the project's virtual environment::

    .venv/bin/python benchmarks/sharing_budget.py            # 25 problems a row
    .venv/bin/python benchmarks/sharing_budget.py --count 100

What is measured: ``cperules._engine.assignment`` (the branch and bound that
``evaluate_portfolio`` uses for limited and consumed pools) on generated integer problems:
holdings with 1 to 3 groups under random caps (3 to 30, or none), random minimums (10 to
60, or none), a share of them carrying their surplus out (carryover cap 0 to 20, or none;
part of the credit may carry), and contests of 1 to 8 credits each eligible for 2 or more
holdings with a random allowance. Problems are seeded (``random.Random(seed)``), so every
run solves the same ones. Each problem is solved as ``solve`` does (the dive within
:data:`~cperules._engine.assignment.DIVE_BUDGET`, then the search within
:data:`~cperules._engine.assignment.NODE_BUDGET`); the table counts the problems the dive
settled, those the search proved, and those where it gave up (``evaluate_portfolio`` then
falls back to trying every assignment up to its search limit, or to a local search with a
note), with the median and largest CPU time.

These problems are adversarial next to real portfolios (the catalog's CompTIA row of
``benchmarks/allocation.py`` is settled by the dive); there is no target, only figures.
"""

from __future__ import annotations

import argparse
import collections
import itertools
import random
import time

from cperules._engine import assignment

SIZES = ((3, 12), (4, 24))
CARRYING = (0.0, 0.5, 1.0)


def problem(
    rng: random.Random, carrying: float, holdings: int, size: int
) -> tuple[list[assignment.HoldingModel], list[assignment.Contest]]:
    """One generated problem: ``holdings`` holdings, ``size`` contests."""
    groups = rng.randint(1, 3)
    models = []
    for _ in range(holdings):
        base = tuple(rng.randint(0, 6) for _ in range(groups))
        carry = rng.random() < carrying
        models.append(
            assignment.HoldingModel(
                caps=tuple(rng.choice([None, rng.randint(3, 30)]) for _ in range(groups)),
                base=base,
                required=rng.choice([None, rng.randint(10, 60)]),
                carry=carry,
                carry_base=tuple(rng.randint(0, b) for b in base) if carry else (),
                carry_cap=rng.choice([None, rng.randint(0, 20)]) if carry else None,
            )
        )
    contests = []
    for _ in range(size):
        eligible = sorted(rng.sample(range(holdings), rng.randint(2, holdings)))
        allowance = rng.randint(1, len(eligible) - 1)
        group, amount = rng.randrange(groups), rng.randint(1, 8)
        contests.append(
            assignment.Contest(
                choices=tuple(itertools.combinations(eligible, allowance)),
                lands=dict.fromkeys(eligible, (group, amount)),
                allowance=allowance,
                carries=frozenset(h for h in eligible if models[h].carry and rng.random() < 0.6),
            )
        )
    return models, contests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=25, help="problems per row")
    count = parser.parse_args().count
    print("| holdings carrying | holdings x contests | dive | search | gave up | median | max |")
    print("|---|---|---|---|---|---|---|")
    for carrying in CARRYING:
        for holdings, size in SIZES:
            tally: collections.Counter[str] = collections.Counter()
            times = []
            for seed in range(count):
                models, contests = problem(random.Random(seed), carrying, holdings, size)
                start = time.process_time()
                solver = assignment._Solver(models, contests, assignment.NODE_BUDGET)
                if solver.dive(solver.bound(0), assignment.DIVE_BUDGET) is not None:
                    tally["dive"] += 1
                else:
                    solver.greedy()
                    tally["search" if solver.search(0) else "gave up"] += 1
                times.append(time.process_time() - start)
            times.sort()
            print(
                f"| {carrying:.0%} | {holdings} x {size} | {tally['dive']} | {tally['search']} "
                f"| {tally['gave up']} | {1000 * times[len(times) // 2]:.0f} ms "
                f"| {1000 * times[-1]:.0f} ms |",
                flush=True,
            )


if __name__ == "__main__":
    main()
