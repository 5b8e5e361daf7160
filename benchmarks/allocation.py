"""Benchmark the allocation: PMP's nested caps and minimums, growth, and shared credit.

Run it from the repository root with the project's virtual environment::

    .venv/bin/python benchmarks/allocation.py           # 7 alternating rounds
    .venv/bin/python benchmarks/allocation.py --quick   # 3 rounds of smaller batches

What is timed: the explained ``cperules.evaluate`` of catalog holdings (``isc2/cissp``
and ``pmi/pmp``) on synthetic three-year ledgers, and ``cperules.evaluate_portfolio`` of
five CompTIA holdings that consume one another's credit (the catalog puts every CompTIA
certification in the pool ``comptia`` with mode ``consumed``). Every workload is a batch of
ledgers built before anything is timed; the rounds alternate over the workloads, so that
a slow moment of the machine falls on all of them alike. Each round times one pass over
each batch with ``time.process_time`` (CPU time); the figure of a workload is the median
over the rounds of its time per ledger, and the ratios are taken between those medians,
all in one run.

Ledgers (deterministic: ``random.Random`` seeded per ledger from ``--seed``):

* CISSP: activities of categories A (about 80%) and B, 0.5 to 4 credits in quarter steps,
  on random days of the first cycle (2023-03-01..2026-02-28), evaluated on 2026-03-15 (the
  cycle has ended; its carryover moves credit into the next one).
* PMP: the Talent Triangle areas (ways of working, power skills, business acumen, under
  education) and giving back (volunteering, content, presentations and working as a
  practitioner, capped at 25 and 8), a tenth split between two areas; ``eligible`` more
  of them (10% in the typical ledger, 30% in the "two areas" one) are filed as eligible
  for two areas, the engine choosing where they count. Same cycle and day.
* CompTIA: 100 activities of the CompTIA activity types (training, webinars,
  conferences, teaching, work experience...) over 2023-03-01..2026-02-28, for holdings
  of A+, Network+, Security+, CySA+ and PenTest+ earned 2023-03-01, evaluated on
  2026-01-15; every activity is eligible for every holding and serves one of them.

Targets (issue 16), each a ratio measured in this run (or, for the portfolio, a CPU time):

* PMP, 40 activities, at most 2x CISSP with 40;
* 400 activities at most 11x 40, for CISSP and for PMP;
* PMP with 1,000 activities, 30% eligible for two areas, at most 30x PMP with 40 (same mix);
* five CompTIA certifications sharing consumed credit, 100 activities: under 100 ms.

The script prints a table of target, measured figure, limit and PASS or MISS, and exits
with status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from cperules import Activity, Holding, Ledger, catalog, evaluate, evaluate_portfolio

TARGETS = (
    ("PMP 40 / CISSP 40", 2.0),
    ("CISSP 400 / CISSP 40", 11.0),
    ("PMP 400 / PMP 40", 11.0),
    ("PMP 1000 / PMP 40 (30% eligible)", 30.0),
    ("5 CompTIA sharing, 100 activities (ms)", 100.0),
)
"""Each target's name and limit: a ratio of median CPU times, or (ms) a CPU time below it."""

EARNED = dt.date(2023, 3, 1)
CYCLE_END = dt.date(2026, 2, 28)
CYCLE_DAYS = (CYCLE_END - EARNED).days + 1
AS_OF = dt.date(2026, 3, 15)
PORTFOLIO_AS_OF = dt.date(2026, 1, 15)

PMP_AREAS = ("ways-of-working", "power-skills", "business-acumen")
PMP_GIVING_BACK = ("volunteer", "create-content", "give-presentation", "working-as-a-practitioner")
COMPTIA = (
    "comptia/a-plus",
    "comptia/network-plus",
    "comptia/security-plus",
    "comptia/cysa-plus",
    "comptia/pentest-plus",
)
COMPTIA_KINDS = ("training", "training", "training", "webinar", "conference", "teaching")


def _rng(seed: int, what: str, size: int, index: int) -> random.Random:
    return random.Random(f"{seed}/{what}/{size}/{index}")


def _activity(
    rng: random.Random, number: int, credits: Decimal, where: dict[str, object]
) -> Activity:
    return Activity.model_validate(
        {
            "id": f"act-{number:04d}",
            "title": f"Course {rng.randint(1, 999)}",
            "completed": EARNED + dt.timedelta(days=rng.randrange(CYCLE_DAYS)),
            "credits": credits,
            **where,
        }
    )


def _credits(rng: random.Random, most: int = 16) -> Decimal:
    return Decimal(rng.randint(2, most)) / 4


def cissp_ledger(seed: int, size: int, index: int) -> Ledger:
    rng = _rng(seed, "cissp", size, index)
    return Ledger(
        _activity(rng, n, _credits(rng), {"category": "B" if rng.random() < 0.2 else "A"})
        for n in range(size)
    )


