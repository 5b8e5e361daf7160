"""Benchmark cperules at a body's scale: start-up, ``Ledger.from_records``, a Dask batch.

Run it from the repository root with the project's virtual environment::

    .venv/bin/python benchmarks/scale.py                   # full run (100,000 holders)
    .venv/bin/python benchmarks/scale.py --quick           # small run (about a minute)
    .venv/bin/python benchmarks/scale.py --holders 20000   # another batch size

Three targets of issue 16, each measured in this one run:

* start-up: ``import cperules`` and loading every bundled catalog entry, in a fresh
  process, CPU time (``time.process_time`` inside the process, from before the import to
  after the last entry; the interpreter's own start is reported apart), the median of
  ``--processes`` fresh processes after one warm-up (so that bytecode caches exist):
  under 300 ms. How long importing pydantic alone takes in the same processes is printed
  beside it: on a shared machine every figure swings with the load, and that one is not
  cperules' doing;
* ``Ledger.from_records`` on 40 records, against pydantic's own validation of the same
  40 records (``TypeAdapter(list[Activity]).validate_python``): CPU time, alternating
  rounds, medians; at most 1.5x;
* ``--holders`` synthetic PMP holders (default 100,000) through ``cperules.batch`` on
  Dask, on a local cluster of 2 worker processes (one thread each), in partitions of
  ``--partition`` holders (default :data:`PARTITION`, configured as the how-to
  recommends: :data:`WORKER_CONFIG`). Each worker builds its partitions' holdings and
  activities frames itself (deterministic for ``--seed``), then evaluates them
  (``evaluate_dask(..., partitioned_by_holder=True)``). Reported:
  holders per second (wall clock, which other work on the machine slows down, so the
  load average is printed beside it), the CPU time the two workers spent per holder, the
  projected time for 1.5 million holders on the same 2 workers from that CPU time
  (under 15 minutes: what 2 idle cores would take), and each worker process's peak
  resident memory (its own ``VmHWM``; under 300 MB), beside its memory before any work.

It prints a table (target, measured, limit, PASS or MISS) and exits with status 1 when
a target is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any

TARGETS = (
    ("import + every catalog entry, fresh process (CPU, ms)", 300.0),
    ("from_records / pydantic validation, 40 records (ratio)", 1.5),
    ("1.5M PMP holders on 2 Dask workers, projected (min)", 15.0),
    ("peak memory per Dask worker (MB)", 300.0),
)
"""Each target's name and limit (`make bench` runs every script that declares them)."""
STARTUP_MS, FROM_RECORDS_RATIO, PROJECTED_MIN, WORKER_MB = (limit for _, limit in TARGETS)

FULL_HOLDERS = 100_000
QUICK_HOLDERS = 2_000
MEMBERSHIP = 1_500_000
AS_OF = dt.date(2026, 1, 1)

STARTUP = """
import time
before = time.process_time()
import pydantic.main
imported = time.process_time()
import cperules
from cperules import catalog
for certification_id in catalog.ids():
    catalog.get(certification_id)
after = time.process_time()
print(before * 1000, (after - before) * 1000, len(catalog.ids()), (imported - before) * 1000)
"""


@dataclass
class Target:
    name: str
    measured: float
    limit: float
    unit: str

    @property
    def met(self) -> bool:
        return self.measured <= self.limit

    def row(self) -> str:
        verdict = "PASS" if self.met else "MISS"
        return (
            f"| {self.name} | {self.measured:,.2f} {self.unit} | "
            f"<= {self.limit:,.2f} {self.unit} | {verdict} |"
        )


# --- start-up ----------------------------------------------------------------------------


