"""Benchmark ``cperules.evaluate`` over the licensing families of the catalog's second wave.

Run it from the repository root with the project's virtual environment::

    .venv/bin/python benchmarks/catalog_families.py           # 40 and 400 activities
    .venv/bin/python benchmarks/catalog_families.py --quick   # fewer rounds (seconds)

What it measures, in one process, CPU time (``time.process_time``), medians of
alternating rounds (every entry is timed once per round, in turn, so that load on the
machine falls on all of them alike):

* catalog entries of the accounting, law, audit, HR and engineering families (CPA
  boards, attorneys' CLE, IIA, IMA, ACFE, SHRM, HRCI, PE boards), each with synthetic
  ledgers of many small credits (50-minute CPE in 0.2 steps, CLE in quarter hours)
  spread over the holder's current period and the one before;
* a rolling-window policy of the shape several CPA boards use (120 hours in the 36
  months before each yearly checkpoint, 20 in each year, 4 of ethics), built on the CPA
  family's measure, since no rolling board is in the catalog yet;
* ``isc2/cissp`` with ledgers of the same sizes, as the reference.

It prints microseconds per ledger for 40 and 400 activities, the ratio of each to
CISSP's time at the same size, and the 400/40 growth. The issue that asked for this run
(13) sets no target, so the script reports and exits 0; performance targets belong to
``benchmarks/evaluate.py``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import random
import statistics
import time
from collections.abc import Callable
from decimal import Decimal

from cperules import (
    Activity,
    Certification,
    Holder,
    Holding,
    Ledger,
    PolicyVersion,
    RollingCycle,
    catalog,
    evaluate,
)
from cperules.rules import Minimum
from cperules.selectors import topic

AS_OF = dt.date(2026, 6, 30)
HOLDER = Holder(birth_date=dt.date(1980, 5, 17), family_name="Moreno")
ENTRIES = (
    "isc2/cissp",
    "cpa/california",
    "cpa/pennsylvania",
    "cpa/north-carolina",
    "cpa/maryland",
    "cle/illinois",
    "cle/ohio",
    "cle/tennessee",
    "cle/colorado",
    "iia/cia",
    "ima/cma",
    "acfe/cfe",
    "shrm/shrm-cp",
    "hrci/phr",
    "pe/florida",
    "pe/new-jersey",
)
SIZES = (40, 400)


def rolling_cpa() -> Certification:
    """120 hours in the 36 months before each yearly checkpoint, 20 a year, 4 of ethics."""
    family = catalog.get("cpa/pennsylvania").versions[-1]
    version = PolicyVersion(
        effective_from=dt.date(2000, 1, 1),
        cycle=RollingCycle(every_months=12, window_months=36, checkpoint_month=12),
        measure=family.measure,
        categories=family.categories,
        rules=(
            Minimum(id="total", credits=Decimal(120)),
            Minimum(id="yearly", credits=Decimal(20), scope="year"),
            Minimum(id="ethics", credits=Decimal(4), selector=topic("ethics")),
        ),
    )
    return Certification(
        id="bench/rolling-cpa", name="Rolling CPA", body="Bench", unit="CPE", versions=(version,)
    )


def small_credits(certification: Certification) -> tuple[Decimal, ...]:
    """Credit amounts on the policy's own grid: many small ones (0.2 or 0.25 steps)."""
    step = certification.versions[-1].measure.step
    unit = step if step < 1 else Decimal("0.5")
    return tuple(unit * k for k in range(1, 9))


def ledger_for(certification: Certification, size: int, seed: int) -> Ledger:
    """``size`` activities over the three years before ``AS_OF``, on the policy's grid."""
    rng = random.Random(seed)
    version = certification.versions[-1]
    codes: list[str | None] = [*sorted(version.category_codes)] or [None]
    amounts = small_credits(certification)
    start = AS_OF - dt.timedelta(days=3 * 365)
    activities = []
    for index in range(size):
        code = rng.choice(codes)
        activities.append(
            Activity(
                id=f"a{index}",
                title="Course",
                completed=start + dt.timedelta(days=rng.randrange(3 * 365)),
                credits=rng.choice(amounts),
                category=code,
                topics=("ethics",) if rng.random() < 0.1 else (),
            )
        )
    return Ledger(activities)


def earned_for(certification: Certification) -> dt.date:
    """A date some years back that every version of the policy covers."""
    return max(dt.date(2019, 7, 1), certification.versions[0].effective_from)


def evaluate_all(holding: Holding, ledgers: list[Ledger]) -> None:
    """Evaluate every ledger for ``holding`` on ``AS_OF``, keeping nothing."""
    for ledger in ledgers:
        evaluate(holding, ledger, as_of=AS_OF)


def measure(rounds: int, batch: int) -> dict[tuple[str, int], float]:
    """Median CPU microseconds per ledger, by (entry, size), over alternating rounds."""
    entries: dict[str, Certification] = {i: catalog.get(i) for i in ENTRIES}
    entries["bench/rolling-cpa"] = rolling_cpa()
    work: dict[tuple[str, int], Callable[[], None]] = {}
    for name, certification in entries.items():
        holding = Holding(
            certification=certification, earned=earned_for(certification), holder=HOLDER
        )
        for size in SIZES:
            ledgers = [ledger_for(certification, size, seed) for seed in range(batch)]
            run = functools.partial(evaluate_all, holding, ledgers)
            run()  # warm: catalog loading, caches
            work[(name, size)] = run
    samples: dict[tuple[str, int], list[float]] = {key: [] for key in work}
    for _ in range(rounds):
        for key, timed in work.items():
            started = time.process_time()
            timed()
            samples[key].append((time.process_time() - started) / batch * 1e6)
    return {key: statistics.median(values) for key, values in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds and ledgers")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batch", type=int, default=5)
    args = parser.parse_args()
    rounds, batch = (2, 2) if args.quick else (args.rounds, args.batch)
    figures = measure(rounds, batch)
    names = sorted({name for name, _ in figures}, key=lambda n: (n != "isc2/cissp", n))
    print(f"CPU microseconds per ledger, median of {rounds} alternating rounds of {batch}")
    print(
        f"{'entry':28} {'40':>9} {'400':>10} {'x CISSP@40':>11} {'x CISSP@400':>12} {'400/40':>7}"
    )
    for name in names:
        small, large = figures[(name, 40)], figures[(name, 400)]
        base_small, base_large = figures[("isc2/cissp", 40)], figures[("isc2/cissp", 400)]
        print(
            f"{name:28} {small:9.0f} {large:10.0f} {small / base_small:11.2f} "
            f"{large / base_large:12.2f} {large / small:7.1f}"
        )


if __name__ == "__main__":
    main()