def pmp_ledger(seed: int, size: int, index: int, *, eligible: float) -> Ledger:
    rng = _rng(seed, f"pmp-{eligible}", size, index)
    activities = []
    for n in range(size):
        credits = _credits(rng, 12)
        draw = rng.random()
        where: dict[str, object]
        if draw < eligible:
            where = {"eligible": tuple(sorted(rng.sample(PMP_AREAS, 2)))}
        elif draw < eligible + 0.1:
            first, second = rng.sample(PMP_AREAS, 2)
            part = Decimal(rng.randint(1, int(credits * 4) - 1)) / 4
            where = {"split": {first: part, second: credits - part}}
        elif draw < 0.75:
            where = {"category": rng.choice(PMP_AREAS)}
        else:
            where = {"category": rng.choice(PMP_GIVING_BACK)}
        activities.append(_activity(rng, n, credits, where))
    return Ledger(activities)


def comptia_ledger(seed: int, size: int, index: int) -> Ledger:
    rng = _rng(seed, "comptia", size, index)
    return Ledger(
        _activity(rng, n, Decimal(rng.randint(1, 6)), {"category": rng.choice(COMPTIA_KINDS)})
        for n in range(size)
    )


@dataclass
class Workload:
    """A batch of ledgers and how one is evaluated."""

    name: str
    ledgers: list[Ledger]
    run: Callable[[Ledger], object]
    times: list[float]


def single(certification_id: str) -> Callable[[Ledger], object]:
    holding = Holding(certification=certification_id, earned=EARNED)
    return lambda ledger: evaluate(holding, ledger, as_of=AS_OF)


def portfolio() -> Callable[[Ledger], object]:
    holdings = [Holding(certification=c, earned=EARNED) for c in COMPTIA]
    return lambda ledger: evaluate_portfolio(holdings, ledger, as_of=PORTFOLIO_AS_OF)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 rounds of small batches")
    parser.add_argument("--rounds", type=int, default=None, help="alternating rounds")
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args(argv)
    rounds = args.rounds or (3 if args.quick else 7)
    small = 4 if args.quick else 10
    seed = args.seed
    catalog.get("isc2/cissp")  # load what the workloads use before timing anything
    for certification_id in ("pmi/pmp", *COMPTIA):
        catalog.get(certification_id)

    def batch(make: Callable[[int, int, int], Ledger], size: int, count: int) -> list[Ledger]:
        return [make(seed, size, index) for index in range(count)]

    def pmp(eligible: float) -> Callable[[int, int, int], Ledger]:
        return lambda s, size, i: pmp_ledger(s, size, i, eligible=eligible)

    workloads = [
        Workload("CISSP 40", batch(cissp_ledger, 40, small), single("isc2/cissp"), []),
        Workload("CISSP 400", batch(cissp_ledger, 400, 2), single("isc2/cissp"), []),
        Workload("PMP 40", batch(pmp(0.1), 40, small), single("pmi/pmp"), []),
        Workload("PMP 400", batch(pmp(0.1), 400, 2), single("pmi/pmp"), []),
        Workload("PMP 40, 30% eligible", batch(pmp(0.3), 40, small), single("pmi/pmp"), []),
        Workload("PMP 1000, 30% eligible", batch(pmp(0.3), 1000, 1), single("pmi/pmp"), []),
        Workload("CompTIA x5 sharing, 100", batch(comptia_ledger, 100, 2), portfolio(), []),
    ]
    for workload in workloads:  # warm up: first calls compile policies and fill caches
        workload.run(workload.ledgers[0])
    for _ in range(rounds):
        for workload in workloads:
            gc.collect()
            start = time.process_time()
            for ledger in workload.ledgers:
                workload.run(ledger)
            workload.times.append((time.process_time() - start) / len(workload.ledgers))
    median = {w.name: statistics.median(w.times) for w in workloads}

    print(f"CPU time per ledger (median of {rounds} alternating rounds, time.process_time)")
    for workload in workloads:
        print(f"  {workload.name:<26} {median[workload.name] * 1e3:10.2f} ms")
    measured = (
        median["PMP 40"] / median["CISSP 40"],
        median["CISSP 400"] / median["CISSP 40"],
        median["PMP 400"] / median["PMP 40"],
        median["PMP 1000, 30% eligible"] / median["PMP 40, 30% eligible"],
        median["CompTIA x5 sharing, 100"] * 1e3,
    )
    rows = [
        (name, figure, limit, " ms" if name.endswith("(ms)") else "x")
        for (name, limit), figure in zip(TARGETS, measured, strict=True)
    ]
    print()
    print(f"| {'target':<40} | {'measured':>11} | {'limit':>9} | result |")
    print(f"|{'-' * 42}|{'-' * 13}|{'-' * 11}|--------|")
    missed = 0
    for name, figure, limit, unit in rows:
        ok = figure <= limit if unit == "x" else figure < limit
        missed += not ok
        print(
            f"| {name:<40} | {figure:>8.2f}{unit:<3} | {limit:>6g}{unit:<3} | "
            f"{'PASS' if ok else 'MISS':<6} |"
        )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