def startup(processes: int) -> tuple[float, float, int, float]:
    """Median CPU ms of import + every catalog entry, interpreter start, entry count, and
    the part of the first that is pydantic's own import (a reference for the machine's
    speed at the time: cperules does not change it)."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": ""}

    def once() -> tuple[float, float, int, float]:
        out = subprocess.run(
            [sys.executable, "-c", STARTUP], check=True, capture_output=True, text=True, env=env
        ).stdout.split()
        return float(out[1]), float(out[0]), int(out[2]), float(out[3])

    once()  # warm-up: bytecode caches written, files in the page cache
    runs = [once() for _ in range(processes)]
    return (
        statistics.median(run[0] for run in runs),
        statistics.median(run[1] for run in runs),
        runs[0][2],
        statistics.median(run[3] for run in runs),
    )


# --- from_records ------------------------------------------------------------------------


def synthetic_records(count: int, seed: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    return [
        {
            "id": f"a{n}",
            "title": f"Course {n}",
            "completed": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "credits": str(rng.randint(1, 32) / 4),
            "category": rng.choice(("A", "B")),
            "kind": rng.choice(("course", "webinar", "conference")),
        }
        for n in range(count)
    ]


def from_records_ratio(rounds: int, seed: int) -> tuple[float, float, float]:
    """Median µs of from_records and of pydantic's validation of the same records."""
    from pydantic import TypeAdapter  # noqa: PLC0415

    from cperules import Activity, Ledger  # noqa: PLC0415

    records = synthetic_records(40, seed)
    adapter = TypeAdapter(list[Activity])
    assert Ledger.from_records(records).activities == tuple(adapter.validate_python(records))

    def ours() -> object:
        return Ledger.from_records(records)

    def pydantics() -> object:
        return adapter.validate_python(records)

    times: dict[Callable[[], object], list[float]] = {ours: [], pydantics: []}
    inner = 50
    for _ in range(rounds):
        for function, seen in times.items():
            start = time.process_time()
            for _ in range(inner):
                function()
            seen.append((time.process_time() - start) / inner * 1e6)
    mine, theirs = statistics.median(times[ours]), statistics.median(times[pydantics])
    return mine, theirs, mine / theirs


# --- the Dask batch ----------------------------------------------------------------------

PMP_CATEGORIES = (
    "ways-of-working",
    "power-skills",
    "business-acumen",
    "working-as-a-practitioner",
    "volunteer",
)


def holders_partition(spec: tuple[int, int, int, str]) -> Any:
    """One partition's holdings or activities, built on the worker from its holder range."""
    pd: Any = importlib.import_module("pandas")

    first, count, seed, what = spec
    holdings: dict[str, list[Any]] = {"holder": [], "certification": [], "earned": []}
    activities: dict[str, list[Any]] = {
        name: [] for name in ("holder", "id", "title", "completed", "credits", "category")
    }
    for number in range(first, first + count):
        rng = random.Random(seed * 1_000_003 + number)
        holder = f"h{number:07d}"
        earned = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(6 * 365))
        holdings["holder"].append(holder)
        holdings["certification"].append("pmi/pmp")
        holdings["earned"].append(earned)
        if what == "holdings":
            continue  # the activities are drawn after the earned date: the same holders
        for index in range(rng.randint(4, 20)):
            done = earned + dt.timedelta(days=rng.randrange(max(1, (AS_OF - earned).days)))
            activities["holder"].append(holder)
            activities["id"].append(f"{holder}-{index}")
            activities["title"].append("Course")
            activities["completed"].append(done.isoformat())
            activities["credits"].append(str(rng.randint(2, 24) / 2))
            activities["category"].append(rng.choice(PMP_CATEGORIES))
    return pd.DataFrame(holdings if what == "holdings" else activities)


@dataclass
class BatchRun:
    wall: float
    cpu: list[float]
    peaks: list[float]
    statuses: Any
    idle: list[float]


PARTITION = 250
"""Holders a partition by default: what the how-to recommends (a worker's memory grows
with the partitions' size; below a few hundred, the per-task overhead shows)."""

WORKER_CONFIG = {"distributed.worker.profile.enabled": False}
"""The workers' Dask configuration, as the how-to recommends for a large membership:
distributed's statistical profiler off (it keeps a growing tree of every line it sampled,
some 15 MB a worker over this run, and takes CPU)."""


def worker_peak_mb(maxrss_mb: float) -> float:
    """This process's own peak resident memory, in MB.

    ``VmHWM`` where Linux gives it: ``ru_maxrss`` of a spawned worker also counts the
    process it was forked from (the client, before ``exec``), so a worker that stays
    smaller than its client would be reported at the client's size.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return maxrss_mb


def dask_batch(holders: int, partition_size: int, seed: int) -> BatchRun:
    """Wall seconds, each worker's CPU seconds and peak RSS (MB), the status counts."""
    import resource  # noqa: PLC0415

    # Imported by name: dask ships no type information.
    dask: Any = importlib.import_module("dask")
    dd: Any = importlib.import_module("dask.dataframe")
    distributed: Any = importlib.import_module("distributed")

    from cperules.batch import evaluate_dask  # noqa: PLC0415

    starts = range(0, holders, partition_size)
    specs = [(start, min(partition_size, holders - start), seed) for start in starts]

    def cpu() -> float:
        return time.process_time()

    def peak() -> float:
        return worker_peak_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)

    with (
        dask.config.set(WORKER_CONFIG),
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        idle = list(client.run(peak).values())
        holdings = dd.from_map(
            holders_partition, [(*spec, "holdings") for spec in specs], meta=_meta("holdings")
        )
        activities = dd.from_map(
            holders_partition, [(*spec, "activities") for spec in specs], meta=_meta("activities")
        )
        rows = evaluate_dask(holdings, activities, as_of=AS_OF, partitioned_by_holder=True)
        # Each partition's status counts, added up eight at a time on the workers (a tree
        # reduction): no shuffle of the rows, and no partition's counts held until the
        # last is done (gathered at the end, they grew a worker's memory with the number of
        # partitions: some 20 MB per 100,000 holders).
        counts = rows.reduction(
            _status_counts,
            aggregate=_added,
            combine=_added,
            split_every=8,
            meta=("count", "int64"),
        )
        before = client.run(cpu)
        start = time.perf_counter()
        statuses = counts.compute()
        wall = time.perf_counter() - start
        after = client.run(cpu)
        peaks = list(client.run(peak).values())
    cpus = [after[worker] - before[worker] for worker in after]
    return BatchRun(wall, cpus, peaks, statuses, idle)


def _added(counts: Any) -> Any:
    """Status counts of several partitions (Dask gives them one row each), added up."""
    return counts.sum().astype("int64")


def _status_counts(rows: Any) -> Any:
    return rows["status"].fillna(rows["error_code"]).value_counts()


def _meta(what: str) -> Any:
    return holders_partition((0, 0, 0, what))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_HOLDERS:,} holders")
    parser.add_argument("--holders", type=int, help=f"batch size (default {FULL_HOLDERS:,})")
    parser.add_argument(
        "--partition", type=int, help=f"holders a partition (default {PARTITION:,})"
    )
    parser.add_argument("--processes", type=int, help="fresh processes for start-up")
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    holders = args.holders or (QUICK_HOLDERS if args.quick else FULL_HOLDERS)
    processes = args.processes or (3 if args.quick else 7)

    print(
        f"cperules {version('cperules')}, Python {platform.python_version()}, "
        f"pydantic {version('pydantic')}, {os.cpu_count()} cores"
    )
    started, interpreter, entries, pydantic = startup(processes)
    print(
        f"start-up: import cperules + {entries} catalog entries: {started:.0f} ms CPU "
        f"(median of {processes} fresh processes; of which importing pydantic itself "
        f"{pydantic:.0f} ms; the interpreter's own start, before it: {interpreter:.0f} ms; "
        f"load average {os.getloadavg()[0]:.1f})"
    )
    mine, theirs, ratio = from_records_ratio(15 if args.quick else 41, args.seed)
    print(
        f"from_records, 40 records: {mine:.0f} µs; pydantic's validation of the same "
        f"records: {theirs:.0f} µs ({ratio:.2f}x)"
    )
    partition = args.partition or min(PARTITION, max(1, holders // 8))
    run = dask_batch(holders, partition, args.seed)
    cpu_per_holder = sum(run.cpu) / holders
    projected = MEMBERSHIP * cpu_per_holder / 2 / 60
    print(
        f"Dask, 2 local worker processes, {holders:,} PMP holders: {run.wall:.1f} s wall "
        f"({holders / run.wall:,.0f} holders/s; load average {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} cores), worker CPU {' + '.join(f'{c:.1f}' for c in run.cpu)} s = "
        f"{cpu_per_holder * 1000:.2f} ms per holder ({2 / cpu_per_holder:,.0f} holders/s on "
        f"2 idle cores)"
    )
    print(
        f"1.5M holders projected: {projected:.1f} min on 2 idle cores (from worker CPU time); "
        f"{MEMBERSHIP / holders * run.wall / 60:.1f} min at this run's wall-clock rate"
    )
    print(
        f"worker peak RSS: {', '.join(f'{peak:.0f}' for peak in run.peaks)} MB "
        f"({', '.join(f'{idle:.0f}' for idle in run.idle)} MB before any work; "
        f"{partition:,} holders a partition, profiler off)"
    )
    print("statuses:", ", ".join(f"{name} {count:,}" for name, count in run.statuses.items()))

    targets = [
        Target("import + every catalog entry, fresh process (CPU)", started, STARTUP_MS, "ms"),
        Target("from_records / pydantic validation, 40 records", ratio, FROM_RECORDS_RATIO, "x"),
        Target(
            f"1.5M PMP holders on 2 Dask workers (projected from {holders:,})",
            projected,
            PROJECTED_MIN,
            "min",
        ),
        Target("peak memory per Dask worker", max(run.peaks), WORKER_MB, "MB"),
    ]
    print()
    print("| target | measured | limit | result |")
    print("|---|---|---|---|")
    for target in targets:
        print(target.row())
    return 0 if all(target.met for target in targets) else 1


if __name__ == "__main__":
    sys.exit(main())
